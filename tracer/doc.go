// Package tracer is sonde's engine: it launches or attaches tasks, runs the
// ptrace event loop on one locked OS thread, decodes every stop with package
// decode and hands typed Events to a Sink. It knows nothing of text: the
// renderers in package output turn events into strace lines, JSON or
// Perfetto.
//
// A launched program starts as sonde's pre-exec stub (internal/sys), is
// seized before it execs, and is reported from its execve entry on; the
// stub's own stops are hidden, as strace hides its own pre-exec stops.
//
// Errors: Launch fails with the cause of a stub that could not start or be
// seized (a *ptrace.Error names the request and pid); Run returns
// ErrNoCommand when nothing was launched, or the context's error when it was
// cancelled (every task is then killed, as strace kills what it launched).
package tracer
