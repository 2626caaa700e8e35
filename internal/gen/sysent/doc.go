// Command sysent generates sysent/zsysent_<arch>.go, the syscall tables of
// the architectures sonde traces, from two inputs:
//
//   - the syscall numbers and names of golang.org/x/sys/unix's
//     zsysnum_linux_{amd64,386,arm64}.go, at the version go.mod pins;
//   - syscalls.txt beside this file: one hand-kept, arch-independent line per
//     syscall name giving strace's classes, its nargs, the argument kinds and
//     the return kind, with per-arch override lines where an ABI differs;
//   - argnames.txt beside it: the kernel's names of each syscall's
//     arguments (ArgNames), one line per syscall, with per-arch lines where
//     the words differ.
//
// The argument kinds and the class names are read from sysent/kinds.go and
// sysent/sysent.go, so a name this program accepts is one those files
// declare. Run it as `go generate ./sysent/...` (or `go run
// ./internal/gen/sysent` from the repository root). It writes nothing and
// exits 1 on any failure: unreadable input, a syscall x/sys has that
// syscalls.txt lacks, a syscalls.txt line no architecture uses, an unknown
// class or kind, a malformed line, an argnames.txt line naming a syscall the
// tables lack or giving other than nargs names.
package main
