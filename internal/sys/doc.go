// Package sys holds sonde's raw OS calls other than ptrace, wait and tracee
// memory (those live in package ptrace): the pre-exec stub that launched
// programs start as (with the seccomp prefilter it installs before its
// execve), the wake process that ends a tracer's blocking wait4, the deny
// stub and what it applies (seccomp filters with TSYNC, no_new_privs,
// Landlock), namespace and mount helpers for the audit, SA_NOCLDSTOP on the
// runtime's SIGCHLD action, and dying by a signal. With ptrace it is the
// only home of build tags and unsafe.
//
// Errors are the syscall.Errno values the kernel returned, wrapped with the
// operation's name.
package sys
