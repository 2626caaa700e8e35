package output

import (
	"os"
	"strconv"
	"syscall"

	"github.com/sonde-dev/sonde/tracer"
)

// PerTask writes the trace of each task to its own file, PREFIX.PID, with
// no pid prefix on the lines (strace -ff -o PREFIX). A file is created at
// the task's first event and closed when it exits or is detached. It is a
// tracer.Sink.
type PerTask struct {
	prefix string
	opt    TextOptions
	outs   map[int]*taskOut
	err    error
}

type taskOut struct {
	f *os.File
	t *Text
}

// NewPerTask returns a sink writing PREFIX.PID files.
func NewPerTask(prefix string, opt TextOptions) *PerTask {
	opt.Prefix = PrefixNever
	return &PerTask{prefix: prefix, opt: opt, outs: map[int]*taskOut{}}
}

func (p *PerTask) get(pid int) *taskOut {
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
	o := &taskOut{f: f, t: NewText(f, p.opt)}
	p.outs[pid] = o
	return o
}

func (p *PerTask) close(pid int) {
	o := p.outs[pid]
	if o == nil {
		return
	}
	if err := o.t.Flush(); err != nil && p.err == nil {
		p.err = err
	}
	if err := o.f.Close(); err != nil && p.err == nil {
		p.err = err
	}
	delete(p.outs, pid)
}

// Event writes ev to its task's file.
func (p *PerTask) Event(ev *tracer.Event) {
	if ev.Kind == tracer.Exec {
		// The execing thread takes the leader's pid, and the leader's file
		// goes on with the thread's trace; the thread's own file ends.
		var c *inflight
		if from := p.outs[ev.OldPid]; from != nil {
			c = from.t.calls[ev.OldPid]
			if from.t.cur == ev.OldPid {
				from.t.pidChanged(ev.Pid)
			}
			p.close(ev.OldPid)
		}
		if to := p.get(ev.Pid); to != nil {
			to.t.superseded(ev.Pid, ev.OldPid, ev.Time, c)
		}
		return
	}
	o := p.get(ev.Pid)
	if o == nil {
		return
	}
	o.t.Event(ev)
	switch ev.Kind {
	case tracer.Exited, tracer.Killed, tracer.Detached:
		p.close(ev.Pid)
	}
}

// Flush writes what every open file holds.
func (p *PerTask) Flush() error {
	for _, o := range p.outs {
		if err := o.t.Flush(); err != nil && p.err == nil {
			p.err = err
		}
	}
	return p.err
}

// Close flushes and closes every file still open.
func (p *PerTask) Close() error {
	for pid := range p.outs {
		p.close(pid)
	}
	return p.err
}
