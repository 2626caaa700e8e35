// Package decode turns the raw arguments of a syscall stop into a typed
// value: a flat, pre-order list of Nodes (integers, symbolic sets, strings
// with their truncation, structs, arrays, addresses that could not be read)
// that the text, JSON and Perfetto renderers all walk. No decoder writes
// text.
//
// Decoding is table-driven. A syscall's row in sysent gives its argument
// kinds; each kind has an ArgDecoder (registered in this package's init
// functions) that says whether the argument prints at the entry or the exit
// stop. A syscall whose arguments depend on each other has a Syscall
// decoder with Enter and Exit hooks instead. Flag sets and enums are data in
// decode/xlat.
//
// Decoders read tracee memory only through the Mem interface, so they are
// testable against a byte slice. A read that fails is not an error: the
// value prints as its address, as strace prints it. ErrFault is what Mem
// implementations return for an unreadable address.
package decode
