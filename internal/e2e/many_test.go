package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sonde-dev/sonde/internal/testutil"
)

// count returns how many trace lines (pid prefix removed) satisfy keep.
func count(entries []Entry, keep func(string) bool) int {
	n := 0
	for _, e := range entries {
		if keep(e.Text) {
			n++
		}
	}
	return n
}

// TestForkStorm: 300 short children under -f: every one of them, and the
// parent, ends with its own exit line, and none is lost or left stopped.
func TestForkStorm(t *testing.T) {
	requireTracing(t)
	tr, fx := candidate(t), testutil.BuildFixtures(t)
	r := run(t, tr.argv, spec{flags: []string{"-f"}, cmd: []string{fx.C(t, testutil.X86_64, "forkstorm"), "300"}})
	mustFinish(t, r)
	if r.status != exited(0) {
		t.Fatalf("tracer ended with %v, want exit status 0%s", r.status, r)
	}
	entries := ParseTrace(r.trace)
	if n := count(entries, func(s string) bool { return s == "+++ exited with 0 +++" }); n != 301 {
		t.Errorf("%d lines +++ exited with 0 +++, want 301 (300 children and the parent)%s", n, r)
	}
	pids := map[string]bool{}
	for _, e := range entries {
		pids[e.PID] = true
	}
	if len(pids) != 301 {
		t.Errorf("%d tasks in the trace, want 301", len(pids))
	}
}

// TestExitsRacingSignals: 300 children, each sent SIGUSR1 as it exits:
// every child ends exactly once, exited or killed, and nothing hangs.
func TestExitsRacingSignals(t *testing.T) {
	requireTracing(t)
	tr, fx := candidate(t), testutil.BuildFixtures(t)
	r := run(t, tr.argv, spec{flags: []string{"-f"}, cmd: []string{fx.C(t, testutil.X86_64, "forkstorm"), "300", "signal"}})
	mustFinish(t, r)
	if r.status != exited(0) {
		t.Fatalf("tracer ended with %v, want exit status 0%s", r.status, r)
	}
	ends := map[string]int{}
	for _, e := range ParseTrace(r.trace) {
		if e.Text == "+++ exited with 0 +++" || e.Text == "+++ killed by SIGUSR1 +++" {
			ends[e.PID]++
		}
	}
	if len(ends) != 301 {
		t.Errorf("%d tasks ended, want 301%s", len(ends), r)
	}
	for pid, n := range ends {
		if n != 1 {
			t.Errorf("task %s ended %d times", pid, n)
		}
	}
}

// TestManyThreads: 200 threads calling getppid 20 times each: 4000 getppid
// calls in the trace, whatever their interleaving.
func TestManyThreads(t *testing.T) {
	requireTracing(t)
	tr, fx := candidate(t), testutil.BuildFixtures(t)
	r := run(t, tr.argv, spec{flags: []string{"-f"}, cmd: []string{fx.C(t, testutil.X86_64, "threads"), "200", "20"}})
	mustFinish(t, r)
	if r.status != exited(0) {
		t.Fatalf("tracer ended with %v, want exit status 0%s", r.status, r)
	}
	entries := ParseTrace(r.trace) // <unfinished ...> and resumed joined
	getppid := regexp.MustCompile(`^getppid\(\)\s+= \d+$`)
	if n := count(entries, getppid.MatchString); n != 4000 {
		t.Errorf("%d complete getppid() lines, want 4000%s", n, r)
	}
	if n := count(entries, func(s string) bool { return s == "+++ exited with 0 +++" }); n != 201 {
		t.Errorf("%d exit lines, want 201 (200 threads and the process)", n)
	}
}

// TestFollowFF: -ff -o F writes one F.PID per process, lines without pid
// prefix, each ending with that process's exit.
func TestFollowFF(t *testing.T) {
	requireTracing(t)
	tr := candidate(t)
	dir := t.TempDir()
	prefix := filepath.Join(dir, "trace")
	r := run(t, tr.argv, spec{flags: []string{"-ff", "-o", prefix}, toStderr: true, cmd: []string{"sh", "-c", "echo a | cat > /dev/null"}})
	mustFinish(t, r)
	if r.status != exited(0) {
		t.Fatalf("tracer ended with %v, want exit status 0%s", r.status, r)
	}
	files, _ := filepath.Glob(prefix + ".*")
	if len(files) != 3 {
		t.Fatalf("files %v, want 3 (the shell, echo's and cat's processes)%s", files, r)
	}
	sawExecve := 0
	for _, f := range files {
		pid := strings.TrimPrefix(filepath.Ext(f), ".")
		if _, err := strconv.Atoi(pid); err != nil {
			t.Errorf("file %s is not PREFIX.PID", f)
		}
		data, _ := os.ReadFile(f)
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		for _, l := range lines {
			if strings.HasPrefix(l, pid+" ") || strings.HasPrefix(l, "[pid") {
				t.Errorf("%s: line with a pid prefix: %q", f, l)
				break
			}
		}
		if last := lines[len(lines)-1]; last != "+++ exited with 0 +++" {
			t.Errorf("%s ends with %q, want +++ exited with 0 +++", f, last)
		}
		if bytes.Contains(data, []byte("execve(")) {
			sawExecve++
		}
	}
	if sawExecve < 2 {
		t.Errorf("execve in %d files, want the shell's and cat's", sawExecve)
	}
}

// TestExecFromThread: a thread other than the leader execs; strace prints
// the leader as superseded and the execve's end under the leader's pid.
func TestExecFromThread(t *testing.T) {
	requireTracing(t)
	tr, fx := candidate(t), testutil.BuildFixtures(t)
	prog := fx.C(t, testutil.X86_64, "threadexec")
	// Under -e trace= the seccomp prefilter runs the tasks under
	// PTRACE_CONT between traced calls: the new program's calls must
	// still be seen after the thread's execve takes the leader's pid.
	for _, flags := range [][]string{{"-f"}, {"-f", "-e", "trace=execve,write,exit_group"}} {
		t.Run(strings.Join(flags, " "), func(t *testing.T) {
			r := run(t, tr.argv, spec{flags: flags, cmd: []string{prog}})
			mustFinish(t, r)
			if r.status != exited(0) {
				t.Fatalf("tracer ended with %v, want exit status 0 (of /bin/true)%s", r.status, r)
			}
			text := string(r.trace)
			first := strings.Fields(text)[0]
			m := regexp.MustCompile(`(?m)^(\d+) +\+\+\+ superseded by execve in pid (\d+) \+\+\+$`).FindStringSubmatch(text)
			if m == nil {
				t.Fatalf("no superseded line%s", r)
			}
			if m[1] != first || m[2] == first {
				t.Errorf("superseded line %q: want the leader %s superseded by another thread", m[0], first)
			}
			if !regexp.MustCompile(`(?m)^` + first + ` +<\.\.\. execve resumed>\) += 0$`).MatchString(text) {
				t.Errorf("no `<... execve resumed>) = 0` under the leader's pid %s%s", first, r)
			}
			// The pid column is padded to five characters: a short pid
			// takes more spaces after it.
			if !regexp.MustCompile(`(?m)^` + m[2] + ` +execve\("/bin/true"`).MatchString(text) {
				t.Errorf("the execve entry is not under the thread's own pid %s%s", m[2], r)
			}
			if !regexp.MustCompile(`(?m)^` + first + ` +exit_group\(0\) += \?$`).MatchString(text) {
				t.Errorf("no exit_group(0) of the new program under the leader's pid %s%s", first, r)
			}
		})
	}
}

// sleeper starts a process to attach to and returns it; it is killed when
// the test ends.
func sleeper(t *testing.T, argv ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitState(t, cmd.Process.Pid, "S", 5*time.Second)
	return cmd
}

// procField returns a field of /proc/PID/status ("State", "TracerPid").
func procField(pid int, field string) string {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && k == field {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// waitState waits until the process's state letter is state.
func waitState(t *testing.T, pid int, state string, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if strings.HasPrefix(procField(pid, "State"), state) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("process %d: state %q, want %s", pid, procField(pid, "State"), state)
}

// attachRun starts `sonde trace -o FILE flags...` attached to pid and
// returns it once sonde says it is attached.
// lockedBuffer is a bytes.Buffer that a command's output goroutine writes
// while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func attachRun(t *testing.T, flags ...string) (*exec.Cmd, string, *lockedBuffer) {
	t.Helper()
	tr := candidate(t)
	out := filepath.Join(t.TempDir(), "trace")
	args := append(append([]string{}, tr.argv[1:]...), "-o", out)
	cmd := exec.Command(tr.argv[0], append(args, flags...)...)
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stderr.String(), "attached") {
		if time.Now().After(deadline) {
			t.Fatalf("no 'attached' notice after 10s; stderr %q", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	return cmd, out, &stderr
}

// TestAttachThenSIGINT: attach to a sleeping process, then SIGINT to sonde:
// sonde detaches and dies of SIGINT, the process sleeps on (state S) with no
// tracer, and the trace shows what the attach interrupted.
func TestAttachThenSIGINT(t *testing.T) {
	requireTracing(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			target := sleeper(t, "sleep", "60")
			pid := target.Process.Pid
			cmd, out, stderr := attachRun(t, "-p", strconv.Itoa(pid))
			time.Sleep(100 * time.Millisecond)
			cmd.Process.Signal(sig)
			cmd.Wait()
			if got := statusOf(cmd.ProcessState); got != killedBy(sig) {
				t.Errorf("sonde ended with %v, want killed by %v", got, sig)
			}
			waitState(t, pid, "S", 2*time.Second)
			if tp := procField(pid, "TracerPid"); tp != "0" {
				t.Errorf("TracerPid %s after detach, want 0", tp)
			}
			data, _ := os.ReadFile(out)
			want := "restart_syscall(<... resuming interrupted clock_nanosleep ...> <detached ...>\n"
			if string(data) != want {
				t.Errorf("trace %q, want %q", data, want)
			}
			wantErr := "Process " + strconv.Itoa(pid) + " attached\n"
			if !strings.Contains(stderr.String(), wantErr) || !strings.Contains(stderr.String(), "Process "+strconv.Itoa(pid)+" detached\n") {
				t.Errorf("stderr %q, want the attached and detached notices", stderr.String())
			}
		})
	}
}

// TestAttachAllThreads: -f -p attaches every thread of the process; SIGINT
// lets go of all of them.
func TestAttachAllThreads(t *testing.T) {
	requireTracing(t)
	fx := testutil.BuildFixtures(t)
	target := sleeper(t, fx.Go(t, "amd64", "gothreads"), "sleep")
	pid := target.Process.Pid
	tids, _ := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/task/*")
	cmd, _, stderr := attachRun(t, "-f", "-p", strconv.Itoa(pid))
	if !regexp.MustCompile(`Process \d+ attached with \d+ threads`).MatchString(stderr.String()) {
		t.Errorf("stderr %q: want 'attached with N threads'", stderr.String())
	}
	for _, dir := range tids {
		tid, _ := strconv.Atoi(filepath.Base(dir))
		// TracerPid names the tracing thread: sonde's ptrace thread.
		tp, _ := strconv.Atoi(procField(tid, "TracerPid"))
		if tp == 0 || procField(tp, "Tgid") != strconv.Itoa(cmd.Process.Pid) {
			t.Errorf("thread %d: TracerPid %d, want a thread of sonde %d", tid, tp, cmd.Process.Pid)
		}
	}
	cmd.Process.Signal(syscall.SIGINT)
	cmd.Wait()
	for _, dir := range tids {
		tid, _ := strconv.Atoi(filepath.Base(dir))
		if tp := procField(tid, "TracerPid"); tp != "0" && tp != "" {
			t.Errorf("thread %d: TracerPid %s after detach, want 0", tid, tp)
		}
	}
	if target.ProcessState != nil {
		t.Errorf("the target ended while it was traced: %v", target.ProcessState)
	}
}

// TestAttachAlreadyTraced: attaching to a process another tracer holds fails
// (EPERM from the kernel) and the message names that tracer.
func TestAttachAlreadyTraced(t *testing.T) {
	requireTracing(t)
	tr := candidate(t)
	target := sleeper(t, "sleep", "60")
	pid := strconv.Itoa(target.Process.Pid)
	first, _, _ := attachRun(t, "-p", pid)
	r := run(t, tr.argv, spec{flags: []string{"-p", pid}, noDashes: true})
	if r.status != exited(1) {
		t.Errorf("second tracer ended with %v, want exit status 1%s", r.status, r)
	}
	want := "attach: ptrace(PTRACE_SEIZE, " + pid + "): Operation not permitted: already traced by process " + strconv.Itoa(first.Process.Pid) + " ("
	if !strings.Contains(r.stderr, want) {
		t.Errorf("stderr %q, want it to contain %q", r.stderr, want)
	}
	first.Process.Signal(syscall.SIGINT)
	first.Wait()
}

// TestAttachNoSuchProcess: strace's message for a pid that does not exist.
func TestAttachNoSuchProcess(t *testing.T) {
	requireTracing(t)
	tr := candidate(t)
	r := run(t, tr.argv, spec{flags: []string{"-p", "999999999"}, noDashes: true})
	if r.status != exited(1) || !strings.Contains(r.stderr, "attach: ptrace(PTRACE_SEIZE, 999999999): No such process") {
		t.Errorf("status %v stderr %q, want exit 1 and strace's no-such-process message", r.status, r.stderr)
	}
}

// TestStoppedJobStaysStopped: a traced program that stops itself stays
// stopped (no tracer resumes it) until SIGCONT, then finishes.
func TestStoppedJobStaysStopped(t *testing.T) {
	requireTracing(t)
	tr := candidate(t)
	out := filepath.Join(t.TempDir(), "trace")
	cmd := exec.Command(tr.argv[0], append(tr.argv[1:], "-o", out, "sh", "-c", "kill -STOP $$; echo resumed")...)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	var sh int
	deadline := time.Now().Add(10 * time.Second)
	for sh == 0 && time.Now().Before(deadline) {
		data, _ := os.ReadFile(out)
		if m := regexp.MustCompile(`kill\((\d+), SIGSTOP\)`).FindSubmatch(data); m != nil {
			sh, _ = strconv.Atoi(string(m[1]))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if sh == 0 {
		t.Fatal("the shell never sent itself SIGSTOP")
	}
	waitState(t, sh, "t", 5*time.Second)
	time.Sleep(300 * time.Millisecond)
	if st := procField(sh, "State"); !strings.HasPrefix(st, "t") && !strings.HasPrefix(st, "T") {
		t.Fatalf("stopped job is %q, want still stopped", st)
	}
	if stdout.Len() != 0 {
		t.Fatalf("the stopped job ran on: stdout %q", stdout.String())
	}
	syscall.Kill(sh, syscall.SIGCONT)
	cmd.Wait()
	if got := statusOf(cmd.ProcessState); got != exited(0) || stdout.String() != "resumed\n" {
		t.Errorf("after SIGCONT: sonde %v, stdout %q; want exit 0 and resumed", got, stdout.String())
	}
	data, _ := os.ReadFile(out)
	for _, want := range []string{"--- stopped by SIGSTOP ---\n", "--- SIGCONT {si_signo=SIGCONT, si_code=SI_USER", "+++ exited with 0 +++\n"} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("trace lacks %q", want)
		}
	}
}

// TestCtrlCLoop: Ctrl-C (SIGINT to the process group) while a shell loops
// over /bin/true under -f: nothing is left behind, and the trace ends with
// +++ killed by SIGINT +++.
func TestCtrlCLoop(t *testing.T) {
	requireTracing(t)
	tr := candidate(t)
	out := filepath.Join(t.TempDir(), "trace")
	cmd := exec.Command(tr.argv[0], append(tr.argv[1:], "-f", "-o", out, "--", "sh", "-c", "while :; do /bin/true; done")...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pgid := cmd.Process.Pid
	t.Cleanup(func() { syscall.Kill(-pgid, syscall.SIGKILL); cmd.Wait() })
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, _ := os.ReadFile(out)
		if bytes.Count(data, []byte("+++ exited with 0 +++")) >= 5 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the loop did not get going in 10s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	syscall.Kill(-pgid, syscall.SIGINT)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("sonde still running 10s after Ctrl-C")
	}
	if got := statusOf(cmd.ProcessState); got != killedBy(syscall.SIGINT) {
		t.Errorf("sonde ended with %v, want killed by SIGINT", got)
	}
	time.Sleep(100 * time.Millisecond)
	if err := syscall.Kill(-pgid, 0); err != syscall.ESRCH {
		t.Errorf("processes left in the group after Ctrl-C (kill -0: %v)", err)
	}
	data, _ := os.ReadFile(out)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if last := lines[len(lines)-1]; !strings.HasSuffix(last, "+++ killed by SIGINT +++") {
		t.Errorf("trace ends with %q, want +++ killed by SIGINT +++", last)
	}
}

// TestSIGINTMidBurstLosesNoLine: sonde -p on a process writing numbered
// lines as fast as it can, then SIGINT: every write traced up to the detach
// is in the trace, in order, with no gap, each line whole (the output is
// flushed when sonde lets go on a signal).
func TestSIGINTMidBurstLosesNoLine(t *testing.T) {
	requireTracing(t)
	fx := testutil.BuildFixtures(t)
	target := exec.Command(fx.C(t, testutil.X86_64, "burst"))
	if err := target.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { target.Process.Kill(); target.Wait() })
	cmd, out, _ := attachRun(t, "-e", "trace=write", "-p", strconv.Itoa(target.Process.Pid))
	time.Sleep(300 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	cmd.Wait()
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) == 0 || data[len(data)-1] != '\n' {
		t.Fatalf("trace does not end with a whole line: %q", data[max(0, len(data)-200):])
	}
	line := regexp.MustCompile(`^write\(3, "(\d{9})\\n", 10\) += 10$`)
	prev, n := int64(-1), 0
	for _, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		m := line.FindStringSubmatch(l)
		if m == nil {
			// The call in flight at the detach, and notices.
			if strings.HasPrefix(l, "write(3, ") && !strings.Contains(l, "<detached ...>") && !strings.Contains(l, "<unfinished ...>") {
				t.Errorf("write line neither whole nor cut by the detach: %q", l)
			}
			continue
		}
		v, _ := strconv.ParseInt(m[1], 10, 64)
		if prev >= 0 && v != prev+1 {
			t.Errorf("write %d follows %d: lines lost", v, prev)
		}
		prev = v
		n++
	}
	if n < 100 {
		t.Fatalf("only %d writes traced in 300ms", n)
	}
	t.Logf("%d consecutive writes traced before SIGINT", n)
}

// TestPeakRSS200Threads: sonde's peak resident set stays under 40 MB while
// it traces 200 threads at once (-f, full trace to a file).
func TestPeakRSS200Threads(t *testing.T) {
	requireTracing(t)
	fx := testutil.BuildFixtures(t)
	tr := candidate(t)
	args := append(append([]string{}, tr.argv[1:]...), "-f", "-o", filepath.Join(t.TempDir(), "trace"), "--", fx.C(t, testutil.X86_64, "threads"), "200", "50")
	cmd := exec.Command(tr.argv[0], args...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sonde: %v\n%s", err, out)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Fatal("no resource usage for sonde")
	}
	// ru_maxrss is in KiB; it covers sonde and the children it reaped (its
	// tracees), the largest of them.
	const limit = 40 << 10
	if ru.Maxrss >= limit {
		t.Errorf("peak RSS %d KiB, want under %d KiB", ru.Maxrss, limit)
	}
	t.Logf("peak RSS %d KiB tracing 200 threads", ru.Maxrss)
}

// TestDecodePidsNSWarns: --decode-pids=pidns on a process in another PID
// namespace says that its pids are not translated (strace would add
// "/* N in strace's PID NS */"); on one in sonde's namespace, where strace
// prints nothing more either, it says nothing.
func TestDecodePidsNSWarns(t *testing.T) {
	requireTracing(t)
	testutil.RequireRoot(t)
	const warning = "is in another PID namespace"
	wait := func(stderr *lockedBuffer, d time.Duration) bool {
		for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if strings.Contains(stderr.String(), warning) {
				return true
			}
		}
		return false
	}
	t.Run("same namespace", func(t *testing.T) {
		target := sleeper(t, "sleep", "60")
		cmd, _, stderr := attachRun(t, "--decode-pids=pidns", "-p", strconv.Itoa(target.Process.Pid))
		if wait(stderr, 300*time.Millisecond) {
			t.Errorf("warned about a process in sonde's own PID namespace: %q", stderr.String())
		}
		cmd.Process.Signal(syscall.SIGINT)
		cmd.Wait()
	})
	t.Run("other namespace", func(t *testing.T) {
		outer := exec.Command("unshare", "--pid", "--fork", "sleep", "60")
		if err := outer.Start(); err != nil {
			testutil.Skipf(t, "requires unshare: %v", err)
		}
		t.Cleanup(func() { outer.Process.Kill(); outer.Wait() })
		// The sleep is unshare's child, pid 1 of the new namespace.
		var child int
		for deadline := time.Now().Add(5 * time.Second); child == 0; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("unshare started no child")
			}
			b, _ := os.ReadFile("/proc/" + strconv.Itoa(outer.Process.Pid) + "/task/" + strconv.Itoa(outer.Process.Pid) + "/children")
			if f := strings.Fields(string(b)); len(f) > 0 {
				child, _ = strconv.Atoi(f[0])
			}
		}
		waitState(t, child, "S", 5*time.Second)
		t.Cleanup(func() { syscall.Kill(child, syscall.SIGKILL) })
		cmd, _, stderr := attachRun(t, "--decode-pids=pidns", "-p", strconv.Itoa(child))
		if !wait(stderr, 5*time.Second) {
			t.Errorf("no warning for process %d in another PID namespace: %q", child, stderr.String())
		}
		cmd.Process.Signal(syscall.SIGINT)
		cmd.Wait()
	})
}
