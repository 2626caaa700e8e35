// Package debugger holds the primitives every debugger is made of, over
// ptrace: attach to a running process (every thread, and the threads it
// starts later), read and write its memory, get and set registers in the
// layout of the thread's architecture (x86_64, i386, aarch64), resolve a
// symbol of the main executable, single-step, software breakpoints (int3 on
// x86, brk #0 on arm64) with continue-until-an-event, signal interception
// and suppression, and a detach that restores every patched byte.
//
// The model is non-stop: Continue resumes every stopped thread and returns
// the first event of any thread (a breakpoint hit, a signal, an exit); that
// thread stays stopped until the next Continue or Step while the others run.
// A thread resumed from a breakpoint steps over it with the original code
// put back for that one instruction; another thread passing the address in
// that window is not stopped.
//
// All ptrace requests of a Process run on its own locked OS thread
// (ptrace.Thread); a Process may be used from one goroutine at a time.
//
// Errors: ErrExited once the process is gone; ErrNotStopped for a register
// or step request on a running thread; ErrNoSymbol; operations wrap the
// ptrace errors (*ptrace.Error) with %w.
package debugger
