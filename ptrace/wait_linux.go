//go:build linux

package ptrace

import (
	"strconv"

	"golang.org/x/sys/unix"
)

// wait4 options.
const (
	WNOHANG    = unix.WNOHANG
	WUNTRACED  = unix.WUNTRACED
	WCONTINUED = unix.WCONTINUED
	WNOTHREAD  = unix.WNOTHREAD // __WNOTHREAD: only children of the calling thread
	WALL       = unix.WALL      // __WALL: clone and non-clone children alike (every tracee thread)
	WCLONE     = unix.WCLONE    // __WCLONE: only clone children
)

// WaitStatus is the status word wait4 stores.
type WaitStatus uint32

// Exited reports a normal exit.
func (w WaitStatus) Exited() bool { return w&0x7f == 0 }

// ExitStatus returns the exit code, or -1 if the process did not exit.
func (w WaitStatus) ExitStatus() int {
	if !w.Exited() {
		return -1
	}
	return int(w>>8) & 0xff
}

// Signaled reports death by a signal.
func (w WaitStatus) Signaled() bool { return w&0x7f != 0x7f && w&0x7f != 0 }

// Signal returns the signal that killed the process, or -1.
func (w WaitStatus) Signal() unix.Signal {
	if !w.Signaled() {
		return -1
	}
	return unix.Signal(w & 0x7f)
}

// CoreDump reports that the killing signal dumped core.
func (w WaitStatus) CoreDump() bool { return w.Signaled() && w&0x80 != 0 }

// Stopped reports a stop (ptrace stops included).
func (w WaitStatus) Stopped() bool { return w&0xff == 0x7f }

// Continued reports a resume by SIGCONT (WCONTINUED).
func (w WaitStatus) Continued() bool { return w == 0xffff }

// StopSignal returns the stop's signal byte as the kernel reports it, or -1
// if not stopped: a syscall stop under PTRACE_O_TRACESYSGOOD gives
// SIGTRAP|0x80, an event stop SIGTRAP (or the stop signal for a group-stop).
func (w WaitStatus) StopSignal() unix.Signal {
	if !w.Stopped() {
		return -1
	}
	return unix.Signal(w>>8) & 0xff
}

// TrapCause returns status>>16: the PTRACE_EVENT_* of an event stop, 0 for
// every other status.
func (w WaitStatus) TrapCause() int { return int(w >> 16) }

// IsSyscallStop reports a syscall stop under PTRACE_O_TRACESYSGOOD (stop
// signal SIGTRAP|0x80).
func (w WaitStatus) IsSyscallStop() bool {
	return w.Stopped() && w.StopSignal() == unix.SIGTRAP|0x80
}

// IsGroupStop reports a seized tracee's group-stop: PTRACE_EVENT_STOP with a
// stopping signal (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU). A PTRACE_INTERRUPT stop
// is also PTRACE_EVENT_STOP, but with SIGTRAP, and is not a group-stop.
func (w WaitStatus) IsGroupStop() bool {
	if !w.Stopped() || w.TrapCause() != EventStop {
		return false
	}
	switch w.StopSignal() {
	case unix.SIGSTOP, unix.SIGTSTP, unix.SIGTTIN, unix.SIGTTOU:
		return true
	}
	return false
}

// String describes the status for logs and test failures: "exited 7",
// "killed by SIGTERM (core dumped)", "stopped SIGTRAP|0x80",
// "stopped SIGTRAP event 0x80", "continued".
func (w WaitStatus) String() string {
	switch {
	case w.Exited():
		return "exited " + strconv.Itoa(w.ExitStatus())
	case w.Signaled():
		s := "killed by " + signalName(w.Signal())
		if w.CoreDump() {
			s += " (core dumped)"
		}
		return s
	case w.Continued():
		return "continued"
	case w.Stopped():
		sig := w.StopSignal()
		s := "stopped " + signalName(sig&0x7f)
		if sig&0x80 != 0 {
			s += "|0x80"
		}
		if ev := w.TrapCause(); ev != 0 {
			s += " event 0x" + strconv.FormatUint(uint64(ev), 16)
		}
		return s
	}
	return "status 0x" + strconv.FormatUint(uint64(w), 16)
}

func signalName(s unix.Signal) string {
	if n := unix.SignalName(s); n != "" {
		return n
	}
	return "signal " + strconv.Itoa(int(s))
}

// Wait4 waits for a state change of pid (-1: any child) and stores it in ws
// (which may be nil), returning the pid that changed, or 0 under WNOHANG when
// none has. It goes through the Go runtime like unix.Wait4, so it may block as
// long as it needs without holding up other goroutines or the garbage
// collector, and it retries on EINTR. Any thread of the tracer may call it.
// wait4(-1) also reaps children that are not tracees (an os/exec.Cmd's, say):
// wait for tracee pids, or own every child of the process.
func Wait4(pid int, ws *WaitStatus, options int) (int, error) {
	for {
		wpid, e := wait4(pid, ws, options, false, nil)
		if e == unix.EINTR {
			continue
		}
		if e != 0 {
			return 0, &Error{Request: ReqWait4, Pid: pid, Err: e}
		}
		return wpid, nil
	}
}

// Wait4NoHang is wait4 with WNOHANG added to options, as a raw system call
// for the hot path: it never blocks, does not allocate unless it fails, and
// returns 0 when no child has changed state. Any thread of the tracer may call
// it. To sleep until a stop, fall back to [Wait4]: a raw call must never
// block.
func Wait4NoHang(pid int, ws *WaitStatus, options int) (int, error) {
	wpid, e := wait4(pid, ws, options|unix.WNOHANG, true, nil)
	if e != 0 {
		return 0, &Error{Request: ReqWait4, Pid: pid, Err: e}
	}
	return wpid, nil
}

// Wait4Usage is Wait4 that also stores the resource usage wait4 reports
// in ru: for a stopped tracee, its process's usage so far (strace's -c
// takes the system time spent in a syscall from it).
func Wait4Usage(pid int, ws *WaitStatus, options int, ru *unix.Rusage) (int, error) {
	for {
		wpid, e := wait4(pid, ws, options, false, ru)
		if e == unix.EINTR {
			continue
		}
		if e != 0 {
			return 0, &Error{Request: ReqWait4, Pid: pid, Err: e}
		}
		return wpid, nil
	}
}

// Wait4NoHangUsage is Wait4NoHang that also stores the resource usage in ru.
func Wait4NoHangUsage(pid int, ws *WaitStatus, options int, ru *unix.Rusage) (int, error) {
	wpid, e := wait4(pid, ws, options|unix.WNOHANG, true, ru)
	if e != 0 {
		return 0, &Error{Request: ReqWait4, Pid: pid, Err: e}
	}
	return wpid, nil
}
