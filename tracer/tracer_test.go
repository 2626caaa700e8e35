package tracer_test

import (
	"context"
	"errors"
	"os"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/filter"
	"github.com/sonde-dev/sonde/internal/testutil"
	"github.com/sonde-dev/sonde/tracer"
)

// record keeps a copy of what matters of each event.
type record struct {
	mu     sync.Mutex
	events []recorded
}

type recorded struct {
	kind    tracer.EventKind
	pid     int
	name    string
	rval    int64
	isError bool
	status  int
	sig     int
	nargs   int
}

func (r *record) Event(ev *tracer.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	x := recorded{kind: ev.Kind, pid: ev.Pid, rval: ev.Rval, isError: ev.IsError, status: ev.Status, sig: ev.Sig, nargs: ev.Args.Top}
	if ev.Kind == tracer.SyscallEnter || ev.Kind == tracer.SyscallExit {
		x.name = ev.Name()
	}
	r.events = append(r.events, x)
}

func launch(t *testing.T, cfg tracer.Config, argv ...string) (tracer.Status, *record) {
	t.Helper()
	st, rec, _ := launchTracer(t, cfg, argv...)
	return st, rec
}

func launchTracer(t *testing.T, cfg tracer.Config, argv ...string) (tracer.Status, *record, *tracer.Tracer) {
	t.Helper()
	testutil.RequirePtrace(t)
	rec := &record{}
	cfg.Sink = rec
	if cfg.Decode == (decode.Options{}) {
		cfg.Decode = decode.DefaultOptions
	}
	tr, err := tracer.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	if _, err := tr.Launch(&tracer.Command{Path: argv[0], Argv: argv, Stdin: devnull, Stdout: devnull, Stderr: devnull}); err != nil {
		t.Fatalf("launch %v: %v", argv, err)
	}
	st, err := tr.Run(context.Background())
	if err != nil {
		t.Fatalf("run %v: %v", argv, err)
	}
	return st, rec, tr
}

func TestLaunchReportsFromExecveToExit(t *testing.T) {
	st, rec := launch(t, tracer.Config{}, "/bin/true")
	if !st.Exited || st.Code != 0 {
		t.Errorf("status %+v, want exited 0", st)
	}
	ev := rec.events
	if len(ev) < 4 {
		t.Fatalf("only %d events", len(ev))
	}
	if first := ev[0]; first.kind != tracer.SyscallEnter || first.name != "execve" || first.nargs != 3 {
		t.Errorf("first event %+v, want the execve entry with 3 arguments", first)
	}
	if second := ev[1]; second.kind != tracer.SyscallExit || second.name != "execve" || second.rval != 0 {
		t.Errorf("second event %+v, want the execve exit = 0", second)
	}
	last := ev[len(ev)-1]
	if last.kind != tracer.Exited || last.status != 0 {
		t.Errorf("last event %+v, want Exited 0", last)
	}
	// Nothing of the launch stub shows: one task, and every entry is
	// followed by its exit or the task's end.
	for _, e := range ev {
		if e.pid != ev[0].pid {
			t.Errorf("event of another task %d: %+v", e.pid, e)
		}
	}
	var exitGroup bool
	for _, e := range ev {
		if e.kind == tracer.SyscallEnter && e.name == "exit_group" {
			exitGroup = true
		}
	}
	if !exitGroup {
		t.Error("no exit_group entry")
	}
}

func TestExitCodeAndSignal(t *testing.T) {
	st, _ := launch(t, tracer.Config{}, "/bin/sh", "-c", "exit 7")
	if !st.Exited || st.Code != 7 {
		t.Errorf("exit 7: status %+v", st)
	}
	st, rec := launch(t, tracer.Config{}, "/bin/sh", "-c", "kill -TERM $$")
	if st.Exited || st.Signal != syscall.SIGTERM {
		t.Errorf("kill -TERM: status %+v, want killed by SIGTERM", st)
	}
	var sawSignal, sawKilled bool
	for _, e := range rec.events {
		sawSignal = sawSignal || (e.kind == tracer.Signal && e.sig == int(syscall.SIGTERM))
		sawKilled = sawKilled || (e.kind == tracer.Killed && e.sig == int(syscall.SIGTERM))
	}
	if !sawSignal || !sawKilled {
		t.Errorf("signal event %v, killed event %v; want both", sawSignal, sawKilled)
	}
}

func TestFollowForks(t *testing.T) {
	_, rec := launch(t, tracer.Config{Follow: true}, "/bin/sh", "-c", "/bin/true; /bin/true")
	pids := map[int]bool{}
	for _, e := range rec.events {
		pids[e.pid] = true
	}
	if len(pids) < 3 {
		t.Errorf("saw %d tasks with -f, want the shell and its 2 children", len(pids))
	}
	_, rec = launch(t, tracer.Config{}, "/bin/sh", "-c", "/bin/true; /bin/true")
	pids = map[int]bool{}
	for _, e := range rec.events {
		pids[e.pid] = true
	}
	if len(pids) != 1 {
		t.Errorf("saw %d tasks without -f, want 1", len(pids))
	}
}

func TestExecFailureShowsOnlyExecveAndExit(t *testing.T) {
	st, rec := launch(t, tracer.Config{}, "/etc/passwd")
	if !st.Exited || st.Code != 1 {
		t.Errorf("status %+v, want exited 1", st)
	}
	var names []string
	for _, e := range rec.events {
		names = append(names, e.name)
	}
	if len(rec.events) != 3 || rec.events[1].rval != -int64(syscall.EACCES) || !rec.events[1].isError || rec.events[2].kind != tracer.Exited {
		t.Errorf("events %+v (%s), want execve entry, its EACCES exit, exited", rec.events, strings.Join(names, ","))
	}
}

func TestConfigErrors(t *testing.T) {
	if _, err := tracer.New(tracer.Config{}); err == nil {
		t.Error("New without a sink succeeded")
	}
	tr, err := tracer.New(tracer.Config{Sink: &record{}, Decode: decode.DefaultOptions})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if _, err := tr.Run(context.Background()); !errors.Is(err, tracer.ErrNoCommand) {
		t.Errorf("Run without Launch: %v, want ErrNoCommand", err)
	}
}

// The seccomp prefilter: with a trace set that leaves syscalls out, only
// traced syscalls stop the program; a child that is not followed (no -f)
// is traced silently so its traced syscalls still work (a filtered task
// without a tracer would get ENOSYS); --no-seccomp-bpf stops at every
// syscall and reports the same events.
func TestPrefilter(t *testing.T) {
	set, err := filter.ParseSyscalls("openat")
	if err != nil {
		t.Fatal(err)
	}
	f := filter.Defaults()
	f.Trace = set
	// cat's openat must succeed for the shell to exit with 3.
	argv := []string{"/bin/sh", "-c", "cat /etc/hostname >/dev/null && exit 3"}
	run := func(noPrefilter bool) (int, []recorded, bool) {
		st, rec, tr := launchTracer(t, tracer.Config{Filter: f, NoPrefilter: noPrefilter}, argv...)
		if !st.Exited || st.Code != 3 {
			t.Fatalf("noPrefilter=%v: status %+v, want exited 3 (a child's openat failed?)", noPrefilter, st)
		}
		return tr.Stops(), rec.events, tr.Prefiltered()
	}
	fStops, fEvents, on := run(false)
	if !on {
		t.Fatal("the prefilter was not used for -e trace=openat")
	}
	pStops, pEvents, on := run(true)
	if on {
		t.Fatal("NoPrefilter: the prefilter was used")
	}
	leader := fEvents[0].pid
	opens := 0
	for _, e := range fEvents {
		if e.pid != leader {
			t.Errorf("event of an unfollowed child: %+v", e)
		}
		switch e.kind {
		case tracer.SyscallEnter, tracer.SyscallExit:
			if e.name != "openat" {
				t.Errorf("untraced syscall reported: %+v", e)
			}
			if e.kind == tracer.SyscallEnter {
				opens++
			}
		case tracer.Attached:
			t.Errorf("unfollowed child announced: %+v", e)
		}
	}
	if opens == 0 {
		t.Fatal("no openat reported")
	}
	if count := func(ev []recorded) (n int) {
		for _, e := range ev {
			if e.kind == tracer.SyscallEnter && e.name == "openat" {
				n++
			}
		}
		return
	}; count(fEvents) != count(pEvents) {
		t.Errorf("openat reported %d times with the prefilter, %d without", count(fEvents), count(pEvents))
	}
	// Without the filter the shell stops twice per syscall; with it, about
	// twice per openat plus the child's silent ones and a few events.
	if fStops*2 > pStops {
		t.Errorf("prefilter: %d stops, without it %d: the filter does not spare stops", fStops, pStops)
	}
	t.Logf("stops: %d with the prefilter, %d without", fStops, pStops)
}

// The ptrace thread sleeps in wait4 through the Go runtime, and polls with
// raw syscalls only while they cannot block: garbage collection runs during
// a trace, and cancelling Run's context ends a wait4 that nothing else
// would end (the tracee sleeps), promptly, with the launched program killed.
func TestGCAndCancelDuringTrace(t *testing.T) {
	testutil.RequirePtrace(t)
	prog := testutil.BuildFixtures(t).C(t, testutil.X86_64, "ddloop")
	tr, err := tracer.New(tracer.Config{Decode: decode.DefaultOptions, Sink: &record{}})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if _, err := tr.Launch(&tracer.Command{Path: prog, Argv: []string{prog, "5000"}}); err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.NumGC
	done := make(chan error, 1)
	go func() { _, err := tr.Run(context.Background()); done <- err }()
	gcs := 0
	for loop := true; loop; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			loop = false
		default:
			runtime.GC()
			gcs++
		}
	}
	runtime.ReadMemStats(&ms)
	if gcs == 0 || ms.NumGC <= before {
		t.Errorf("no garbage collection completed during the trace (%d asked)", gcs)
	}

	// Cancel while the tracee sleeps.
	tr2, err := tracer.New(tracer.Config{Decode: decode.DefaultOptions, Sink: &record{}})
	if err != nil {
		t.Fatal(err)
	}
	defer tr2.Close()
	pid, err := tr2.Launch(&tracer.Command{Path: "/bin/sleep", Argv: []string{"sleep", "30"}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = tr2.Run(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Run after cancel: %v, want the context's error", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Run took %v to notice its context was done", d)
	}
	if err := syscall.Kill(pid, 0); err == nil {
		var ws syscall.WaitStatus
		if wpid, _ := syscall.Wait4(pid, &ws, syscall.WNOHANG, nil); wpid == 0 {
			t.Errorf("the launched sleep %d still runs after the cancelled trace", pid)
		}
	}
}
