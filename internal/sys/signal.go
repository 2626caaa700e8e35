//go:build linux

package sys

import (
	"fmt"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// kernelSigaction is struct sigaction as rt_sigaction(2) takes it on
// x86_64, i386 and arm64 (all three have sa_restorer).
type kernelSigaction struct {
	handler  uintptr
	flags    uintptr
	restorer uintptr
	mask     uint64
}

const sigDFL = 0

// DieBySignal ends the process by sig with the default action, bypassing
// the Go runtime's handlers, so the parent sees "killed by sig" exactly as
// for the traced program. Core dumps are disabled first: the program may
// have dumped core, sonde must not. It returns only if sig does not kill
// (a signal whose default action is to ignore).
func DieBySignal(sig syscall.Signal) {
	var rl unix.Rlimit
	unix.Setrlimit(unix.RLIMIT_CORE, &rl)
	if sig != syscall.SIGKILL && sig != syscall.SIGSTOP {
		act := kernelSigaction{handler: sigDFL}
		unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&act)), 0, 8, 0, 0)
		set := uint64(1) << (uint(sig) - 1)
		unix.RawSyscall6(unix.SYS_RT_SIGPROCMASK, unix.SIG_UNBLOCK, uintptr(unsafe.Pointer(&set)), 0, 8, 0, 0)
	}
	unix.Tgkill(unix.Getpid(), unix.Gettid(), sig)
	time.Sleep(100 * time.Millisecond)
}

// RaiseMemlock lifts RLIMIT_MEMLOCK to infinity, which BPF maps and
// programs are charged against on kernels before 5.11 (later ones charge
// the memory cgroup instead). Without CAP_SYS_RESOURCE it fails with EPERM,
// which callers on newer kernels may ignore.
func RaiseMemlock() error {
	lim := unix.Rlimit{Cur: unix.RLIM_INFINITY, Max: unix.RLIM_INFINITY}
	if err := unix.Setrlimit(unix.RLIMIT_MEMLOCK, &lim); err != nil {
		return fmt.Errorf("setrlimit(RLIMIT_MEMLOCK): %w", err)
	}
	return nil
}
