package e2e

import (
	"encoding/json"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sonde-dev/sonde/internal/testutil"
)

// inspectRun runs `sonde inspect ARGS...` and returns its output.
func inspectRun(t *testing.T, args ...string) string {
	t.Helper()
	tr := candidate(t)
	out, err := exec.Command(tr.argv[0], append([]string{"inspect"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("sonde inspect %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// TestInspectSleeping: the syscall a sleeping process is blocked in,
// decoded; afterwards it still sleeps, with no tracer.
func TestInspectSleeping(t *testing.T) {
	requireTracing(t)
	target := sleeper(t, "sleep", "30")
	pid := target.Process.Pid
	out := inspectRun(t, strconv.Itoa(pid))
	if !strings.Contains(out, "clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=30, tv_nsec=0}, ...)") {
		t.Errorf("no decoded clock_nanosleep in:\n%s", out)
	}
	if !strings.Contains(out, "S (sleeping)") {
		t.Errorf("no sleeping state in:\n%s", out)
	}
	if st, tp := procField(pid, "State"), procField(pid, "TracerPid"); !strings.HasPrefix(st, "S") || tp != "0" {
		t.Errorf("after inspect: State %q TracerPid %q, want S and 0", st, tp)
	}
	// -k: the stack from libc's sleep down to the program's entry.
	out = inspectRun(t, "-k", strconv.Itoa(pid))
	if !regexp.MustCompile(`(?m)^     > /\S+/libc\.so\.6\(\w*nanosleep\+0x[0-9a-f]+\) \[0x[0-9a-f]+\]$`).MatchString(out) ||
		!strings.Contains(out, "(__libc_start_main+0x") {
		t.Errorf("inspect -k: no libc frames from nanosleep to __libc_start_main in:\n%s", out)
	}
}

// TestInspectFourThreads: each of four threads in its own syscall.
func TestInspectFourThreads(t *testing.T) {
	requireTracing(t)
	fx := testutil.BuildFixtures(t)
	cmd := exec.Command(fx.C(t, testutil.X86_64, "inspect4"), "30")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	buf := make([]byte, 6)
	if n, _ := stdout.Read(buf); string(buf[:n]) != "ready\n" {
		t.Fatalf("fixture said %q", buf[:n])
	}
	pid := cmd.Process.Pid
	// Wait until every thread sleeps in its call.
	deadline := time.Now().Add(5 * time.Second)
	var out string
	for {
		out = inspectRun(t, strconv.Itoa(pid))
		if strings.Count(out, "S (sleeping)") == 4 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	var p struct {
		Processes []struct {
			Threads []struct {
				Tid     int    `json:"tid"`
				Syscall string `json:"syscall"`
				State   string `json:"state"`
			} `json:"threads"`
			FDs []struct {
				FD     int    `json:"fd"`
				Target string `json:"target"`
			} `json:"fds"`
		} `json:"processes"`
	}
	if err := json.Unmarshal([]byte(inspectRun(t, "--json", strconv.Itoa(pid))), &p); err != nil {
		t.Fatalf("--json does not parse: %v", err)
	}
	if len(p.Processes) != 1 || len(p.Processes[0].Threads) != 4 {
		t.Fatalf("want 1 process with 4 threads: %+v", p)
	}
	seen := map[string]bool{}
	name := regexp.MustCompile(`^(\w+)\(`)
	for _, th := range p.Processes[0].Threads {
		m := name.FindStringSubmatch(th.Syscall)
		if m == nil {
			t.Errorf("thread %d: syscall %q", th.Tid, th.Syscall)
			continue
		}
		seen[m[1]] = true
	}
	// The calls made first; a repeated inspect may see restart_syscall
	// where a sleep was interrupted by the previous one.
	for _, want := range []string{"futex", "read", "pause"} {
		if !seen[want] {
			t.Errorf("no thread in %s: %v\n%s", want, seen, out)
		}
	}
	if !seen["clock_nanosleep"] && !seen["restart_syscall"] {
		t.Errorf("no thread sleeping: %v", seen)
	}
	if !strings.Contains(out, "read(3<pipe:[") {
		t.Errorf("read's descriptor without its target:\n%s", out)
	}
	if tp := procField(pid, "TracerPid"); tp != "0" {
		t.Errorf("TracerPid %s after inspect", tp)
	}
}

// TestInspectStopped: a stopped process stays stopped.
func TestInspectStopped(t *testing.T) {
	requireTracing(t)
	target := sleeper(t, "sleep", "30")
	pid := target.Process.Pid
	syscall.Kill(pid, syscall.SIGSTOP)
	waitState(t, pid, "T", 5*time.Second)
	out := inspectRun(t, "--regs", strconv.Itoa(pid))
	if !strings.Contains(out, "T (stopped)") || !strings.Contains(out, "rip ") {
		t.Errorf("inspect of a stopped process:\n%s", out)
	}
	time.Sleep(100 * time.Millisecond)
	if st, tp := procField(pid, "State"), procField(pid, "TracerPid"); !strings.HasPrefix(st, "T") || tp != "0" {
		t.Errorf("after inspect: State %q TracerPid %q, want T (stopped) and 0", st, tp)
	}
	syscall.Kill(pid, syscall.SIGCONT)
}

// TestInspectErrors: bad input is a clear message, not a panic.
func TestInspectErrors(t *testing.T) {
	requireTracing(t)
	tr := candidate(t)
	for args, want := range map[string]string{
		"":          "must have PID",
		"x":         "invalid PID 'x'",
		"999999999": "999999999: No such process",
	} {
		argv := []string{"inspect"}
		if args != "" {
			argv = append(argv, args)
		}
		out, err := exec.Command(tr.argv[0], argv...).CombinedOutput()
		if err == nil || !strings.Contains(string(out), want) {
			t.Errorf("inspect %q: %v %q, want an error saying %q", args, err, out, want)
		}
	}
}
