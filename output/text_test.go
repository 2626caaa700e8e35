package output_test

import (
	"bytes"
	"testing"

	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/output"
	"github.com/sonde-dev/sonde/sysent"
	"github.com/sonde-dev/sonde/tracer"
)

func enter(pid int, name string, more bool, args func(o *decode.Out)) *tracer.Event {
	e := sysent.X86_64.ByName(name)
	ev := &tracer.Event{Kind: tracer.SyscallEnter, Pid: pid, Arch: arch.X86_64, Entry: e, Nr: uint64(e.Nr), More: more}
	if args != nil {
		args(&ev.Args)
	}
	return ev
}

func exit(pid int, name string, rval int64, isErr bool, args func(o *decode.Out)) *tracer.Event {
	e := sysent.X86_64.ByName(name)
	ev := &tracer.Event{Kind: tracer.SyscallExit, Pid: pid, Arch: arch.X86_64, Entry: e, Nr: uint64(e.Nr), Rval: rval, IsError: isErr}
	if args != nil {
		args(&ev.Args)
	}
	return ev
}

func render(opt output.TextOptions, evs ...*tracer.Event) string {
	var b bytes.Buffer
	t := output.NewText(&b, opt)
	for _, ev := range evs {
		t.Event(ev)
	}
	t.Flush()
	return b.String()
}

func fd(n int64) func(o *decode.Out) { return func(o *decode.Out) { o.Int(n) } }

func TestTextLines(t *testing.T) {
	always := output.TextOptions{Prefix: output.PrefixAlways}
	tests := []struct {
		name string
		opt  output.TextOptions
		evs  []*tracer.Event
		want string
	}{
		{"column 40", output.TextOptions{}, []*tracer.Event{enter(1, "close", false, fd(3)), exit(1, "close", 0, false, nil)},
			"close(3)                                = 0\n"},
		{"errno", output.TextOptions{}, []*tracer.Event{enter(1, "close", false, fd(-1)), exit(1, "close", -9, true, nil)},
			"close(-1)                               = -1 EBADF (Bad file descriptor)\n"},
		{"unknown errno", output.TextOptions{}, []*tracer.Event{enter(1, "close", false, fd(3)), exit(1, "close", -4000, true, nil)},
			"close(3)                                = -1 (errno 4000)\n"},
		{"restart", output.TextOptions{}, []*tracer.Event{enter(1, "close", false, fd(3)), exit(1, "close", -512, true, nil)},
			"close(3)                                = ? ERESTARTSYS (To be restarted if SA_RESTART is set)\n"},
		{"pid prefix and interleaving", always, []*tracer.Event{
			enter(10, "read", true, fd(0)),
			enter(11, "close", false, fd(3)),
			exit(11, "close", 0, false, nil),
			exit(10, "read", 0, false, func(o *decode.Out) { o.Bytes(nil, false); o.Uint(1) }),
		}, "10    read(0,  <unfinished ...>\n11    close(3)                          = 0\n10    <... read resumed>\"\", 1)          = 0\n"},
		{"bracketed prefix only with two tasks", output.TextOptions{}, []*tracer.Event{
			enter(10, "close", false, fd(3)), exit(10, "close", 0, false, nil),
			enter(11, "close", false, fd(4)), exit(11, "close", 0, false, nil),
			{Kind: tracer.Exited, Pid: 11},
			enter(10, "close", false, fd(5)), exit(10, "close", 0, false, nil),
		}, "close(3)                                = 0\n[pid    11] close(4)                    = 0\n[pid    11] +++ exited with 0 +++\nclose(5)                                = 0\n"},
		{"exit_group cut short", output.TextOptions{}, []*tracer.Event{
			enter(1, "exit_group", false, fd(0)),
			{Kind: tracer.Exiting, Pid: 1},
			{Kind: tracer.Exited, Pid: 1, Status: 0},
		}, "exit_group(0)                           = ?\n+++ exited with 0 +++\n"},
		{"killed mid-call", output.TextOptions{}, []*tracer.Event{
			enter(1, "read", true, fd(0)),
			{Kind: tracer.Killed, Pid: 1, Sig: 9},
		}, "read(0,  <unfinished ...>)              = ?\n+++ killed by SIGKILL +++\n"},
		{"core dump", output.TextOptions{}, []*tracer.Event{{Kind: tracer.Killed, Pid: 1, Sig: 11, Core: true}},
			"+++ killed by SIGSEGV (core dumped) +++\n"},
		{"group stop", output.TextOptions{}, []*tracer.Event{{Kind: tracer.GroupStop, Pid: 1, Sig: 19}},
			"--- stopped by SIGSTOP ---\n"},
	}
	for _, tt := range tests {
		if got := render(tt.opt, tt.evs...); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

func TestTextSignalLine(t *testing.T) {
	ev := &tracer.Event{Kind: tracer.Signal, Pid: 1, Sig: 17}
	raw := make([]byte, 128)
	raw[0] = 17 // si_signo
	raw[8] = 1  // CLD_EXITED
	raw[16] = 0x2a
	raw[24] = 3
	decode.Siginfo(&ev.Args, raw)
	want := "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=42, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---\n"
	if got := render(output.TextOptions{}, ev); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
