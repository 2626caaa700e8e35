// Package ptrace is sonde's only door to the kernel's tracing calls: every
// ptrace(2) request, every wait4(2) and every process_vm_readv/writev(2) the
// project makes goes through here, typed, so the rest of sonde never touches a
// raw syscall number, a uintptr or unsafe.
//
// # The thread precondition
//
// Linux ties a tracee to the tracer *thread* that attached it, not to the
// process: after [Seize] on OS thread A, a request such as [GetRegSet] issued
// from thread B fails with ESRCH as if the tracee did not exist. Go moves
// goroutines between threads freely, so every request function in this
// package must be called on the tracer thread: the goroutine of a [Thread],
// reached through [Thread.Do] or [Thread.DoErr] (the model is delve's
// execPtraceFunc). Each request's doc comment repeats this. The calls that do
// not need it are said to: [Wait4], [Wait4NoHang] and the process_vm_* half
// of [ReadMem], [WriteMem] and [ReadString] work from any thread of the
// tracer process.
//
// # Hot path
//
// [Syscall], [Cont], [GetSyscallInfo] and [Wait4NoHang] use raw system calls
// (no runtime bookkeeping) and do not allocate unless they fail. They return
// at once, so they never hold up the garbage collector; a call that can block
// ([Wait4]) goes through the runtime instead.
//
// # Addresses and words
//
// Tracee addresses and memory words are uint64 whatever GOARCH is: the
// tracee's architecture comes from the stop ([SyscallInfo.Arch]), never from
// the tracer's. A word read by PEEK is the tracer's word (8 bytes on 64-bit
// tracers, 4 on a 32-bit one); an address or word that does not fit the
// tracer's uintptr fails with EFAULT or EOVERFLOW without reaching the kernel.
//
// # Errors
//
// Every failure is an [*Error] that names the request ([Request], with
// pseudo-requests [ReqProcessVMReadv], [ReqProcessVMWritev] and [ReqWait4] for
// the other calls), the pid, and the kernel's errno, which [Error.Unwrap]
// returns so errors.Is(err, unix.ESRCH) works. What the common errnos mean here:
//
//   - ESRCH: no such process, or it is not traced by this thread, or it is not
//     stopped. The kernel does not say which. A request made off the tracer
//     thread is the usual programming mistake behind it.
//   - EPERM (attach, seize): the kernel refused the attach: already traced,
//     uid mismatch, missing CAP_SYS_PTRACE, non-dumpable target, Yama, LSM or
//     seccomp. Diagnosing which is the caller's job (see the tracer package).
//   - EIO, EFAULT (peek, poke, regsets, memory): the address is not mapped in
//     the tracee, or the request or regset is not valid for this stop or
//     kernel (GET_SYSCALL_INFO needs Linux 5.3, PTRACE_LISTEN 3.4).
//   - ECHILD (wait): no child matches the pid and options.
//
// [ErrThreadClosed] is the one sentinel: [Thread.DoErr] after [Thread.Close].
package ptrace
