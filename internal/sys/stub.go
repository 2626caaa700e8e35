//go:build linux

package sys

import (
	"fmt"
	"os"
	"syscall"
)

// StubArg0 is the argv[0] that makes a sonde binary (or a test binary that
// links this package) run as the pre-exec stub instead of its main program.
//
// The launch protocol (NOTES.md, "re-exec stub with a ready handshake"):
// the tracer starts /proc/self/exe with argv [StubArg0, PROG, PATH, ARGV0,
// ARGS...] (PROG names the tracer in the stub's error message),
// the target's exact environment, the ready pipe's write end as fd 3 and the
// release pipe's read end as fd 4. The stub, from this package's init (on
// the main thread, before main), writes one byte to fd 3 and blocks reading
// fd 4; the tracer seizes it, then writes one byte to release it, and the
// stub execs PATH. If fd 4 reaches EOF (the tracer died) the stub exits
// without exec: a program sonde was asked to trace never runs untraced.
const StubArg0 = "sonde:exec-stub"

// StubReadyFD and StubReleaseFD are the stub's handshake descriptors.
const (
	StubReadyFD   = 3
	StubReleaseFD = 4
)

// StubExitFailure is the stub's exit status when it cannot exec the program.
const StubExitFailure = 127

func init() {
	if len(os.Args) < 4 || os.Args[0] != StubArg0 {
		return
	}
	runStub(os.Args[1], os.Args[2], os.Args[3:])
}

func runStub(prog, path string, argv []string) {
	var b [1]byte
	if _, err := syscall.Write(StubReadyFD, b[:]); err != nil {
		os.Exit(StubExitFailure)
	}
	for {
		n, err := syscall.Read(StubReleaseFD, b[:])
		if err == syscall.EINTR {
			continue
		}
		if n != 1 {
			os.Exit(StubExitFailure) // tracer gone: never run untraced
		}
		break
	}
	syscall.Close(StubReadyFD)
	syscall.Close(StubReleaseFD)
	err := syscall.Exec(path, argv, os.Environ())
	fmt.Fprintf(os.Stderr, "%s: exec: %s\n", prog, errnoText(err))
	os.Exit(1)
}

// errnoText is strerror's text (capitalised as glibc prints it).
func errnoText(err error) string {
	s := err.Error()
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		s = string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
