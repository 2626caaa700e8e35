//go:build linux

package sys

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"runtime"
	"syscall"

	"golang.org/x/sys/unix"
)

// StubArg0 is the argv[0] that makes a sonde binary (or a test binary that
// links this package) run as the pre-exec stub instead of its main program.
//
// The launch protocol (NOTES.md, "re-exec stub with a ready handshake"):
// the tracer starts /proc/self/exe with argv [StubArg0, PROG, PATH, FILTER,
// ARGV0, ARGS...] (PROG names the tracer in the stub's error message,
// FILTER is "-" or a seccomp filter the stub installs just before its exec,
// in hex, as EncodeFilter's caller wrote it),
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

// WakeArg0 is the argv[0] that makes a sonde binary exit at once, with
// status 0, before main: the tracer starts one to end its own blocking
// wait4 when it is told to stop.
const WakeArg0 = "sonde:wake"

func init() {
	if len(os.Args) == 1 && os.Args[0] == WakeArg0 {
		os.Exit(0)
	}
	if len(os.Args) < 5 || os.Args[0] != StubArg0 {
		return
	}
	runStub(os.Args[1], os.Args[2], os.Args[3], os.Args[4:])
}

func runStub(prog, path, filter string, argv []string) {
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
	if filter != "-" {
		// The filter is the calling thread's: stay on it until the exec.
		runtime.LockOSThread()
		if err := installStubFilter(filter); err != nil {
			fmt.Fprintf(os.Stderr, "%s: seccomp filter: %v\n", prog, err)
			os.Exit(StubExitFailure)
		}
	}
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

// installStubFilter decodes a filter (struct sock_filter array in the host's
// byte order, in hex) and installs it on the calling thread. Without
// CAP_SYS_ADMIN the kernel wants no_new_privs first; a traced program gets no
// privileges from a setuid execve anyway unless its tracer is privileged.
func installStubFilter(h string) error {
	b, err := hex.DecodeString(h)
	if err != nil || len(b)%8 != 0 || len(b) == 0 {
		return errors.New("malformed filter argument")
	}
	prog := make([]unix.SockFilter, len(b)/8)
	for i := range prog {
		w := b[8*i:]
		prog[i] = unix.SockFilter{Code: binary.NativeEndian.Uint16(w), Jt: w[2], Jf: w[3], K: binary.NativeEndian.Uint32(w[4:])}
	}
	err = InstallSeccompFilter(prog, false)
	if errors.Is(err, unix.EACCES) {
		if err = SetNoNewPrivs(); err == nil {
			err = InstallSeccompFilter(prog, false)
		}
	}
	return err
}
