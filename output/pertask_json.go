package output

import (
	"os"
	"time"

	"github.com/sonde-dev/sonde/tracer"
)

// PerTaskJSON writes the JSON lines of each task to its own file,
// PREFIX.PID (--json -ff -o PREFIX), as PerTask does for text. A file is
// created at the task's first event and closed when the task exits or is
// detached; "t" counts from the first event of the whole trace in every
// file. It is a tracer.Sink.
type PerTaskJSON struct {
	taskFiles[*JSON]
	start time.Time
}

// NewPerTaskJSON returns a sink writing PREFIX.PID files of JSON lines.
func NewPerTaskJSON(prefix string, opt JSONOptions) *PerTaskJSON {
	p := &PerTaskJSON{}
	p.taskFiles = newTaskFiles(prefix, func(f *os.File) *JSON { return newJSON(f, opt, &p.start) })
	return p
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
			if c = from.s.calls[ev.OldPid]; c != nil {
				delete(from.s.calls, ev.OldPid)
			}
			p.close(ev.OldPid)
		}
		if to := p.get(ev.Pid); to != nil {
			to.s.Event(ev)
			if c != nil {
				to.s.adopt(ev.Pid, c)
			}
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
