package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startTraced starts `sonde trace -o FILE [flags] sleep 30` in its own
// process group and waits until the trace shows sleep's nanosleep, so the
// program is running under the tracer. It returns the tracer's command, the
// trace file and sleep's pid.
func startTraced(t *testing.T, flags ...string) (*exec.Cmd, string, int) {
	t.Helper()
	requireTracing(t)
	tr := candidate(t)
	out := filepath.Join(t.TempDir(), "trace")
	args := append(append(append([]string{}, tr.argv[1:]...), "-o", out), flags...)
	args = append(args, "sleep", "30")
	cmd := exec.Command(tr.argv[0], args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); cmd.Wait() })
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		data, _ := os.ReadFile(out)
		if strings.Contains(string(data), "nanosleep(") {
			first := strings.SplitN(string(data), "\n", 2)[0]
			if !strings.HasPrefix(first, "execve(") {
				t.Fatalf("trace does not start with execve: %q", first)
			}
			return cmd, out, sleepPid(t, cmd.Process.Pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no nanosleep in the trace after 10s")
	return nil, "", 0
}

// sleepPid finds the child of the tracer (the traced program), by the
// parent pid of every process (any of the tracer's threads may have forked
// it).
func sleepPid(t *testing.T, tracer int) int {
	t.Helper()
	procs, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range procs {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		s := string(data)
		i := strings.LastIndexByte(s, ')')
		f := strings.Fields(s[i+1:])
		if len(f) > 1 && f[1] == strconv.Itoa(tracer) {
			pid, _ := strconv.Atoi(strings.Fields(s)[0])
			return pid
		}
	}
	t.Fatalf("tracer %d has no child", tracer)
	return 0
}

// TestCtrlCReachesProgram: with -o FILE, a SIGINT to the whole process group
// (Ctrl-C) does not kill sonde first: the program dies of it, the trace ends
// with +++ killed by SIGINT +++ and sonde dies of SIGINT too (strace's -I3).
func TestCtrlCReachesProgram(t *testing.T) {
	cmd, out, _ := startTraced(t)
	syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("sonde did not end within 10s of SIGINT")
	}
	if got := statusOf(cmd.ProcessState); got != killedBy(syscall.SIGINT) {
		t.Errorf("sonde ended with %v, want killed by SIGINT", got)
	}
	data, _ := os.ReadFile(out)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if last := lines[len(lines)-1]; last != "+++ killed by SIGINT +++" {
		t.Errorf("last trace line %q, want +++ killed by SIGINT +++", last)
	}
}

// TestTracerDeathKillsProgram: when sonde itself is killed, the program it
// launched does not run on untraced or stay stopped: it is killed with it.
func TestTracerDeathKillsProgram(t *testing.T) {
	cmd, _, pid := startTraced(t)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); os.IsNotExist(err) {
			return
		}
		// A zombie is gone too: it waits for its reaper, not for us.
		if st, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); err == nil && strings.Contains(string(st), ") Z ") {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	status, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	t.Errorf("program %d still alive 5s after its tracer was killed:\n%s", pid, status)
	syscall.Kill(pid, syscall.SIGKILL)
}
