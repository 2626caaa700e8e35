// Package stack unwinds the user-space stack of a stopped tracee, for
// strace's -k: each frame as strace 6.1 (built with libunwind) prints it,
// " > /usr/lib/x86_64-linux-gnu/libc.so.6(__open64+0x7a) [0xf6d1a]": the
// mapped file, the nearest preceding function symbol (.symtab, else .dynsym)
// with the offset from it, and the address's offset in the file.
//
// Unwinding on x86_64 follows libunwind's order: the call frame information
// of .eh_frame (parsed with delve's pkg/dwarf/frame), then the frame
// pointer; where both fail, .debug_frame and, in a Go binary, the Go
// runtime's own table of stack-pointer deltas (.gopclntab). For i386
// tracees, which strace 6.1 gives no frames at all, the exact sources come
// first: .eh_frame, .debug_frame, the Go table, then the frame pointer.
//
// A Go binary stripped of .symtab (-ldflags=-s) is named from .gopclntab,
// where strace prints no names: main.main rather than "()".
//
// Mappings are cached per process and re-read when an address falls
// outside them; files (symbols and CFI) are cached by path.
//
// Errors: Unwind never fails; a stack it cannot follow ends early.
package stack
