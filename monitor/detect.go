package monitor

import (
	"strconv"
	"time"
)

// Alert kinds.
const (
	AlertInjection = "injection"  // attach, write, set registers, resume
	AlertAntiDebug = "anti_debug" // PTRACE_TRACEME refused: the caller is traced already
)

// Alert is what the detector concludes from a sequence of events. It is the
// "alert" record of docs/watch.md's JSON schema.
type Alert struct {
	Type   string    `json:"type"` // "alert"
	Time   time.Time `json:"time"` // of the event that completed it
	Kind   string    `json:"kind"`
	Tracer Process   `json:"tracer"`
	Target Process   `json:"target"`
	// Steps are the distinct requests seen, in the order first seen
	// (PTRACE_ATTACH, PTRACE_POKETEXT, PTRACE_SETREGS, PTRACE_DETACH).
	Steps  []string `json:"steps"`
	Result int64    `json:"result"` // of the last step
	Errno  string   `json:"errno,omitempty"`
	ABI    string   `json:"abi"`
	Cgroup string   `json:"cgroup,omitempty"`

	ContainerID string `json:"container_id,omitempty"`
}

// AppendText appends the alert as one line for a person (no newline).
func (a *Alert) AppendText(b []byte) []byte {
	b = append(b, "ALERT "...)
	switch a.Kind {
	case AlertInjection:
		b = append(b, "injection: tracer "...)
		b = appendWho(b, &a.Tracer)
		b = append(b, " → target "...)
		b = appendWho(b, &a.Target)
		b = append(b, ": "...)
		for i, s := range a.Steps {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(b, s...)
		}
	case AlertAntiDebug:
		b = append(b, "anti-debug: "...)
		b = appendWho(b, &a.Tracer)
		b = append(b, " called PTRACE_TRACEME = "...)
		if a.Errno != "" {
			b = append(b, "-1 "...)
			b = append(b, a.Errno...)
			b = append(b, " (already traced: a debugger check)"...)
		} else {
			b = strconv.AppendInt(b, a.Result, 10)
		}
	default:
		b = append(b, a.Kind...)
	}
	b = append(b, " abi="...)
	b = append(b, a.ABI...)
	return b
}

func appendWho(b []byte, p *Process) []byte {
	b = strconv.AppendInt(b, int64(p.Pid), 10)
	b = append(b, " ("...)
	if p.Comm == "" {
		b = append(b, '?')
	}
	b = append(b, p.Comm...)
	return append(b, ')')
}

// step is one stage of the injection pattern.
type step uint8

const (
	stepAttach step = 1 << iota
	stepWrite
	stepSetRegs
)

// sequence is what one tracer has done to one target so far.
type sequence struct {
	have   step
	steps  []string
	last   time.Time
	target Process
}

type pairKey struct{ tracer, target int }

// Detector finds injection sequences and TRACEME calls in a stream of
// events. It keeps a bounded state per (tracer process, target) pair; Feed
// is not safe for concurrent use.
type Detector struct {
	seqs map[pairKey]*sequence
	// MaxPairs bounds the state; when reached, sequences idle for longer
	// than MaxIdle are forgotten (all of them if none is).
	MaxPairs int
	MaxIdle  time.Duration
}

// NewDetector returns a detector with room for 4096 pairs idle up to 10 minutes.
func NewDetector() *Detector {
	return &Detector{seqs: map[pairKey]*sequence{}, MaxPairs: 4096, MaxIdle: 10 * time.Minute}
}

// classify returns the injection step of a successful event, or 0, and
// whether the event resumes or releases the target (CONT, DETACH).
func classify(e *Event) (s step, resume bool) {
	switch e.call {
	case CallPtrace:
		switch e.reqNr {
		case reqAttach, reqSeize:
			return stepAttach, false
		case reqPokeText, reqPokeData:
			return stepWrite, false
		case reqSetRegs, reqSetRegSet, reqPokeUser:
			return stepSetRegs, false
		case reqCont, reqDetach:
			return 0, true
		}
	case CallProcessVMWritev:
		return stepWrite, false
	case CallOpen, CallOpenat, CallOpenat2:
		return stepWrite, false // only mem files opened for writing get here
	}
	return 0, false
}

// isGetRegs reports a register read, shown among the steps when it comes
// inside a sequence.
func isGetRegs(e *Event) bool {
	return e.call == CallPtrace && (e.reqNr == reqGetRegs || e.reqNr == reqGetRegSet)
}

// Feed takes the next event and returns the alerts it completes: at most
// one injection alert per sequence (the state is dropped when it fires) and
// one anti-debug alert per TRACEME. Failed calls do not advance a sequence.
func (d *Detector) Feed(e *Event) []Alert {
	if e.call == CallPtrace && e.reqNr == reqTraceMe {
		// A failed TRACEME is the anti-debug check catching a tracer. A
		// successful one is as often a debugger's or strace's child
		// before its execve (strace probes with one at every start):
		// the event shows it, marked, without an alert.
		if e.Result < 0 {
			return []Alert{d.alert(e, AlertAntiDebug, e.Tracer, []string{e.Request})}
		}
		return nil
	}
	if e.Result < 0 {
		return nil
	}
	s, resume := classify(e)
	if s == 0 && !resume && !isGetRegs(e) {
		return nil
	}
	target := e.Target.Pid
	if e.call == CallPtrace && e.Target.Tid != 0 {
		// ptrace names a thread; the enrichment found its process (or
		// it is gone and the thread id stands in).
		if target == 0 {
			target = e.Target.Tid
		}
	}
	if target == 0 {
		return nil
	}
	k := pairKey{e.Tracer.Pid, target}
	seq := d.seqs[k]
	if seq == nil {
		if s != stepAttach && s != stepWrite {
			return nil // nothing to continue
		}
		d.evict(e.Time)
		seq = &sequence{}
		d.seqs[k] = seq
	}
	if s == stepAttach && seq.have&stepAttach != 0 && seq.have&(stepWrite|stepSetRegs) != 0 {
		// A new attach after an unfinished sequence starts over.
		*seq = sequence{}
	}
	seq.last = e.Time
	if e.Target.Comm != "" || seq.target.Pid == 0 {
		seq.target = e.Target
		seq.target.Pid = target
	}
	seq.have |= s
	if !containsStr(seq.steps, e.Request) {
		seq.steps = append(seq.steps, e.Request)
	}
	if resume && seq.have == stepAttach|stepWrite|stepSetRegs {
		delete(d.seqs, k)
		return []Alert{d.alert(e, AlertInjection, seq.target, seq.steps)}
	}
	if e.call == CallPtrace && e.reqNr == reqDetach {
		delete(d.seqs, k) // released without the whole pattern
	}
	return nil
}

func (d *Detector) alert(e *Event, kind string, target Process, steps []string) Alert {
	return Alert{Type: "alert", Time: e.Time, Kind: kind, Tracer: e.Tracer, Target: target,
		Steps: steps, Result: e.Result, Errno: e.Errno, ABI: e.ABI, Cgroup: e.Cgroup,
		ContainerID: e.ContainerID}
}

// evict makes room for one more pair.
func (d *Detector) evict(now time.Time) {
	if d.MaxPairs <= 0 || len(d.seqs) < d.MaxPairs {
		return
	}
	for k, s := range d.seqs {
		if now.Sub(s.last) > d.MaxIdle {
			delete(d.seqs, k)
		}
	}
	if len(d.seqs) >= d.MaxPairs {
		clear(d.seqs)
	}
}

// Pending returns how many pairs have a sequence in progress.
func (d *Detector) Pending() int { return len(d.seqs) }

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
