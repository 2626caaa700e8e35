// Package sysent holds the syscall tables of the architectures sonde traces
// (x86_64, i386, aarch64): for each syscall its number, the name strace
// prints, strace's trace classes (%file, %process, ...), how many argument
// words strace decodes, and its signature as argument and return kinds.
//
// The tables are data, generated into zsysent_<arch>.go by
// internal/gen/sysent from golang.org/x/sys's syscall numbers and the
// hand-kept internal/gen/sysent/syscalls.txt; the kinds a row may name are
// declared in kinds.go. A tracer picks the table by the AUDIT_ARCH value of
// each stop (ForAuditArch), never by GOARCH.
//
// The package has no errors: a lookup that finds nothing returns nil.
package sysent
