package output

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/decode/xlat"
	"github.com/sonde-dev/sonde/filter"
	"github.com/sonde-dev/sonde/stack"
	"github.com/sonde-dev/sonde/tracer"
)

// PidPrefix says when lines carry the task id.
type PidPrefix uint8

// The prefix modes, as strace chooses them.
const (
	// PrefixBracketed: "[pid  1234] " while more than one task is traced
	// (output to stderr or a pipe).
	PrefixBracketed PidPrefix = iota
	// PrefixAlways: "1234  " on every line (-o FILE with -f).
	PrefixAlways
	// PrefixMulti: "1234  " while more than one task is traced (-o FILE).
	PrefixMulti
	// PrefixNever: no prefix (-ff: one file per task).
	PrefixNever
)

// TimeFormat is the timestamp at the start of each line.
type TimeFormat uint8

// The timestamp formats.
const (
	TimeNone    TimeFormat = iota
	TimeSeconds            // -t: 14:02:03
	TimeMicros             // -tt: 14:02:03.123456
	TimeEpoch              // -ttt: 1700000000.123456
)

// XStyle is how named constants print (-X).
type XStyle uint8

// The styles.
const (
	XAbbrev  XStyle = iota // the names: O_RDONLY|O_CLOEXEC
	XRaw                   // the numbers: 0x80000
	XVerbose               // both: 0x80000 /* O_RDONLY|O_CLOEXEC */
)

// TextOptions choose how strace text is laid out.
type TextOptions struct {
	Prefix PidPrefix
	Quote  QuoteStyle
	Column int // the column results are aligned to; 0 means strace's 40
	// Notices, when set, is the program name of the "PROG: Process N
	// attached" and "detached" notices, which go into the trace as they
	// come, as strace writes them when its log is stderr. "" leaves them
	// out.
	Notices   string
	Time      TimeFormat
	Relative  bool // -r: time since the previous line instead
	Durations bool // -T: how long each syscall took
	IP        bool // -i: the instruction pointer
	Numbers   bool // -n: the syscall number
	XStyle    XStyle
	// Status (-e status=, -z, -Z) and Errnos (-e errno=) hold back
	// every syscall line until its outcome is known and print only those
	// in the sets; nil prints all.
	Status, Errnos *filter.Numbers
	// Quiet (-e quiet=, -q) suppresses messages: exit lines, notices,
	// superseded lines, personality changes.
	Quiet *filter.Numbers
	// Color (--color) marks up syscall names (bold), failures (red),
	// signals (yellow) and exits (cyan) with ANSI escapes.
	Color bool
	// Unbuffered writes every piece as soon as it is rendered, half lines
	// included, as strace writes to its unbuffered stderr: the traced
	// program's own output to the same terminal then lands where it does
	// under strace. Off, output is buffered and flushed when the tracer is
	// about to wait (Flush).
	Unbuffered bool
}

// The ANSI escapes of Color.
const (
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiReset  = "\x1b[0m"
)

// Text renders events as strace 6.1 prints them. It is a tracer.Sink.
type Text struct {
	w      *bufio.Writer
	opt    TextOptions
	staged bool // status or errno filters: lines wait for their outcome
	buf    []byte
	col    int // column of the open line; 0 when no line is open
	cur    int // task whose line is open, 0 for none
	calls  map[int]*inflight
	spare  []*inflight // finished calls' records, reused (unstaged mode)
	tasks  map[int]*taskState
	last   time.Time // timestamp of the previous line, for -r
	err    error
}

type inflight struct {
	name       string
	unfinished bool   // its line was cut by another task's: resume it
	more       bool   // the exit prints arguments
	ip         uint64 // the instruction pointer at entry, for -i on resumed lines
	invisible  int    // bytes of escapes on the entry line (Color), not columns
	line       []byte // staged mode: the line so far
}

// taskState is what the renderer remembers of a task between events.
type taskState struct {
	nr   uint64     // its last syscall, for -n on signal and exit lines
	arch *arch.Arch // its architecture, for -i widths and personality changes
	comm string     // its command name, for -Y prefixes
}

// NewText returns a renderer writing to w.
func NewText(w io.Writer, opt TextOptions) *Text {
	if opt.Column == 0 {
		opt.Column = 40
	}
	staged := (opt.Status != nil && !opt.Status.IsAll()) || (opt.Errnos != nil && !opt.Errnos.IsAll())
	return &Text{w: bufio.NewWriterSize(w, 64<<10), opt: opt, staged: staged, calls: map[int]*inflight{}, tasks: map[int]*taskState{}}
}

// Flush writes what is buffered, an open line included.
func (t *Text) Flush() error {
	if err := t.w.Flush(); err != nil && t.err == nil {
		t.err = err
	}
	return t.err
}

// Err returns the first write error.
func (t *Text) Err() error { return t.err }

func (t *Text) quiet(what int) bool { return t.opt.Quiet != nil && t.opt.Quiet.Has(what) }

func (t *Text) task(pid int) *taskState {
	ts := t.tasks[pid]
	if ts == nil {
		ts = &taskState{}
		t.tasks[pid] = ts
	}
	return ts
}

// Event renders one event.
func (t *Text) Event(ev *tracer.Event) {
	ts := t.task(ev.Pid)
	if ev.Comm != nil && string(ev.Comm) != ts.comm {
		ts.comm = string(ev.Comm)
	}
	switch ev.Kind {
	case tracer.SyscallEnter:
		ts.nr, ts.arch = ev.Nr, ev.Arch
		t.enter(ev)
	case tracer.Personality:
		if !t.quiet(filter.QuietPersonality) {
			t.personality(ev)
		}
	case tracer.SyscallExit:
		t.exit(ev)
	case tracer.Signal:
		b := t.leader(ev.Pid, ev.Time, ev.IP, ts)
		if t.opt.Color {
			b = append(b, ansiYellow...)
		}
		b = append(b, "--- "...)
		b = decode.SignalFormatter.Append(b, uint64(ev.Sig))
		b = append(b, ' ')
		b, _ = t.appendList(b, &ev.Args, 0)
		b = append(b, " ---"...)
		if t.opt.Color {
			b = append(b, ansiReset...)
		}
		b = append(b, '\n')
		for _, f := range ev.Stack {
			b = appendFrame(b, f)
		}
		t.write(b, false)
	case tracer.GroupStop:
		b := t.leader(ev.Pid, ev.Time, 0, ts)
		b = append(b, "--- stopped by "...)
		b = decode.SignalFormatter.Append(b, uint64(ev.Sig))
		b = append(b, " ---\n"...)
		t.write(b, false)
	case tracer.Exiting:
		t.cutShort(ev.Pid, ev.Time, filter.Unfinished)
	case tracer.Exec:
		c := t.calls[ev.OldPid]
		if t.cur == ev.OldPid {
			t.pidChanged(ev.Pid)
		}
		delete(t.calls, ev.OldPid)
		if old := t.tasks[ev.OldPid]; old != nil {
			t.tasks[ev.Pid] = old
		}
		delete(t.tasks, ev.OldPid)
		t.superseded(ev.Pid, ev.OldPid, ev.Time, c)
	case tracer.Attached:
		t.notice(ev.Pid, "attached", ev.Threads)
	case tracer.Detached:
		if c := t.calls[ev.Pid]; c != nil {
			if t.cur == ev.Pid {
				t.write(append(t.buf[:0], " <detached ...>\n"...), false)
			} else if t.staged && t.opt.Status.Has(filter.Detached) {
				t.write(append(c.line, " <detached ...>\n"...), false)
			}
		}
		t.notice(ev.Pid, "detached", 0)
		delete(t.calls, ev.Pid)
		delete(t.tasks, ev.Pid)
	case tracer.Exited, tracer.Killed:
		t.cutShort(ev.Pid, ev.Time, filter.Unfinished)
		if !t.quiet(filter.QuietExit) {
			b := t.leader(ev.Pid, ev.Time, 0, ts)
			if t.opt.IP {
				b = t.unknownIP(b, ts)
			}
			if t.opt.Color {
				b = append(b, ansiCyan...)
			}
			b = appendEnd(b, ev)
			b = append(b, " +++"...)
			if t.opt.Color {
				b = append(b, ansiReset...)
			}
			t.write(append(b, '\n'), false)
		}
		delete(t.tasks, ev.Pid)
		delete(t.calls, ev.Pid)
	}
}

// personality reports a task that changed architecture (an execve of a
// program of the other ABI), as strace does.
func (t *Text) personality(ev *tracer.Event) {
	b := t.leader(ev.Pid, ev.Time, 0, nil)
	b = append(b, "[ Process PID="...)
	b = strconv.AppendInt(b, int64(ev.Pid), 10)
	b = append(b, " runs in "...)
	if ev.Arch.WordSize == 4 {
		b = append(b, "32 bit"...)
	} else {
		b = append(b, "64 bit"...)
	}
	t.write(append(b, " mode. ]\n"...), false)
}

// notice writes strace's "PROG: Process N attached" where it stands, in
// the middle of an open line if there is one (that line's call then
// resumes on a new line).
func (t *Text) notice(pid int, what string, threads int) {
	if t.opt.Notices == "" || t.quiet(filter.QuietAttach) {
		return
	}
	if t.cur != 0 {
		if c := t.calls[t.cur]; c != nil {
			c.unfinished = true
		}
	}
	t.write(AppendNotice(t.buf[:0], t.opt.Notices, pid, what, threads), false)
}

// AppendNotice appends "PROG: Process N attached[ with M threads]\n".
func AppendNotice(b []byte, prog string, pid int, what string, threads int) []byte {
	b = append(b, prog...)
	b = append(b, ": Process "...)
	b = strconv.AppendInt(b, int64(pid), 10)
	b = append(b, ' ')
	b = append(b, what...)
	if threads > 1 {
		b = append(b, " with "...)
		b = strconv.AppendInt(b, int64(threads), 10)
		b = append(b, " threads"...)
	}
	return append(b, '\n')
}

// pidChanged ends the open line of a thread whose execve gave it pid.
func (t *Text) pidChanged(pid int) {
	b := append(t.buf[:0], " <pid changed to "...)
	b = strconv.AppendInt(b, int64(pid), 10)
	t.write(append(b, " ...>\n"...), false)
}

// superseded reports that the thread old execed and became pid (the
// leader's record is dropped): "+++ superseded by execve in pid OLD +++".
// The execve in flight, c, resumes under pid.
func (t *Text) superseded(pid, old int, at time.Time, c *inflight) {
	delete(t.calls, pid)
	if !t.quiet(filter.QuietThreadExecve) {
		b := t.leader(pid, at, 0, t.task(pid))
		b = append(b, "+++ superseded by execve in pid "...)
		b = strconv.AppendInt(b, int64(old), 10)
		t.write(append(b, " +++\n"...), false)
	}
	if c != nil {
		c.unfinished = true
		t.calls[pid] = c
	}
}

// write appends b to the output; open says the line stays open.
func (t *Text) write(b []byte, open bool) {
	if _, err := t.w.Write(b); err != nil && t.err == nil {
		t.err = err
	}
	if t.opt.Unbuffered {
		if err := t.w.Flush(); err != nil && t.err == nil {
			t.err = err
		}
	}
	t.buf = b[:0]
	if open {
		t.col += len(b)
	} else {
		t.col = 0
		t.cur = 0
	}
}

// leader ends another task's open line with " <unfinished ...>" and returns
// the start of a new line for pid: the pid prefix, the timestamp, the
// syscall number (-n) and the instruction pointer (-i, when ip is set).
func (t *Text) leader(pid int, at time.Time, ip uint64, ts *taskState) []byte {
	if t.cur != 0 {
		if c := t.calls[t.cur]; c != nil {
			c.unfinished = true
		}
		t.write(append(t.buf[:0], " <unfinished ...>\n"...), false)
	}
	t.col = 0
	return t.prefix(t.buf[:0], pid, at, ip, ts)
}

func (t *Text) prefix(b []byte, pid int, at time.Time, ip uint64, ts *taskState) []byte {
	comm := ""
	if ts != nil {
		comm = ts.comm
	}
	switch t.opt.Prefix {
	case PrefixAlways:
		b = appendPidLeft(b, pid, comm)
	case PrefixMulti:
		if len(t.tasks) > 1 {
			b = appendPidLeft(b, pid, comm)
		}
	case PrefixBracketed:
		if len(t.tasks) > 1 {
			b = append(b, "[pid "...)
			b = appendPadLeft(b, pid, 5)
			if comm != "" {
				b = append(b, '<')
				b = append(b, comm...)
				b = append(b, '>')
			}
			b = append(b, "] "...)
		}
	}
	if t.opt.Time != TimeNone {
		b = appendTime(b, at, t.opt.Time)
		b = append(b, ' ')
	}
	if t.opt.Relative {
		// -r: the time since the previous line; with -t as "(+ ...)".
		var d time.Duration
		if !t.last.IsZero() {
			d = at.Sub(t.last)
		}
		t.last = at
		if t.opt.Time != TimeNone {
			b = append(b, "(+"...)
		}
		b = appendPadLeft(b, int(d/time.Second), 6)
		b = append(b, '.')
		b = appendZeroPad(b, int64(d%time.Second/time.Microsecond), 6)
		if t.opt.Time != TimeNone {
			b = append(b, ')')
		}
		b = append(b, ' ')
	}
	if t.opt.Numbers && ts != nil {
		b = append(b, '[')
		b = appendPadLeft(b, int(ts.nr), 4)
		b = append(b, "] "...)
	}
	if t.opt.IP && ip != 0 {
		b = appendIP(b, ip, ts)
	}
	return b
}

// appendIP appends "[00007f1234567890] " (8 digits for 32-bit tasks).
func appendIP(b []byte, ip uint64, ts *taskState) []byte {
	width := 16
	if ts != nil && ts.arch != nil && ts.arch.WordSize == 4 {
		width = 8
	}
	b = append(b, '[')
	s := strconv.FormatUint(ip, 16)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	b = append(b, s...)
	return append(b, "] "...)
}

// unknownIP appends strace's "[????????????????] " for lines with no
// instruction pointer.
func (t *Text) unknownIP(b []byte, ts *taskState) []byte {
	if ts != nil && ts.arch != nil && ts.arch.WordSize == 4 {
		return append(b, "[????????] "...)
	}
	return append(b, "[????????????????] "...)
}

func appendTime(b []byte, at time.Time, f TimeFormat) []byte {
	if f == TimeEpoch {
		b = strconv.AppendInt(b, at.Unix(), 10)
		b = append(b, '.')
		return appendZeroPad(b, int64(at.Nanosecond()/1000), 6)
	}
	h, m, s := at.Clock()
	b = appendZeroPad(b, int64(h), 2)
	b = append(b, ':')
	b = appendZeroPad(b, int64(m), 2)
	b = append(b, ':')
	b = appendZeroPad(b, int64(s), 2)
	if f == TimeMicros {
		b = append(b, '.')
		b = appendZeroPad(b, int64(at.Nanosecond()/1000), 6)
	}
	return b
}

func appendZeroPad(b []byte, v int64, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], v, 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

func appendPidLeft(b []byte, pid int, comm string) []byte {
	start := len(b)
	b = strconv.AppendInt(b, int64(pid), 10)
	if comm != "" {
		b = append(b, '<')
		b = append(b, comm...)
		b = append(b, '>')
	}
	for len(b)-start < 5 {
		b = append(b, ' ')
	}
	return append(b, ' ')
}

func appendPadLeft(b []byte, v, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], int64(v), 10)
	for i := len(s); i < width; i++ {
		b = append(b, ' ')
	}
	return append(b, s...)
}

func (t *Text) enter(ev *tracer.Event) {
	var c *inflight
	if n := len(t.spare); n > 0 {
		c, t.spare = t.spare[n-1], t.spare[:n-1]
		*c = inflight{name: ev.Name(), more: ev.More, ip: ev.IP}
	} else {
		c = &inflight{name: ev.Name(), more: ev.More, ip: ev.IP}
	}
	var b []byte
	if t.staged {
		b = t.prefix(nil, ev.Pid, ev.Time, ev.IP, t.task(ev.Pid))
	} else {
		b = t.leader(ev.Pid, ev.Time, ev.IP, t.task(ev.Pid))
	}
	if t.opt.Color {
		b = append(b, ansiBold...)
		b = append(b, ev.Name()...)
		b = append(b, ansiReset...)
		c.invisible = len(ansiBold) + len(ansiReset)
	} else {
		b = append(b, ev.Name()...)
	}
	b = append(b, '(')
	b, _ = t.appendList(b, &ev.Args, 0)
	if ev.More && ev.Args.Top > 0 && !ev.SepAtExit {
		b = append(b, ", "...)
	}
	t.calls[ev.Pid] = c
	if t.staged {
		c.line = b
		return
	}
	t.write(b, true)
	t.cur = ev.Pid
}

func (t *Text) exit(ev *tracer.Event) {
	c := t.calls[ev.Pid]
	if c == nil {
		return // entered before tracing began
	}
	delete(t.calls, ev.Pid)
	var b []byte
	col := t.col
	if t.staged {
		if !t.keep(ev) {
			return
		}
		b, col = c.line, -c.invisible
	} else {
		b = t.resume(ev.Pid, ev.Time, c)
		col = t.col
		if t.col > 0 {
			col -= c.invisible // still on the entry line
		}
	}
	if ev.SepAtExit && ev.Args.Top > 0 && ev.Args.Nodes[0].Kind != decode.KChanged {
		b = append(b, ", "...)
	}
	b, _ = t.appendList(b, &ev.Args, 0)
	b = append(b, ')')
	b = t.tab(b, col)
	b = append(b, "= "...)
	b = t.appendRet(b, ev)
	if ev.Note != nil && !ev.IsError {
		n := len(b)
		b = append(b, " ("...)
		m := len(b)
		if b = ev.Note.Append(b, ev.NoteVal); len(b) == m {
			b = b[:n] // the note has nothing to say
		} else {
			b = append(b, ')')
		}
	}
	switch {
	case ev.Injected && ev.InjectedArgs:
		b = append(b, " (INJECTED: args, retval)"...)
	case ev.InjectedArgs:
		b = append(b, " (INJECTED: args)"...)
	case ev.Injected:
		b = append(b, " (INJECTED)"...)
	}
	if ev.Delayed {
		b = append(b, " (DELAYED)"...)
	}
	if t.opt.Durations {
		b = appendDuration(b, ev.Duration)
	}
	b = append(b, '\n')
	for _, f := range ev.Stack {
		b = appendFrame(b, f)
	}
	if ev.Dump != nil {
		b = appendDump(b, ev.Dump, ev.DumpSegs)
	}
	t.write(b, false)
	if !t.staged {
		t.spare = append(t.spare, c)
	}
}

// appendEnd appends how a task ended, as strace prints it: "+++ exited
// with 0" or "+++ killed by SIGTERM (core dumped)" (the closing " +++" is
// the caller's).
func appendEnd(b []byte, ev *tracer.Event) []byte {
	if ev.Kind == tracer.Exited {
		b = append(b, "+++ exited with "...)
		return strconv.AppendInt(b, int64(ev.Status), 10)
	}
	b = append(b, "+++ killed by "...)
	b = decode.SignalFormatter.Append(b, uint64(ev.Sig))
	if ev.Core {
		b = append(b, " (core dumped)"...)
	}
	return b
}

// appendFrame appends one -k frame as strace prints it:
// " > /usr/lib/x86_64-linux-gnu/libc.so.6(__open64+0x7a) [0xf6d1a]".
func appendFrame(b []byte, f stack.Frame) []byte {
	b = append(b, " > "...)
	return append(f.AppendTo(b), '\n')
}

// appendDump appends -e read=/write='s hex dump of data: 16 bytes a line,
// " | 00000  68 65 6c 6c 6f 0a  ...  hello.           |"; an iovec's
// buffers each after " * N bytes in buffer I".
func appendDump(b, data []byte, segs []int) []byte {
	if segs == nil {
		return appendHexDump(b, data)
	}
	off := 0
	for i, n := range segs {
		b = append(b, " * "...)
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, " bytes in buffer "...)
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, '\n')
		b = appendHexDump(b, data[off:off+n])
		off += n
	}
	return b
}

func appendHexDump(b, data []byte) []byte {
	const hex = "0123456789abcdef"
	for off := 0; off < len(data); off += 16 {
		line := data[off:min(off+16, len(data))]
		b = append(b, " | "...)
		s := strconv.FormatInt(int64(off), 16)
		for i := len(s); i < 5; i++ {
			b = append(b, '0')
		}
		b = append(b, s...)
		b = append(b, "  "...)
		for i := 0; i < 16; i++ {
			if i < len(line) {
				b = append(b, hex[line[i]>>4], hex[line[i]&15], ' ')
			} else {
				b = append(b, "   "...)
			}
			if i == 7 {
				b = append(b, ' ')
			}
		}
		b = append(b, ' ')
		for i := 0; i < 16; i++ {
			switch {
			case i >= len(line):
				b = append(b, ' ')
			case line[i] >= ' ' && line[i] < 0x7f:
				b = append(b, line[i])
			default:
				b = append(b, '.')
			}
		}
		b = append(b, " |\n"...)
	}
	return b
}

// keep decides whether a staged syscall line prints (-e status=, errno=).
func (t *Text) keep(ev *tracer.Event) bool {
	status := filter.Successful
	if ev.IsError {
		status = filter.Failed
	}
	if t.opt.Status != nil && !t.opt.Status.Has(status) {
		return false
	}
	if t.opt.Errnos != nil && !t.opt.Errnos.IsAll() && (!ev.IsError || !t.opt.Errnos.Has(int(-ev.Rval))) {
		return false
	}
	return true
}

// appendDuration appends -T's " <0.000123>".
func appendDuration(b []byte, d time.Duration) []byte {
	b = append(b, " <"...)
	b = strconv.AppendInt(b, int64(d/time.Second), 10)
	b = append(b, '.')
	b = appendZeroPad(b, int64(d%time.Second/time.Microsecond), 6)
	return append(b, '>')
}

// resume starts the rest of pid's syscall line: on the open line when it is
// still pid's, else on a new "<... NAME resumed>" line.
func (t *Text) resume(pid int, at time.Time, c *inflight) []byte {
	if t.cur == pid && !c.unfinished {
		return t.buf[:0]
	}
	b := t.leader(pid, at, c.ip, t.task(pid))
	b = append(b, "<... "...)
	b = append(b, c.name...)
	return append(b, " resumed>"...)
}

// cutShort ends the line of a syscall the task will never return from
// (exit_group, or a task killed mid-call): ") = ?".
func (t *Text) cutShort(pid int, at time.Time, status int) {
	c := t.calls[pid]
	if c == nil {
		return
	}
	delete(t.calls, pid)
	var b []byte
	col := 0
	if t.staged {
		if t.opt.Status == nil || !t.opt.Status.Has(status) || (t.opt.Errnos != nil && !t.opt.Errnos.IsAll()) {
			return
		}
		b, col = c.line, -c.invisible
	} else {
		b = t.resume(pid, at, c)
		col = t.col
		if t.col > 0 {
			col -= c.invisible
		}
	}
	if c.more {
		b = append(b, " <unfinished ...>"...)
	}
	b = append(b, ')')
	b = t.tab(b, col)
	b = append(b, "= ?\n"...)
	t.write(b, false)
}

// tab pads the line to the result column (strace's tabto), or one space
// when it is already past it; col is where b starts on its line.
func (t *Text) tab(b []byte, col int) []byte {
	col += len(b)
	if col < t.opt.Column {
		for ; col < t.opt.Column; col++ {
			b = append(b, ' ')
		}
		return b
	}
	return append(b, ' ')
}

// appendRet appends a syscall's result: 3, 0x7f12..., 022, ?, or
// -1 ENOENT (No such file or directory).
func (t *Text) appendRet(b []byte, ev *tracer.Event) []byte {
	if ev.IsError && t.opt.Color {
		b = append(b, ansiRed...)
		b = t.appendErr(b, ev)
		return append(b, ansiReset...)
	}
	if ev.IsError {
		return t.appendErr(b, ev)
	}
	return t.appendValueRet(b, ev)
}

// appendErr appends a failed call's result: -1 ENOENT (No such file or
// directory), or ? ERESTARTSYS (...) for the kernel's restart codes.
func (t *Text) appendErr(b []byte, ev *tracer.Event) []byte {
	{
		errno := uint64(-ev.Rval)
		name, known := xlat.ErrnoName(errno)
		if xlat.IsRestartErrno(errno) {
			// Kernel-internal restart codes never reach the program.
			b = append(b, "? "...)
		} else {
			b = append(b, "-1 "...)
		}
		if known {
			b = append(b, name...)
			b = append(b, " ("...)
			b = append(b, xlat.ErrnoDesc(errno)...)
			b = append(b, ')')
			return b
		}
		b = append(b, "(errno "...)
		b = strconv.AppendUint(b, errno, 10)
		return append(b, ')')
	}
}

// appendValueRet appends a successful call's result.
func (t *Text) appendValueRet(b []byte, ev *tracer.Event) []byte {
	v := ev.Rval
	switch ev.Ret {
	case decode.RetNone:
		return append(b, '?')
	case decode.RetHex:
		u := ev.Arch.Mask(uint64(v))
		if u == 0 {
			return append(b, '0')
		}
		return strconv.AppendUint(append(b, "0x"...), u, 16)
	case decode.RetOct:
		return decode.AppendOctal(b, uint64(v))
	case decode.RetUdec:
		return strconv.AppendUint(b, ev.Arch.Mask(uint64(v)), 10)
	}
	b = strconv.AppendInt(b, v, 10)
	if len(ev.RetDeco) > 0 {
		b = append(b, '<')
		b = append(b, ev.RetDeco...)
		b = append(b, '>')
	}
	return b
}

// appendList appends the values from node i to the end of the enclosing
// composite (or of the list), separated by ", ". It returns the index just
// past the list (past its KEnd, if any).
func (t *Text) appendList(b []byte, o *decode.Out, i int) ([]byte, int) {
	first := true
	for i < len(o.Nodes) {
		n := &o.Nodes[i]
		switch n.Kind {
		case decode.KEnd:
			return b, i + 1
		case decode.KChanged:
			b = append(b, " => "...)
			i++
			if i < len(o.Nodes) {
				b, i = t.appendValue(b, o, i)
			}
			first = false
			continue
		case decode.KCount:
			b = append(b, " /* "...)
			b = strconv.AppendUint(b, n.Num, 10)
			b = append(b, ' ')
			b = append(b, n.Name...)
			b = append(b, " */"...)
			i++
			continue
		}
		if !first {
			b = append(b, ", "...)
		}
		first = false
		if n.Kind == decode.KField {
			b = append(b, n.Name...)
			b = append(b, '=')
			i++
			if i >= len(o.Nodes) {
				break
			}
		}
		b, i = t.appendValue(b, o, i)
	}
	return b, i
}

// appendValue appends the value starting at node i and returns the index
// just past it.
func (t *Text) appendValue(b []byte, o *decode.Out, i int) ([]byte, int) {
	n := &o.Nodes[i]
	switch n.Kind {
	case decode.KInt, decode.KUint, decode.KHex, decode.KOct, decode.KAddr:
		return decode.AppendNum(b, n), i + 1
	case decode.KFD, decode.KPid:
		b = strconv.AppendInt(b, int64(n.Num), 10)
		if n.Len > 0 {
			b = append(b, '<')
			b = append(b, o.Str(n)...)
			b = append(b, '>')
		}
		return b, i + 1
	case decode.KStr:
		style := t.opt.Quote
		if n.Num&decode.StrHex != 0 {
			style = QuoteForceHex
		}
		return AppendQuoted(b, o.Str(n), n.Trunc, style), i + 1
	case decode.KText:
		return append(b, o.Str(n)...), i + 1
	case decode.KSet:
		return t.appendSymbolic(b, n, n.Fmt.Append), i + 1
	case decode.KSym:
		b = t.appendSymbolic(b, n, func(dst []byte, _ uint64) []byte { return append(dst, n.Name...) })
		if n.Len > 0 { // -y: AT_FDCWD</cwd>
			b = append(b, '<')
			b = append(b, o.Str(n)...)
			b = append(b, '>')
		}
		return b, i + 1
	case decode.KUnread:
		return append(b, "???"...), i + 1
	case decode.KMore:
		return append(b, "..."...), i + 1
	case decode.KStruct:
		b = append(b, '{')
		b, i = t.appendList(b, o, i+1)
		return append(b, '}'), i
	case decode.KArray, decode.KRef:
		b = append(b, '[')
		b, i = t.appendList(b, o, i+1)
		return append(b, ']'), i
	case decode.KInOut:
		b = append(b, '[')
		b, i = t.appendValue(b, o, i+1)
		b = append(b, " => "...)
		b, i = t.appendValue(b, o, i)
		if i < len(o.Nodes) && o.Nodes[i].Kind == decode.KEnd {
			i++
		}
		return append(b, ']'), i
	case decode.KCall:
		b = append(b, n.Name...)
		b = append(b, '(')
		b, i = t.appendList(b, o, i+1)
		return append(b, ')'), i
	}
	return b, i + 1
}

// appendSymbolic appends a named constant in the -X style: its name, its
// number, or both.
func (t *Text) appendSymbolic(b []byte, n *decode.Node, name func([]byte, uint64) []byte) []byte {
	if t.opt.XStyle == XAbbrev {
		return name(b, n.Num)
	}
	if v, ok := n.Fmt.(decode.VerboseFormatter); ok && t.opt.XStyle == XVerbose && n.Kind == decode.KSet {
		return v.AppendVerbose(b, n.Num)
	}
	start := len(b)
	b = appendRawValue(b, n)
	if t.opt.XStyle == XRaw {
		return b
	}
	raw := len(b)
	b = append(b, " /* "...)
	b = name(b, n.Num)
	named := string(b[raw+4:])
	switch {
	case named == string(b[start:raw]):
		return b[:raw] // the name is the number: nothing to add
	case strings.HasPrefix(named, string(b[start:raw])+" /* "):
		// Already "0x10 /* AT_??? */": the unknown value's own comment.
		return append(b[:start], named...)
	}
	return append(b, " */"...)
}

// appendRawValue appends a symbolic node's number as -X raw prints it.
func appendRawValue(b []byte, n *decode.Node) []byte {
	if n.Kind == decode.KSym {
		return strconv.AppendInt(b, int64(n.Num), 10)
	}
	if r, ok := n.Fmt.(decode.RawFormatter); ok {
		return r.AppendRaw(b, n.Num)
	}
	if n.Num == 0 {
		return append(b, '0')
	}
	return strconv.AppendUint(append(b, "0x"...), n.Num, 16)
}

// AppendArgs appends the values of o as strace prints an argument list
// (without the parentheses).
func AppendArgs(dst []byte, o *decode.Out, style QuoteStyle) []byte {
	t := Text{opt: TextOptions{Quote: style}}
	dst, _ = t.appendList(dst, o, 0)
	return dst
}
