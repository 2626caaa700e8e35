//go:build linux

package sys

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/sonde-dev/sonde/internal/testutil"
	"golang.org/x/sys/unix"
)

// runNativeStub starts the native stub for path/argv, plays the tracer's
// side of the handshake (release says whether to send the release byte or
// close the pipe) and returns its stdout, stderr and exit status.
func runNativeStub(t *testing.T, filter []byte, release bool, path string, argv ...string) (string, string, int) {
	t.Helper()
	if runtime.GOARCH != "amd64" {
		testutil.Optionalf(t, "the native stub exists for amd64 only, this is %s", runtime.GOARCH)
	}
	st, err := NewNativeStub("tracer-name", filter)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	readyR, readyW, _ := os.Pipe()
	relR, relW, _ := os.Pipe()
	var stdout, stderr bytes.Buffer
	cmd := &exec.Cmd{Path: st.Path(), Args: NativeStubArgv(path, argv), Env: []string{"STUBTEST=yes"},
		Stdout: &stdout, Stderr: &stderr, ExtraFiles: []*os.File{readyW, relR}}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	readyW.Close()
	relR.Close()
	var b [1]byte
	if n, err := readyR.Read(b[:]); n != 1 {
		t.Fatalf("no ready byte: %v", err)
	}
	comm, _ := os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/comm")
	if got := strings.TrimSpace(string(comm)); got != "tracer-name" {
		t.Errorf("stub's comm %q, want tracer-name", got)
	}
	if release {
		relW.Write(b[:])
	}
	relW.Close()
	err = cmd.Wait()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()
}

func TestNativeStubExecs(t *testing.T) {
	out, errOut, code := runNativeStub(t, nil, true, "/bin/sh", "sh", "-c", `echo "$0 $1 $STUBTEST"`, "arg1")
	if out != "arg1  yes\n" {
		// $0 is "arg1" (sh -c's first operand), $1 empty.
		t.Errorf("stdout %q, want the program's output with its argv and environment", out)
	}
	if errOut != "" || code != 0 {
		t.Errorf("stderr %q, status %d", errOut, code)
	}
}

func TestNativeStubNoReleaseNoExec(t *testing.T) {
	out, errOut, code := runNativeStub(t, nil, false, "/bin/echo", "echo", "ran")
	if out != "" || errOut != "" || code != StubExitFailure {
		t.Errorf("tracer gone: stdout %q stderr %q status %d, want nothing and %d", out, errOut, code, StubExitFailure)
	}
}

func TestNativeStubExecFails(t *testing.T) {
	dir := t.TempDir()
	plain, garbage := filepath.Join(dir, "plain"), filepath.Join(dir, "garbage")
	if os.WriteFile(plain, []byte("x\n"), 0o644) != nil || os.WriteFile(garbage, []byte{0x7f, 'E', 'L', 'F', 9, 9, 9}, 0o755) != nil {
		t.Fatal("cannot write the test files")
	}
	for _, c := range []struct {
		path, want string
	}{
		{"/nonexistent/prog", "tracer-name: exec: No such file or directory\n"},
		{plain, "tracer-name: exec: Permission denied\n"},
		{garbage, "tracer-name: exec: Exec format error\n"},
		{dir, "tracer-name: exec: Permission denied\n"},
	} {
		_, errOut, code := runNativeStub(t, nil, true, c.path, "x")
		if errOut != c.want || code != 1 {
			t.Errorf("exec %s: stderr %q status %d, want %q and 1", c.path, errOut, code, c.want)
		}
	}
}

func filterBytes(t *testing.T, prog []bpf.Instruction) []byte {
	t.Helper()
	raw, err := bpf.Assemble(prog)
	if err != nil {
		t.Fatal(err)
	}
	var b []byte
	for _, ins := range raw {
		b = binary.NativeEndian.AppendUint16(b, ins.Op)
		b = append(b, ins.Jt, ins.Jf)
		b = binary.NativeEndian.AppendUint32(b, ins.K)
	}
	return b
}

func TestNativeStubInstallsFilter(t *testing.T) {
	// uname fails with EPERM (SECCOMP_RET_ERRNO|1), everything else runs:
	// the filter must be in place in the program the stub execs.
	prog := filterBytes(t, []bpf.Instruction{
		bpf.LoadAbsolute{Off: 0, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: unix.SYS_UNAME, SkipFalse: 1},
		bpf.RetConstant{Val: unix.SECCOMP_RET_ERRNO | 1},
		bpf.RetConstant{Val: unix.SECCOMP_RET_ALLOW},
	})
	out, errOut, code := runNativeStub(t, prog, true, "/bin/uname", "uname")
	if out != "" || !strings.Contains(errOut, "Operation not permitted") || code == 0 {
		t.Errorf("uname under the filter: stdout %q stderr %q status %d, want it refused", out, errOut, code)
	}
	out, _, code = runNativeStub(t, prog, true, "/bin/echo", "echo", "ok")
	if out != "ok\n" || code != 0 {
		t.Errorf("echo under the filter: %q %d", out, code)
	}
}

func TestNativeStubRefusedFilter(t *testing.T) {
	// A jump past the end: the kernel refuses the program with EINVAL.
	bad := binary.NativeEndian.AppendUint16(nil, 0x05) // BPF_JMP|BPF_JA
	bad = append(bad, 0, 0)
	bad = binary.NativeEndian.AppendUint32(bad, 5)
	out, errOut, code := runNativeStub(t, bad, true, "/bin/echo", "echo", "ran")
	if out != "" || errOut != "tracer-name: seccomp filter: Invalid argument\n" || code != StubExitFailure {
		t.Errorf("refused filter: stdout %q stderr %q status %d", out, errOut, code)
	}
}

func TestNativeStubErrnoTable(t *testing.T) {
	offs, blob := errnoTexts()
	text := func(i int) string {
		return string(blob[binary.LittleEndian.Uint32(offs[4*i:]):binary.LittleEndian.Uint32(offs[4*i+4:])])
	}
	for i, want := range map[int]string{2: "No such file or directory", 13: "Permission denied", 8: "Exec format error", 255: "Unknown error 255"} {
		if got := text(i); got != want {
			t.Errorf("errno %d: %q, want %q", i, got, want)
		}
	}
}
