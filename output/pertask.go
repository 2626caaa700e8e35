package output

import (
	"os"

	"github.com/sonde-dev/sonde/tracer"
)

// PerTask writes the trace of each task to its own file, PREFIX.PID, with
// no pid prefix on the lines (strace -ff -o PREFIX). A file is created at
// the task's first event and closed when it exits or is detached. It is a
// tracer.Sink.
type PerTask struct {
	taskFiles[*Text]
}

// NewPerTask returns a sink writing PREFIX.PID files.
func NewPerTask(prefix string, opt TextOptions) *PerTask {
	opt.Prefix = PrefixNever
	return &PerTask{newTaskFiles(prefix, func(f *os.File) *Text { return NewText(f, opt) })}
}

// Event writes ev to its task's file.
func (p *PerTask) Event(ev *tracer.Event) {
	if ev.Kind == tracer.Exec {
		// The execing thread takes the leader's pid, and the leader's file
		// goes on with the thread's trace; the thread's own file ends.
		var c *inflight
		if from := p.outs[ev.OldPid]; from != nil {
			c = from.s.calls[ev.OldPid]
			if from.s.cur == ev.OldPid {
				from.s.pidChanged(ev.Pid)
			}
			p.close(ev.OldPid)
		}
		if to := p.get(ev.Pid); to != nil {
			to.s.superseded(ev.Pid, ev.OldPid, ev.Time, c)
		}
		return
	}
	o := p.get(ev.Pid)
	if o == nil {
		return
	}
	o.s.Event(ev)
	switch ev.Kind {
	case tracer.Exited, tracer.Killed, tracer.Detached:
		p.close(ev.Pid)
	}
}
