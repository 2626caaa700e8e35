// Package deny runs a program with ptrace and its relatives denied: a
// seccomp filter makes ptrace, process_vm_readv, process_vm_writev and
// pidfd_getfd fail with EPERM on every ABI the kernel runs (x86_64, i386 and
// x32 on x86; aarch64 and arm on arm64), with NO_NEW_PRIVS set and the
// filter synchronised over all threads; optionally (Options.ProcMem) a
// Landlock domain also closes /proc/PID/mem of every process outside it.
// The program cannot undo either, and every process it starts inherits
// both. This is `sonde deny`; docs/defend.md explains the design.
//
// The filter is built with golang.org/x/net/bpf (NewFilter) and checks the
// architecture before the number, for each ABI: a filter that looks only at
// the native ABI lets a 64-bit process's `int $0x80` ptrace (i386 number 26)
// through. It kills nothing: an unknown ABI is allowed. NewProfile gives the
// same rules as an OCI/Docker seccomp profile.
//
// A filter must be installed by the process itself, between fork and exec,
// which os/exec cannot do: Start re-executes sonde's binary as the deny stub
// (internal/sys, DenyStubArg0), which confines itself and execs the program.
//
// # Errors
//
// ErrUnsupportedArch: no syscall table for this GOARCH. ErrNoLandlock
// (wrapping the kernel's ENOSYS or EOPNOTSUPP): ProcMem asked for a Landlock
// domain the kernel cannot make. *SetupError: the stub failed before the
// program ran (a seccomp, Landlock or prctl call refused, or the exec
// itself); its message says which. Wait's error is only for a wait that
// failed: a program that exits non-zero or dies of a signal is a normal
// *os.ProcessState.
package deny
