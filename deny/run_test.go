package deny

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/sonde-dev/sonde/internal/sys"
	"github.com/sonde-dev/sonde/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

// runConfined runs argv under deny with opt and returns its stdout and
// how it ended. The stub is this test binary (it links internal/sys).
func runConfined(t *testing.T, opt Options, argv ...string) (string, *os.ProcessState) {
	t.Helper()
	out, err := os.Create(filepath.Join(t.TempDir(), "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	p, err := Start(Command{Path: argv[0], Argv: argv, Stdout: out, Stderr: out}, opt)
	if err != nil {
		t.Fatalf("Start %v: %v", argv, err)
	}
	st, err := p.Wait()
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	b, _ := os.ReadFile(out.Name())
	return string(b), st
}

func TestStartConfines(t *testing.T) {
	out, st := runConfined(t, Options{}, "/bin/sh", "-c", "grep -E '^(NoNewPrivs|Seccomp|Seccomp_filters):' /proc/self/status")
	if st.ExitCode() != 0 {
		t.Fatalf("exit %d, output %q", st.ExitCode(), out)
	}
	for _, want := range []string{"NoNewPrivs:\t1", "Seccomp:\t2", "Seccomp_filters:\t1"} {
		if !strings.Contains(out, want) {
			t.Errorf("status %q lacks %q", out, want)
		}
	}
}

func TestStartExitStatus(t *testing.T) {
	if _, st := runConfined(t, Options{}, "/bin/sh", "-c", "exit 3"); st.ExitCode() != 3 {
		t.Errorf("exit %d, want 3", st.ExitCode())
	}
	_, st := runConfined(t, Options{}, "/bin/sh", "-c", "kill -TERM $$")
	if ws := st.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Errorf("status %v, want killed by SIGTERM", st)
	}
}

// TestStartSetupError: an exec that fails in the stub is a *SetupError
// naming the cause, not the command's exit status.
func TestStartSetupError(t *testing.T) {
	notExec := filepath.Join(t.TempDir(), "notexec")
	if err := os.WriteFile(notExec, []byte("data"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Not even root may exec a file with no x bit at all.
	_, err := Start(Command{Path: notExec, Argv: []string{notExec}}, Options{})
	var se *SetupError
	if !errors.As(err, &se) || !strings.Contains(se.Msg, "exec "+notExec+": Permission denied") {
		t.Fatalf("Start of a non-executable file: %v, want a SetupError saying Permission denied", err)
	}
}

// TestStartProcMem: with ProcMem the command cannot open /proc/PID/mem of
// a process outside its Landlock domain (this test binary), though the
// same open works without it.
func TestStartProcMem(t *testing.T) {
	if _, err := sys.LandlockABI(); err != nil {
		testutil.Optionalf(t, "requires Landlock: %v", err)
	}
	mem := "/proc/" + strconv.Itoa(os.Getpid()) + "/mem"
	script := "exec 3<" + mem + " && echo opened"
	out, st := runConfined(t, Options{}, "/bin/sh", "-c", script)
	if st.ExitCode() != 0 || !strings.Contains(out, "opened") {
		// Yama ptrace_scope 1 and up refuse a child its parent's memory.
		testutil.Optionalf(t, "cannot open %s even without ProcMem (Yama?): exit %d, %q", mem, st.ExitCode(), out)
	}
	out, st = runConfined(t, Options{ProcMem: true}, "/bin/sh", "-c", script)
	if st.ExitCode() == 0 || !strings.Contains(out, "Permission denied") {
		t.Errorf("with ProcMem: exit %d, output %q; want Permission denied", st.ExitCode(), out)
	}
	// Inside the domain, the command's own memory stays open to it.
	out, st = runConfined(t, Options{ProcMem: true}, "/bin/sh", "-c", "exec 3</proc/self/mem && echo opened")
	if st.ExitCode() != 0 || !strings.Contains(out, "opened") {
		t.Errorf("own /proc/self/mem with ProcMem: exit %d, output %q; want opened", st.ExitCode(), out)
	}
}

// TestNativeOnlyFilterMissesInt80 shows why the filter checks every ABI: a
// filter for x86_64 alone (what elastic/go-seccomp-bpf builds) stops the
// native ptrace but lets a 64-bit program's `int $0x80` ptrace (i386 number
// 26) through; the full filter stops both.
func TestNativeOnlyFilterMissesInt80(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		testutil.Optionalf(t, "an x86_64 test (GOARCH %s)", runtime.GOARCH)
	}
	testutil.RequirePtrace(t)
	bin := testutil.BuildFixtures(t).C(t, testutil.X86_64, "defend_ptrace")
	all, err := ABIsFor("amd64")
	if err != nil {
		t.Fatal(err)
	}
	native := Options{ABIs: all[:1]}
	if all[0].Name != "x86_64" {
		t.Fatalf("first ABI %s, want x86_64", all[0].Name)
	}
	for _, tt := range []struct {
		opt     Options
		mode    string
		wantErr bool
	}{
		{native, "native", true},
		{native, "int80", false}, // the hole
		{Options{ABIs: all}, "native", true},
		{Options{ABIs: all}, "int80", true},
	} {
		out, st := runConfined(t, tt.opt, bin, tt.mode)
		if failed := st.ExitCode() != 0; failed != tt.wantErr || (failed && out != tt.mode+": Operation not permitted\n") {
			t.Errorf("%d ABIs, %s: exit %d, output %q; want failure %v", len(tt.opt.ABIs), tt.mode, st.ExitCode(), out, tt.wantErr)
		}
	}
}
