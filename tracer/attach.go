package tracer

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/sonde-dev/sonde/ptrace"
)

// ErrAlreadyTraced matches an AttachError whose target already has a
// tracer (the kernel says EPERM, not EBUSY).
var ErrAlreadyTraced = errors.New("already traced")

// AttachError is a failed attach, with its cause when sonde could find it.
type AttachError struct {
	Pid   int
	Err   error  // the *ptrace.Error of PTRACE_SEIZE
	Cause string // why, in a few words; "" when unknown
	// TracerPid and TracerComm name the tracer already attached, if any.
	TracerPid  int
	TracerComm string
}

func (e *AttachError) Error() string {
	var errno unix.Errno
	msg := e.Err.Error()
	if errors.As(e.Err, &errno) {
		msg = errnoText(errno)
	}
	s := fmt.Sprintf("attach: ptrace(PTRACE_SEIZE, %d): %s", e.Pid, msg)
	if e.Cause != "" {
		s += ": " + e.Cause
	}
	return s
}

func (e *AttachError) Unwrap() error { return e.Err }

// Is reports ErrAlreadyTraced for a target that has a tracer.
func (e *AttachError) Is(target error) bool {
	return target == ErrAlreadyTraced && e.TracerPid != 0
}

// errnoText is the C library's text for errno: "No such process".
func errnoText(errno unix.Errno) string {
	s := errno.Error()
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		s = string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// Attach seizes the task pid and interrupts it, so that Run traces it from
// its next stop; under Follow it also seizes every other thread of pid's
// process, again until no new thread appears (threads born meanwhile). It
// returns the ids of the tasks attached. A failed attach is an
// *AttachError that says why when it can.
func (t *Tracer) Attach(pid int) ([]int, error) {
	var tids []int
	var err error
	t.thread.Do(func() { tids, err = t.attach(pid) })
	return tids, err
}

func (t *Tracer) attach(pid int) ([]int, error) {
	opts := t.traceOpts(true)
	if err := t.seizeOne(pid, opts); err != nil {
		return nil, explainAttach(pid, err)
	}
	tids := []int{pid}
	for t.cfg.Follow {
		found := 0
		for _, tid := range threadsOf(pid) {
			if _, known := t.tasks[tid]; known {
				continue
			}
			if err := t.seizeOne(tid, opts); err != nil {
				// Gone meanwhile, or a new thread a traced one created:
				// already ours through PTRACE_O_TRACECLONE.
				continue
			}
			tids = append(tids, tid)
			found++
		}
		if found == 0 {
			break
		}
	}
	t.emit(t.tasks[pid], Event{Kind: Attached, Threads: len(tids)})
	return tids, nil
}

func (t *Tracer) seizeOne(tid int, opts ptrace.Options) error {
	if err := ptrace.Seize(tid, opts); err != nil {
		return err
	}
	t.tasks[tid] = &task{pid: tid, attached: true}
	if err := ptrace.Interrupt(tid); err != nil {
		return err
	}
	return nil
}

// threadsOf lists /proc/PID/task.
func threadsOf(pid int) []int {
	ents, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/task")
	if err != nil {
		return nil
	}
	var tids []int
	for _, e := range ents {
		if tid, err := strconv.Atoi(e.Name()); err == nil {
			tids = append(tids, tid)
		}
	}
	return tids
}

// procStatus reads the fields of /proc/PID/status.
func procStatus(pid int) map[string]string {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return nil
	}
	m := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			m[k] = strings.TrimSpace(v)
		}
	}
	return m
}

func comm(pid int) string {
	data, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	return strings.TrimSpace(string(data))
}

// explainAttach turns a failed PTRACE_SEIZE into an AttachError naming the
// cause, checked in the kernel's order (kernel/ptrace.c ptrace_attach and
// __ptrace_may_access): a kernel thread or sonde itself, credentials,
// dumpability, capabilities and Yama, a process that is exiting, one that
// already has a tracer; and a seccomp filter on sonde itself.
// (sonde explain goes through every check; this is the one-line answer.)
func explainAttach(pid int, err error) error {
	e := &AttachError{Pid: pid, Err: err}
	if !errors.Is(err, unix.EPERM) {
		return e
	}
	st := procStatus(pid)
	if st == nil {
		return e
	}
	if tp, _ := strconv.Atoi(st["TracerPid"]); tp != 0 {
		e.TracerPid, e.TracerComm = tp, comm(tp)
	}
	switch {
	case st["Kthread"] == "1" || (st["PPid"] == "2" && comm(pid) != ""):
		e.Cause = "it is a kernel thread"
	case st["Tgid"] == strconv.Itoa(os.Getpid()):
		e.Cause = "it is sonde itself"
	default:
		e.Cause = permissionCause(pid, st)
	}
	switch {
	case e.Cause != "":
	case strings.HasPrefix(st["State"], "Z") || strings.HasPrefix(st["State"], "X"):
		e.Cause = "it is exiting"
	case e.TracerPid != 0:
		e.Cause = fmt.Sprintf("already traced by process %d (%s)", e.TracerPid, e.TracerComm)
	case seccompDeniesPtrace():
		e.Cause = "a seccomp filter denies ptrace to sonde"
	default:
		e.Cause = "refused by a security module"
		if lsm, err := os.ReadFile("/sys/kernel/security/lsm"); err == nil {
			e.Cause += " (active: " + strings.TrimSpace(string(lsm)) + ")"
		}
	}
	return e
}

// seccompDeniesPtrace probes without side effects: PTRACE_ATTACH of pid 0
// fails with ESRCH when the call reaches the kernel's ptrace code, with
// EPERM when a seccomp filter stops it first.
func seccompDeniesPtrace() bool {
	return errors.Is(ptrace.Attach(0), unix.EPERM)
}

const capSysPtrace = 19

// permissionCause says which credential check refused the attach, or ""
// when they all pass.
func permissionCause(pid int, st map[string]string) string {
	self := procStatus(os.Getpid())
	hasCap := false
	if self != nil {
		if eff, err := strconv.ParseUint(self["CapEff"], 16, 64); err == nil {
			hasCap = eff&(1<<capSysPtrace) != 0
		}
	}
	capsSubset := true
	if prm, err := strconv.ParseUint(st["CapPrm"], 16, 64); err == nil && self != nil {
		if mine, err := strconv.ParseUint(self["CapPrm"], 16, 64); err == nil {
			capsSubset = prm&^mine == 0
		}
	}
	myNS, _ := os.Readlink("/proc/self/ns/user")
	theirNS, _ := os.Readlink("/proc/" + strconv.Itoa(pid) + "/ns/user")
	if myNS != "" && theirNS != "" && myNS != theirNS && !capsSubset {
		// CAP_SYS_PTRACE counts in the target's user namespace only.
		return fmt.Sprintf("it runs in another user namespace (%s, sonde's is %s) and holds capabilities sonde does not", theirNS, myNS)
	}
	if !hasCap {
		myUID := strconv.Itoa(os.Getuid())
		uids := strings.Fields(st["Uid"])
		for _, u := range uids[:min(3, len(uids))] {
			if u != myUID {
				return fmt.Sprintf("it runs as uid %s and sonde (uid %s) lacks CAP_SYS_PTRACE", strings.Join(uids, "/"), myUID)
			}
		}
		// A non-dumpable process's /proc entries belong to root.
		if fi, err := os.Stat("/proc/" + strconv.Itoa(pid)); err == nil {
			if s, ok := fi.Sys().(*unix.Stat_t); ok && s.Uid == 0 && myUID != "0" {
				return "it is not dumpable (setuid, or PR_SET_DUMPABLE 0) and sonde lacks CAP_SYS_PTRACE"
			}
		}
		if !capsSubset {
			return "it holds capabilities sonde does not, and sonde lacks CAP_SYS_PTRACE"
		}
	}
	if data, err := os.ReadFile("/proc/sys/kernel/yama/ptrace_scope"); err == nil {
		switch strings.TrimSpace(string(data)) {
		case "1":
			if !hasCap && !isAncestor(os.Getpid(), pid) {
				return "Yama ptrace_scope 1 allows tracing only descendants (or a process that called PR_SET_PTRACER)"
			}
		case "2":
			if !hasCap {
				return "Yama ptrace_scope 2 requires CAP_SYS_PTRACE"
			}
		case "3":
			return "Yama ptrace_scope 3 forbids attaching"
		}
	}
	return ""
}

// isAncestor reports whether a is an ancestor of pid.
func isAncestor(a, pid int) bool {
	for i := 0; i < 64 && pid > 1; i++ {
		st := procStatus(pid)
		if st == nil {
			return false
		}
		pid, _ = strconv.Atoi(st["PPid"])
		if pid == a {
			return true
		}
	}
	return false
}
