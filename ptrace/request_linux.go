//go:build linux

package ptrace

import (
	"math/bits"

	"golang.org/x/sys/unix"
)

// wordSize is the size in bytes of a PEEK/POKE word: the tracer's unsigned long.
const wordSize = bits.UintSize / 8

// fitsUintptr reports whether a tracee address or word survives the
// conversion to the tracer's uintptr (always true on 64-bit tracers).
func fitsUintptr(x uint64) bool { return uint64(uintptr(x)) == x }

// request issues a request whose arguments are plain numbers, through the
// runtime.
func request(req Request, pid int, addr, data uintptr) error {
	_, _, e := unix.Syscall6(unix.SYS_PTRACE, uintptr(req), uintptr(pid), addr, data, 0, 0)
	if e != 0 {
		return &Error{Request: req, Pid: pid, Err: e}
	}
	return nil
}

// rawRequest is request without the runtime's syscall bookkeeping, for the
// hot path. Only for requests that return at once.
func rawRequest(req Request, pid int, addr, data uintptr) error {
	_, _, e := unix.RawSyscall6(unix.SYS_PTRACE, uintptr(req), uintptr(pid), addr, data, 0, 0)
	if e != 0 {
		return &Error{Request: req, Pid: pid, Err: e}
	}
	return nil
}

// TraceMe makes the calling thread a tracee of its parent (PTRACE_TRACEME).
// It is meant for a child between fork and exec; a Go program gets that from
// syscall.SysProcAttr.Ptrace. The calling thread becomes the tracee, so the
// thread rule applies to the parent's side.
func TraceMe() error { return request(ReqTraceMe, 0, 0, 0) }

// Attach attaches to pid and sends it SIGSTOP (PTRACE_ATTACH). Prefer [Seize].
// It must be called on the tracer thread: that thread becomes the tracer.
func Attach(pid int) error { return request(ReqAttach, pid, 0, 0) }

// Seize attaches to pid without stopping it and sets opts (PTRACE_SEIZE with
// the options in data, which unix.PtraceSeize leaves 0). It must be called on
// the tracer thread: that thread becomes the tracer, and every later request
// for pid must come from it.
func Seize(pid int, opts Options) error { return request(ReqSeize, pid, 0, uintptr(opts)) }

// Interrupt stops a seized tracee (PTRACE_INTERRUPT); the stop is reported by
// wait as a PTRACE_EVENT_STOP with SIGTRAP (status 0x80057f). It must be
// called on the tracer thread.
func Interrupt(pid int) error { return request(ReqInterrupt, pid, 0, 0) }

// Listen restarts a seized tracee in group-stop without resuming it, so that
// it reports the next SIGCONT or stop (PTRACE_LISTEN). It must be called on
// the tracer thread.
func Listen(pid int) error { return request(ReqListen, pid, 0, 0) }

// Detach detaches from a stopped tracee and resumes it with signal sig (0 for
// none) (PTRACE_DETACH). It must be called on the tracer thread.
func Detach(pid int, sig int) error { return request(ReqDetach, pid, 0, uintptr(sig)) }

// Kill sends the tracee SIGKILL (PTRACE_KILL, which the kernel documents as
// deprecated and unreliable for a tracee not in a signal-delivery stop:
// unix.Tgkill with SIGKILL is the robust way). It must be called on the tracer
// thread.
func Kill(pid int) error { return request(ReqKill, pid, 0, 0) }

// Cont resumes a stopped tracee, delivering signal sig (0 for none)
// (PTRACE_CONT). It must be called on the tracer thread. Hot path: a raw
// system call that allocates only on failure.
func Cont(pid int, sig int) error { return rawRequest(ReqCont, pid, 0, uintptr(sig)) }

// Syscall resumes a stopped tracee until the next syscall entry or exit,
// delivering signal sig (0 for none) (PTRACE_SYSCALL). It must be called on
// the tracer thread. Hot path: a raw system call that allocates only on
// failure.
func Syscall(pid int, sig int) error { return rawRequest(ReqSyscall, pid, 0, uintptr(sig)) }

// SingleStep resumes a stopped tracee for one instruction, delivering signal
// sig (0 for none) (PTRACE_SINGLESTEP). It must be called on the tracer thread.
func SingleStep(pid int, sig int) error { return request(ReqSingleStep, pid, 0, uintptr(sig)) }

// SetOptions replaces the tracee's options (PTRACE_SETOPTIONS). It must be
// called on the tracer thread.
func SetOptions(pid int, opts Options) error {
	return request(ReqSetOptions, pid, 0, uintptr(opts))
}

// PeekText reads the tracer-sized word at addr (PTRACE_PEEKTEXT). It must be
// called on the tracer thread.
func PeekText(pid int, addr uint64) (uint64, error) { return peek(ReqPeekText, pid, addr) }

// PeekData reads the tracer-sized word at addr (PTRACE_PEEKDATA; the same as
// PeekText on Linux). It must be called on the tracer thread.
func PeekData(pid int, addr uint64) (uint64, error) { return peek(ReqPeekData, pid, addr) }

// PokeText writes the tracer-sized word at addr, even into read-only text
// (PTRACE_POKETEXT). It must be called on the tracer thread.
func PokeText(pid int, addr, word uint64) error { return poke(ReqPokeText, pid, addr, word) }

// PokeData writes the tracer-sized word at addr (PTRACE_POKEDATA). It must be
// called on the tracer thread.
func PokeData(pid int, addr, word uint64) error { return poke(ReqPokeData, pid, addr, word) }

func poke(req Request, pid int, addr, word uint64) error {
	if !fitsUintptr(addr) {
		return &Error{Request: req, Pid: pid, Err: unix.EFAULT}
	}
	if !fitsUintptr(word) {
		return &Error{Request: req, Pid: pid, Err: unix.EOVERFLOW}
	}
	return request(req, pid, uintptr(addr), uintptr(word))
}

// Regset note types for [GetRegSet] and [SetRegSet] (the NT_* values of
// include/uapi/linux/elf.h).
const (
	NTPrStatus      uint32 = 1     // general registers: i386 68 bytes, x86_64 216, arm64 272
	NTPrFPReg       uint32 = 2     // floating-point registers
	NTX86XState     uint32 = 0x202 // x86 XSAVE area
	NTArmSystemCall uint32 = 0x404 // arm64 syscall number, writable to change it
)

// GetRegSet reads regset nt of the stopped tracee into buf (PTRACE_GETREGSET
// with an iovec over buf) and returns the bytes the kernel filled, which
// depend on the tracee's architecture, not the tracer's: NT_PRSTATUS is 68
// bytes for an i386 tracee, 216 for x86_64, 272 for arm64. A short buf is
// filled as far as it goes. It must be called on the tracer thread.
func GetRegSet(pid int, nt uint32, buf []byte) (int, error) {
	return regset(ReqGetRegSet, pid, nt, buf)
}

// SetRegSet writes regset nt of the stopped tracee from buf (PTRACE_SETREGSET);
// buf should be exactly as long as GetRegSet reported for this tracee. It must
// be called on the tracer thread.
func SetRegSet(pid int, nt uint32, buf []byte) error {
	_, err := regset(ReqSetRegSet, pid, nt, buf)
	return err
}
