//go:build linux

package ptrace

// Every system call of the package that passes a pointer. Each pointer is
// converted to uintptr inside the argument list of the Syscall6/RawSyscall6
// call, so the compiler keeps its object alive (and where it is) until the call
// returns, and a buffer on the caller's stack does not escape to the heap.

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// ptracePtr issues a request whose data is a pointer, through the runtime.
func ptracePtr(req Request, pid int, addr uintptr, data unsafe.Pointer) (uintptr, error) {
	r, _, e := unix.Syscall6(unix.SYS_PTRACE, uintptr(req), uintptr(pid), addr, uintptr(data), 0, 0)
	if e != 0 {
		return 0, &Error{Request: req, Pid: pid, Err: e}
	}
	return r, nil
}

// peek reads one tracer-sized word. The raw system call stores the word at
// data (libc's wrapper returns it instead).
func peek(req Request, pid int, addr uint64) (uint64, error) {
	if !fitsUintptr(addr) {
		return 0, &Error{Request: req, Pid: pid, Err: unix.EFAULT}
	}
	var word uintptr
	if _, err := ptracePtr(req, pid, uintptr(addr), unsafe.Pointer(&word)); err != nil {
		return 0, err
	}
	return uint64(word), nil
}

// GetEventMsg returns the message of the last ptrace event stop (PTRACE_GETEVENTMSG):
// the new pid at fork/vfork/clone stops, the former thread id at an exec stop,
// the exit status at PTRACE_EVENT_EXIT, SECCOMP_RET_DATA at a seccomp stop.
// It must be called on the tracer thread.
func GetEventMsg(pid int) (uint64, error) {
	var msg uintptr // unsigned long
	if _, err := ptracePtr(ReqGetEventMsg, pid, 0, unsafe.Pointer(&msg)); err != nil {
		return 0, err
	}
	return uint64(msg), nil
}

// GetSiginfo fills si with the siginfo of the signal that caused the current
// stop (PTRACE_GETSIGINFO). It must be called on the tracer thread.
func GetSiginfo(pid int, si *Siginfo) error {
	_, err := ptracePtr(ReqGetSiginfo, pid, 0, unsafe.Pointer(&si.raw))
	return err
}

// regset issues GETREGSET or SETREGSET with an iovec over buf and returns the
// length the kernel left in the iovec.
func regset(req Request, pid int, nt uint32, buf []byte) (int, error) {
	var iov unix.Iovec
	if len(buf) > 0 {
		iov.Base = &buf[0]
	}
	iov.SetLen(len(buf))
	if _, err := ptracePtr(req, pid, uintptr(nt), unsafe.Pointer(&iov)); err != nil {
		return 0, err
	}
	return int(iov.Len), nil
}

// rawGetSyscallInfo fills buf by PTRACE_GET_SYSCALL_INFO without the runtime
// and returns the size of the kernel's record for this stop.
func rawGetSyscallInfo(pid int, buf *[syscallInfoSize]byte) (int, syscall.Errno) {
	r, _, e := unix.RawSyscall6(unix.SYS_PTRACE, uintptr(ReqGetSyscallInfo), uintptr(pid),
		syscallInfoSize, uintptr(unsafe.Pointer(buf)), 0, 0)
	return int(r), e
}

// wait4 calls wait4(2) through the runtime (blocking allowed) or raw (the
// caller guarantees it returns at once: WNOHANG).
func wait4(pid int, ws *WaitStatus, options int, raw bool, ru *unix.Rusage) (int, syscall.Errno) {
	var status uint32
	var r uintptr
	var e syscall.Errno
	if raw {
		r, _, e = unix.RawSyscall6(unix.SYS_WAIT4, uintptr(pid), uintptr(unsafe.Pointer(&status)), uintptr(options), uintptr(unsafe.Pointer(ru)), 0, 0)
	} else {
		r, _, e = unix.Syscall6(unix.SYS_WAIT4, uintptr(pid), uintptr(unsafe.Pointer(&status)), uintptr(options), uintptr(unsafe.Pointer(ru)), 0, 0)
	}
	if e == 0 && ws != nil && r != 0 {
		*ws = WaitStatus(status)
	}
	return int(r), e
}

// processVM moves p to or from the tracee at addr with one process_vm_readv
// or process_vm_writev call (trap) and returns the bytes moved.
func processVM(trap uintptr, pid int, addr uint64, p []byte) (int, syscall.Errno) {
	if len(p) == 0 {
		return 0, 0
	}
	if !fitsUintptr(addr) {
		return 0, unix.EFAULT
	}
	local := unix.Iovec{Base: &p[0]}
	local.SetLen(len(p))
	remote := unix.RemoteIovec{Base: uintptr(addr), Len: len(p)}
	r, _, e := unix.Syscall6(trap, uintptr(pid), uintptr(unsafe.Pointer(&local)), 1,
		uintptr(unsafe.Pointer(&remote)), 1, 0)
	return int(r), e
}
