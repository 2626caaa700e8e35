package monitor

import (
	"strings"
	"testing"
	"time"
)

// ev builds a successful event of tracer 100 on target tid.
func ev(call Call, req uint64, tracer, target int, result int64) *Event {
	e := &Event{Type: "event", Time: time.Unix(1000, 0), call: call, Call: call.String(), reqNr: req,
		ABI: "x86_64", Tracer: Process{Pid: tracer, Tid: tracer, Comm: "inj"},
		Target: Process{Pid: target, Tid: target, Comm: "victim"}, Result: result}
	if call == CallPtrace {
		e.Request = requestName("x86_64", req)
	} else {
		e.Request = call.String()
	}
	if result < 0 {
		e.Errno = "EPERM"
	}
	return e
}

func feedAll(d *Detector, evs ...*Event) []Alert {
	var out []Alert
	for _, e := range evs {
		out = append(out, d.Feed(e)...)
	}
	return out
}

func TestMonitorDetectorInjection(t *testing.T) {
	p := func(req uint64) *Event { return ev(CallPtrace, req, 100, 200, 0) }
	tests := []struct {
		name  string
		evs   []*Event
		steps []string // nil: no alert
	}{
		{"attach poke setregs detach",
			[]*Event{p(reqAttach), p(reqGetRegs), p(reqPokeText), p(reqSetRegs), p(reqDetach)},
			[]string{"PTRACE_ATTACH", "PTRACE_GETREGS", "PTRACE_POKETEXT", "PTRACE_SETREGS", "PTRACE_DETACH"}},
		{"seize pokedata setregset cont, then more pokes and detach",
			[]*Event{p(reqSeize), p(reqPokeData), p(reqPokeData), p(reqSetRegSet), p(reqCont), p(reqPokeData), p(reqSetRegs), p(reqDetach)},
			[]string{"PTRACE_SEIZE", "PTRACE_POKEDATA", "PTRACE_SETREGSET", "PTRACE_CONT"}},
		{"process_vm_writev as the write",
			[]*Event{p(reqAttach), ev(CallProcessVMWritev, 0, 100, 200, 8), p(reqSetRegs), p(reqCont)},
			[]string{"PTRACE_ATTACH", "process_vm_writev", "PTRACE_SETREGS", "PTRACE_CONT"}},
		{"mem file opened for writing before the attach",
			[]*Event{ev(CallOpenat, 0, 100, 200, 3), p(reqSeize), p(reqSetRegSet), p(reqDetach)},
			[]string{"openat", "PTRACE_SEIZE", "PTRACE_SETREGSET", "PTRACE_DETACH"}},
		{"debugger: attach, peek, getregs, cont, detach", []*Event{p(reqAttach), p(1), p(reqGetRegs), p(reqCont), p(reqDetach)}, nil},
		{"no setregs", []*Event{p(reqAttach), p(reqPokeText), p(reqDetach)}, nil},
		{"no write", []*Event{p(reqAttach), p(reqSetRegs), p(reqCont)}, nil},
		{"no attach", []*Event{p(reqPokeText), p(reqSetRegs), p(reqCont)}, nil},
		{"failed poke", []*Event{p(reqAttach), ev(CallPtrace, reqPokeText, 100, 200, -1), p(reqSetRegs), p(reqDetach)}, nil},
		{"detach before setregs ends the sequence",
			[]*Event{p(reqAttach), p(reqPokeText), p(reqDetach), p(reqSetRegs), p(reqCont)}, nil},
		{"steps against another target do not count",
			[]*Event{p(reqAttach), ev(CallPtrace, reqPokeText, 100, 201, 0), p(reqSetRegs), p(reqDetach)}, nil},
		{"another tracer's steps do not count",
			[]*Event{p(reqAttach), ev(CallPtrace, reqPokeText, 101, 200, 0), p(reqSetRegs), p(reqDetach)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDetector()
			alerts := feedAll(d, tt.evs...)
			if tt.steps == nil {
				if len(alerts) != 0 {
					t.Fatalf("alerts %+v, want none", alerts)
				}
				return
			}
			if len(alerts) != 1 {
				t.Fatalf("%d alerts %+v, want 1", len(alerts), alerts)
			}
			a := alerts[0]
			if a.Kind != AlertInjection || a.Tracer.Pid != 100 || a.Target.Pid != 200 || a.Target.Comm != "victim" {
				t.Errorf("alert %+v", a)
			}
			if strings.Join(a.Steps, ",") != strings.Join(tt.steps, ",") {
				t.Errorf("steps %q, want %q", a.Steps, tt.steps)
			}
		})
	}
}

func TestMonitorDetectorTraceMe(t *testing.T) {
	d := NewDetector()
	e := ev(CallPtrace, reqTraceMe, 300, 300, -1)
	e.ABI = "i386"
	alerts := d.Feed(e)
	if len(alerts) != 1 || alerts[0].Kind != AlertAntiDebug || alerts[0].Tracer.Pid != 300 || alerts[0].ABI != "i386" {
		t.Fatalf("alerts %+v", alerts)
	}
	got := string(alerts[0].AppendText(nil))
	want := "ALERT anti-debug: 300 (inj) called PTRACE_TRACEME = -1 EPERM (already traced: a debugger check) abi=i386"
	if got != want {
		t.Errorf("text %q\nwant %q", got, want)
	}
	if a := d.Feed(ev(CallPtrace, reqTraceMe, 301, 301, 0)); len(a) != 0 {
		t.Errorf("successful TRACEME: alerts %+v, want none", a)
	}
	if d.Pending() != 0 {
		t.Errorf("%d pending sequences after a TRACEME", d.Pending())
	}
}

func TestMonitorDetectorText(t *testing.T) {
	d := NewDetector()
	p := func(req uint64) *Event { return ev(CallPtrace, req, 1234, 1240, 0) }
	alerts := feedAll(d, p(reqAttach), p(reqPokeText), p(reqSetRegs), p(reqDetach))
	if len(alerts) != 1 {
		t.Fatalf("alerts %+v", alerts)
	}
	got := string(alerts[0].AppendText(nil))
	want := "ALERT injection: tracer 1234 (inj) → target 1240 (victim): PTRACE_ATTACH, PTRACE_POKETEXT, PTRACE_SETREGS, PTRACE_DETACH abi=x86_64"
	if got != want {
		t.Errorf("text %q\nwant %q", got, want)
	}
}

// TestDetectorBounded: the state never grows past MaxPairs.
func TestMonitorDetectorBounded(t *testing.T) {
	d := NewDetector()
	d.MaxPairs = 10
	for i := 0; i < 1000; i++ {
		d.Feed(ev(CallPtrace, reqAttach, 100, 1000+i, 0))
		if d.Pending() > 10 {
			t.Fatalf("%d pending pairs after %d attaches", d.Pending(), i+1)
		}
	}
}
