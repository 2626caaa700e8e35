package output

import (
	"bufio"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/decode/xlat"
	"github.com/sonde-dev/sonde/filter"
	"github.com/sonde-dev/sonde/sysent"
	"github.com/sonde-dev/sonde/tracer"
)

// JSONOptions choose what the JSON renderer writes. docs/json.md is the
// schema.
type JSONOptions struct {
	// Status (-e status=, -z, -Z) and Errnos (-e errno=) keep only the
	// syscall records with those outcomes; nil keeps all. As in the text
	// output, no "unfinished" markers are written while they filter.
	Status, Errnos *filter.Numbers
	// Quiet (-e quiet=) leaves out records: attach for attach and detach
	// records, exit for exit and killed ones, thread-execve for exec ones.
	Quiet *filter.Numbers
	// Verbose is -e verbose=: the syscalls outside it were decoded without
	// reading tracee memory, so their addresses are pointer values, never
	// unreadable ones. Nil holds every syscall.
	Verbose *filter.Syscalls
	// IP (-i) adds the instruction pointer to syscall records.
	IP bool
}

// JSON renders events as JSON lines, one object a line, as docs/json.md
// describes. A call is one "syscall" record carrying its entry and exit
// parts, written when the call ends. It is a tracer.Sink; memory is held
// only for the calls in flight.
type JSON struct {
	w       *bufio.Writer
	opt     JSONOptions
	staged  bool
	start   *time.Time // what "t" counts from: the first event's time
	buf     []byte
	calls   map[int]*jsonCall
	pending []int // tasks whose call in flight has no "unfinished" marker yet
	free    []*jsonCall
	tops    []topValue
	slots   []argSlot
	scratch []byte
	err     error
}

// jsonCall is a syscall in flight: its entry part, kept until it ends.
type jsonCall struct {
	tid, pid  int
	entryTid  int // the task that entered it, when an exec moved it to tid
	comm      []byte
	hasComm   bool
	at        time.Time
	arch      *arch.Arch
	entry     *sysent.Entry
	name      string // for a number the table does not know
	nr        uint64
	raw       [6]uint64
	ip        uint64
	more      bool
	announced bool // an "unfinished" marker was written
	args      decode.Out
}

// NewJSON returns a renderer writing JSON lines to w.
func NewJSON(w io.Writer, opt JSONOptions) *JSON {
	return newJSON(w, opt, new(time.Time))
}

func newJSON(w io.Writer, opt JSONOptions, start *time.Time) *JSON {
	staged := (opt.Status != nil && !opt.Status.IsAll()) || (opt.Errnos != nil && !opt.Errnos.IsAll())
	return &JSON{w: bufio.NewWriterSize(w, 64<<10), opt: opt, staged: staged, start: start, calls: map[int]*jsonCall{}}
}

// Flush writes what is buffered.
func (j *JSON) Flush() error {
	if err := j.w.Flush(); err != nil && j.err == nil {
		j.err = err
	}
	return j.err
}

// Err returns the first write error.
func (j *JSON) Err() error { return j.err }

func (j *JSON) quiet(what int) bool { return j.opt.Quiet != nil && j.opt.Quiet.Has(what) }

// Event renders one event.
func (j *JSON) Event(ev *tracer.Event) {
	if j.start.IsZero() && !ev.Time.IsZero() {
		*j.start = ev.Time
	}
	switch ev.Kind {
	case tracer.SyscallEnter:
		j.enter(ev)
	case tracer.SyscallExit:
		c := j.calls[ev.Pid]
		if c == nil {
			return // entered before tracing began
		}
		delete(j.calls, ev.Pid)
		if !j.staged || j.keep(ev) {
			j.cut(ev.Pid)
			j.writeCall(c, ev, filter.Successful)
		}
		j.release(c)
	case tracer.Signal:
		j.cut(ev.Pid)
		b := j.head(j.buf[:0], "signal", ev.Tgid, ev.Pid, ev.Time, ev.Comm, ev.Comm != nil)
		b = appendSignal(b, ev.Sig)
		if len(ev.Args.Nodes) > 0 {
			b = append(b, `,"siginfo":`...)
			b, _ = j.value(b, &ev.Args, 0)
		}
		j.write(append(b, "}\n"...))
	case tracer.GroupStop:
		j.cut(ev.Pid)
		b := j.head(j.buf[:0], "stop", ev.Tgid, ev.Pid, ev.Time, ev.Comm, ev.Comm != nil)
		b = appendSignal(b, ev.Sig)
		j.write(append(b, "}\n"...))
	case tracer.Exiting:
		j.end(ev.Pid, ev.Time, filter.Unfinished)
	case tracer.Exec:
		// The leader's call never returns; the execve of the thread that
		// execed goes on under the leader's pid.
		j.end(ev.Pid, ev.Time, filter.Unfinished)
		if c := j.calls[ev.OldPid]; c != nil {
			delete(j.calls, ev.OldPid)
			j.adopt(ev.Pid, c)
		}
		if !j.quiet(filter.QuietThreadExecve) {
			j.cut(ev.Pid)
			b := j.head(j.buf[:0], "exec", ev.Tgid, ev.Pid, ev.Time, ev.Comm, ev.Comm != nil)
			b = append(b, `,"old_tid":`...)
			b = strconv.AppendInt(b, int64(ev.OldPid), 10)
			j.write(append(b, "}\n"...))
		}
	case tracer.Attached:
		if !j.quiet(filter.QuietAttach) {
			j.cut(ev.Pid)
			b := j.head(j.buf[:0], "attach", ev.Tgid, ev.Pid, ev.Time, ev.Comm, ev.Comm != nil)
			if ev.Threads > 0 {
				b = append(b, `,"threads":`...)
				b = strconv.AppendInt(b, int64(ev.Threads), 10)
			}
			j.write(append(b, "}\n"...))
		}
	case tracer.Detached:
		j.end(ev.Pid, ev.Time, filter.Detached)
		if !j.quiet(filter.QuietAttach) {
			j.cut(ev.Pid)
			j.write(append(j.head(j.buf[:0], "detach", ev.Tgid, ev.Pid, ev.Time, ev.Comm, ev.Comm != nil), "}\n"...))
		}
	case tracer.Exited, tracer.Killed:
		j.end(ev.Pid, ev.Time, filter.Unfinished)
		if !j.quiet(filter.QuietExit) {
			j.cut(ev.Pid)
			var b []byte
			if ev.Kind == tracer.Exited {
				b = j.head(j.buf[:0], "exit", ev.Tgid, ev.Pid, ev.Time, ev.Comm, ev.Comm != nil)
				b = append(b, `,"status":`...)
				b = strconv.AppendInt(b, int64(ev.Status), 10)
			} else {
				b = j.head(j.buf[:0], "killed", ev.Tgid, ev.Pid, ev.Time, ev.Comm, ev.Comm != nil)
				b = appendSignal(b, ev.Sig)
				b = append(b, `,"core":`...)
				b = strconv.AppendBool(b, ev.Core)
			}
			j.write(append(b, "}\n"...))
		}
	}
}

// enter keeps the entry part of a call until it ends.
func (j *JSON) enter(ev *tracer.Event) {
	if old := j.calls[ev.Pid]; old != nil {
		// A call that never reported its exit (it cannot happen with a
		// working tracer): it did not return.
		j.end(ev.Pid, ev.Time, filter.Unfinished)
	}
	c := j.alloc()
	c.tid, c.pid, c.entryTid = ev.Pid, ev.Tgid, ev.Pid
	c.comm, c.hasComm = append(c.comm[:0], ev.Comm...), ev.Comm != nil
	c.at, c.arch, c.entry, c.nr, c.raw, c.ip, c.more = ev.Time, ev.Arch, ev.Entry, ev.Nr, ev.RawArgs, ev.IP, ev.More
	c.name = ""
	if ev.Entry == nil {
		c.name = ev.Name()
	}
	c.announced = false
	c.args.Nodes = append(c.args.Nodes[:0], ev.Args.Nodes...)
	c.args.Arena = append(c.args.Arena[:0], ev.Args.Arena...)
	c.args.Top = ev.Args.Top
	j.calls[ev.Pid] = c
	if !j.staged {
		j.pending = append(j.pending, ev.Pid)
	}
}

func (j *JSON) alloc() *jsonCall {
	if n := len(j.free); n > 0 {
		c := j.free[n-1]
		j.free = j.free[:n-1]
		return c
	}
	return &jsonCall{}
}

// release returns a call's storage for reuse; a few are kept, so memory
// follows the number of tasks in syscalls at once.
func (j *JSON) release(c *jsonCall) {
	if len(j.free) < 32 && cap(c.args.Arena) <= 64<<10 {
		j.free = append(j.free, c)
	}
}

// adopt makes c, a call of another task, the call in flight of tid.
func (j *JSON) adopt(tid int, c *jsonCall) {
	c.tid = tid
	j.calls[tid] = c
	if !c.announced && !j.staged {
		j.pending = append(j.pending, tid)
	}
}

// end writes the record of tid's call in flight, if any, as one that did
// not return (status: filter.Unfinished or filter.Detached, for -e status=).
func (j *JSON) end(tid int, at time.Time, status int) {
	c := j.calls[tid]
	if c == nil {
		return
	}
	delete(j.calls, tid)
	if !j.staged || (j.opt.Status != nil && j.opt.Status.Has(status) && (j.opt.Errnos == nil || j.opt.Errnos.IsAll())) {
		j.cut(tid)
		j.writeCall(c, nil, status)
	}
	j.release(c)
}

// cut writes an "unfinished" marker for every call in flight of another
// task than tid that has none yet: a record is about to come between its
// entry and its end, where strace prints "<unfinished ...>".
func (j *JSON) cut(tid int) {
	if len(j.pending) == 0 {
		return
	}
	kept := j.pending[:0]
	for _, p := range j.pending {
		c := j.calls[p]
		switch {
		case c == nil || c.announced:
		case p == tid:
			kept = append(kept, p)
		default:
			j.writeMarker(c)
			c.announced = true
		}
	}
	j.pending = kept
}

// keep decides whether a returned call is written under -e status= and
// -e errno=.
func (j *JSON) keep(ev *tracer.Event) bool {
	status := filter.Successful
	if ev.IsError {
		status = filter.Failed
	}
	if j.opt.Status != nil && !j.opt.Status.Has(status) {
		return false
	}
	if j.opt.Errnos != nil && !j.opt.Errnos.IsAll() && (!ev.IsError || !j.opt.Errnos.Has(int(-ev.Rval))) {
		return false
	}
	return true
}

func (j *JSON) write(b []byte) {
	if _, err := j.w.Write(b); err != nil && j.err == nil {
		j.err = err
	}
	j.buf = b[:0]
}

// head starts a record: {"type":T,"pid":P,"tid":T,"ts":"NS","t":NS[,"comm":C].
func (j *JSON) head(b []byte, typ string, pid, tid int, at time.Time, comm []byte, hasComm bool) []byte {
	b = append(b, `{"type":"`...)
	b = append(b, typ...)
	b = append(b, `","pid":`...)
	b = strconv.AppendInt(b, int64(pid), 10)
	b = append(b, `,"tid":`...)
	b = strconv.AppendInt(b, int64(tid), 10)
	b = append(b, `,"ts":"`...)
	b = strconv.AppendInt(b, at.UnixNano(), 10)
	b = append(b, `","t":`...)
	b = appendJSONInt(b, int64(at.Sub(*j.start)))
	if hasComm {
		b = appendBytesField(b, "comm", comm)
	}
	return b
}

// appendSignal appends ,"signal":"SIGCHLD","signo":17.
func appendSignal(b []byte, sig int) []byte {
	b = append(b, `,"signal":"`...)
	b = decode.SignalFormatter.Append(b, uint64(sig))
	b = append(b, `","signo":`...)
	return strconv.AppendInt(b, int64(sig), 10)
}

// callHead appends the fields every syscall and unfinished record has.
func (j *JSON) callHead(b []byte, typ string, c *jsonCall) []byte {
	b = j.head(b, typ, c.pid, c.tid, c.at, c.comm, c.hasComm)
	if c.entryTid != c.tid {
		b = append(b, `,"entry_tid":`...)
		b = strconv.AppendInt(b, int64(c.entryTid), 10)
	}
	b = append(b, `,"syscall":"`...)
	if c.entry != nil {
		b = append(b, c.entry.Name...)
	} else {
		b = append(b, c.name...)
	}
	b = append(b, `","nr":`...)
	b = appendJSONUint(b, c.nr)
	b = append(b, `,"arch":"`...)
	b = append(b, c.arch.Name...)
	b = append(b, '"')
	if j.opt.IP {
		b = append(b, `,"ip":"0x`...)
		b = strconv.AppendUint(b, c.ip, 16)
		b = append(b, '"')
	}
	return b
}

// writeMarker writes the "unfinished" marker of a call in flight.
func (j *JSON) writeMarker(c *jsonCall) {
	b := j.callHead(j.buf[:0], "unfinished", c)
	b = j.appendArgs(b, c, nil)
	j.write(append(b, "}\n"...))
}

// writeCall writes the record of a call: ev is its exit event, or nil when
// it did not return.
func (j *JSON) writeCall(c *jsonCall, ev *tracer.Event, status int) {
	b := j.callHead(j.buf[:0], "syscall", c)
	if c.announced {
		b = append(b, `,"resumed":true`...)
	}
	b = j.appendArgs(b, c, ev)
	if ev == nil {
		b = append(b, `,"ret":null,"returned":false`...)
		if status == filter.Detached {
			b = append(b, `,"detached":true`...)
		}
		j.write(append(b, "}\n"...))
		return
	}
	b = append(b, `,"ret":`...)
	if ev.IsError {
		b = appendJSONInt(b, ev.Rval)
		errno := uint64(-ev.Rval)
		b = append(b, `,"errno":"`...)
		if name, ok := xlat.ErrnoName(errno); ok {
			b = append(b, name...)
		} else {
			b = strconv.AppendUint(b, errno, 10)
		}
		b = append(b, `","errno_desc":`...)
		b = appendJSONString(b, []byte(xlat.ErrnoDesc(errno)))
	} else {
		switch ev.Ret {
		case decode.RetNone:
			b = append(b, "null"...)
		case decode.RetHex, decode.RetUdec:
			b = appendJSONUint(b, ev.Arch.Mask(uint64(ev.Rval)))
		default:
			b = appendJSONInt(b, ev.Rval)
		}
		if len(ev.RetDeco) > 0 {
			b = appendBytesField(b, "ret_info", ev.RetDeco)
		}
		if ev.Note != nil {
			if j.scratch = ev.Note.Append(j.scratch[:0], ev.NoteVal); len(j.scratch) > 0 {
				b = append(b, `,"ret_note":`...)
				b = appendJSONString(b, j.scratch)
			}
		}
	}
	if ev.Injected {
		b = append(b, `,"injected":true`...)
	}
	if ev.InjectedArgs {
		b = append(b, `,"injected_args":true`...)
	}
	if ev.Delayed {
		b = append(b, `,"delayed":true`...)
	}
	b = append(b, `,"duration_ns":`...)
	b = appendJSONInt(b, int64(ev.Duration))
	if ev.Dump != nil {
		b = append(b, `,"dump_hex":"`...)
		b = appendHex(b, ev.Dump)
		b = append(b, '"')
		if ev.DumpSegs != nil {
			b = append(b, `,"dump_segs":[`...)
			for i, n := range ev.DumpSegs {
				if i > 0 {
					b = append(b, ',')
				}
				b = strconv.AppendInt(b, int64(n), 10)
			}
			b = append(b, ']')
		}
	}
	j.write(append(b, "}\n"...))
}

// topValue is one top-level value of a call's arguments: the value at node
// i of o, named by a KField before it or not, with the value it changed to
// (" => ") and a count comment after it, if any.
type topValue struct {
	o     *decode.Out
	i     int
	field string
	exit  bool // in the exit part
	ao    *decode.Out
	ai    int
	aexit bool
	count *decode.Node
}

// collect appends the top-level values of o to j.tops. *changed carries a
// " => " from the end of one part to the start of the next.
func (j *JSON) collect(o *decode.Out, exit bool, changed *bool) {
	field := ""
	for i := 0; i < len(o.Nodes); {
		n := &o.Nodes[i]
		switch n.Kind {
		case decode.KField:
			field = n.Name
			i++
			continue
		case decode.KCount:
			if k := len(j.tops); k > 0 {
				j.tops[k-1].count = n
			}
			i++
			continue
		case decode.KChanged:
			*changed = true
			i++
			continue
		case decode.KEnd:
			i++
			continue
		}
		if *changed && len(j.tops) > 0 {
			t := &j.tops[len(j.tops)-1]
			t.ao, t.ai, t.aexit = o, i, exit
		} else {
			j.tops = append(j.tops, topValue{o: o, i: i, field: field, exit: exit})
		}
		*changed = false
		field = ""
		i = o.Skip(i)
	}
}

// argSlot is one argument as strace prints it: a register, or the two
// words of a split 64-bit value (lo, hi).
type argSlot struct {
	lo, hi int
}

func (j *JSON) buildSlots(e *sysent.Entry) {
	j.slots = j.slots[:0]
	n := int(e.Nargs)
	kind := func(i int) sysent.Arg {
		if i < len(e.Args) {
			return e.Args[i]
		}
		return ""
	}
	for i := 0; i < n; i++ {
		k := kind(i)
		if (k == sysent.ArgOffLo || k == sysent.ArgOffHi) && i+1 < n {
			if k2 := kind(i + 1); (k2 == sysent.ArgOffLo || k2 == sysent.ArgOffHi) && k2 != k {
				if k == sysent.ArgOffLo {
					j.slots = append(j.slots, argSlot{lo: i, hi: i + 1})
				} else {
					j.slots = append(j.slots, argSlot{lo: i + 1, hi: i})
				}
				i++
				continue
			}
		}
		j.slots = append(j.slots, argSlot{lo: i, hi: -1})
	}
}

// The ways values are matched with arguments.
const (
	mapNone   = iota // names and raws unknown
	mapRegs          // a syscall of no name: value k is register k
	mapSlots         // value k is argument slot k
	mapWords         // value k is argument word k (-e raw=, split values printed as words)
	mapFields        // values are named by their fields (clone)
)

// fieldAliases name the arguments of the decoders that print named values
// under other names than the kernel's (clone's child_stack is newsp).
var fieldAliases = map[string]string{
	"child_stack": "newsp",
	"flags":       "clone_flags",
	"parent_tid":  "parent_tidptr",
}

// addressKind reports whether an argument of kind k prints as an address
// by design, not because its memory could not be read.
func addressKind(k sysent.Arg) bool {
	switch k {
	case "", sysent.ArgPtr, sysent.ArgOutPtr, sysent.ArgTidPtr, sysent.ArgTLS, sysent.ArgEnvp,
		sysent.ArgHex, sysent.ArgUnknown, sysent.ArgOldMmapArgs, sysent.ArgOldSelectArgs,
		sysent.ArgSocketcallCall, sysent.ArgIPCCall:
		return true
	}
	return false
}

// appendArgs appends ,"args":[...]: the call's entry part and, when ev is
// its exit event, the exit part.
func (j *JSON) appendArgs(b []byte, c *jsonCall, ev *tracer.Event) []byte {
	j.tops = j.tops[:0]
	changed := false
	j.collect(&c.args, false, &changed)
	failed := false
	if ev != nil {
		j.collect(&ev.Args, true, &changed)
		failed = ev.IsError
	}
	mode := mapNone
	var names []string
	var kinds []sysent.Arg
	nargs := 0
	if c.entry == nil {
		mode = mapRegs
	} else {
		names, kinds, nargs = c.entry.ArgNames, c.entry.Args, int(c.entry.Nargs)
		j.buildSlots(c.entry)
		unnamed := 0
		for k := range j.tops {
			if j.tops[k].field == "" {
				unnamed++
			}
		}
		switch {
		case unnamed == len(j.tops) && unnamed <= len(j.slots):
			mode = mapSlots
		case unnamed == len(j.tops) && unnamed == nargs:
			mode = mapWords
		case unnamed == 0:
			mode = mapFields
		}
	}
	deref := true
	if j.opt.Verbose != nil {
		if tab := sysent.ForAuditArch(c.arch.AuditArch); tab != nil {
			deref = j.opt.Verbose.Has(tab, c.nr)
		}
	}
	b = append(b, `,"args":[`...)
	for k := range j.tops {
		t := &j.tops[k]
		if k > 0 {
			b = append(b, ',')
		}
		name, kind, word := "", sysent.Arg(""), -1
		var raw uint64
		known := false
		switch mode {
		case mapRegs:
			if k < len(c.raw) {
				raw, known = c.arch.Mask(c.raw[k]), true
			}
		case mapSlots:
			s := j.slots[k]
			word = s.lo
			raw, known = c.arch.Mask(c.raw[s.lo]), true
			if s.hi >= 0 && c.arch.WordSize == 4 {
				raw = uint64(uint32(c.raw[s.lo])) | uint64(uint32(c.raw[s.hi]))<<32
			}
		case mapWords:
			word = k
			raw, known = c.arch.Mask(c.raw[k]), true
		default:
			if t.field != "" {
				name = t.field
				for w, n := range names {
					if n == t.field || n == fieldAliases[t.field] {
						word = w
						raw, known = c.arch.Mask(c.raw[w]), true
						break
					}
				}
			}
		}
		if word >= 0 {
			if word < len(names) {
				name = names[word]
			}
			if word < len(kinds) {
				kind = kinds[word]
			}
		}
		b = append(b, `{"name":`...)
		if name == "" {
			b = append(b, "null"...)
		} else {
			b = appendJSONString(b, []byte(name))
		}
		b = append(b, `,"raw":`...)
		if known {
			b = appendJSONUint(b, raw)
		} else {
			b = append(b, "null"...)
		}
		b = append(b, `,"value":`...)
		readable, flags := deref && !addressKind(kind), flagKind(kind)
		if t.ao != nil {
			b = append(b, `{"before":`...)
			b = j.top(b, t.o, t.i, readable && !(t.exit && failed), flags)
			b = append(b, `,"after":`...)
			b = j.top(b, t.ao, t.ai, readable && !(t.aexit && failed), flags)
			b = append(b, '}')
		} else {
			b = j.top(b, t.o, t.i, readable && !(t.exit && failed), flags)
		}
		if t.count != nil {
			b = append(b, `,"count":`...)
			b = appendCount(b, t.count)
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

// top appends a top-level value; read says an address there stands for
// memory that could not be read (the argument points to data the decoder
// reads).
func (j *JSON) top(b []byte, o *decode.Out, i int, read, flags bool) []byte {
	switch n := &o.Nodes[i]; {
	case read && n.Kind == decode.KAddr && n.Num != 0:
		return appendAddr(b, "unreadable", n.Num)
	case flags && n.Kind == decode.KSet:
		return j.set(b, n, true)
	}
	b, _ = j.value(b, o, i)
	return b
}

// flagKind reports whether an argument of kind k is a set of flags, so its
// value has a "flags" list whatever its formatter and however many flags
// are set.
func flagKind(k sysent.Arg) bool {
	switch k {
	case sysent.ArgOpenFlags, sysent.ArgOFlags, sysent.ArgAtFlags, sysent.ArgAccessMode, sysent.ArgMapFlags,
		sysent.ArgProt, sysent.ArgCloneFlags, sysent.ArgWaitOptions, sysent.ArgGrndFlags, sysent.ArgStatxFlags,
		sysent.ArgStatxMask, sysent.ArgEpollFlags, sysent.ArgRenameFlags, sysent.ArgFallocateMode,
		sysent.ArgFlockOp, sysent.ArgCloseRangeFlags, sysent.ArgInotifyFlags, sysent.ArgInotifyMask,
		sysent.ArgMemfdFlags, sysent.ArgEventfdFlags, sysent.ArgSpliceFlags, sysent.ArgSfdFlags,
		sysent.ArgMremapFlags, sysent.ArgMlockFlags, sysent.ArgMlockallFlags, sysent.ArgMsyncFlags,
		sysent.ArgSocketType:
		return true
	}
	return false
}

// appendCount appends {"n":N,"what":"entries"}.
func appendCount(b []byte, n *decode.Node) []byte {
	b = append(b, `{"n":`...)
	b = appendJSONUint(b, n.Num)
	b = append(b, `,"what":`...)
	b = appendJSONString(b, []byte(n.Name))
	return append(b, '}')
}

// value appends the value starting at node i of o and returns the index
// just past it.
func (j *JSON) value(b []byte, o *decode.Out, i int) ([]byte, int) {
	if i >= len(o.Nodes) {
		return append(b, "null"...), i
	}
	n := &o.Nodes[i]
	switch n.Kind {
	case decode.KInt:
		return appendJSONInt(b, int64(n.Num)), i + 1
	case decode.KUint, decode.KHex, decode.KOct:
		return appendJSONUint(b, n.Num), i + 1
	case decode.KAddr:
		return appendAddr(b, "addr", n.Num), i + 1
	case decode.KFD, decode.KPid:
		key, about := `{"fd":`, "info"
		if n.Kind == decode.KPid {
			key, about = `{"pid":`, "comm"
		}
		b = append(b, key...)
		b = appendJSONInt(b, int64(n.Num))
		if n.Len > 0 {
			b = appendBytesField(b, about, o.Str(n))
		}
		return append(b, '}'), i + 1
	case decode.KStr:
		b = append(b, '{')
		b = appendBytesValue(b, "str", o.Str(n))
		if n.Trunc {
			b = append(b, `,"truncated":true`...)
		}
		return append(b, '}'), i + 1
	case decode.KText:
		b = append(b, '{')
		b = appendBytesValue(b, "text", o.Str(n))
		return append(b, '}'), i + 1
	case decode.KSet:
		return j.set(b, n, false), i + 1
	case decode.KSym:
		b = append(b, `{"sym":`...)
		b = appendJSONString(b, []byte(n.Name))
		b = append(b, `,"raw":`...)
		b = appendJSONInt(b, int64(n.Num))
		if n.Len > 0 {
			b = appendBytesField(b, "info", o.Str(n))
		}
		return append(b, '}'), i + 1
	case decode.KUnread:
		return append(b, `{"unreadable":null}`...), i + 1
	case decode.KMore:
		return append(b, `"..."`...), i + 1
	case decode.KStruct:
		b = append(b, '{')
		b, i = j.list(b, o, i+1, true)
		return append(b, '}'), i
	case decode.KArray:
		b = append(b, '[')
		b, i = j.list(b, o, i+1, false)
		return append(b, ']'), i
	case decode.KRef:
		b = append(b, `{"ref":`...)
		switch {
		case i+1 >= len(o.Nodes):
			b, i = append(b, "null"...), i+1
		case o.Nodes[i+1].Kind == decode.KEnd:
			b, i = append(b, "null"...), i+2
		case o.Nodes[i+1].Kind != decode.KField && o.Nodes[i+1].Kind != decode.KCount && single(o, i+1):
			b, i = j.value(b, o, i+1)
			i++ // the KEnd
		default:
			b = append(b, '[')
			b, i = j.list(b, o, i+1, false)
			b = append(b, ']')
		}
		return append(b, '}'), i
	case decode.KInOut:
		b = append(b, `{"ref":{"before":`...)
		b, i = j.value(b, o, i+1)
		b = append(b, `,"after":`...)
		b, i = j.value(b, o, i)
		if i < len(o.Nodes) && o.Nodes[i].Kind == decode.KEnd {
			i++
		}
		return append(b, "}}"...), i
	case decode.KCall:
		b = append(b, `{"call":`...)
		b = appendJSONString(b, []byte(n.Name))
		b = append(b, `,"args":[`...)
		b, i = j.list(b, o, i+1, false)
		return append(b, "]}"...), i
	}
	return append(b, "null"...), i + 1 // a KEnd, KField, KCount or KChanged out of place
}

// single reports whether the value at node i is followed by the KEnd of
// its composite.
func single(o *decode.Out, i int) bool {
	e := o.Skip(i)
	return e < len(o.Nodes) && o.Nodes[e].Kind == decode.KEnd
}

// list appends the values from node i to the end of the enclosing
// composite as JSON object members (obj) or array elements, and returns
// the index past its KEnd.
func (j *JSON) list(b []byte, o *decode.Out, i int, obj bool) ([]byte, int) {
	first := true
	key := ""
	k := 0
	sep := func() {
		if !first {
			b = append(b, ',')
		}
		first = false
	}
	for i < len(o.Nodes) {
		n := &o.Nodes[i]
		switch n.Kind {
		case decode.KEnd:
			return b, i + 1
		case decode.KField:
			key = n.Name
			i++
			continue
		case decode.KChanged:
			i++ // handled with the value before it
			continue
		case decode.KCount:
			sep()
			if obj {
				b = append(b, `"count":`...)
			}
			b = appendCount(b, n)
			i++
			continue
		}
		sep()
		if obj {
			switch {
			case key != "":
				b = appendJSONString(b, []byte(key))
			case n.Kind == decode.KMore:
				b = append(b, `"..."`...)
			default:
				b = append(b, `"_`...)
				b = strconv.AppendInt(b, int64(k), 10)
				b = append(b, '"')
			}
			b = append(b, ':')
		}
		if end := o.Skip(i); end+1 < len(o.Nodes) && o.Nodes[end].Kind == decode.KChanged && o.Nodes[end+1].Kind != decode.KEnd {
			b = append(b, `{"before":`...)
			b, _ = j.value(b, o, i)
			b = append(b, `,"after":`...)
			b, i = j.value(b, o, end+1)
			b = append(b, '}')
		} else {
			b, i = j.value(b, o, i)
		}
		key = ""
		k++
	}
	return b, i
}

// set appends a flag set or enumeration: {"raw":N,"text":"A|B"} with its
// "flags" and "unknown" bits, or its "name". flags says the value is known
// to be a flag set (by its argument's kind): its names are a "flags" list
// even when its formatter is not an xlat.Set and one flag or none is set.
func (j *JSON) set(b []byte, n *decode.Node, flags bool) []byte {
	b = append(b, `{"raw":`...)
	b = appendJSONUint(b, n.Num)
	j.scratch = n.Fmt.Append(j.scratch[:0], n.Num)
	b = append(b, `,"text":`...)
	b = appendJSONString(b, j.scratch)
	if s, ok := n.Fmt.(*xlat.Set); ok {
		if s.Style == xlat.Enum && !flags {
			if name, ok := s.Lookup(n.Num); ok {
				b = append(b, `,"name":`...)
				b = appendJSONString(b, []byte(name))
			}
			return append(b, '}')
		}
		names, rest := s.Names(n.Num)
		b = append(b, `,"flags":[`...)
		for k, name := range names {
			if k > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, []byte(name))
		}
		b = append(b, ']')
		if rest != 0 {
			b = append(b, `,"unknown":"0x`...)
			b = strconv.AppendUint(b, rest, 16)
			b = append(b, '"')
		}
		return append(b, '}')
	}
	text := j.scratch
	if n.Fmt == decode.SignalFormatter {
		if isIdent(text) {
			b = append(b, `,"name":`...)
			b = appendJSONString(b, text)
		}
		return append(b, '}')
	}
	// Another formatter: its text, taken apart when it is a list of names
	// joined by '|', perhaps ending in leftover bits in hex: a "flags" list
	// when there are two or more, or when flags says it is one; a single
	// name is a "name".
	if flags && string(text) == "0" {
		return append(b, `,"flags":[]}`...)
	}
	var unknown []byte
	count := 0
	for rest := text; len(rest) > 0; {
		tok := rest
		if k := indexByte(rest, '|'); k >= 0 {
			tok, rest = rest[:k], rest[k+1:]
		} else {
			rest = nil
		}
		switch {
		case isIdent(tok) && unknown == nil:
			count++
		case isHex(tok) && unknown == nil && len(rest) == 0 && count > 0:
			unknown = tok
		default:
			return append(b, '}')
		}
	}
	switch {
	case count == 0:
		return append(b, '}')
	case count == 1 && unknown == nil && !flags:
		b = append(b, `,"name":`...)
		b = appendJSONString(b, text)
		return append(b, '}')
	}
	b = append(b, `,"flags":[`...)
	first := true
	for rest := text; len(rest) > 0; {
		tok := rest
		if k := indexByte(rest, '|'); k >= 0 {
			tok, rest = rest[:k], rest[k+1:]
		} else {
			rest = nil
		}
		if !isIdent(tok) {
			break
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSONString(b, tok)
	}
	b = append(b, ']')
	if unknown != nil {
		b = append(b, `,"unknown":`...)
		b = appendJSONString(b, unknown)
	}
	return append(b, '}')
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// isIdent reports whether s is a C identifier: O_CLOEXEC, SIGTERM.
func isIdent(s []byte) bool {
	if len(s) == 0 {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'):
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// isHex reports whether s is 0x followed by hex digits.
func isHex(s []byte) bool {
	if len(s) < 3 || s[0] != '0' || s[1] != 'x' {
		return false
	}
	for _, c := range s[2:] {
		if !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) {
			return false
		}
	}
	return true
}

// maxSafe is the largest integer a JSON number holds exactly in every
// reader (2^53-1, JavaScript's Number.MAX_SAFE_INTEGER).
const maxSafe = 1<<53 - 1

// appendJSONInt appends v as a JSON number, or as a decimal string when it
// is outside ±(2^53-1).
func appendJSONInt(b []byte, v int64) []byte {
	if v > maxSafe || v < -maxSafe {
		b = append(b, '"')
		b = strconv.AppendInt(b, v, 10)
		return append(b, '"')
	}
	return strconv.AppendInt(b, v, 10)
}

// appendJSONUint appends v as a JSON number, or as a decimal string above
// 2^53-1.
func appendJSONUint(b []byte, v uint64) []byte {
	if v > maxSafe {
		b = append(b, '"')
		b = strconv.AppendUint(b, v, 10)
		return append(b, '"')
	}
	return strconv.AppendUint(b, v, 10)
}

// appendAddr appends {"key":"0x7ffd..."}.
func appendAddr(b []byte, key string, v uint64) []byte {
	b = append(b, `{"`...)
	b = append(b, key...)
	b = append(b, `":"0x`...)
	b = strconv.AppendUint(b, v, 16)
	return append(b, `"}`...)
}

func appendHex(b, data []byte) []byte {
	const digits = "0123456789abcdef"
	for _, c := range data {
		b = append(b, digits[c>>4], digits[c&15])
	}
	return b
}

// appendBytesField appends ,"key":"..." for bytes s (see appendBytesValue).
func appendBytesField(b []byte, key string, s []byte) []byte {
	return appendBytesValue(append(b, ','), key, s)
}

// appendBytesValue appends "key":"..." for bytes s. Bytes that are not
// valid UTF-8 show as U+FFFD in the string, and "key_hex" then holds every
// byte in hex: the faithful form.
func appendBytesValue(b []byte, key string, s []byte) []byte {
	b = append(b, '"')
	b = append(b, key...)
	b = append(b, `":`...)
	b = appendJSONString(b, s)
	if !utf8.Valid(s) {
		b = append(b, `,"`...)
		b = append(b, key...)
		b = append(b, `_hex":"`...)
		b = appendHex(b, s)
		b = append(b, '"')
	}
	return b
}

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, U+2028 and U+2029 too (for JavaScript
// readers), and each byte that is not part of valid UTF-8 as U+FFFD.
func appendJSONString(b, s []byte) []byte {
	const digits = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\t':
				b = append(b, '\\', 't')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', 'u', '0', '0', digits[c>>4], digits[c&15])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, `\u202`...)
			b = append(b, digits[r&15])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
