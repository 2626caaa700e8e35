// Package inspect takes a snapshot of what a running process is doing, the
// question strace cannot answer in one command: for every thread, the
// syscall it is blocked in, decoded as strace prints it
// (clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=30, tv_nsec=0}, ...)), its
// scheduler state and wait channel and, on request, its registers; then the
// process's descriptors and what they point to.
//
// Each thread is seized (PTRACE_SEIZE) and interrupted only long enough to
// read its registers, then detached: the process goes on as it was (a call
// the interrupt cut short restarts, as under strace -p), with no tracer
// left, and a stopped process stays stopped. A process sonde may not trace
// gives an error that names the cause (package access).
//
// Errors: ErrNoProcess for a pid with no process; *AttachError when a
// thread cannot be seized.
package inspect
