package testutil

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

// fakeTB records what the helpers do to a test. Unlike the real methods, its
// Skip and Fatalf return, so the helpers must not rely on them not returning.
type fakeTB struct {
	testing.TB
	skipped, failed bool
	msg             string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Skip(args ...any) { f.skipped, f.msg = true, fmt.Sprint(args...) }

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed, f.msg = true, fmt.Sprintf(format, args...)
}

func TestSkipHelpers(t *testing.T) {
	tests := []struct {
		name               string
		ci                 string
		call               func(testing.TB)
		wantSkip, wantFail bool
	}{
		{"Skipf outside CI skips", "", func(tb testing.TB) { Skipf(tb, "no %s", "gcc") }, true, false},
		{"Skipf with CI=false skips", "false", func(tb testing.TB) { Skipf(tb, "no %s", "gcc") }, true, false},
		{"Skipf under CI fails", "true", func(tb testing.TB) { Skipf(tb, "no %s", "gcc") }, false, true},
		{"Optionalf under CI skips", "true", func(tb testing.TB) { Optionalf(tb, "no %s", "gcc") }, true, false},
		{"Require with an error skips", "", func(tb testing.TB) { Require(tb, "gcc", errors.New("no gcc")) }, true, false},
		{"Require with an error under CI fails", "true", func(tb testing.TB) { Require(tb, "gcc", errors.New("no gcc")) }, false, true},
		{"Require without an error does nothing", "true", func(tb testing.TB) { Require(tb, "gcc", nil) }, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(CIEnv, tt.ci)
			f := &fakeTB{}
			tt.call(f)
			if f.skipped != tt.wantSkip || f.failed != tt.wantFail {
				t.Fatalf("skipped=%v failed=%v (%q), want skipped=%v failed=%v",
					f.skipped, f.failed, f.msg, tt.wantSkip, tt.wantFail)
			}
			if (f.skipped || f.failed) && !strings.Contains(f.msg, "gcc") {
				t.Errorf("reason %q does not say what is missing", f.msg)
			}
		})
	}
}

func TestRepoRoot(t *testing.T) {
	root := RepoRoot(t)
	for _, p := range []string{"go.mod", FixturesDir} {
		if _, err := os.Stat(filepath.Join(root, p)); err != nil {
			t.Errorf("repository root %s: %v", root, err)
		}
	}
}

func TestProbes(t *testing.T) {
	t.Run("ptrace", func(t *testing.T) { RequirePtrace(t) })
	t.Run("strace", func(t *testing.T) {
		path := RequireStrace(t)
		if _, err := os.Stat(path); err != nil {
			t.Fatalf("RequireStrace returned %q: %v", path, err)
		}
	})
	t.Run("gcc", func(t *testing.T) { RequireGCC(t) })
	t.Run("gcc -m32", func(t *testing.T) { RequireGCCMultilib(t) })
	t.Run("i386 execution", func(t *testing.T) { RequireIA32(t) })
}

// TestFixturesRun builds the fixtures and checks that each behaves as its
// source says when run untraced, so a traced test failing is the tracer's
// fault, not the fixture's.
func TestFixturesRun(t *testing.T) {
	fx := BuildFixtures(t)
	type want struct {
		args   []string
		code   int            // exit status when sig is 0
		sig    syscall.Signal // fatal signal
		stdout string
	}
	cWant := map[string]want{
		"exit7":    {code: 7},
		"true":     {},
		"killself": {sig: syscall.SIGTERM},
		"strings":  {},
		"signals":  {},
		"open":     {},
		// Small runs of the load fixtures; the e2e tests run them in full.
		"threads":    {args: []string{"3", "2"}},
		"forkstorm":  {args: []string{"5"}},
		"threadexec": {},
		"ddloop":     {args: []string{"100"}}, // tracer's BenchmarkStopToEvent
		"burst":      {args: []string{"100"}},
		"pingpong":   {args: []string{"50"}}, // bench/overhead --placement
		"sockets":    {},
		"dbgtarget":  {code: 1, stdout: "ready\n"},             // debugger's tests (no stdin: exits 1)
		"inspect4":   {args: []string{"0"}, stdout: "ready\n"}, // sonde inspect's tests
		"spin":       {args: []string{"0"}, stdout: "ready\n"}, // debugger's tests
		// net.txt's workloads in C: TestNetCorpusI386.
		"network": {args: []string{"tcp", "fdpass", "epoll", "timers", "poll"}, stdout: "tcp 2\nfdpass 1\nepoll 2\ntimers 0\npoll 4\n"},

		// Coverage fixtures: TestCoverage in internal/e2e.
		"cov_example":    {},
		"cov_proc":       {},
		"cov_proc_cred":  {},
		"cov_proc_info":  {},
		"cov_proc_prctl": {},
		"cov_mem":        {},
		"cov_signal":     {},
		"cov_files_path": {},
		"cov_files_stat": {},
		"cov_files_fd":   {},
		"cov_files_io":   {},
		"cov_net":        {},
		"cov_time_poll":  {},
		"cov_mmsg":       {},
		"cov_cmsg":       {},
		"cov_ioctl":      {},
		"cov_ipc":        {},
		"cov_futex":      {},
		"cov_tty":        {},

		// Defend fixtures: internal/e2e/defend_test.go.
		"defend_nodump": {},
		"defend_ptrace": {},

		// sonde watch's workloads print their child's pid: the e2e tests
		// (internal/e2e/watch_test.go) run them; here only the usage error.
		"watch": {args: []string{"no-such-mode"}, code: 2},
	}
	if got, wantN := len(fx.CNames()), len(cWant); got != wantN {
		t.Errorf("C fixtures %v, this test knows %d: add the new ones here", fx.CNames(), wantN)
	}
	check := func(t *testing.T, path string, w want) {
		t.Helper()
		cmd := exec.Command(path, w.args...)
		cmd.Dir = t.TempDir() // a core file, if any, lands here
		out, err := cmd.Output()
		if cmd.ProcessState == nil {
			t.Fatalf("run %s: %v", path, err)
		}
		ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
		switch {
		case w.sig != 0 && (!ws.Signaled() || ws.Signal() != w.sig):
			t.Errorf("%s: wait status %#x, want killed by %v", path, uint32(ws), w.sig)
		case w.sig == 0 && (!ws.Exited() || ws.ExitStatus() != w.code):
			t.Errorf("%s: wait status %#x, want exit status %d", path, uint32(ws), w.code)
		}
		if string(out) != w.stdout {
			t.Errorf("%s: stdout %q, want %q", path, out, w.stdout)
		}
	}
	for _, arch := range []Arch{X86_64, I386} {
		for _, name := range fx.CNames() {
			t.Run(string(arch)+"/"+name, func(t *testing.T) {
				if arch == I386 {
					RequireGCCMultilib(t)
					RequireIA32(t)
				}
				check(t, fx.C(t, arch, name), cWant[name])
			})
		}
		t.Run(string(arch)+"/killself segv", func(t *testing.T) {
			if arch == I386 {
				RequireGCCMultilib(t)
				RequireIA32(t)
			}
			check(t, fx.C(t, arch, "killself"), want{args: []string{"segv"}, sig: syscall.SIGSEGV})
		})
	}
	for _, goarch := range GoArches {
		t.Run("go-"+goarch+"/gohello", func(t *testing.T) {
			if goarch == "386" {
				RequireIA32(t)
			}
			check(t, fx.Go(t, goarch, "gohello"), want{stdout: "hello\n"})
		})
		t.Run("go-"+goarch+"/gothreads", func(t *testing.T) {
			if goarch == "386" {
				RequireIA32(t)
			}
			check(t, fx.Go(t, goarch, "gothreads"), want{})
		})
	}
}
