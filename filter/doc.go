// Package filter parses strace's qualifying expressions (the values of -e
// trace=, signal=, status=, quiet=, raw=, abbrev=, verbose=, read=, write=,
// decode-fds=, and sonde's errno=) into sets the tracer and the renderers
// consult at every stop. The syntax is strace 6.1's: comma-separated items,
// a leading '!' inverts, "all" and "none", '?' before an item ignores an
// unknown name, %class, /regex and name@64|@32|@x32 for syscalls.
//
// Errors are *Error values whose text is strace's message ("invalid system
// call 'foo'"), so a command line can print them as they are.
package filter
