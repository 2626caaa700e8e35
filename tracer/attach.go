package tracer

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/sonde-dev/sonde/access"
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
	opts := t.traceOpts(true, false)
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

// explainAttach turns a failed PTRACE_SEIZE into an AttachError naming the
// cause, as package access finds it going through the kernel's checks in
// their order (kernel/ptrace.c ptrace_attach and __ptrace_may_access, then
// the security modules): seccomp, a kernel thread or sonde itself,
// credentials, dumpability, capabilities, Yama, Landlock, a process that is
// exiting, one that already has a tracer. sonde explain prints every check;
// this is the one-line answer.
func explainAttach(pid int, err error) error {
	e := &AttachError{Pid: pid, Err: err}
	if !errors.Is(err, unix.EPERM) {
		return e
	}
	r, aerr := access.Evaluate(pid, access.Options{AttachFailed: true})
	if aerr != nil {
		return e
	}
	e.TracerPid, e.TracerComm = r.TracerPid, r.TracerComm
	e.Cause = r.Cause
	return e
}
