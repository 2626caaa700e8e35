// Package stack unwinds the user-space stack of a stopped tracee, for
// strace's -k: each frame as strace 6.1 (built with libunwind) prints it,
// " > /usr/lib/x86_64-linux-gnu/libc.so.6(__open64+0x7a) [0xf6d1a]": the
// mapped file, the nearest preceding function symbol (.symtab, else .dynsym)
// with the offset from it, and the address relative to the file.
//
// Unwinding follows the call frame information of .eh_frame (parsed with
// delve's pkg/dwarf/frame), with the frame pointer as fallback where a
// function has none; x86_64 and i386 tracees. Mappings are cached per
// process and re-read when an address falls outside them; files (symbols
// and CFI) are cached by path.
//
// Errors: Unwind never fails; a stack it cannot follow ends early.
package stack
