package tracer_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/sonde-dev/sonde/decode"
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
	return st, rec
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
