package output

import (
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/sonde-dev/sonde/tracer"
)

// PerTaskJSON writes the JSON lines of each task to its own file,
// PREFIX.PID (--json -ff -o PREFIX), as PerTask does for text. A file is
// created at the task's first event and closed when the task exits or is
// detached; "t" counts from the first event of the whole trace in every
// file. It is a tracer.Sink.
type PerTaskJSON struct {
	prefix string
	opt    JSONOptions
	start  time.Time
	outs   map[int]*jsonOut
	err    error
}

type jsonOut struct {
	f *os.File
	j *JSON
}

// NewPerTaskJSON returns a sink writing PREFIX.PID files of JSON lines.
func NewPerTaskJSON(prefix string, opt JSONOptions) *PerTaskJSON {
	return &PerTaskJSON{prefix: prefix, opt: opt, outs: map[int]*jsonOut{}}
}

func (p *PerTaskJSON) get(pid int) *jsonOut {
	if o := p.outs[pid]; o != nil {
		return o
	}
	name := p.prefix + "." + strconv.Itoa(pid)
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_CLOEXEC, 0o666)
	if err != nil {
		if p.err == nil {
			p.err = err
		}
		return nil
	}
	o := &jsonOut{f: f, j: newJSON(f, p.opt, &p.start)}
	p.outs[pid] = o
	return o
}

func (p *PerTaskJSON) close(pid int) {
	o := p.outs[pid]
	if o == nil {
		return
	}
	if err := o.j.Flush(); err != nil && p.err == nil {
		p.err = err
	}
	if err := o.f.Close(); err != nil && p.err == nil {
		p.err = err
	}
	delete(p.outs, pid)
}

// Event writes ev to its task's file.
func (p *PerTaskJSON) Event(ev *tracer.Event) {
	if p.start.IsZero() && !ev.Time.IsZero() {
		p.start = ev.Time
	}
	if ev.Kind == tracer.Exec {
		// The thread that execed takes the leader's pid: its file ends,
		// and its execve goes on in the leader's file.
		var c *jsonCall
		if from := p.outs[ev.OldPid]; from != nil {
			if c = from.j.calls[ev.OldPid]; c != nil {
				delete(from.j.calls, ev.OldPid)
			}
			p.close(ev.OldPid)
		}
		if to := p.get(ev.Pid); to != nil {
			to.j.Event(ev)
			if c != nil {
				to.j.adopt(ev.Pid, c)
			}
		}
		return
	}
	o := p.get(ev.Pid)
	if o == nil {
		return
	}
	o.j.Event(ev)
	switch ev.Kind {
	case tracer.Exited, tracer.Killed, tracer.Detached:
		p.close(ev.Pid)
	}
}

// Flush writes what every open file holds.
func (p *PerTaskJSON) Flush() error {
	for _, o := range p.outs {
		if err := o.j.Flush(); err != nil && p.err == nil {
			p.err = err
		}
	}
	return p.err
}

// Close flushes and closes every file still open.
func (p *PerTaskJSON) Close() error {
	for pid := range p.outs {
		p.close(pid)
	}
	return p.err
}
