package output

import (
	"bufio"
	"io"
	"strconv"

	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/decode/xlat"
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

// TextOptions choose how strace text is laid out.
type TextOptions struct {
	Prefix PidPrefix
	Quote  QuoteStyle
	Column int // the column results are aligned to; 0 means strace's 40
	// Notices, when set, is the program name of the "PROG: Process N
	// attached" and "detached" notices, which go into the trace as they
	// come, as strace writes them when its log is stderr. "" leaves them
	// out.
	Notices string
}

// Text renders events as strace 6.1 prints them. It is a tracer.Sink.
type Text struct {
	w      *bufio.Writer
	opt    TextOptions
	buf    []byte
	col    int // column of the open line; 0 when no line is open
	cur    int // task whose line is open, 0 for none
	calls  map[int]*inflight
	ntasks map[int]struct{}
	err    error
}

type inflight struct {
	name       string
	unfinished bool // its line was cut by another task's: resume it
	more       bool // the exit prints arguments
}

// NewText returns a renderer writing to w.
func NewText(w io.Writer, opt TextOptions) *Text {
	if opt.Column == 0 {
		opt.Column = 40
	}
	return &Text{w: bufio.NewWriterSize(w, 64<<10), opt: opt, calls: map[int]*inflight{}, ntasks: map[int]struct{}{}}
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

// Event renders one event.
func (t *Text) Event(ev *tracer.Event) {
	t.ntasks[ev.Pid] = struct{}{}
	switch ev.Kind {
	case tracer.SyscallEnter:
		t.enter(ev)
	case tracer.SyscallExit:
		t.exit(ev)
	case tracer.Signal:
		t.leader(ev.Pid)
		b := append(t.buf, "--- "...)
		b = decode.SignalFormatter.Append(b, uint64(ev.Sig))
		b = append(b, ' ')
		b, _ = t.appendList(b, &ev.Args, 0)
		b = append(b, " ---\n"...)
		t.write(b, false)
	case tracer.GroupStop:
		t.leader(ev.Pid)
		b := append(t.buf, "--- stopped by "...)
		b = decode.SignalFormatter.Append(b, uint64(ev.Sig))
		b = append(b, " ---\n"...)
		t.write(b, false)
	case tracer.Exiting:
		t.cutShort(ev.Pid)
	case tracer.Exec:
		c := t.calls[ev.OldPid]
		if t.cur == ev.OldPid {
			t.pidChanged(ev.Pid)
		}
		delete(t.calls, ev.OldPid)
		delete(t.ntasks, ev.OldPid)
		t.superseded(ev.Pid, ev.OldPid, c)
	case tracer.Attached:
		t.notice(ev.Pid, "attached", ev.Threads)
	case tracer.Detached:
		if t.cur == ev.Pid {
			t.write(append(t.buf[:0], " <detached ...>\n"...), false)
		}
		t.notice(ev.Pid, "detached", 0)
		delete(t.calls, ev.Pid)
		delete(t.ntasks, ev.Pid)
	case tracer.Exited, tracer.Killed:
		t.cutShort(ev.Pid)
		t.leader(ev.Pid)
		b := t.buf
		if ev.Kind == tracer.Exited {
			b = append(b, "+++ exited with "...)
			b = strconv.AppendInt(b, int64(ev.Status), 10)
		} else {
			b = append(b, "+++ killed by "...)
			b = decode.SignalFormatter.Append(b, uint64(ev.Sig))
			if ev.Core {
				b = append(b, " (core dumped)"...)
			}
		}
		b = append(b, " +++\n"...)
		t.write(b, false)
		delete(t.ntasks, ev.Pid)
		delete(t.calls, ev.Pid)
	}
}

// notice writes strace's "PROG: Process N attached" where it stands, in
// the middle of an open line if there is one (that line's call then
// resumes on a new line).
func (t *Text) notice(pid int, what string, threads int) {
	if t.opt.Notices == "" {
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
func (t *Text) superseded(pid, old int, c *inflight) {
	delete(t.calls, pid)
	t.leader(pid)
	b := append(t.buf, "+++ superseded by execve in pid "...)
	b = strconv.AppendInt(b, int64(old), 10)
	t.write(append(b, " +++\n"...), false)
	if c != nil {
		c.unfinished = true
		t.calls[pid] = c
	}
}

// write appends b to the output; open says the line stays open.
func (t *Text) write(b []byte, open bool) {
	t.buf = b[:0]
	if _, err := t.w.Write(b); err != nil && t.err == nil {
		t.err = err
	}
	if open {
		t.col += len(b)
	} else {
		t.col = 0
		t.cur = 0
	}
}

// leader ends another task's open line with " <unfinished ...>" and
// prints the prefix of a new line for pid.
func (t *Text) leader(pid int) {
	if t.cur != 0 {
		if c := t.calls[t.cur]; c != nil {
			c.unfinished = true
		}
		t.write(append(t.buf[:0], " <unfinished ...>\n"...), false)
	}
	b := t.buf[:0]
	switch t.opt.Prefix {
	case PrefixAlways:
		b = appendPidLeft(b, pid)
	case PrefixMulti:
		if len(t.ntasks) > 1 {
			b = appendPidLeft(b, pid)
		}
	case PrefixBracketed:
		if len(t.ntasks) > 1 {
			b = append(b, "[pid "...)
			b = appendPadLeft(b, pid, 5)
			b = append(b, "] "...)
		}
	}
	t.buf = b
	t.col = 0
}

func appendPidLeft(b []byte, pid int) []byte {
	start := len(b)
	b = strconv.AppendInt(b, int64(pid), 10)
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
	t.leader(ev.Pid)
	b := append(t.buf, ev.Name()...)
	b = append(b, '(')
	b, _ = t.appendList(b, &ev.Args, 0)
	if ev.More && ev.Args.Top > 0 && !ev.SepAtExit {
		b = append(b, ", "...)
	}
	t.calls[ev.Pid] = &inflight{name: ev.Name(), more: ev.More}
	t.write(b, true)
	t.cur = ev.Pid
}

func (t *Text) exit(ev *tracer.Event) {
	c := t.calls[ev.Pid]
	if c == nil {
		return // entered before tracing began
	}
	b := t.resume(ev.Pid, c)
	if ev.SepAtExit && ev.Args.Top > 0 && ev.Args.Nodes[0].Kind != decode.KChanged {
		b = append(b, ", "...)
	}
	b, _ = t.appendList(b, &ev.Args, 0)
	b = append(b, ')')
	b = t.tab(b)
	b = append(b, "= "...)
	b = appendRet(b, ev)
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
	b = append(b, '\n')
	delete(t.calls, ev.Pid)
	t.write(b, false)
}

// resume starts the rest of pid's syscall line: on the open line when it is
// still pid's, else on a new "<... NAME resumed>" line.
func (t *Text) resume(pid int, c *inflight) []byte {
	if t.cur == pid && !c.unfinished {
		return t.buf[:0]
	}
	t.leader(pid)
	b := append(t.buf, "<... "...)
	b = append(b, c.name...)
	return append(b, " resumed>"...)
}

// cutShort ends the line of a syscall the task will never return from
// (exit_group, or a task killed mid-call): ") = ?".
func (t *Text) cutShort(pid int) {
	c := t.calls[pid]
	if c == nil {
		return
	}
	b := t.resume(pid, c)
	if c.more {
		b = append(b, " <unfinished ...>"...)
	}
	b = append(b, ')')
	b = t.tab(b)
	b = append(b, "= ?\n"...)
	delete(t.calls, pid)
	t.write(b, false)
}

// tab pads the line to the result column (strace's tabto), or one space
// when it is already past it.
func (t *Text) tab(b []byte) []byte {
	col := t.col + len(b)
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
func appendRet(b []byte, ev *tracer.Event) []byte {
	if ev.IsError {
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
		if v == 0 {
			return append(b, '0')
		}
		return strconv.AppendUint(append(b, '0'), uint64(v), 8)
	case decode.RetUdec:
		return strconv.AppendUint(b, ev.Arch.Mask(uint64(v)), 10)
	}
	return strconv.AppendInt(b, v, 10)
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
	case decode.KStr:
		style := t.opt.Quote
		if n.Num&decode.StrHex != 0 {
			style = QuoteForceHex
		}
		return AppendQuoted(b, o.Str(n), n.Trunc, style), i + 1
	case decode.KText:
		return append(b, o.Str(n)...), i + 1
	case decode.KSet:
		return n.Fmt.Append(b, n.Num), i + 1
	case decode.KSym:
		return append(b, n.Name...), i + 1
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

// AppendArgs appends the values of o as strace prints an argument list
// (without the parentheses).
func AppendArgs(dst []byte, o *decode.Out, style QuoteStyle) []byte {
	t := Text{opt: TextOptions{Quote: style}}
	dst, _ = t.appendList(dst, o, 0)
	return dst
}
