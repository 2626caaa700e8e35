// Package xlat holds the named constants sonde prints: flag sets and enums
// as data (Set), each in the order strace 6.1 prints it, with the values of
// the architecture they belong to written out, never taken from the host's
// x/sys constants (which follow GOARCH, not the tracee).
//
// It has no errors: a value no constant names prints as hex.
package xlat
