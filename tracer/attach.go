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
// cause the kernel checked, in ptrace_attach's order: no such process, a
// kernel thread or sonde itself, already traced, then credentials,
// dumpability and Yama. (audit/explain goes through every check; this is
// the one-line answer.)
func explainAttach(pid int, err error) error {
	e := &AttachError{Pid: pid, Err: err}
	if !errors.Is(err, unix.EPERM) {
		return e
	}
	st := procStatus(pid)
	switch {
	case st == nil:
	case st["Kthread"] == "1" || (st["PPid"] == "2" && comm(pid) != ""):
		e.Cause = "it is a kernel thread"
	case st["Tgid"] == strconv.Itoa(os.Getpid()):
		e.Cause = "it is sonde itself"
	case st["TracerPid"] != "" && st["TracerPid"] != "0":
		e.TracerPid, _ = strconv.Atoi(st["TracerPid"])
		e.TracerComm = comm(e.TracerPid)
		e.Cause = fmt.Sprintf("already traced by process %d (%s)", e.TracerPid, e.TracerComm)
	default:
		e.Cause = permissionCause(pid, st)
	}
	return e
}

const capSysPtrace = 19

// permissionCause says which credential check refused the attach.
func permissionCause(pid int, st map[string]string) string {
	self := procStatus(os.Getpid())
	hasCap := false
	if self != nil {
		if eff, err := strconv.ParseUint(self["CapEff"], 16, 64); err == nil {
			hasCap = eff&(1<<capSysPtrace) != 0
		}
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
		if prm, err := strconv.ParseUint(st["CapPrm"], 16, 64); err == nil && self != nil {
			if mine, err := strconv.ParseUint(self["CapPrm"], 16, 64); err == nil && prm&^mine != 0 {
				return "it holds capabilities sonde does not"
			}
		}
	}
	if data, err := os.ReadFile("/proc/sys/kernel/yama/ptrace_scope"); err == nil {
		switch strings.TrimSpace(string(data)) {
		case "1":
			return "Yama ptrace_scope 1 allows tracing only descendants (or PR_SET_PTRACER)"
		case "2":
			if !hasCap {
				return "Yama ptrace_scope 2 requires CAP_SYS_PTRACE"
			}
		case "3":
			return "Yama ptrace_scope 3 forbids all attaching"
		}
	}
	if !hasCap {
		return "sonde lacks CAP_SYS_PTRACE"
	}
	return "refused by a security module or seccomp (see sonde explain)"
}
