package ptrace

import (
	"errors"
	"strconv"
)

// Request is a ptrace(2) request number (PTRACE_*). Negative values are
// pseudo-requests naming the other calls this package makes, so that one error
// type, [Error], reports every failure.
type Request int

// The architecture-independent requests of include/uapi/linux/ptrace.h. The
// arch-specific ones (PTRACE_GETREGS, PTRACE_SYSEMU, ...) are left out on
// purpose: their numbers differ between architectures, and [GetRegSet]
// replaces them.
const (
	ReqTraceMe                      Request = 0
	ReqPeekText                     Request = 1
	ReqPeekData                     Request = 2
	ReqPeekUser                     Request = 3
	ReqPokeText                     Request = 4
	ReqPokeData                     Request = 5
	ReqPokeUser                     Request = 6
	ReqCont                         Request = 7
	ReqKill                         Request = 8
	ReqSingleStep                   Request = 9
	ReqAttach                       Request = 16
	ReqDetach                       Request = 17
	ReqSyscall                      Request = 24
	ReqSetOptions                   Request = 0x4200
	ReqGetEventMsg                  Request = 0x4201
	ReqGetSiginfo                   Request = 0x4202
	ReqSetSiginfo                   Request = 0x4203
	ReqGetRegSet                    Request = 0x4204
	ReqSetRegSet                    Request = 0x4205
	ReqSeize                        Request = 0x4206
	ReqInterrupt                    Request = 0x4207
	ReqListen                       Request = 0x4208
	ReqPeekSiginfo                  Request = 0x4209
	ReqGetSigmask                   Request = 0x420a
	ReqSetSigmask                   Request = 0x420b
	ReqSeccompGetFilter             Request = 0x420c
	ReqSeccompGetMetadata           Request = 0x420d
	ReqGetSyscallInfo               Request = 0x420e // Linux 5.3
	ReqGetRseqConfiguration         Request = 0x420f // Linux 5.13
	ReqSetSyscallUserDispatchConfig Request = 0x4210 // Linux 6.11
	ReqGetSyscallUserDispatchConfig Request = 0x4211 // Linux 6.11
	ReqSetSyscallInfo               Request = 0x4212 // Linux 6.16
	ReqProcessVMReadv               Request = -1     // pseudo-request: process_vm_readv(2)
	ReqProcessVMWritev              Request = -2     // pseudo-request: process_vm_writev(2)
	ReqWait4                        Request = -3     // pseudo-request: wait4(2)
)

var requestNames = map[Request]string{
	ReqTraceMe:                      "PTRACE_TRACEME",
	ReqPeekText:                     "PTRACE_PEEKTEXT",
	ReqPeekData:                     "PTRACE_PEEKDATA",
	ReqPeekUser:                     "PTRACE_PEEKUSER",
	ReqPokeText:                     "PTRACE_POKETEXT",
	ReqPokeData:                     "PTRACE_POKEDATA",
	ReqPokeUser:                     "PTRACE_POKEUSER",
	ReqCont:                         "PTRACE_CONT",
	ReqKill:                         "PTRACE_KILL",
	ReqSingleStep:                   "PTRACE_SINGLESTEP",
	ReqAttach:                       "PTRACE_ATTACH",
	ReqDetach:                       "PTRACE_DETACH",
	ReqSyscall:                      "PTRACE_SYSCALL",
	ReqSetOptions:                   "PTRACE_SETOPTIONS",
	ReqGetEventMsg:                  "PTRACE_GETEVENTMSG",
	ReqGetSiginfo:                   "PTRACE_GETSIGINFO",
	ReqSetSiginfo:                   "PTRACE_SETSIGINFO",
	ReqGetRegSet:                    "PTRACE_GETREGSET",
	ReqSetRegSet:                    "PTRACE_SETREGSET",
	ReqSeize:                        "PTRACE_SEIZE",
	ReqInterrupt:                    "PTRACE_INTERRUPT",
	ReqListen:                       "PTRACE_LISTEN",
	ReqPeekSiginfo:                  "PTRACE_PEEKSIGINFO",
	ReqGetSigmask:                   "PTRACE_GETSIGMASK",
	ReqSetSigmask:                   "PTRACE_SETSIGMASK",
	ReqSeccompGetFilter:             "PTRACE_SECCOMP_GET_FILTER",
	ReqSeccompGetMetadata:           "PTRACE_SECCOMP_GET_METADATA",
	ReqGetSyscallInfo:               "PTRACE_GET_SYSCALL_INFO",
	ReqGetRseqConfiguration:         "PTRACE_GET_RSEQ_CONFIGURATION",
	ReqSetSyscallUserDispatchConfig: "PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG",
	ReqGetSyscallUserDispatchConfig: "PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG",
	ReqSetSyscallInfo:               "PTRACE_SET_SYSCALL_INFO",
	ReqProcessVMReadv:               "process_vm_readv",
	ReqProcessVMWritev:              "process_vm_writev",
	ReqWait4:                        "wait4",
}

// String returns the request's name as strace prints it ("PTRACE_SEIZE"; the
// kernel headers' names, except PEEKUSR/POKEUSR, which strace and glibc spell
// PTRACE_PEEKUSER/POKEUSER), the system call's name for a pseudo-request
// ("process_vm_readv"), or "PTRACE_0x..." for a number it does not know.
func (r Request) String() string {
	if s, ok := requestNames[r]; ok {
		return s
	}
	if r < 0 {
		return "PTRACE_-0x" + strconv.FormatUint(uint64(-r), 16)
	}
	return "PTRACE_0x" + strconv.FormatUint(uint64(r), 16)
}

// Error is the failure of one request or call on one process. Err is the
// kernel's errno (a syscall.Errno, so errors.Is(err, unix.ESRCH) matches);
// the package documentation says what the common ones mean.
type Error struct {
	Request Request
	Pid     int
	Err     error
}

// Error formats as "ptrace PTRACE_GETREGSET pid 123: no such process", or
// "process_vm_readv pid 123: bad address" for a pseudo-request.
func (e *Error) Error() string {
	prefix := "ptrace " + e.Request.String()
	if e.Request < 0 {
		prefix = e.Request.String()
	}
	msg := "<nil>"
	if e.Err != nil {
		msg = e.Err.Error()
	}
	return prefix + " pid " + strconv.Itoa(e.Pid) + ": " + msg
}

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// ErrThreadClosed is returned by [Thread.DoErr] once the thread has been
// closed (or its goroutine has exited): fn was not run.
var ErrThreadClosed = errors.New("ptrace thread closed")
