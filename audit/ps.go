package audit

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/sonde-dev/sonde/access"
)

// Task is one side of a tracing relationship: a thread and its process.
type Task struct {
	Pid  int    `json:"pid"` // the process (thread group)
	Tid  int    `json:"tid"` // the thread
	Comm string `json:"comm"`
	Exe  string `json:"exe,omitempty"` // "" when unreadable
	Uid  uint32 `json:"uid"`           // real
	Euid uint32 `json:"euid"`
	// CapSysPtrace: CAP_SYS_PTRACE in the effective set.
	CapSysPtrace bool `json:"cap_sys_ptrace"`
	// Dumpable is "yes", "no" or "unknown" (a root process's /proc entries
	// belong to root either way).
	Dumpable       string `json:"dumpable"`
	Seccomp        int    `json:"seccomp"` // 0 none, 1 strict, 2 filter
	SeccompFilters int    `json:"seccomp_filters"`
}

// Marks lists what is notable about the task: "CAP_SYS_PTRACE",
// "non-dumpable", "seccomp" (with the filter count).
func (t Task) Marks() []string {
	var m []string
	if t.CapSysPtrace {
		m = append(m, "CAP_SYS_PTRACE")
	}
	if t.Dumpable == "no" {
		m = append(m, "non-dumpable")
	}
	switch t.Seccomp {
	case 1:
		m = append(m, "seccomp-strict")
	case 2:
		m = append(m, fmt.Sprintf("seccomp(%d)", t.SeccompFilters))
	}
	return m
}

// Trace is one tracer thread tracing one tracee thread.
type Trace struct {
	Tracer Task `json:"tracer"`
	Tracee Task `json:"tracee"`
}

// Tracing is every tracing relationship this process can see, and what may
// hide others.
type Tracing struct {
	Traces              []Trace  `json:"traces"`
	PidNamespace        uint64   `json:"pid_namespace"`
	InitialPidNamespace bool     `json:"initial_pid_namespace"`
	TasksRead           int      `json:"tasks_read"`
	Notes               []string `json:"notes,omitempty"`
}

// Traces lists every tracer->tracee relationship, per thread: the
// TracerPid of every /proc/*/task/*/status, resolved to the tracer's thread
// and process. The notes say when the view is partial: sonde in a child pid
// namespace (tracers outside it read as TracerPid 0), /proc mounted from
// another pid namespace or with hidepid, tasks that vanished or could not
// be read.
func Traces(src Source) (*Tracing, error) {
	pids, err := src.Proc.Pids()
	if err != nil {
		return nil, fmt.Errorf("list processes: %w", err)
	}
	tr := &Tracing{Traces: []Trace{}}
	if ino, err := src.Proc.Namespace("self", "pid"); err == nil {
		tr.PidNamespace, tr.InitialPidNamespace = ino, ino == initialPidNS
		if !tr.InitialPidNamespace {
			tr.Notes = append(tr.Notes, fmt.Sprintf("sonde runs in the pid namespace pid:[%d], not the initial one: a tracer outside it reads as TracerPid 0, so a process traced from outside looks untraced here", ino))
		}
	}
	if self, err := os.Readlink(src.Proc.Path("self")); err == nil && src.SelfPid != 0 && self != strconv.Itoa(src.SelfPid) {
		tr.Notes = append(tr.Notes, fmt.Sprintf("%s belongs to another pid namespace (%s/self is %s, sonde is %d): pids are that namespace's", src.Proc.Path(), src.Proc.Path(), self, src.SelfPid))
	}
	if opt := procMountOptions(src); strings.Contains(opt, "hidepid=") || strings.Contains(opt, "subset=") {
		tr.Notes = append(tr.Notes, "/proc is mounted with "+opt+": processes sonde may not ptrace-read are hidden, and their tracers with them")
	}
	tasks := map[int]Task{} // by tid, tracers and tracees
	unreadable := 0
	for _, pid := range pids {
		tids, err := src.Proc.Tasks(pid)
		if err != nil {
			continue // exited meanwhile
		}
		for _, tid := range tids {
			st, err := src.Proc.TaskStatus(pid, tid)
			if err != nil {
				unreadable++
				continue
			}
			tr.TasksRead++
			if st.TracerPid == 0 {
				continue
			}
			tracee := taskOf(src, pid, tid, st)
			tracer, ok := tasks[st.TracerPid]
			if !ok {
				ts, err := src.Proc.Status(st.TracerPid)
				if err != nil {
					tracer = Task{Pid: st.TracerPid, Tid: st.TracerPid, Comm: "?", Dumpable: "unknown"}
				} else {
					tracer = taskOf(src, ts.Tgid, st.TracerPid, ts)
				}
				tasks[st.TracerPid] = tracer
			}
			tr.Traces = append(tr.Traces, Trace{Tracer: tracer, Tracee: tracee})
		}
	}
	if unreadable > 0 {
		tr.Notes = append(tr.Notes, fmt.Sprintf("%d tasks could not be read (exited meanwhile, or hidden)", unreadable))
	}
	sort.Slice(tr.Traces, func(i, j int) bool {
		a, b := tr.Traces[i], tr.Traces[j]
		if a.Tracer.Pid != b.Tracer.Pid {
			return a.Tracer.Pid < b.Tracer.Pid
		}
		return a.Tracee.Tid < b.Tracee.Tid
	})
	return tr, nil
}

// taskOf describes thread tid of process pid from its status.
func taskOf(src Source, pid, tid int, st *access.Status) Task {
	if pid == 0 {
		pid = tid
	}
	t := Task{Pid: pid, Tid: tid, Comm: st.Name, Exe: src.Proc.Exe(pid), Uid: st.Uid[0], Euid: st.Uid[1],
		CapSysPtrace: access.HasCap(st.CapEff, access.CapSysPtrace), Dumpable: "unknown",
		Seccomp: st.Seccomp, SeccompFilters: st.SeccompFilters}
	if c := src.Proc.Comm(pid); c != "" {
		t.Comm = c
	}
	if uid, _, err := src.Proc.Owner(pid); err == nil {
		switch {
		case uid != st.Uid[1]:
			t.Dumpable = "no"
		case uid != 0:
			t.Dumpable = "yes"
		}
	}
	return t
}

// procMountOptions returns the super-block options of the proc mount at
// the Proc root, from /proc/self/mountinfo ("rw,hidepid=invisible").
func procMountOptions(src Source) string {
	data, err := os.ReadFile(src.Proc.Path("self", "mountinfo"))
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		// ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS
		pre, post, ok := strings.Cut(line, " - ")
		if !ok {
			continue
		}
		f, g := strings.Fields(pre), strings.Fields(post)
		if len(f) < 5 || len(g) < 3 || g[0] != "proc" || f[4] != "/proc" {
			continue
		}
		return g[2]
	}
	return ""
}
