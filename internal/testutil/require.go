package testutil

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// StracePath is where the tests expect the real strace, the differential
// oracle. Debian's strace package installs it there.
const StracePath = "/usr/bin/strace"

// probe caches the outcome of a precondition check for the life of the test
// binary.
type probe struct {
	once sync.Once
	val  string
	err  error
}

func (p *probe) do(f func() (string, error)) (string, error) {
	p.once.Do(func() { p.val, p.err = f() })
	return p.val, p.err
}

var (
	ptraceProbe   probe
	straceProbe   probe
	gccProbe      probe
	multilibProbe probe
	ia32ExecProbe probe
)

// RequireRoot skips (fails under CI) unless the test runs with effective uid 0.
func RequireRoot(t testing.TB) {
	t.Helper()
	if uid := os.Geteuid(); uid != 0 {
		Skipf(t, "requires root: running as uid %d", uid)
	}
}

// RequirePtrace skips (fails under CI) unless this process may trace a child
// it starts. The probe starts a child with PTRACE_TRACEME (os/exec's
// SysProcAttr.Ptrace: the child stops at its execve and is killed there,
// having run nothing), which a seccomp filter denying ptrace, Yama
// ptrace_scope 3 or an LSM refuses. The reason names the Yama scope when
// /proc/sys/kernel/yama/ptrace_scope exists.
func RequirePtrace(t testing.TB) {
	t.Helper()
	_, err := ptraceProbe.do(func() (string, error) { return "", probePtrace() })
	Require(t, "ptrace", err)
}

func probePtrace() error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find the test binary to start under PTRACE_TRACEME: %w", err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.SysProcAttr = &syscall.SysProcAttr{Ptrace: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start a child with PTRACE_TRACEME: %w (%s)", err, yamaScope())
	}
	// The child is stopped at its execve; SIGKILL ends it from any state.
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	return nil
}

// yamaScope describes /proc/sys/kernel/yama/ptrace_scope for a diagnosis.
func yamaScope() string {
	b, err := os.ReadFile("/proc/sys/kernel/yama/ptrace_scope")
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "Yama absent"
		}
		return "Yama scope unreadable: " + err.Error()
	}
	scope := strings.TrimSpace(string(b))
	meaning := map[string]string{
		"0": "classic", "1": "descendants only", "2": "CAP_SYS_PTRACE only", "3": "no attach",
	}[scope]
	return fmt.Sprintf("Yama ptrace_scope=%s %s", scope, meaning)
}

// RequireStrace returns the path of the real strace used as the differential
// oracle (StracePath, else strace on $PATH), after checking that `strace -V`
// runs. It skips when there is none (fails under CI, where scripts/test.sh
// installs it). The expected texts in sonde's tests were taken from strace
// 6.1; another version is logged, since its output may differ.
func RequireStrace(t testing.TB) string {
	t.Helper()
	version, err := straceProbe.do(probeStrace)
	Require(t, "real strace (the test oracle)", err)
	path, _ := straceLocation()
	if !strings.Contains(version, "version 6.1") {
		t.Logf("note: %s is %q; expected texts were taken from strace 6.1", path, version)
	}
	return path
}

func straceLocation() (string, error) {
	if _, err := os.Stat(StracePath); err == nil {
		return StracePath, nil
	}
	p, err := exec.LookPath("strace")
	if err != nil {
		return "", fmt.Errorf("%s is missing and strace is not on $PATH: %w", StracePath, err)
	}
	return p, nil
}

func probeStrace() (string, error) {
	path, err := straceLocation()
	if err != nil {
		return "", err
	}
	out, err := exec.Command(path, "-V").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("%s -V: %w: %s", path, err, bytes.TrimSpace(out))
	}
	first, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(first), nil
}

// RequireGCC returns the path of gcc after checking that it compiles and links
// a trivial C program for the host. It skips when it cannot (fails under CI).
func RequireGCC(t testing.TB) string {
	t.Helper()
	path, err := gccProbe.do(func() (string, error) { return probeCC(nil) })
	Require(t, "gcc", err)
	return path
}

// RequireGCCMultilib skips (fails under CI) unless `gcc -m32` compiles and
// links a trivial C program: on Debian that takes the gcc-multilib package.
func RequireGCCMultilib(t testing.TB) {
	t.Helper()
	RequireGCC(t)
	_, err := multilibProbe.do(func() (string, error) { return probeCC([]string{"-m32"}) })
	Require(t, "gcc -m32 (Debian: gcc-multilib)", err)
}

// probeCC compiles and links `int main(void) { return 0; }` with gcc and the
// given flags in a scratch directory and returns gcc's path.
func probeCC(flags []string) (string, error) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "sonde-cc-probe-")
	if err != nil {
		return "", fmt.Errorf("make a scratch directory: %w", err)
	}
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "probe.c")
	if err := os.WriteFile(src, []byte("int main(void) { return 0; }\n"), 0o644); err != nil {
		return "", fmt.Errorf("write the probe: %w", err)
	}
	args := append(append([]string{}, flags...), "-o", filepath.Join(dir, "probe"), src)
	out, err := exec.Command(gcc, args...).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("gcc %s: %w: %s", strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return gcc, nil
}

// RequireIA32 skips (fails under CI) unless the kernel runs i386 programs
// (CONFIG_IA32_EMULATION, not disabled with ia32_emulation=0). The probe runs
// the GOARCH=386 gohello fixture, so it also builds the fixtures.
func RequireIA32(t testing.TB) {
	t.Helper()
	fx := BuildFixtures(t)
	hello := fx.Go(t, "386", "gohello")
	_, err := ia32ExecProbe.do(func() (string, error) {
		out, err := exec.Command(hello).Output()
		if err != nil {
			return "", fmt.Errorf("run %s: %w", hello, err)
		}
		if string(out) != "hello\n" {
			return "", fmt.Errorf("%s printed %q, want %q", hello, out, "hello\n")
		}
		return "", nil
	})
	Require(t, "i386 execution", err)
}
