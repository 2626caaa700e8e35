//go:build linux

package sys

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// DenyStubArg0 is the argv[0] that makes a sonde binary (or a test binary
// that links this package) run as the deny stub instead of its main
// program: the process `sonde deny` starts, which confines itself and then
// becomes the command.
//
// The protocol: the parent starts /proc/self/exe with argv [DenyStubArg0,
// PROG, SPEC, PATH, ARGV0, ARGS...] (SPEC from DenySpec.encode, PROG names
// the parent in messages), the command's exact environment, and the write
// end of a pipe as fd DenyStubErrFD. The stub, from this package's init (on
// the main thread, before main), marks that fd close-on-exec, applies SPEC
// (ApplyDeny) and execs PATH. A successful exec closes the pipe with nothing
// written; any failure writes one line saying what failed to it and exits
// with StubExitFailure, so the parent can tell the stub's failure from the
// command's own exit status, as os/exec does for its own fork.
const DenyStubArg0 = "sonde:deny-stub"

// DenyStubErrFD is the deny stub's error pipe.
const DenyStubErrFD = 3

// DenySpec is what the deny stub applies to itself before it execs.
type DenySpec struct {
	// Filter is the seccomp program, installed after NO_NEW_PRIVS with
	// SECCOMP_FILTER_FLAG_TSYNC.
	Filter []unix.SockFilter
	// LandlockFS, when not 0, puts the stub in a Landlock domain handling
	// these file-system access rights and granting them beneath "/"
	// (LandlockRestrictSelf), before the filter goes in.
	LandlockFS uint64
}

// DenyStubArgv returns the stub's argv for running path with argv under
// spec.
func DenyStubArgv(prog string, spec DenySpec, path string, argv []string) []string {
	return append([]string{DenyStubArg0, prog, spec.encode(), path}, argv...)
}

// encode is "LANDLOCKFS:FILTER": the Landlock rights in hex, then the
// filter's instructions as hex bytes, 8 per instruction (code, jt, jf, k;
// little endian).
func (s DenySpec) encode() string {
	raw := make([]byte, 8*len(s.Filter))
	for i, f := range s.Filter {
		b := raw[8*i:]
		binary.LittleEndian.PutUint16(b[0:], f.Code)
		b[2], b[3] = f.Jt, f.Jf
		binary.LittleEndian.PutUint32(b[4:], f.K)
	}
	return strconv.FormatUint(s.LandlockFS, 16) + ":" + hex.EncodeToString(raw)
}

func decodeDenySpec(s string) (DenySpec, error) {
	ll, prog, ok := strings.Cut(s, ":")
	if !ok {
		return DenySpec{}, fmt.Errorf("deny spec %q: no ':'", s)
	}
	var spec DenySpec
	var err error
	if spec.LandlockFS, err = strconv.ParseUint(ll, 16, 64); err != nil {
		return DenySpec{}, fmt.Errorf("deny spec: Landlock rights: %w", err)
	}
	raw, err := hex.DecodeString(prog)
	if err != nil || len(raw)%8 != 0 {
		return DenySpec{}, fmt.Errorf("deny spec: filter of %d bytes: %v", len(raw), err)
	}
	for i := 0; i < len(raw); i += 8 {
		spec.Filter = append(spec.Filter, unix.SockFilter{
			Code: binary.LittleEndian.Uint16(raw[i:]),
			Jt:   raw[i+2],
			Jf:   raw[i+3],
			K:    binary.LittleEndian.Uint32(raw[i+4:]),
		})
	}
	return spec, nil
}

// ApplyDeny confines the calling process as spec says, irreversibly: sets
// no_new_privs, enters the Landlock domain (if spec asks for one; on the
// calling thread, which must be locked to its OS thread and must be the one
// that execs), then installs the filter on every thread (TSYNC).
func ApplyDeny(spec DenySpec) error {
	runtime.LockOSThread() // never unlocked: the Landlock domain is this thread's
	if err := SetNoNewPrivs(); err != nil {
		return err
	}
	if spec.LandlockFS != 0 {
		if err := LandlockRestrictSelf(spec.LandlockFS, []string{"/"}); err != nil {
			return err
		}
	}
	return InstallSeccompFilter(spec.Filter, true)
}

func init() {
	if len(os.Args) < 5 || os.Args[0] != DenyStubArg0 {
		return
	}
	runDenyStub(os.Args[1], os.Args[2], os.Args[3], os.Args[4:])
}

func runDenyStub(prog, encoded, path string, argv []string) {
	fail := func(format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		if _, err := syscall.Write(DenyStubErrFD, []byte(msg+"\n")); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %s\n", prog, msg)
		}
		os.Exit(StubExitFailure)
	}
	if _, err := unix.FcntlInt(DenyStubErrFD, unix.F_SETFD, unix.FD_CLOEXEC); err != nil {
		fmt.Fprintf(os.Stderr, "%s: deny stub: error pipe: %v\n", prog, err)
		os.Exit(StubExitFailure)
	}
	spec, err := decodeDenySpec(encoded)
	if err != nil {
		fail("%v", err)
	}
	if err := ApplyDeny(spec); err != nil {
		fail("%v", err)
	}
	err = syscall.Exec(path, argv, os.Environ())
	fail("exec %s: %s", path, errnoText(err))
}
