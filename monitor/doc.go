// Package monitor watches every ptrace call on the host, from both system
// call ABIs, with eBPF, and says when one process injects code into another.
//
// # What it watches
//
// ptrace, process_vm_readv, process_vm_writev and pidfd_getfd, and opens of
// /proc/PID/mem (also self, thread-self and task/TID) for writing. Each call
// becomes one [Event] at its exit: the caller (the "tracer"), the request,
// the target process, the arguments, the result, the ABI (x86_64 or i386 on
// an x86_64 kernel) and the caller's cgroup and container id.
//
// # How
//
// The programs are written with cilium/ebpf's asm package at run time (no
// clang, no object files). An enter program on sys_enter looks the call up
// in a map keyed by (ABI, number) — filled from package sysent's tables —
// and keeps its arguments in a hash keyed by the thread (a plain hash, not an
// LRU one, so that no entry is evicted uncounted) until the exit
// program on sys_exit adds the result and copies the record into a ring
// buffer. For a ptrace call the exit program also finds the target among the
// caller's tracees (current->ptraced) and records its comm, tgid and uid,
// and for pidfd_getfd the enter program follows the pidfd to its pid, so
// that a process gone by the time userspace reads /proc is still named. On
// x86_64 the ABI of a call is TS_COMPAT in the task's
// thread_info.status (offset from the kernel's BTF): an i386 program's
// calls, and `int $0x80` from a 64-bit one, arrive on sys_enter with i386
// numbers (ptrace is 26) and never fire syscalls/sys_enter_ptrace.
//
// Open tries the program types of its fallback chain in order — fentry and
// fexit on each watched call's kernel function per ABI (nothing runs for
// other system calls), tp_btf (BTF raw tracepoints on sys_enter/sys_exit),
// raw_tracepoint, then the per-call syscalls tracepoints (mounting tracefs if
// needed; native ABI only) — and records in Notes why each failed one
// failed (with the kernel lockdown mode on an EPERM). BPF LSM programs are
// not in the chain: their hooks see access checks, not the calls and their
// arguments.
//
// Records lost in the kernel are counted, never silent: a per-CPU counter
// when the ring buffer is full and another when the pending map refuses an
// entry ([Monitor.Drops]).
//
// [Detector] turns the events into [Alert]s: ATTACH or SEIZE, a write into
// the target's memory (POKETEXT, POKEDATA, process_vm_writev, an open of its
// mem file for writing), SETREGS or SETREGSET, then CONT or DETACH, by one
// tracer against one target, is one "injection" alert; a PTRACE_TRACEME
// refused because the caller is traced already is an "anti_debug" alert
// (the check caught a debugger). A successful TRACEME is only marked in its
// event: strace makes one at every start and debuggers before each execve. It is a pure function of the events, tested without
// privileges.
//
// # Errors
//
// [ErrPrivileges]: the caller lacks root or CAP_BPF with CAP_PERFMON.
// [ErrNoProgram]: no program type of the chain loaded and attached; the
// joined [TierError]s (tier, stage, kernel errno) say why. [ErrArch]: no
// system call description for this GOARCH (x86_64 is the one that runs;
// arm64 and 386 build). Errors wrap the kernel's errno, so errors.Is(err,
// unix.EPERM) works.
package monitor
