//go:build linux

package sys

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// saNoCldStop is SA_NOCLDSTOP (asm-generic/signal.h; the same on x86 and
// arm64).
const saNoCldStop = 1

// NoStopSIGCHLD adds SA_NOCLDSTOP to the process's SIGCHLD action, keeping
// its handler: the stops of children, ptrace stops among them, then wake a
// waiting wait4 without sending SIGCHLD, while exits still send it (so
// os/exec and os/signal users see them). A tracer otherwise takes a
// signal, and the Go runtime's handler runs on some thread of the process,
// for every stop of every tracee.
//
// The kernel's struct sigaction starts with the handler and the flags on
// every architecture sonde builds for; the rest of it is written back as
// read.
func NoStopSIGCHLD() error {
	var act [8]uintptr // larger than any kernel struct sigaction here
	const sigsetSize = 8
	if _, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(unix.SIGCHLD), 0, uintptr(unsafe.Pointer(&act)), sigsetSize, 0, 0); e != 0 {
		return fmt.Errorf("rt_sigaction(SIGCHLD): %w", e)
	}
	if act[0] == 0 || act[0] == 1 { // SIG_DFL, SIG_IGN: nothing to change
		return nil
	}
	if act[1]&saNoCldStop != 0 {
		return nil
	}
	act[1] |= saNoCldStop
	if _, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(unix.SIGCHLD), uintptr(unsafe.Pointer(&act)), 0, sigsetSize, 0, 0); e != 0 {
		return fmt.Errorf("rt_sigaction(SIGCHLD, SA_NOCLDSTOP): %w", e)
	}
	return nil
}
