package e2e

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// sampleTrace exercises every rule of the normaliser. The expected entries and
// lines below are what ../shared/tools/difftrace's read_trace and normalise
// return for the same text.
const sampleTrace = `4201  execve("/bin/sh", ["sh", "-c", "true"], 0x7ffd4e25fa90 /* 12 vars */) = 0
4201  03:15:02.123456 brk(NULL)               = 0x55d0c1a2b000 <0.000012>
4201  clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f2c3ba3da10) = 4202
4201  wait4(-1,  <unfinished ...>
4202  getrandom("\x5e\x1f\x00\x99", 4, GRND_NONBLOCK) = 4
4202  newfstatat(AT_FDCWD, "/etc", {st_mode=S_IFDIR|0755, st_size=4096, st_atime=1700000000, st_mtime=1700000001 /* 2023-11-14 */, st_ino=1234}, 0) = 0
4202  clock_gettime(CLOCK_MONOTONIC, {tv_sec=3, tv_nsec=141592653}) = 0
4202  +++ exited with 0 +++
4201  <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 4202
4201  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=4202, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---
4201  <... read resumed>"x", 1)        = 1
4201  close(3)                                = 0
4201  close(3)                                = 0
4201  exit_group(0)                           = ?
4201  +++ exited with 0 +++
write(1, "no prefix 42010", 15)         = 15
`

func TestNormalizeParseTrace(t *testing.T) {
	want := []Entry{
		{"4201", `execve("/bin/sh", ["sh", "-c", "true"], 0x7ffd4e25fa90 /* 12 vars */) = 0`},
		{"4201", `03:15:02.123456 brk(NULL)               = 0x55d0c1a2b000 <0.000012>`},
		{"4201", `clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f2c3ba3da10) = 4202`},
		{"4201", `wait4(-1,[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 4202`},
		{"4202", `getrandom("\x5e\x1f\x00\x99", 4, GRND_NONBLOCK) = 4`},
		{"4202", `newfstatat(AT_FDCWD, "/etc", {st_mode=S_IFDIR|0755, st_size=4096, st_atime=1700000000, st_mtime=1700000001 /* 2023-11-14 */, st_ino=1234}, 0) = 0`},
		{"4202", `clock_gettime(CLOCK_MONOTONIC, {tv_sec=3, tv_nsec=141592653}) = 0`},
		{"4202", `+++ exited with 0 +++`},
		{"4201", `--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=4202, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---`},
		{"4201", `<... read resumed>"x", 1)        = 1`},
		{"4201", `close(3)                                = 0`},
		{"4201", `close(3)                                = 0`},
		{"4201", `exit_group(0)                           = ?`},
		{"4201", `+++ exited with 0 +++`},
		{"0", `write(1, "no prefix 42010", 15)         = 15`},
	}
	got := ParseTrace([]byte(sampleTrace))
	if !slices.Equal(got, want) {
		t.Errorf("ParseTrace: got %d entries, want %d", len(got), len(want))
		for i := range max(len(got), len(want)) {
			var g, w Entry
			if i < len(got) {
				g = got[i]
			}
			if i < len(want) {
				w = want[i]
			}
			if g != w {
				t.Errorf("entry %d:\n got %q\nwant %q", i, g, w)
			}
		}
	}
}

func TestNormalizeTrace(t *testing.T) {
	want := Multiset{
		`execve("/bin/sh", ["sh", "-c", "true"], 0xX /* 12 vars */)=0`: 1,
		`brk(NULL)=0xX <T>`: 1,
		`clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0xX)=P2`:                        1,
		`wait4(-1,[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL)=P2`:                                                              1,
		`getrandom("RANDOM", 4, GRND_NONBLOCK)=4`:                                                                                    1,
		`newfstatat(AT_FDCWD, "/etc", {st_mode=S_IFDIR|0755, st_size=4096, st_atime=N, st_mtime=N /* 2023-11-14 */, st_ino=N}, 0)=0`: 1,
		`clock_gettime(CLOCK_MONOTONIC, {tv_sec=N, tv_nsec=N})=0`:                                                                    1,
		`+++ exited with 0 +++`: 2,
		`--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=P2, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---`: 1,
		`<... read resumed>"x", 1)=1`:        1,
		`close(3)=0`:                         2,
		`exit_group(0)=?`:                    1,
		`write(1, "no prefix 42010", 15)=15`: 1,
	}
	got := NormalizeTrace([]byte(sampleTrace))
	if !maps.Equal(got, want) {
		for _, l := range got.Minus(want).Lines() {
			t.Errorf("unexpected %q", l)
		}
		for _, l := range want.Minus(got).Lines() {
			t.Errorf("missing    %q", l)
		}
	}
}

func TestNormalizeRules(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"-t stamp", "1234  03:15:02 getpid() = 1234", "getpid()=P1"},
		{"-ttt stamp", "1234  1700000000.123456 getpid() = 1234", "getpid()=P1"},
		{"-r stamp", "1234       0.000123 getpid() = 1234", "getpid()=P1"},
		{"-T duration", "1234  nanosleep({tv_sec=0, tv_nsec=1000}, NULL) = 0 <0.000063>", "nanosleep({tv_sec=N, tv_nsec=N}, NULL)=0 <T>"},
		{"hex", "1234  mmap(0x7f00, 4096, PROT_READ, MAP_PRIVATE, 3, 0x1a000) = 0xdeadBEEF", "mmap(0xX, 4096, PROT_READ, MAP_PRIVATE, 3, 0xX)=0xX"},
		{"statx times", "1234  statx(3, \"\", 0, 0, {stx_atime={tv_sec=5, tv_nsec=6}, stx_btime=7}) = 0", "statx(3, \"\", 0, 0, {stx_atime={tv_sec=N, tv_nsec=N}, stx_btime=N})=0"},
		{"getrandom cut", `1234  getrandom("\x01\x02"..., 64, 0) = 64`, `getrandom("RANDOM", 64, 0)=64`},
		{"pid only as a word", "1234  write(1, \"12345 1234\", 10) = 1234", `write(1, "12345 P1", 10)=1234`},
		{"short pids are not pids", "12  getpid() = 12", "getpid()=12"},
		{"spacing", "1234  ( a  \t b )    =    0  ", "(a b )=0"},
		{"no prefix", "+++ exited with 0 +++", "+++ exited with 0 +++"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NormalizeTrace([]byte(tt.in + "\n")).Lines()
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("Normalize(%q) = %q, want [%q]", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeJoinsPerPid(t *testing.T) {
	in := "100  read(0,  <unfinished ...>\n" +
		"200  write(1, \"x\", 1 <unfinished ...>\n" +
		"100  <... read resumed>\"y\", 1) = 1\n" +
		"200  <... write resumed>) = 1\n"
	want := []Entry{{"100", `read(0,"y", 1) = 1`}, {"200", `write(1, "x", 1) = 1`}}
	if got := ParseTrace([]byte(in)); !slices.Equal(got, want) {
		t.Errorf("ParseTrace = %q, want %q", got, want)
	}
}

func TestNormalizeCompare(t *testing.T) {
	ref1 := Multiset{"a": 2, "b": 1, "c": 1}
	ref2 := Multiset{"a": 2, "b": 1, "d": 1}
	cand := Multiset{"a": 1, "b": 1, "d": 1, "e": 2}
	// base = |{a,a,b}| = 3; matched = |{a,b}| = 2; candidate-only lines
	// {d,e,e} = 3, less strace's own noise (ref2-ref1 = {d}) 1: extra 2.
	got := Compare(ref1, ref2, cand)
	want := Comparison{Base: 3, Matched: 2, Extra: 2, Score: 0.4,
		Missing: []string{"a"}, Unexpected: []string{"d", "e", "e"}}
	if got.Base != want.Base || got.Matched != want.Matched || got.Extra != want.Extra ||
		got.Score != want.Score || !slices.Equal(got.Missing, want.Missing) ||
		!slices.Equal(got.Unexpected, want.Unexpected) {
		t.Errorf("Compare = %+v, want %+v", got, want)
	}
	if c := Compare(ref1, ref2, ref1); c.Score != 1 {
		t.Errorf("Compare(strace with itself) score %v, want 1", c.Score)
	}
	if c := Compare(Multiset{}, Multiset{}, Multiset{}); c.Score != 0 {
		t.Errorf("Compare of empty traces: score %v, want 0", c.Score)
	}
}

// A read's count equal to a short pid is not a pid; clone's result is.
func TestNormalizeShortPidResults(t *testing.T) {
	got := Normalize([]Entry{
		{"364", `read(3, "abc", 1024) = 364`},
		{"364", `clone(child_stack=NULL, flags=SIGCHLD) = 365`},
		{"365", `getpid() = 365`},
		{"364", `kill(365, SIGTERM) = 0`},
	})
	for _, want := range []string{`read(3, "abc", 1024)=364`, `clone(child_stack=NULL, flags=SIGCHLD)=P2`, `getpid()=P2`, `kill(P2, SIGTERM)=0`} {
		if got[want] != 1 {
			t.Errorf("no %q in %v", want, got)
		}
	}
}

// A pipeline's children print their first lines in either order from run
// to run; they are numbered in the order their parent created them.
func TestNormalizeNumbersChildrenInCreationOrder(t *testing.T) {
	trace := func(firstSeen string) []Entry {
		e := []Entry{
			{"500", `clone(child_stack=NULL, flags=CLONE_CHILD_SETTID|SIGCHLD) = 501`},
			{"500", `clone(child_stack=NULL, flags=CLONE_CHILD_SETTID|SIGCHLD) = 502`},
		}
		other := map[string]string{"501": "502", "502": "501"}[firstSeen]
		e = append(e, Entry{firstSeen, `write(1, "x", 1) = 1`}, Entry{other, `read(0, "x", 1) = 1`})
		e = append(e, Entry{"500", `--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=501, si_uid=0, si_status=1} ---`})
		return e
	}
	// The same with -t and -T, -i, and -Y around the lines.
	decorated := func(firstSeen string) []Entry {
		e := trace(firstSeen)
		e[0].Text = "12:00:00 " + e[0].Text + " <0.000100>"
		e[1].Text = "[00007f0000001234] " + strings.Replace(e[1].Text, "= 502", "= 502<sh>", 1)
		return e
	}
	if c, d := Normalize(decorated("501")), Normalize(decorated("502")); !maps.Equal(c, d) {
		t.Errorf("with leads, -T and -Y the order the children first print in changes the normalised trace:\n%v\n%v", c, d)
	}
	a, b := Normalize(trace("501")), Normalize(trace("502"))
	for _, want := range []string{`write(1, "x", 1)=1`, `--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=P2, si_uid=0, si_status=1} ---`} {
		if a[want] != 1 || b[want] != 1 {
			t.Errorf("%q: %d and %d times, want once in each order", want, a[want], b[want])
		}
	}
	if !maps.Equal(a, b) {
		t.Errorf("the order the children first print in changes the normalised trace:\n%v\n%v", a, b)
	}
}
