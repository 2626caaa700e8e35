package output_test

import (
	"bytes"
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

func numbers(t *testing.T, f func(string) (*filter.Numbers, error), expr string) *filter.Numbers {
	t.Helper()
	s, err := f(expr)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTextTimingAndPrefixes(t *testing.T) {
	at := time.Date(2026, 1, 2, 14, 2, 3, 123456789, time.Local)
	en := enter(1, "close", false, fd(3))
	en.Time, en.IP = at, 0x7f0011223344
	ex := exit(1, "close", 0, false, nil)
	ex.Time, ex.Duration = at.Add(5*time.Microsecond), 1500*time.Microsecond
	tests := []struct {
		opt  output.TextOptions
		want string
	}{
		{output.TextOptions{Time: output.TimeSeconds}, "14:02:03 close(3)                       = 0\n"},
		{output.TextOptions{Time: output.TimeMicros}, "14:02:03.123456 close(3)                = 0\n"},
		{output.TextOptions{Time: output.TimeEpoch}, strings.Repeat("", 0)},
		{output.TextOptions{Durations: true}, "close(3)                                = 0 <0.001500>\n"},
		{output.TextOptions{Numbers: true, IP: true}, "[   3] [00007f0011223344] close(3)      = 0\n"},
		{output.TextOptions{Relative: true}, "     0.000000 close(3)                  = 0\n"},
		{output.TextOptions{Column: 20}, "close(3)            = 0\n"},
	}
	for i, tt := range tests {
		if tt.opt.Time == output.TimeEpoch {
			got := render(tt.opt, en, ex)
			if !strings.HasPrefix(got, "1767358923.123456 close(3)") && !strings.Contains(got, ".123456 close(3)") {
				t.Errorf("-ttt: %q", got)
			}
			continue
		}
		if got := render(tt.opt, en, ex); got != tt.want {
			t.Errorf("case %d: got %q\nwant %q", i, got, tt.want)
		}
	}
}

func TestTextStatusFilter(t *testing.T) {
	failed := numbers(t, filter.ParseStatus, "failed")
	opt := output.TextOptions{Status: failed, Prefix: output.PrefixAlways}
	got := render(opt,
		enter(1, "close", false, fd(3)),
		enter(2, "close", false, fd(4)), // interleaved: staged lines never cut
		exit(1, "close", -9, true, nil),
		exit(2, "close", 0, false, nil),
	)
	want := "1     close(3)                          = -1 EBADF (Bad file descriptor)\n"
	if got != want {
		t.Errorf("status=failed:\n got %q\nwant %q", got, want)
	}
	errnos := numbers(t, filter.ParseErrnos, "ENOENT")
	got = render(output.TextOptions{Errnos: errnos}, enter(1, "close", false, fd(3)), exit(1, "close", -9, true, nil),
		enter(1, "close", false, fd(5)), exit(1, "close", -2, true, nil))
	if want := "close(5)                                = -1 ENOENT (No such file or directory)\n"; got != want {
		t.Errorf("errno=ENOENT:\n got %q\nwant %q", got, want)
	}
}

func TestTextXStyles(t *testing.T) {
	args := func(o *decode.Out) {
		o.Sym("AT_FDCWD", uint64(0xffffffffffffff9c))
		o.Set(xlat.AccessModes, 4)
		o.Set(xlat.AccessModes, 0x18)
	}
	ev := enter(1, "faccessat", false, args)
	tests := map[output.XStyle]string{
		output.XAbbrev:  "faccessat(AT_FDCWD, R_OK, 0x18 /* ?_OK */)",
		output.XRaw:     "faccessat(-100, 0x4, 0x18)",
		output.XVerbose: "faccessat(-100 /* AT_FDCWD */, 0x4 /* R_OK */, 0x18 /* ?_OK */)",
	}
	for style, want := range tests {
		got := render(output.TextOptions{XStyle: style}, ev, exit(1, "faccessat", 0, false, nil))
		if !strings.HasPrefix(got, want) {
			t.Errorf("-X %d: got %q, want %q...", style, got, want)
		}
	}
}

func TestTextDump(t *testing.T) {
	ex := exit(1, "close", 0, false, nil)
	ex.Dump = []byte("hello world, this is a dump test\x01\x02\n")
	got := render(output.TextOptions{}, enter(1, "close", false, fd(3)), ex)
	want := "close(3)                                = 0\n" +
		" | 00000  68 65 6c 6c 6f 20 77 6f  72 6c 64 2c 20 74 68 69  hello world, thi |\n" +
		" | 00010  73 20 69 73 20 61 20 64  75 6d 70 20 74 65 73 74  s is a dump test |\n" +
		" | 00020  01 02 0a                                          ...              |\n"
	if got != want {
		t.Errorf("dump:\n got %q\nwant %q", got, want)
	}
}

func TestSummary(t *testing.T) {
	s := output.NewSummary(output.SummaryOptions{WallClock: true, SortBy: "calls"})
	for i, ok := range []bool{true, false, true} {
		ev := exit(1, "close", 0, !ok, nil)
		if !ok {
			ev.Rval = -9
		}
		ev.Duration = time.Duration(i+1) * time.Millisecond
		s.Event(ev)
	}
	ev := exit(1, "read", 3, false, nil)
	ev.Duration = 4 * time.Millisecond
	s.Event(ev)
	var b bytes.Buffer
	if err := s.Write(&b); err != nil {
		t.Fatal(err)
	}
	want := `% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
 60.00    0.006000        2000         3         1 close
 40.00    0.004000        4000         1           read
------ ----------- ----------- --------- --------- ----------------
100.00    0.010000        2500         4         1 total
`
	if b.String() != want {
		t.Errorf("summary:\n%s\nwant:\n%s", b.String(), want)
	}
	_ = arch.X86_64
	_ = tracer.SyscallExit
}

// TestSummaryMultiplexed: calls an i386 multiplexer makes share its number
// (what -n shows) but count apart, by name, as strace's subcalls do.
func TestSummaryMultiplexed(t *testing.T) {
	s := output.NewSummary(output.SummaryOptions{WallClock: true, SortBy: "calls"})
	tab := sysent.I386
	sc := tab.ByName("socketcall")
	send := *tab.ByName("sendto")
	send.Name = "send"
	for i, e := range []*sysent.Entry{tab.ByName("sendto"), &send, &send} {
		ev := &tracer.Event{Kind: tracer.SyscallExit, Pid: 1, Arch: arch.I386, Entry: e, Nr: uint64(sc.Nr), Rval: 2}
		ev.Duration = time.Duration(i+1) * time.Millisecond
		s.Event(ev)
	}
	var b bytes.Buffer
	if err := s.Write(&b); err != nil {
		t.Fatal(err)
	}
	want := `System call usage summary for 32 bit mode:
% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
 83.33    0.005000        2500         2           send
 16.67    0.001000        1000         1           sendto
------ ----------- ----------- --------- --------- ----------------
100.00    0.006000        2000         3           total
`
	if b.String() != want {
		t.Errorf("summary:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestSummaryNothingCounted: with no call counted (-c -e trace=getppid
// on a program that makes none) strace 6.1 prints no table at all.
func TestSummaryNothingCounted(t *testing.T) {
	s := output.NewSummary(output.SummaryOptions{})
	var b bytes.Buffer
	if err := s.Write(&b); err != nil {
		t.Fatal(err)
	}
	if b.Len() != 0 {
		t.Errorf("summary of nothing:\n%s\nwant nothing", b.String())
	}
}

// TestSummaryZeroTime: calls counted in no measurable time still make the
// total 100.00 (strace's); the native table has no heading.
func TestSummaryZeroTime(t *testing.T) {
	s := output.NewSummary(output.SummaryOptions{WallClock: true})
	s.Event(exit(1, "getpid", 1, false, nil))
	var b bytes.Buffer
	if err := s.Write(&b); err != nil {
		t.Fatal(err)
	}
	want := `% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
  0.00    0.000000           0         1           getpid
------ ----------- ----------- --------- --------- ----------------
100.00    0.000000           0         1           total
`
	if b.String() != want {
		t.Errorf("summary:\n%s\nwant:\n%s", b.String(), want)
	}
}
