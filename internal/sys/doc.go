// Package sys holds sonde's raw OS calls other than ptrace, wait and tracee
// memory (those live in package ptrace): the pre-exec stub that launched
// programs start as, and dying by a signal. With ptrace it is the only home
// of build tags and unsafe.
//
// Errors are the syscall.Errno values the kernel returned, wrapped with the
// operation's name.
package sys
