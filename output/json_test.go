package output_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/decode/xlat"
	"github.com/sonde-dev/sonde/filter"
	"github.com/sonde-dev/sonde/output"
	"github.com/sonde-dev/sonde/sysent"
	"github.com/sonde-dev/sonde/tracer"
)

// base is the time of the first event of every JSON test: "t" counts from
// it, and "ts" is its Unix time in nanoseconds.
var base = time.Unix(1700000000, 0)

const baseTS = `"ts":"1700000000000000000"`

// at returns base plus us microseconds.
func at(us int) time.Time { return base.Add(time.Duration(us) * time.Microsecond) }

// jcall is an entry event of syscall name of table tab, at time us.
func jcall(tab *sysent.Table, a *arch.Arch, pid, us int, name string, raw [6]uint64, more bool, args func(o *decode.Out)) *tracer.Event {
	e := tab.ByName(name)
	ev := &tracer.Event{Kind: tracer.SyscallEnter, Pid: pid, Tgid: pid, Time: at(us), Arch: a, Entry: e, Nr: uint64(e.Nr), RawArgs: raw, More: more}
	if args != nil {
		args(&ev.Args)
	}
	return ev
}

// jret is the exit event of the call jcall entered, at time us.
func jret(enter *tracer.Event, us int, rval int64, isErr bool, args func(o *decode.Out)) *tracer.Event {
	ev := &tracer.Event{Kind: tracer.SyscallExit, Pid: enter.Pid, Tgid: enter.Tgid, Time: at(us), Arch: enter.Arch, Entry: enter.Entry, Nr: enter.Nr,
		RawArgs: enter.RawArgs, Rval: rval, IsError: isErr, Duration: at(us).Sub(enter.Time)}
	if args != nil {
		args(&ev.Args)
	}
	return ev
}

func renderJSON(opt output.JSONOptions, evs ...*tracer.Event) string {
	var b bytes.Buffer
	j := output.NewJSON(&b, opt)
	for _, ev := range evs {
		j.Event(ev)
	}
	j.Flush()
	return b.String()
}

// checkLines fails unless every line is one valid JSON object.
func checkLines(t *testing.T, out string) {
	t.Helper()
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Errorf("not a JSON object: %v\n%s", err, l)
		}
	}
}

func TestJSONRecords(t *testing.T) {
	x := sysent.X86_64
	openat := jcall(x, arch.X86_64, 7, 0, "openat", [6]uint64{0xffffffffffffff9c, 0x7ffd0000, 0x80000}, false, func(o *decode.Out) {
		o.Sym("AT_FDCWD", uint64(0xffffffffffffff9c))
		o.Bytes([]byte("/etc/passwd"), false)
		o.Set(xlat.AtFlags, 0)
	})
	read := jcall(x, arch.X86_64, 7, 10, "read", [6]uint64{3, 0x7ffd1000, 64}, true, func(o *decode.Out) { o.FD(3, []byte("/etc/passwd")) })
	pipe := jcall(x, arch.X86_64, 7, 20, "pipe2", [6]uint64{0x7ffd2000, 0}, true, nil)
	stat := jcall(x, arch.X86_64, 7, 30, "newfstatat", [6]uint64{0xffffffffffffff9c, 0, 0x7ffd3000, 0}, true, func(o *decode.Out) {
		o.Sym("AT_FDCWD", uint64(0xffffffffffffff9c))
		o.Addr(0xdead0000) // the path could not be read
	})
	tests := []struct {
		name string
		opt  output.JSONOptions
		evs  []*tracer.Event
		want string
	}{
		{"openat", output.JSONOptions{},
			[]*tracer.Event{openat, jret(openat, 5, 3, false, nil)},
			`{"type":"syscall","pid":7,"tid":7,` + baseTS + `,"t":0,"syscall":"openat","nr":257,"arch":"x86_64","args":[` +
				`{"name":"dfd","raw":"18446744073709551516","value":{"sym":"AT_FDCWD","raw":-100}},` +
				`{"name":"filename","raw":2147287040,"value":{"str":"/etc/passwd"}},` +
				`{"name":"flags","raw":524288,"value":{"raw":0,"text":"0","flags":[]}}],"ret":3,"duration_ns":5000}` + "\n"},
		{"read: invalid UTF-8, truncated, fd info", output.JSONOptions{},
			[]*tracer.Event{read, jret(read, 12, 64, false, func(o *decode.Out) {
				o.Bytes([]byte("caf\xe9\x00\n\"\\"), true)
				o.Uint(64)
			})},
			`{"type":"syscall","pid":7,"tid":7,"ts":"1700000000000010000","t":0,"syscall":"read","nr":0,"arch":"x86_64","args":[` +
				`{"name":"fd","raw":3,"value":{"fd":3,"info":"/etc/passwd"}},` +
				`{"name":"buf","raw":2147291136,"value":{"str":"caf\ufffd\u0000\n\"\\","str_hex":"636166e9000a225c","truncated":true}},` +
				`{"name":"count","raw":64,"value":64}],"ret":64,"duration_ns":2000}` + "\n"},
		{"failed: output argument as its address, errno", output.JSONOptions{},
			[]*tracer.Event{pipe, jret(pipe, 21, -24, true, func(o *decode.Out) {
				o.Addr(0x7ffd2000)
				o.Set(xlat.AtFlags, 0)
			})},
			`{"type":"syscall","pid":7,"tid":7,"ts":"1700000000000020000","t":0,"syscall":"pipe2","nr":293,"arch":"x86_64","args":[` +
				`{"name":"fildes","raw":2147295232,"value":{"addr":"0x7ffd2000"}},` +
				`{"name":"flags","raw":0,"value":{"raw":0,"text":"0","flags":[]}}],"ret":-24,"errno":"EMFILE","errno_desc":"Too many open files","duration_ns":1000}` + "\n"},
		{"unreadable path", output.JSONOptions{},
			[]*tracer.Event{stat, jret(stat, 31, -14, true, func(o *decode.Out) {
				o.Addr(0x7ffd3000)
				o.Set(xlat.AtFlags, 0)
			})},
			`{"type":"syscall","pid":7,"tid":7,"ts":"1700000000000030000","t":0,"syscall":"newfstatat","nr":262,"arch":"x86_64","args":[` +
				`{"name":"dfd","raw":"18446744073709551516","value":{"sym":"AT_FDCWD","raw":-100}},` +
				`{"name":"filename","raw":0,"value":{"unreadable":"0xdead0000"}},` +
				`{"name":"statbuf","raw":2147299328,"value":{"addr":"0x7ffd3000"}},` +
				`{"name":"flag","raw":0,"value":{"raw":0,"text":"0","flags":[]}}],"ret":-14,"errno":"EFAULT","errno_desc":"Bad address","duration_ns":1000}` + "\n"},
		{"unreadable is not said outside -e verbose=", output.JSONOptions{Verbose: mustSyscalls(t, "none")},
			[]*tracer.Event{stat, jret(stat, 31, -14, true, nil)},
			`"args":[{"name":"dfd","raw":"18446744073709551516","value":{"sym":"AT_FDCWD","raw":-100}},{"name":"filename","raw":0,"value":{"addr":"0xdead0000"}}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := renderJSON(tt.opt, tt.evs...)
			checkLines(t, got)
			if !strings.Contains(got, tt.want) {
				t.Errorf("got\n%s\nwant (in it)\n%s", got, tt.want)
			}
		})
	}
}

func mustSyscalls(t *testing.T, expr string) *filter.Syscalls {
	s, err := filter.ParseSyscalls(expr)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustNumbers(t *testing.T) func(*filter.Numbers, error) *filter.Numbers {
	return func(n *filter.Numbers, err error) *filter.Numbers {
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
}

func TestJSONValues(t *testing.T) {
	x := sysent.X86_64
	// sendfile's offset changes during the call: [0] => [5].
	sf := jcall(x, arch.X86_64, 9, 0, "sendfile", [6]uint64{1, 3, 0x1000, 5}, true, func(o *decode.Out) {
		o.FD(1, nil)
		o.FD(3, nil)
		o.Ref()
		o.Int(0)
		o.End()
	})
	sfExit := jret(sf, 1, 5, false, func(o *decode.Out) {
		o.Changed()
		o.Ref()
		o.Int(5)
		o.End()
		o.Uint(5)
	})
	got := renderJSON(output.JSONOptions{}, sf, sfExit)
	checkLines(t, got)
	if want := `{"name":"offset","raw":4096,"value":{"before":{"ref":0},"after":{"ref":5}}},{"name":"count","raw":5,"value":5}]`; !strings.Contains(got, want) {
		t.Errorf("sendfile:\n%s\nwant\n%s", got, want)
	}

	// Structures, arrays, abbreviations, counts, calls, big numbers.
	ev := jcall(x, arch.X86_64, 9, 0, "getdents64", [6]uint64{3, 0x2000, 1024}, false, func(o *decode.Out) {
		o.FD(3, nil)
		o.Array()
		o.Struct()
		o.Field("d_ino")
		o.Uint(1 << 60)
		o.Field("d_name")
		o.Bytes([]byte("."), false)
		o.Field("d_dev")
		o.Call("makedev")
		o.Hex(8)
		o.Uint(1)
		o.End()
		o.More()
		o.End()
		o.More()
		o.End()
		o.Count(2, "entries")
		o.InOut()
		o.Int(-1 << 60)
		o.Int(3)
		o.End()
	})
	got = renderJSON(output.JSONOptions{}, ev, jret(ev, 2, 48, false, nil))
	checkLines(t, got)
	for _, want := range []string{
		`{"name":"dirent","raw":8192,"value":[{"d_ino":"1152921504606846976","d_name":{"str":"."},"d_dev":{"call":"makedev","args":[8,1]},"...":"..."},"..."],"count":{"n":2,"what":"entries"}}`,
		`{"name":"count","raw":1024,"value":{"ref":{"before":"-1152921504606846976","after":3}}}`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("getdents64:\n%s\nwant\n%s", got, want)
		}
	}
}

func TestJSONSplitAndFields(t *testing.T) {
	// i386 pread64: the offset is two words, one argument.
	i := sysent.I386
	pr := jcall(i, arch.I386, 5, 0, "pread64", [6]uint64{3, 0x1000, 16, 0x2, 0x1}, true, func(o *decode.Out) { o.FD(3, nil) })
	got := renderJSON(output.JSONOptions{}, pr, jret(pr, 1, 0, false, func(o *decode.Out) {
		o.Bytes(nil, false)
		o.Uint(16)
		o.Int(0x100000002)
	}))
	checkLines(t, got)
	if want := `{"name":"poslo","raw":4294967298,"value":4294967298}]`; !strings.Contains(got, want) || !strings.Contains(got, `"arch":"i386"`) {
		t.Errorf("pread64:\n%s\nwant\n%s", got, want)
	}

	// clone names its values: they find their registers by name.
	x := sysent.X86_64
	cl := jcall(x, arch.X86_64, 5, 0, "clone", [6]uint64{0x1200011, 0, 0, 0x7f00, 0}, true, func(o *decode.Out) {
		o.Field("child_stack")
		o.Addr(0)
		o.Field("flags")
		o.Set(xlat.AccessModes, 0x1200011) // any formatter will do
	})
	cl.SepAtExit = true
	got = renderJSON(output.JSONOptions{}, cl, jret(cl, 3, 42, false, func(o *decode.Out) {
		o.Field("child_tidptr")
		o.Addr(0x7f00)
	}))
	checkLines(t, got)
	for _, want := range []string{`{"name":"newsp","raw":0,"value":{"addr":"0x0"}}`, `{"name":"clone_flags","raw":18874385,`, `{"name":"child_tidptr","raw":32512,"value":{"addr":"0x7f00"}}`} {
		if !strings.Contains(got, want) {
			t.Errorf("clone:\n%s\nwant\n%s", got, want)
		}
	}
}

func TestJSONPairing(t *testing.T) {
	x := sysent.X86_64
	// Task 1's read blocks while task 2 writes: an "unfinished" marker for
	// the read, then the write, then the read's record, marked resumed.
	r := jcall(x, arch.X86_64, 1, 0, "read", [6]uint64{0, 0x1000, 10}, true, func(o *decode.Out) { o.FD(0, nil) })
	w := jcall(x, arch.X86_64, 2, 1, "write", [6]uint64{1, 0x2000, 2}, false, func(o *decode.Out) {
		o.FD(1, nil)
		o.Bytes([]byte("hi"), false)
		o.Uint(2)
	})
	// Task 3 is in exit_group when it exits; task 4 is detached in a wait.
	eg := jcall(x, arch.X86_64, 3, 4, "exit_group", [6]uint64{0}, false, func(o *decode.Out) { o.Int(0) })
	wt := jcall(x, arch.X86_64, 4, 5, "wait4", [6]uint64{0xffffffffffffffff}, true, func(o *decode.Out) { o.Int(-1) })
	evs := []*tracer.Event{r, w, jret(w, 2, 2, false, nil), jret(r, 3, 2, false, func(o *decode.Out) {
		o.Bytes([]byte("hi"), false)
		o.Uint(10)
	}),
		eg, {Kind: tracer.Exiting, Pid: 3, Tgid: 3, Time: at(6)}, {Kind: tracer.Exited, Pid: 3, Tgid: 3, Time: at(7)},
		wt, {Kind: tracer.Detached, Pid: 4, Tgid: 4, Time: at(8)},
	}
	got := renderJSON(output.JSONOptions{}, evs...)
	checkLines(t, got)
	want := []string{
		`{"type":"unfinished","pid":1,"tid":1,` + baseTS + `,"t":0,"syscall":"read","nr":0,"arch":"x86_64","args":[{"name":"fd","raw":0,"value":{"fd":0}}]}`,
		`{"type":"syscall","pid":2,"tid":2,"ts":"1700000000000001000","t":1000,"syscall":"write",`,
		`{"type":"syscall","pid":1,"tid":1,` + baseTS + `,"t":0,"syscall":"read","nr":0,"arch":"x86_64","resumed":true,"args":[{"name":"fd","raw":0,"value":{"fd":0}},{"name":"buf","raw":4096,"value":{"str":"hi"}},{"name":"count","raw":10,"value":10}],"ret":2,"duration_ns":3000}`,
		`{"type":"syscall","pid":3,"tid":3,"ts":"1700000000000004000","t":4000,"syscall":"exit_group","nr":231,"arch":"x86_64","args":[{"name":"error_code","raw":0,"value":0}],"ret":null,"returned":false}`,
		`{"type":"exit","pid":3,"tid":3,"ts":"1700000000000007000","t":7000,"status":0}`,
		`{"type":"syscall","pid":4,"tid":4,"ts":"1700000000000005000","t":5000,"syscall":"wait4","nr":61,"arch":"x86_64","args":[{"name":"upid","raw":"18446744073709551615","value":-1}],"ret":null,"returned":false,"detached":true}`,
		`{"type":"detach","pid":4,"tid":4,"ts":"1700000000000008000","t":8000}`,
	}
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), got)
	}
	for k := range want {
		if !strings.HasPrefix(lines[k], want[k]) {
			t.Errorf("line %d:\n%s\nwant (prefix)\n%s", k+1, lines[k], want[k])
		}
	}

	// -e status=failed: only failed calls, and no markers.
	status := mustNumbers(t)(filter.ParseStatus("failed"))
	got = renderJSON(output.JSONOptions{Status: status}, evs...)
	if strings.Contains(got, `"syscall"`) || strings.Contains(got, "unfinished") {
		t.Errorf("status=failed kept a successful call or a marker:\n%s", got)
	}
	// -e quiet=exit,attach: no exit, no detach record.
	quiet := mustNumbers(t)(filter.ParseQuiet("exit,attach"))
	got = renderJSON(output.JSONOptions{Quiet: quiet}, evs...)
	if strings.Contains(got, `"type":"exit"`) || strings.Contains(got, `"type":"detach"`) {
		t.Errorf("quiet=exit,attach:\n%s", got)
	}
}

func TestJSONEventsOfTasks(t *testing.T) {
	si := func(o *decode.Out) {
		o.Struct()
		o.Field("si_signo")
		o.Set(decode.SignalFormatter, 17)
		o.Field("si_pid")
		o.Pid(12, nil)
		o.End()
	}
	sig := &tracer.Event{Kind: tracer.Signal, Pid: 11, Tgid: 11, Time: at(0), Sig: 17, Comm: []byte("sh")}
	si(&sig.Args)
	x := sysent.X86_64
	ex := jcall(x, arch.X86_64, 13, 1, "execve", [6]uint64{0x1000, 0x2000, 0x3000}, false, func(o *decode.Out) { o.Bytes([]byte("/bin/true"), false) })
	ex.Tgid = 11
	evs := []*tracer.Event{
		sig,
		{Kind: tracer.GroupStop, Pid: 11, Tgid: 11, Time: at(1), Sig: 19},
		ex,
		{Kind: tracer.Exec, Pid: 11, Tgid: 11, OldPid: 13, Time: at(2)},
		jret(ex, 3, 0, false, nil),
		{Kind: tracer.Attached, Pid: 20, Tgid: 20, Time: at(4), Threads: 3},
		{Kind: tracer.Killed, Pid: 11, Tgid: 11, Time: at(5), Sig: 9, Core: true},
	}
	evs[4].Pid = 11 // the execve returns in the leader's pid
	got := renderJSON(output.JSONOptions{}, evs...)
	checkLines(t, got)
	want := []string{
		`{"type":"signal","pid":11,"tid":11,` + baseTS + `,"t":0,"comm":"sh","signal":"SIGCHLD","signo":17,"siginfo":{"si_signo":{"raw":17,"text":"SIGCHLD","name":"SIGCHLD"},"si_pid":{"pid":12}}}`,
		`{"type":"stop","pid":11,"tid":11,"ts":"1700000000000001000","t":1000,"signal":"SIGSTOP","signo":19}`,
		`{"type":"exec","pid":11,"tid":11,"ts":"1700000000000002000","t":2000,"old_tid":13}`,
		`{"type":"syscall","pid":11,"tid":11,"ts":"1700000000000001000","t":1000,"entry_tid":13,"syscall":"execve","nr":59,"arch":"x86_64","args":[{"name":"filename","raw":4096,"value":{"str":"/bin/true"}}],"ret":0,"duration_ns":2000}`,
		`{"type":"attach","pid":20,"tid":20,"ts":"1700000000000004000","t":4000,"threads":3}`,
		`{"type":"killed","pid":11,"tid":11,"ts":"1700000000000005000","t":5000,"signal":"SIGKILL","signo":9,"core":true}`,
	}
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), got)
	}
	for k := range want {
		if lines[k] != want[k] {
			t.Errorf("line %d:\n%s\nwant\n%s", k+1, lines[k], want[k])
		}
	}
}

func TestJSONSets(t *testing.T) {
	x := sysent.X86_64
	// A formatter that is not an xlat.Set: its text taken apart.
	ev := jcall(x, arch.X86_64, 1, 0, "rt_sigprocmask", [6]uint64{0, 0, 0, 8}, false, func(o *decode.Out) {
		o.Set(fakeFormatter("SIG_BLOCK"), 0)
		o.Set(fakeFormatter("A|B|0x40"), 0x43)
		o.Set(fakeFormatter("S_IFREG|0644"), 0o100644)
		o.Set(xlat.SeekWhence, 1)
	})
	got := renderJSON(output.JSONOptions{}, ev, jret(ev, 1, 0, false, nil))
	checkLines(t, got)
	for _, want := range []string{
		`"value":{"raw":0,"text":"SIG_BLOCK","name":"SIG_BLOCK"}`,
		`"value":{"raw":67,"text":"A|B|0x40","flags":["A","B"],"unknown":"0x40"}`,
		`"value":{"raw":33188,"text":"S_IFREG|0644"}`,
		`"value":{"raw":1,"text":"SEEK_CUR","name":"SEEK_CUR"}`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("got\n%s\nwant (in it)\n%s", got, want)
		}
	}
}

type fakeFormatter string

func (f fakeFormatter) Append(dst []byte, _ uint64) []byte { return append(dst, f...) }

func TestPerTaskJSON(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "trace")
	p := output.NewPerTaskJSON(prefix, output.JSONOptions{})
	x := sysent.X86_64
	a := jcall(x, arch.X86_64, 30, 0, "close", [6]uint64{3}, false, func(o *decode.Out) { o.FD(3, nil) })
	b := jcall(x, arch.X86_64, 31, 1, "close", [6]uint64{4}, false, func(o *decode.Out) { o.FD(4, nil) })
	for _, ev := range []*tracer.Event{a, b, jret(b, 2, 0, false, nil), jret(a, 3, -9, true, nil),
		{Kind: tracer.Exited, Pid: 31, Tgid: 31, Time: at(4)}} {
		p.Event(ev)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	one, err := os.ReadFile(prefix + ".30")
	if err != nil {
		t.Fatal(err)
	}
	two, err := os.ReadFile(prefix + ".31")
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, string(one))
	checkLines(t, string(two))
	// One task a file: no markers; "t" counts from the trace's first event.
	if strings.Contains(string(one), "unfinished") || !strings.Contains(string(one), `"t":0,"syscall":"close"`) || !strings.Contains(string(one), `"errno":"EBADF"`) {
		t.Errorf("trace.30:\n%s", one)
	}
	if !strings.Contains(string(two), `"t":1000,"syscall":"close"`) || !strings.Contains(string(two), `{"type":"exit","pid":31`) {
		t.Errorf("trace.31:\n%s", two)
	}
}

func TestJSONUnknownAndRaw(t *testing.T) {
	// A number the table does not know: six registers, no names.
	ev := &tracer.Event{Kind: tracer.SyscallEnter, Pid: 2, Tgid: 2, Time: at(0), Arch: arch.X86_64, Nr: 0x1a9, RawArgs: [6]uint64{1, 2, 3, 4, 5, 6}}
	for _, v := range ev.RawArgs {
		ev.Args.Hex(v)
	}
	ret := &tracer.Event{Kind: tracer.SyscallExit, Pid: 2, Tgid: 2, Time: at(1), Arch: arch.X86_64, Nr: 0x1a9, Rval: -38, IsError: true, Duration: time.Microsecond}
	got := renderJSON(output.JSONOptions{}, ev, ret)
	checkLines(t, got)
	if want := `"syscall":"syscall_0x1a9","nr":425,"arch":"x86_64","args":[{"name":null,"raw":1,"value":1},{"name":null,"raw":2,"value":2},{"name":null,"raw":3,"value":3},{"name":null,"raw":4,"value":4},{"name":null,"raw":5,"value":5},{"name":null,"raw":6,"value":6}],"ret":-38,"errno":"ENOSYS"`; !strings.Contains(got, want) {
		t.Errorf("unknown syscall:\n%s\nwant\n%s", got, want)
	}
	// -e raw= on i386 _llseek: every word in hex, so one value a word.
	i := sysent.I386
	ll := jcall(i, arch.I386, 2, 0, "_llseek", [6]uint64{3, 0, 10, 0x1000, 0}, false, func(o *decode.Out) {
		for _, v := range []uint64{3, 0, 10, 0x1000, 0} {
			o.Hex(v)
		}
	})
	got = renderJSON(output.JSONOptions{}, ll, jret(ll, 1, 0, false, nil))
	checkLines(t, got)
	if want := `"args":[{"name":"fd","raw":3,"value":3},{"name":"offset_high","raw":0,"value":0},{"name":"offset_low","raw":10,"value":10},{"name":"result","raw":4096,"value":4096},{"name":"whence","raw":0,"value":0}]`; !strings.Contains(got, want) {
		t.Errorf("raw _llseek:\n%s\nwant\n%s", got, want)
	}
}
