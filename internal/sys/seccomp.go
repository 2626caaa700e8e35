//go:build linux

package sys

import (
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// ErrTSync is wrapped by InstallSeccompFilter's error when a thread of the
// process could not take the filter (it already has a filter from another
// lineage): seccomp(2) then returns that thread's id instead of an errno.
var ErrTSync = errors.New("a thread cannot be synchronised")

// SetNoNewPrivs sets the calling thread's no_new_privs bit
// (prctl(PR_SET_NO_NEW_PRIVS, 1), Linux 3.5): from then on execve never
// grants privileges (setuid bits and file capabilities are ignored), and an
// unprivileged thread may install seccomp filters and Landlock domains. The
// bit is inherited and cannot be cleared.
func SetNoNewPrivs() error {
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("prctl(PR_SET_NO_NEW_PRIVS): %w", err)
	}
	return nil
}

// InstallSeccompFilter installs prog, a classic BPF program over struct
// seccomp_data, with seccomp(SECCOMP_SET_MODE_FILTER) (Linux 3.17). With
// tsync it adds SECCOMP_FILTER_FLAG_TSYNC, so every thread of the process
// gets the filter (and, when the caller has it, no_new_privs) at once; a Go
// process has several threads, so a filter meant for the whole process needs
// it. Without CAP_SYS_ADMIN the calling thread must have no_new_privs set
// first (SetNoNewPrivs), else the kernel says EACCES. Filters stack and are
// inherited across fork and execve; none can be removed.
func InstallSeccompFilter(prog []unix.SockFilter, tsync bool) error {
	if len(prog) == 0 || len(prog) > 4096 {
		return fmt.Errorf("seccomp(SECCOMP_SET_MODE_FILTER): %d instructions: %w", len(prog), unix.EINVAL)
	}
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	var flags uintptr
	if tsync {
		flags = unix.SECCOMP_FILTER_FLAG_TSYNC
	}
	r, _, errno := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, flags, uintptr(unsafe.Pointer(&fprog)))
	switch {
	case errno != 0:
		return fmt.Errorf("seccomp(SECCOMP_SET_MODE_FILTER): %w", errno)
	case r != 0:
		// With TSYNC a positive result is the id of a thread that could not
		// be synchronised.
		return fmt.Errorf("seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC): thread %d: %w", r, ErrTSync)
	}
	return nil
}
