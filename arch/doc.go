// Package arch describes the tracee architectures sonde decodes (x86_64,
// i386 on x86_64, aarch64) as values: word size, AUDIT_ARCH, whether the
// asm-generic ABI applies, and where the registers of interest sit in the
// NT_PRSTATUS register set. Adding an architecture is adding a value here
// and a syscall table in sysent (see docs/porting.md).
//
// It has no errors: ByAuditArch returns nil for an unknown architecture.
package arch
