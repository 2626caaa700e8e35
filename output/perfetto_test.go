package output_test

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/output"
	"github.com/sonde-dev/sonde/sysent"
	"github.com/sonde-dev/sonde/tracer"
)

// traceEvent is one Chrome trace event as the tests read it.
type traceEvent struct {
	Ph   string          `json:"ph"`
	Name *string         `json:"name"`
	Cat  string          `json:"cat"`
	Pid  *int            `json:"pid"`
	Tid  *int            `json:"tid"`
	Ts   *float64        `json:"ts"`
	Dur  *float64        `json:"dur"`
	S    string          `json:"s"`
	Args json.RawMessage `json:"args"`
}

func TestPerfetto(t *testing.T) {
	x := sysent.X86_64
	r := jcall(x, arch.X86_64, 1, 0, "read", [6]uint64{0, 0x1000, 10}, true, func(o *decode.Out) { o.FD(0, nil) })
	r.Comm = []byte("cat")
	w := jcall(x, arch.X86_64, 2, 1, "write", [6]uint64{1, 0x2000, 2}, false, func(o *decode.Out) {
		o.FD(1, nil)
		o.Bytes([]byte("hi"), false)
		o.Uint(2)
	})
	w.Tgid, w.Comm = 1, []byte("worker")
	rExit := jret(r, 3, 2, false, func(o *decode.Out) {
		o.Bytes([]byte("hi"), false)
		o.Uint(10)
	})
	rExit.Comm = r.Comm
	wExit := jret(w, 2, -32, true, nil)
	wExit.Comm = w.Comm
	sig := &tracer.Event{Kind: tracer.Signal, Pid: 1, Tgid: 1, Time: at(4), Sig: 13, Comm: r.Comm}
	sig.Args.Struct()
	sig.Args.Field("si_signo")
	sig.Args.Set(decode.SignalFormatter, 13)
	sig.Args.End()
	eg := jcall(x, arch.X86_64, 1, 5, "exit_group", [6]uint64{1}, false, func(o *decode.Out) { o.Int(1) })
	evs := []*tracer.Event{r, w, wExit, rExit, sig, eg,
		{Kind: tracer.Exiting, Pid: 1, Tgid: 1, Time: at(6), Comm: r.Comm},
		{Kind: tracer.Exited, Pid: 1, Tgid: 1, Time: at(7), Status: 1, Comm: r.Comm},
	}
	var b bytes.Buffer
	p := output.NewPerfetto(&b, output.PerfettoOptions{})
	for _, ev := range evs {
		p.Event(ev)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	var events []traceEvent
	if err := json.Unmarshal(b.Bytes(), &events); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, b.String())
	}
	names := map[string]bool{}
	var got []string
	for _, e := range events {
		if e.Pid == nil || e.Tid == nil || e.Ts == nil || e.Name == nil || e.Ph == "" {
			t.Errorf("event lacks ph, ts, pid, tid or name: %+v", e)
			continue
		}
		switch e.Ph {
		case "M":
			var a struct{ Name string }
			json.Unmarshal(e.Args, &a)
			names[*e.Name+" "+a.Name] = true
		case "X":
			if e.Dur == nil {
				t.Errorf("complete event without dur: %+v", e)
				continue
			}
			got = append(got, *e.Name)
		case "i":
			if e.S != "t" {
				t.Errorf("instant event not on its thread: %+v", e)
			}
			got = append(got, *e.Name)
		default:
			t.Errorf("unexpected phase %q", e.Ph)
		}
	}
	want := []string{
		`write(1, "hi", 2) = -1 EPIPE (Broken pipe)`,
		`read(0, "hi", 10) = 2`,
		`--- SIGPIPE {si_signo=SIGPIPE} ---`,
		`exit_group(1) = ?`,
		`+++ exited with 1 +++`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, n := range []string{"process_name cat", "thread_name cat", "thread_name worker"} {
		if !names[n] {
			t.Errorf("no %s metadata: %v", n, names)
		}
	}
	// Times: the read began at 0 and took 3µs.
	if !strings.Contains(b.String(), `"name":"read(0, \"hi\", 10) = 2","cat":"read","pid":1,"tid":1,"ts":0.000,"dur":3.000`) {
		t.Errorf("read's slice:\n%s", b.String())
	}
}

func TestPerfettoEmpty(t *testing.T) {
	var b bytes.Buffer
	p := output.NewPerfetto(&b, output.PerfettoOptions{})
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	var events []traceEvent
	if err := json.Unmarshal(b.Bytes(), &events); err != nil || len(events) != 0 {
		t.Errorf("empty timeline %q: %v", b.String(), err)
	}
}

// TestAppendCall checks that AppendCall prints calls as Text does.
func TestAppendCall(t *testing.T) {
	x := sysent.X86_64
	cl := jcall(x, arch.X86_64, 1, 0, "clone", [6]uint64{}, true, func(o *decode.Out) {
		o.Field("child_stack")
		o.Addr(0)
		o.Field("flags")
		o.Set(fakeFormatter("CLONE_CHILD_SETTID|SIGCHLD"), 0)
	})
	cl.SepAtExit = true
	clExit := jret(cl, 1, 12, false, func(o *decode.Out) {
		o.Field("child_tidptr")
		o.Addr(0x7f00)
	})
	clExit.SepAtExit = true
	rd := jcall(x, arch.X86_64, 1, 2, "read", [6]uint64{}, true, func(o *decode.Out) { o.FD(3, nil) })
	rdExit := jret(rd, 3, -11, true, func(o *decode.Out) {
		o.Addr(0x1000)
		o.Uint(5)
	})
	fc := jcall(x, arch.X86_64, 1, 4, "fcntl", [6]uint64{}, false, func(o *decode.Out) {
		o.FD(3, nil)
		o.Sym("F_GETFD", 1)
	})
	fcExit := jret(fc, 5, 1, false, nil)
	fcExit.Note, fcExit.NoteVal = fakeFormatter("flags FD_CLOEXEC"), 1
	spaces := regexp.MustCompile(` +=`)
	for _, c := range [][2]*tracer.Event{{cl, clExit}, {rd, rdExit}, {fc, fcExit}} {
		text := strings.TrimSuffix(spaces.ReplaceAllString(render(output.TextOptions{}, c[0], c[1]), " ="), "\n")
		if got := string(output.AppendCall(nil, c[0], c[1], output.TextOptions{})); got != text {
			t.Errorf("AppendCall:\n%s\nText:\n%s", got, text)
		}
	}
	unfinished := render(output.TextOptions{}, rd, &tracer.Event{Kind: tracer.Exiting, Pid: 1})
	unfinished = strings.TrimSuffix(spaces.ReplaceAllString(unfinished, " ="), "\n")
	if got := string(output.AppendCall(nil, rd, nil, output.TextOptions{})); got != unfinished {
		t.Errorf("AppendCall of a call that did not return:\n%s\nText:\n%s", got, unfinished)
	}
}
