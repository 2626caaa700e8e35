package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sonde-dev/sonde/internal/testutil"
)

// sonde watch (issue #12), run from the built binary as root.

// watchProc is one side of a watch record.
type watchProc struct {
	Pid, Tid int
	Comm     string
	Exe      string
	UID      int
}

// watchRecord is any line of `sonde watch --json`: an event, an alert or
// the summary.
type watchRecord struct {
	Type, Call, Request, ABI, Errno, Kind, Path string
	Tracer, Target                              watchProc
	Addr, Data                                  uint64
	Result                                      int64
	Steps                                       []string
	Program                                     string
	Notes                                       []string
	Events, Alerts                              uint64
	Dropped                                     *uint64
	DurationSeconds                             float64 `json:"duration_seconds"`
	Drops                                       struct {
		RingBuffer uint64 `json:"ring_buffer"`
		Pending    uint64 `json:"pending"`
	}
}

// watchSession is a running `sonde watch --json`; its stdout goes to a
// file, decoded when it ends.
type watchSession struct {
	cmd    *exec.Cmd
	out    *os.File
	mu     sync.Mutex
	stderr bytes.Buffer
	done   chan struct{}
}

// startWatch starts `sonde watch --json ARGS` and returns once it says it
// is watching (its programs are attached).
func startWatch(t *testing.T, args ...string) *watchSession {
	t.Helper()
	return startWatchArgv(t, append([]string{"watch", "--json"}, args...)...)
}

// startWatchArgv starts sonde with argv (text output when it has no --json).
func startWatchArgv(t *testing.T, argv ...string) *watchSession {
	t.Helper()
	testutil.RequireRoot(t)
	sonde := testutil.BuildSonde(t)
	out, err := os.Create(filepath.Join(t.TempDir(), "watch.json"))
	if err != nil {
		t.Fatal(err)
	}
	w := &watchSession{out: out, done: make(chan struct{})}
	w.cmd = exec.Command(sonde, argv...)
	w.cmd.Stdout = out
	errPipe, err := w.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	go func() {
		defer close(w.done)
		sc := bufio.NewScanner(errPipe)
		for sc.Scan() {
			w.mu.Lock()
			w.stderr.WriteString(sc.Text() + "\n")
			w.mu.Unlock()
			if strings.Contains(sc.Text(), ": watching with ") {
				close(ready)
			}
		}
	}()
	t.Cleanup(func() { w.cmd.Process.Kill(); w.cmd.Wait() })
	select {
	case <-ready:
	case <-w.done:
		w.cmd.Wait()
		t.Fatalf("sonde watch ended before watching: %v\nstderr: %s", w.cmd.ProcessState, w.errText())
	case <-time.After(30 * time.Second):
		t.Fatalf("sonde watch not watching after 30s\nstderr: %s", w.errText())
	}
	return w
}

func (w *watchSession) errText() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stderr.String()
}

// finish sends SIGINT (unless interrupt is false: --duration ends it),
// waits for a clean exit and returns the records, the summary last.
func (w *watchSession) finish(t *testing.T, interrupt bool) []watchRecord {
	t.Helper()
	sig := syscall.Signal(0)
	if interrupt {
		sig = syscall.SIGINT
	}
	w.end(t, sig)
	return w.records(t)
}

// end sends sig (none if 0) and waits for a clean exit.
func (w *watchSession) end(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if sig != 0 {
		if err := w.cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
	}
	waited := make(chan error, 1)
	go func() { <-w.done; waited <- w.cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Fatalf("sonde watch: %v\nstderr: %s", err, w.errText())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("sonde watch did not end\nstderr: %s", w.errText())
	}
}

// records decodes the JSON lines written, checking the summary is last.
func (w *watchSession) records(t *testing.T) []watchRecord {
	t.Helper()
	if _, err := w.out.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	var recs []watchRecord
	dec := json.NewDecoder(bufio.NewReaderSize(w.out, 1<<20))
	for {
		var r watchRecord
		if err := dec.Decode(&r); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("record %d is not JSON: %v", len(recs), err)
		}
		recs = append(recs, r)
	}
	if len(recs) == 0 || recs[len(recs)-1].Type != "summary" || recs[len(recs)-1].Dropped == nil {
		t.Fatalf("no summary with a drop count last (%d records)\nstderr: %s", len(recs), w.errText())
	}
	s := recs[len(recs)-1]
	t.Logf("summary: program %s, %d events, %d alerts, %d dropped %+v, notes %q", s.Program, s.Events, s.Alerts, *s.Dropped, s.Drops, s.Notes)
	return recs
}

// runFixture runs a fixture to completion and returns its pid and the pid
// of the child it printed ("child PID").
func runFixture(t *testing.T, path string, args ...string) (pid, child int) {
	t.Helper()
	cmd := exec.Command(path, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %q: %v\nstderr: %s", path, args, err, stderr.String())
	}
	f := strings.Fields(stdout.String())
	if len(f) < 2 || f[0] != "child" {
		t.Fatalf("%s %q printed %q, want \"child PID\"", path, args, stdout.String())
	}
	child, err := strconv.Atoi(f[1])
	if err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid, child
}

// TestWatchStraceSeize: `sonde watch --json --duration 5s` while strace
// traces /bin/true reports strace's PTRACE_SEIZE of the child it runs
// /bin/true in (strace -ff names its output files after that pid), with
// strace's comm (and exe, when it is still running as the record is read)
// and the x86_64 ABI; the watch ends by itself.
func TestWatchStraceSeize(t *testing.T) {
	strace := testutil.RequireStrace(t)
	w := startWatch(t, "--duration", "5s")
	dir := t.TempDir()
	cmd := exec.Command(strace, "-ff", "-o", filepath.Join(dir, "t"), "/bin/true")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("strace: %v: %s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "t.*"))
	if len(files) != 1 {
		t.Fatalf("strace -ff wrote %q, want one file", files)
	}
	child, err := strconv.Atoi(strings.TrimPrefix(filepath.Ext(files[0]), "."))
	if err != nil {
		t.Fatal(err)
	}
	recs := w.finish(t, false)
	// It watched 5 s (the drain of what the busy host queued comes after).
	if d := recs[len(recs)-1].DurationSeconds; d < 5 || d > 5.5 {
		t.Errorf("--duration 5s watched %.3fs", d)
	}
	straceExe, _ := filepath.EvalSymlinks(strace)
	for _, r := range recs {
		// target.tid is the pid ptrace was given; target.pid, comm and
		// uid come from the kernel (the child is strace's tracee at the
		// SEIZE's exit), even when it is gone as the record is read.
		if r.Type == "event" && r.Request == "PTRACE_SEIZE" && r.Tracer.Pid == cmd.Process.Pid && r.Target.Tid == child {
			if r.Target.Pid != child || r.Target.Comm == "" || r.Target.UID != 0 {
				t.Errorf("strace's PTRACE_SEIZE target: %+v", r.Target)
			}
			// comm comes from the kernel at the call; exe from /proc
			// when the record is read, "" if strace has exited by then.
			if r.Result != 0 || r.ABI != "x86_64" || r.Call != "ptrace" || r.Tracer.Comm != "strace" ||
				(r.Tracer.Exe != straceExe && r.Tracer.Exe != "") {
				t.Errorf("strace's PTRACE_SEIZE: %+v", r)
			}
			return
		}
	}
	t.Errorf("no PTRACE_SEIZE by strace (pid %d) of pid %d among %d records", cmd.Process.Pid, child, len(recs))
}

// TestWatchCompatTraceMe: PTRACE_TRACEME made through `int $0x80` (the
// i386 table, number 26) by the i386 fixture and by the 64-bit one is
// reported with ABI i386, twice (the second refused with EPERM), and the
// refused one raises one anti_debug alert.
func TestWatchCompatTraceMe(t *testing.T) {
	fx := testutil.BuildFixtures(t)
	bins := map[string]string{"i386": fx.C(t, testutil.I386, "watch"), "x86_64 int $0x80": fx.C(t, testutil.X86_64, "watch")}
	w := startWatch(t)
	children := map[string]int{}
	for name, bin := range bins {
		_, children[name] = runFixture(t, bin, "traceme")
	}
	recs := w.finish(t, true)
	for name, child := range children {
		var results []int64
		alerts := 0
		for _, r := range recs {
			if r.Tracer.Pid != child {
				continue
			}
			switch {
			case r.Type == "event" && r.Request == "PTRACE_TRACEME":
				if r.ABI != "i386" || r.Target.Pid != child {
					t.Errorf("%s: %+v, want abi i386 and the caller as target", name, r)
				}
				results = append(results, r.Result)
			case r.Type == "alert" && r.Kind == "anti_debug":
				alerts++
				if r.Errno != "EPERM" || r.ABI != "i386" {
					t.Errorf("%s: alert %+v", name, r)
				}
			}
		}
		if !slices.Equal(results, []int64{0, -1}) || alerts != 1 {
			t.Errorf("%s (pid %d): TRACEME results %v and %d anti_debug alerts, want [0 -1] and 1", name, child, results, alerts)
		}
	}
}

// TestWatchInjection: the fixture attaching its child, writing a word
// into it (POKETEXT, a write through /proc/CHILD/mem, process_vm_writev),
// setting its registers and detaching (or continuing it) raises exactly one
// injection alert naming both processes and the steps, for both ABIs; the
// mem open's event names the path.
func TestWatchInjection(t *testing.T) {
	fx := testutil.BuildFixtures(t)
	modes := []struct {
		mode  string
		steps []string
	}{
		{"inject", []string{"PTRACE_ATTACH", "PTRACE_GETREGS", "PTRACE_POKETEXT", "PTRACE_SETREGS", "PTRACE_DETACH"}},
		{"memwrite", []string{"PTRACE_ATTACH", "PTRACE_GETREGS", "openat", "PTRACE_SETREGS", "PTRACE_DETACH"}},
		{"vmwrite", []string{"PTRACE_ATTACH", "PTRACE_GETREGS", "process_vm_writev", "PTRACE_SETREGS", "PTRACE_CONT"}},
	}
	type run struct {
		name, abi  string
		steps      []string
		pid, child int
	}
	var runs []run
	bins := []struct {
		abi string
		bin string
	}{{"x86_64", fx.C(t, testutil.X86_64, "watch")}, {"i386", fx.C(t, testutil.I386, "watch")}}
	w := startWatch(t)
	for _, b := range bins {
		for _, m := range modes {
			pid, child := runFixture(t, b.bin, m.mode)
			runs = append(runs, run{b.abi + "/" + m.mode, b.abi, m.steps, pid, child})
		}
	}
	recs := w.finish(t, true)
	for _, r := range runs {
		var alerts []watchRecord
		memOpen := false
		for _, rec := range recs {
			if rec.Tracer.Pid != r.pid {
				continue
			}
			if rec.Type == "alert" {
				alerts = append(alerts, rec)
			}
			if rec.Type == "event" && rec.Path != "" {
				memOpen = rec.Path == "/proc/"+strconv.Itoa(r.child)+"/mem" && rec.Target.Pid == r.child &&
					rec.ABI == r.abi && rec.Result >= 0
				if !memOpen {
					t.Errorf("%s: mem open %+v", r.name, rec)
				}
			}
		}
		if strings.HasSuffix(r.name, "memwrite") && !memOpen {
			t.Errorf("%s: no event for the open of /proc/%d/mem", r.name, r.child)
		}
		if len(alerts) != 1 {
			t.Errorf("%s: %d alerts for tracer %d, want 1: %+v", r.name, len(alerts), r.pid, alerts)
			continue
		}
		a := alerts[0]
		if a.Kind != "injection" || a.Target.Pid != r.child || a.Tracer.Comm != "watch" || a.Target.Comm != "watch" ||
			a.ABI != r.abi || !slices.Equal(a.Steps, r.steps) {
			t.Errorf("%s: alert %+v, want injection into %d with steps %q", r.name, a, r.child, r.steps)
		}
	}
}

// TestWatchAlertsOnly: --alerts-only prints the alert and the summary, no
// event.
func TestWatchAlertsOnly(t *testing.T) {
	fx := testutil.BuildFixtures(t)
	w := startWatch(t, "--alerts-only")
	pid, _ := runFixture(t, fx.C(t, testutil.X86_64, "watch"), "inject")
	recs := w.finish(t, true)
	alerts := 0
	for _, r := range recs {
		if r.Type == "event" {
			t.Fatalf("--alerts-only printed an event: %+v", r)
		}
		if r.Type == "alert" && r.Tracer.Pid == pid {
			alerts++
		}
	}
	if alerts != 1 || recs[len(recs)-1].Events == 0 {
		t.Errorf("%d alerts for the fixture, summary %+v", alerts, recs[len(recs)-1])
	}
}

// TestWatchText: without --json, one line per event and per alert in the
// documented format, and the summary on stderr; SIGTERM ends it cleanly.
func TestWatchText(t *testing.T) {
	fx := testutil.BuildFixtures(t)
	w := startWatchArgv(t, "watch")
	pid, child := runFixture(t, fx.C(t, testutil.X86_64, "watch"), "inject")
	w.end(t, syscall.SIGTERM)
	out, err := os.ReadFile(w.out.Name())
	if err != nil {
		t.Fatal(err)
	}
	p, c := strconv.Itoa(pid), strconv.Itoa(child)
	// exe and cgroup come from /proc as the line is written: absent if
	// a busy host made sonde read it after the fixture exited.
	poke := regexp.MustCompile(`^\d\d:\d\d:\d\d\.\d{6} watch\[` + p + `/` + p + `(?: /\S+/watch)? uid=0\] PTRACE_POKETEXT pid=` + c +
		` \(watch(?: /\S+/watch)? uid=0\) addr=0x[0-9a-f]+ data=0x7 = 0 abi=x86_64(?: cgroup=/\S*)?$`)
	alert := "ALERT injection: tracer " + p + " (watch) → target " + c +
		" (watch): PTRACE_ATTACH, PTRACE_GETREGS, PTRACE_POKETEXT, PTRACE_SETREGS, PTRACE_DETACH abi=x86_64"
	var sawPoke, sawAlert bool
	for _, line := range strings.Split(string(out), "\n") {
		sawPoke = sawPoke || poke.MatchString(line)
		sawAlert = sawAlert || line == alert
	}
	if !sawPoke || !sawAlert {
		t.Errorf("POKETEXT line %v, alert line %v in:\n%s", sawPoke, sawAlert, out)
	}
	if !regexp.MustCompile(`(?m)^sonde watch: \d+ events, \d+ alerts, 0 dropped$`).MatchString(w.errText()) {
		t.Errorf("no summary on stderr: %q", w.errText())
	}
}

// TestWatchPidfd: pidfd_getfd is reported with its target resolved from
// the pidfd (the child), for both ABIs.
func TestWatchPidfd(t *testing.T) {
	fx := testutil.BuildFixtures(t)
	bins := map[string]string{"x86_64": fx.C(t, testutil.X86_64, "watch"), "i386": fx.C(t, testutil.I386, "watch")}
	w := startWatch(t)
	type run struct{ pid, child int }
	runs := map[string]run{}
	for abi, bin := range bins {
		pid, child := runFixture(t, bin, "pidfd")
		runs[abi] = run{pid, child}
	}
	recs := w.finish(t, true)
	for abi, r := range runs {
		found := false
		for _, rec := range recs {
			if rec.Type == "event" && rec.Call == "pidfd_getfd" && rec.Tracer.Pid == r.pid {
				found = true
				if rec.Target.Pid != r.child || rec.ABI != abi || rec.Result < 0 || rec.Data != 0 {
					t.Errorf("%s: %+v, want target %d", abi, rec, r.child)
				}
			}
		}
		if !found {
			t.Errorf("%s: no pidfd_getfd event from %d", abi, r.pid)
		}
	}
}

// TestWatchBurstDrops: 10^5 PTRACE_PEEKDATA calls are each either reported
// or counted as dropped (events seen + dropped >= 10^5), with the default
// 16 MiB ring buffer and with a 1 MiB one; the numbers are logged.
func TestWatchBurstDrops(t *testing.T) {
	const n = 100000
	fx := testutil.BuildFixtures(t)
	bin := fx.C(t, testutil.X86_64, "watch")
	for _, size := range []string{"16", "1"} {
		t.Run(size+"MiB", func(t *testing.T) {
			w := startWatch(t, "--buffer-size", size)
			start := time.Now()
			pid, _ := runFixture(t, bin, "burst", strconv.Itoa(n))
			took := time.Since(start)
			recs := w.finish(t, true)
			seen := 0
			for _, r := range recs {
				if r.Type == "event" && r.Tracer.Pid == pid && r.Request == "PTRACE_PEEKDATA" {
					seen++
				}
			}
			s := recs[len(recs)-1]
			t.Logf("%d PEEKDATA in %v: %d reported, %d dropped (ring buffer %d, pending %d)",
				n, took, seen, *s.Dropped, s.Drops.RingBuffer, s.Drops.Pending)
			if seen > n || uint64(seen)+*s.Dropped < n || *s.Dropped != s.Drops.RingBuffer+s.Drops.Pending {
				t.Errorf("%d reported + %d dropped does not account for %d calls", seen, *s.Dropped, n)
			}
		})
	}
}

// TestWatchTracepointBlindSpot: with --program tracepoint (the
// syscalls/sys_enter_ptrace events other tools use) the i386 TRACEME is
// not seen, and sonde says so; the native calls are.
func TestWatchTracepointBlindSpot(t *testing.T) {
	fx := testutil.BuildFixtures(t)
	i386, native := fx.C(t, testutil.I386, "watch"), fx.C(t, testutil.X86_64, "watch")
	w := startWatch(t, "--program", "tracepoint")
	_, compatChild := runFixture(t, i386, "traceme")
	pid, _ := runFixture(t, native, "inject")
	recs := w.finish(t, true)
	if !strings.Contains(w.errText(), "compat (i386) system calls are not seen") {
		t.Errorf("stderr does not mention the blind spot: %s", w.errText())
	}
	s := recs[len(recs)-1]
	if s.Program != "tracepoint" {
		t.Errorf("program %q, want tracepoint", s.Program)
	}
	native64, compat := 0, 0
	for _, r := range recs {
		switch {
		case r.Type == "event" && r.Tracer.Pid == compatChild:
			compat++
		case r.Type == "event" && r.Tracer.Pid == pid:
			native64++
		}
	}
	if compat != 0 || native64 != 5 {
		t.Errorf("%d i386 events (want 0: the blind spot), %d native (want 5)", compat, native64)
	}
}

// TestWatchUnprivileged: without root or CAP_BPF and CAP_PERFMON, watch
// fails at once with a clear message.
func TestWatchUnprivileged(t *testing.T) {
	prefix := asNobody(t)
	sonde := publicCopy(t, testutil.BuildSonde(t))[0]
	_, stderr, st := runBinary(t, append(prefix, sonde, "watch", "--duration", "1s")...)
	if st != exited(1) || !strings.HasPrefix(stderr, "sonde watch: requires root, or CAP_BPF and CAP_PERFMON") {
		t.Errorf("as nobody: %v, stderr %q", st, stderr)
	}
}

// TestWatchCapabilities: CAP_BPF and CAP_PERFMON are enough, without root
// (uid 65534 with those two as ambient capabilities).
func TestWatchCapabilities(t *testing.T) {
	prefix := asNobody(t)
	prefix = append(prefix, "--inh-caps", "+bpf,+perfmon", "--ambient-caps", "+bpf,+perfmon")
	sonde := publicCopy(t, testutil.BuildSonde(t))[0]
	out, stderr, st := runBinary(t, append(prefix, sonde, "watch", "--json", "--alerts-only", "--duration", "1s")...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var s watchRecord
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &s); err != nil || st != exited(0) || s.Type != "summary" || s.Program != "tp_btf" {
		t.Errorf("as nobody with CAP_BPF, CAP_PERFMON: %v, last line %q (%v), stderr %q", st, lines[len(lines)-1], err, stderr)
	}
}

// TestWatchStats: --stats 200ms writes a "stats" record with the counts so
// far (drop count included) every 200 ms, even with nothing to report, and
// the summary last.
func TestWatchStats(t *testing.T) {
	w := startWatch(t, "--alerts-only", "--stats", "200ms", "--duration", "1s")
	recs := w.finish(t, false)
	stats := 0
	for _, r := range recs[:len(recs)-1] {
		if r.Type == "stats" {
			stats++
			if r.Dropped == nil || r.Program == "" {
				t.Errorf("stats record without a drop count or program: %+v", r)
			}
		}
	}
	if stats < 3 || stats > 5 {
		t.Errorf("%d stats records in 1s at 200ms, want 4 or so", stats)
	}
}
