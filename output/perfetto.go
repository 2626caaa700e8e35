package output

import (
	"bufio"
	"io"
	"strconv"
	"time"

	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/decode/xlat"
	"github.com/sonde-dev/sonde/filter"
	"github.com/sonde-dev/sonde/tracer"
)

// PerfettoOptions choose what the Perfetto timeline shows.
type PerfettoOptions struct {
	// Text is how slice names render the calls: its Quote (-x) and XStyle
	// (-X) apply.
	Text TextOptions
	// Status, Errnos and Quiet filter as they do the JSON records
	// (JSONOptions).
	Status, Errnos, Quiet *filter.Numbers
}

// Perfetto writes a Chrome trace-event file (a JSON array) that
// ui.perfetto.dev and chrome://tracing open: a complete ("X") event per
// syscall on a track per thread (pid is the process, tid the thread),
// named with the call as strace prints it; signals, stops, exits and execs
// as instant ("i") events; process and thread names ("M" events) from the
// tasks' comm. Times are microseconds since the first event. Events are
// written as they end, so memory holds only the calls in flight and the
// names of live tasks. Close writes the closing bracket. It is a
// tracer.Sink.
type Perfetto struct {
	w       *bufio.Writer
	opt     PerfettoOptions
	staged  bool
	start   time.Time
	opened  bool // "[" written
	n       int  // events written
	calls   map[int]*tracer.Event
	free    []*tracer.Event
	threads map[int]string // the name announced for each thread
	procs   map[int]string // and for each process
	buf     []byte
	text    []byte
	err     error
}

// NewPerfetto returns a timeline writer to w.
func NewPerfetto(w io.Writer, opt PerfettoOptions) *Perfetto {
	staged := (opt.Status != nil && !opt.Status.IsAll()) || (opt.Errnos != nil && !opt.Errnos.IsAll())
	opt.Text.Color = false
	return &Perfetto{
		w: bufio.NewWriterSize(w, 64<<10), opt: opt, staged: staged,
		calls: map[int]*tracer.Event{}, threads: map[int]string{}, procs: map[int]string{},
	}
}

// Flush writes what is buffered (the array stays open).
func (p *Perfetto) Flush() error {
	if err := p.w.Flush(); err != nil && p.err == nil {
		p.err = err
	}
	return p.err
}

// Close ends the array and flushes. The calls still in flight are left
// out.
func (p *Perfetto) Close() error {
	if !p.opened {
		p.w.WriteString("[")
		p.opened = true
	}
	if _, err := p.w.WriteString("\n]\n"); err != nil && p.err == nil {
		p.err = err
	}
	return p.Flush()
}

func (p *Perfetto) quiet(what int) bool { return p.opt.Quiet != nil && p.opt.Quiet.Has(what) }

// Event adds one event to the timeline.
func (p *Perfetto) Event(ev *tracer.Event) {
	if p.start.IsZero() && !ev.Time.IsZero() {
		p.start = ev.Time
	}
	switch ev.Kind {
	case tracer.SyscallEnter:
		if p.calls[ev.Pid] != nil {
			p.end(ev, filter.Unfinished)
		}
		c := p.alloc()
		args := c.Args
		*c = *ev
		c.Args = args
		c.Args.Nodes = append(c.Args.Nodes[:0], ev.Args.Nodes...)
		c.Args.Arena = append(c.Args.Arena[:0], ev.Args.Arena...)
		c.Args.Top = ev.Args.Top
		c.Comm, c.RetDeco, c.Dump, c.DumpSegs = nil, nil, nil, nil
		p.calls[ev.Pid] = c
	case tracer.SyscallExit:
		c := p.calls[ev.Pid]
		if c == nil {
			return
		}
		delete(p.calls, ev.Pid)
		if !p.staged || p.keep(ev) {
			p.names(ev)
			p.complete(c, ev, ev.Time)
		}
		p.release(c)
	case tracer.Signal:
		b := append(p.text[:0], "--- "...)
		b = decode.SignalFormatter.Append(b, uint64(ev.Sig))
		b = append(b, ' ')
		b = AppendArgs(b, &ev.Args, p.opt.Text.Quote)
		p.text = append(b, " ---"...)
		p.instant(ev, "signal")
	case tracer.GroupStop:
		b := append(p.text[:0], "--- stopped by "...)
		b = decode.SignalFormatter.Append(b, uint64(ev.Sig))
		p.text = append(b, " ---"...)
		p.instant(ev, "signal")
	case tracer.Exiting:
		p.end(ev, filter.Unfinished)
	case tracer.Exec:
		p.end(ev, filter.Unfinished)
		if c := p.calls[ev.OldPid]; c != nil {
			delete(p.calls, ev.OldPid)
			c.Pid = ev.Pid
			p.calls[ev.Pid] = c
		}
		delete(p.threads, ev.OldPid)
		if !p.quiet(filter.QuietThreadExecve) {
			b := append(p.text[:0], "+++ superseded by execve in pid "...)
			b = strconv.AppendInt(b, int64(ev.OldPid), 10)
			p.text = append(b, " +++"...)
			p.instant(ev, "process")
		}
	case tracer.Attached:
		if !p.quiet(filter.QuietAttach) {
			p.text = append(p.text[:0], "attached"...)
			p.instant(ev, "process")
		}
	case tracer.Detached:
		p.end(ev, filter.Detached)
		if !p.quiet(filter.QuietAttach) {
			p.text = append(p.text[:0], "detached"...)
			p.instant(ev, "process")
		}
		p.forget(ev)
	case tracer.Exited, tracer.Killed:
		p.end(ev, filter.Unfinished)
		if !p.quiet(filter.QuietExit) {
			b := appendEnd(p.text[:0], ev)
			p.text = append(b, " +++"...)
			p.instant(ev, "process")
		}
		p.forget(ev)
	}
}

func (p *Perfetto) alloc() *tracer.Event {
	if n := len(p.free); n > 0 {
		c := p.free[n-1]
		p.free = p.free[:n-1]
		return c
	}
	return &tracer.Event{}
}

func (p *Perfetto) release(c *tracer.Event) {
	if len(p.free) < 32 && cap(c.Args.Arena) <= 64<<10 {
		p.free = append(p.free, c)
	}
}

// forget drops the names of a task that is gone.
func (p *Perfetto) forget(ev *tracer.Event) {
	delete(p.threads, ev.Pid)
	if ev.Pid == ev.Tgid {
		delete(p.procs, ev.Tgid)
	}
}

// keep applies -e status= and -e errno= to a returned call.
func (p *Perfetto) keep(ev *tracer.Event) bool {
	status := filter.Successful
	if ev.IsError {
		status = filter.Failed
	}
	if p.opt.Status != nil && !p.opt.Status.Has(status) {
		return false
	}
	return p.opt.Errnos == nil || p.opt.Errnos.IsAll() || (ev.IsError && p.opt.Errnos.Has(int(-ev.Rval)))
}

// end writes the slice of the call in flight of ev's task, if any, as one
// that did not return: ev ended it.
func (p *Perfetto) end(ev *tracer.Event, status int) {
	c := p.calls[ev.Pid]
	if c == nil {
		return
	}
	delete(p.calls, ev.Pid)
	if !p.staged || (p.opt.Status != nil && p.opt.Status.Has(status) && (p.opt.Errnos == nil || p.opt.Errnos.IsAll())) {
		p.names(ev)
		p.complete(c, nil, ev.Time)
	}
	p.release(c)
}

// complete writes a call's "X" event: entered at c.Time, ended at end; exit
// is nil for a call that did not return.
func (p *Perfetto) complete(c, exit *tracer.Event, end time.Time) {
	p.text = AppendCall(p.text[:0], c, exit, p.opt.Text)
	b := p.open(p.buf[:0])
	b = append(b, `{"ph":"X","name":`...)
	b = appendJSONString(b, p.text)
	b = append(b, `,"cat":"`...)
	b = append(b, c.Name()...)
	b = append(b, '"')
	b = p.ids(b, c.Tgid, c.Pid)
	b = append(b, `,"ts":`...)
	b = p.micros(b, c.Time)
	b = append(b, `,"dur":`...)
	b = appendMicros(b, max(0, int64(end.Sub(c.Time))))
	b = append(b, `,"args":{"nr":`...)
	b = strconv.AppendUint(b, c.Nr, 10)
	switch {
	case exit == nil:
		b = append(b, `,"returned":false`...)
	case exit.IsError:
		b = append(b, `,"errno":"`...)
		if name, ok := xlat.ErrnoName(uint64(-exit.Rval)); ok {
			b = append(b, name...)
		} else {
			b = strconv.AppendUint(b, uint64(-exit.Rval), 10)
		}
		b = append(b, '"')
	}
	b = append(b, "}}"...)
	p.write(b)
}

// instant writes an "i" event named p.text on ev's thread.
func (p *Perfetto) instant(ev *tracer.Event, cat string) {
	p.names(ev)
	b := p.open(p.buf[:0])
	b = append(b, `{"ph":"i","s":"t","name":`...)
	b = appendJSONString(b, p.text)
	b = append(b, `,"cat":"`...)
	b = append(b, cat...)
	b = append(b, '"')
	b = p.ids(b, ev.Tgid, ev.Pid)
	b = append(b, `,"ts":`...)
	b = p.micros(b, ev.Time)
	b = append(b, '}')
	p.write(b)
}

// names writes the process_name and thread_name metadata of ev's task the
// first time it shows and when its comm changes (an execve).
func (p *Perfetto) names(ev *tracer.Event) {
	if old, ok := p.threads[ev.Pid]; !ok || (len(ev.Comm) > 0 && old != string(ev.Comm)) {
		name := string(ev.Comm)
		p.meta("thread_name", ev.Tgid, ev.Pid, name, ev.Pid, ev.Time)
		p.threads[ev.Pid] = name
	}
	if old, ok := p.procs[ev.Tgid]; !ok || (len(ev.Comm) > 0 && old != string(ev.Comm) && ev.Pid == ev.Tgid) {
		name := string(ev.Comm)
		p.meta("process_name", ev.Tgid, ev.Tgid, name, ev.Tgid, ev.Time)
		p.procs[ev.Tgid] = name
	}
}

func (p *Perfetto) meta(what string, pid, tid int, name string, id int, at time.Time) {
	b := p.open(p.buf[:0])
	b = append(b, `{"ph":"M","name":"`...)
	b = append(b, what...)
	b = append(b, '"')
	b = p.ids(b, pid, tid)
	b = append(b, `,"ts":`...)
	b = p.micros(b, at)
	b = append(b, `,"args":{"name":`...)
	if name == "" {
		// No comm (the task was gone before it could be read): its id.
		b = append(b, '"')
		b = strconv.AppendInt(b, int64(id), 10)
		b = append(b, '"')
	} else {
		b = appendJSONString(b, []byte(name))
	}
	b = append(b, "}}"...)
	p.write(b)
}

func (p *Perfetto) ids(b []byte, pid, tid int) []byte {
	b = append(b, `,"pid":`...)
	b = strconv.AppendInt(b, int64(pid), 10)
	b = append(b, `,"tid":`...)
	return strconv.AppendInt(b, int64(tid), 10)
}

// open starts the next array element: "[" before the first, "," after.
func (p *Perfetto) open(b []byte) []byte {
	if !p.opened {
		p.opened = true
		b = append(b, "[\n"...)
	} else if p.n > 0 {
		b = append(b, ",\n"...)
	}
	p.n++
	return b
}

func (p *Perfetto) write(b []byte) {
	if _, err := p.w.Write(b); err != nil && p.err == nil {
		p.err = err
	}
	p.buf = b[:0]
}

// micros appends the time since the first event in microseconds.
func (p *Perfetto) micros(b []byte, at time.Time) []byte {
	return appendMicros(b, max(0, int64(at.Sub(p.start))))
}

// appendMicros appends ns nanoseconds as microseconds with three decimals:
// 1234.567.
func appendMicros(b []byte, ns int64) []byte {
	b = strconv.AppendInt(b, ns/1000, 10)
	b = append(b, '.')
	return appendZeroPad(b, ns%1000, 3)
}

// AppendEntry appends a call in flight as far as its entry shows it: NAME(
// and the entry arguments, then ", ...)" when the exit would print more
// (strace's "..." for what is not known yet), else ")". sonde inspect prints
// what a thread is blocked in this way.
func AppendEntry(dst []byte, enter *tracer.Event, opt TextOptions) []byte {
	t := Text{opt: opt}
	dst = append(dst, enter.Name()...)
	dst = append(dst, '(')
	dst, _ = t.appendList(dst, &enter.Args, 0)
	if enter.More {
		if enter.Args.Top > 0 {
			dst = append(dst, ", "...)
		}
		dst = append(dst, "..."...)
	}
	return append(dst, ')')
}

// AppendCall appends a syscall as strace prints it, from its entry event
// and its exit event: NAME(ARGS) = RESULT, without the line's prefix,
// alignment and -T duration. A nil exit is a call that did not return:
// NAME(ARGS <unfinished ...>) = ?. The renderers that name calls (the
// Perfetto timeline) use it to print them exactly as Text does.
func AppendCall(dst []byte, enter, exit *tracer.Event, opt TextOptions) []byte {
	t := Text{opt: opt}
	dst = append(dst, enter.Name()...)
	dst = append(dst, '(')
	dst, _ = t.appendList(dst, &enter.Args, 0)
	if enter.More && enter.Args.Top > 0 && !enter.SepAtExit {
		dst = append(dst, ", "...)
	}
	if exit == nil {
		if enter.More {
			dst = append(dst, " <unfinished ...>"...)
		}
		return append(dst, ") = ?"...)
	}
	if exit.SepAtExit && exit.Args.Top > 0 && exit.Args.Nodes[0].Kind != decode.KChanged {
		dst = append(dst, ", "...)
	}
	dst, _ = t.appendList(dst, &exit.Args, 0)
	dst = append(dst, ") = "...)
	dst = t.appendRet(dst, exit)
	if exit.Note != nil && !exit.IsError {
		n := len(dst)
		dst = append(dst, " ("...)
		m := len(dst)
		if dst = exit.Note.Append(dst, exit.NoteVal); len(dst) == m {
			dst = dst[:n]
		} else {
			dst = append(dst, ')')
		}
	}
	return dst
}
