package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/sonde-dev/sonde/internal/testutil"
)

// The expected texts in this file were taken from strace 6.1 tracing the same
// fixtures, and the whole suite passes with SONDE_E2E_TRACER=/usr/bin/strace;
// the differential test checks everything else against strace at run time.

var cArches = []testutil.Arch{testutil.X86_64, testutil.I386}

// TestExitStatus: the tracer exits with the traced program's status, and the
// trace ends with exit_group and "+++ exited with N +++".
func TestExitStatus(t *testing.T) {
	requireTracing(t)
	tr, fx := candidate(t), testutil.BuildFixtures(t)
	for _, arch := range cArches {
		for _, tc := range []struct {
			name string
			code int
		}{{"true", 0}, {"exit7", 7}} {
			t.Run(string(arch)+"/"+tc.name, func(t *testing.T) {
				requireArch(t, arch)
				r := run(t, tr.argv, spec{cmd: []string{fx.C(t, arch, tc.name)}})
				mustFinish(t, r)
				if want := exited(tc.code); r.status != want {
					t.Errorf("tracer ended with %v, want %v%s", r.status, want, r)
				}
				lines := traceLines(r)
				want := []string{
					line(fmt.Sprintf("exit_group(%d)", tc.code), "?"),
					fmt.Sprintf("+++ exited with %d +++", tc.code),
				}
				if len(lines) < 2 || lines[len(lines)-2] != want[0] || lines[len(lines)-1] != want[1] {
					t.Errorf("trace does not end with\n  %s\n  %s%s", want[0], want[1], r)
				}
			})
		}
	}
	for _, goarch := range testutil.GoArches {
		t.Run("go-"+goarch+"/gohello", func(t *testing.T) {
			if goarch == "386" {
				testutil.RequireIA32(t)
			}
			r := run(t, tr.argv, spec{cmd: []string{fx.Go(t, goarch, "gohello")}})
			mustFinish(t, r)
			if r.status != exited(0) {
				t.Errorf("tracer ended with %v, want exit status 0%s", r.status, r)
			}
			if r.stdout != "hello\n" {
				t.Errorf("traced program's stdout %q, want %q (the tracer must pass stdio through)", r.stdout, "hello\n")
			}
		})
	}
}

// TestKilledBySignal: a program that dies of a signal makes the tracer die of
// the same signal, without a core dump of its own (strace sets RLIMIT_CORE to
// 0 before re-raising), and the trace ends with the signal and
// "+++ killed by SIG +++".
func TestKilledBySignal(t *testing.T) {
	requireTracing(t)
	tr, fx := candidate(t), testutil.BuildFixtures(t)
	uid := os.Getuid()
	for _, arch := range cArches {
		for _, tc := range []struct {
			mode string
			sig  syscall.Signal
			name string
		}{{"", syscall.SIGTERM, "SIGTERM"}, {"segv", syscall.SIGSEGV, "SIGSEGV"}} {
			t.Run(string(arch)+"/"+tc.name, func(t *testing.T) {
				requireArch(t, arch)
				cmd := []string{fx.C(t, arch, "killself")}
				if tc.mode != "" {
					cmd = append(cmd, tc.mode)
				}
				r := run(t, tr.argv, spec{cmd: cmd})
				mustFinish(t, r)
				if want := killedBy(tc.sig); r.status != want {
					t.Errorf("tracer ended with %v, want %v%s", r.status, want, r)
				}
				lines := traceLines(r)
				if len(lines) < 3 {
					t.Fatalf("trace has %d lines, want at least 3%s", len(lines), r)
				}
				m := matcher{t: t, what: "the last 3 lines", texts: lines[len(lines)-3:], r: r}
				pid := m.next("tgkill(<CAPTURE>, <NUM>, " + tc.name + ")<ALIGN>= 0")[1]
				m.next(fmt.Sprintf("--- %s {si_signo=%s, si_code=SI_TKILL, si_pid=%s, si_uid=%d} ---", tc.name, tc.name, pid, uid))
				m.next("+++ killed by " + tc.name + " +++")
			})
		}
	}
}

// TestKilledWithCoreDump: when the traced program may dump core, the trace
// says "(core dumped)" exactly when strace's does, and the tracer still dies
// of the signal without dumping core itself.
func TestKilledWithCoreDump(t *testing.T) {
	requireTracing(t)
	strace := testutil.RequireStrace(t)
	tr, fx := candidate(t), testutil.BuildFixtures(t)
	cmd := []string{fx.C(t, testutil.X86_64, "killself"), "segvcore"}
	ref := run(t, []string{strace}, spec{cmd: cmd})
	mustFinish(t, ref)
	r := run(t, tr.argv, spec{cmd: cmd})
	mustFinish(t, r)
	if want := killedBy(syscall.SIGSEGV); r.status != want {
		t.Errorf("tracer ended with %v, want %v%s", r.status, want, r)
	}
	refLines, lines := traceLines(ref), traceLines(r)
	if len(refLines) == 0 {
		t.Fatalf("strace wrote no trace%s", ref)
	}
	want := refLines[len(refLines)-1]
	if len(lines) == 0 || lines[len(lines)-1] != want {
		t.Errorf("last trace line differs from strace's %q%s", want, r)
	}
}

// TestExecveLine: the first line is the execve of the program as strace
// prints it: the path found on $PATH, argv quoted, the environment as an
// address and its size ("1 var", "N vars").
func TestExecveLine(t *testing.T) {
	requireTracing(t)
	tr, fx := candidate(t), testutil.BuildFixtures(t)
	exit7 := fx.C(t, testutil.X86_64, "exit7")
	dir := filepath.Dir(exit7)
	tests := []struct {
		name  string
		flags []string
		env   []string
		cmd   []string
		want  string
		code  int
	}{
		{
			name: "found on PATH, 3 vars",
			env:  []string{"PATH=" + dir, "SONDE_E2E_A=1", "SONDE_E2E_B=two words"},
			cmd:  []string{"exit7"},
			want: `execve("` + exit7 + `", ["exit7"], <HEX> /* 3 vars */) = 0`,
			code: 7,
		},
		{
			name: "one var",
			env:  []string{"PATH=" + dir},
			cmd:  []string{"true"},
			want: `execve("` + dir + `/true", ["true"], <HEX> /* 1 var */) = 0`,
		},
		{
			name: "absolute path, quoted arguments, empty environment",
			env:  []string{},
			cmd:  []string{dir + "/true", "a b", `q"x`, "t\tn", ""},
			// argv strings are cut at -s (32) like any string; the path is not.
			want: `execve("` + dir + `/true", [` + cut(dir+"/true", 32) + `, "a b", "q\"x", "t\tn", ""], <HEX> /* 0 vars */) = 0`,
		},
		{
			name:  "argv of -s elements",
			flags: []string{"-s", "4"},
			env:   []string{"PATH=" + dir},
			cmd:   []string{"true", "1", "2", "3"},
			want:  `execve("` + dir + `/true", ["true", "1", "2", "3"], <HEX> /* 1 var */) = 0`,
		},
		{
			name:  "argv longer than -s elements",
			flags: []string{"-s", "4"},
			env:   []string{"PATH=" + dir},
			cmd:   []string{"true", "1", "2", "3", "4444"},
			want:  `execve("` + dir + `/true", ["true", "1", "2", "3", ...], <HEX> /* 1 var */) = 0`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, tr.argv, spec{flags: tc.flags, env: tc.env, cmd: tc.cmd})
			mustFinish(t, r)
			if r.status != exited(tc.code) {
				t.Errorf("tracer ended with %v, want exit status %d%s", r.status, tc.code, r)
			}
			lines := traceLines(r)
			if len(lines) == 0 || !pattern(tc.want).MatchString(lines[0]) {
				t.Errorf("first trace line is not\n  %s%s", tc.want, r)
			}
		})
	}
}

// cut quotes a plain string (no byte that needs escaping) as strace prints a
// string argument with -s limit: at most limit bytes, then "..." if cut.
func cut(s string, limit int) string {
	if len(s) <= limit {
		return `"` + s + `"`
	}
	return `"` + s[:limit] + `"...`
}

// TestTraceToStderr: without -o the trace goes to stderr.
func TestTraceToStderr(t *testing.T) {
	requireTracing(t)
	tr, fx := candidate(t), testutil.BuildFixtures(t)
	path := fx.C(t, testutil.X86_64, "exit7")
	r := run(t, tr.argv, spec{toStderr: true, cmd: []string{path}})
	mustFinish(t, r)
	if r.status != exited(7) {
		t.Errorf("tracer ended with %v, want exit status 7%s", r.status, r)
	}
	lines := traceLines(r)
	if len(lines) == 0 || !strings.HasPrefix(lines[0], `execve("`+path+`"`) || lines[len(lines)-1] != "+++ exited with 7 +++" {
		t.Errorf("stderr does not hold the trace from execve to +++ exited with 7 +++%s", r)
	}
}

// stringsLines are strings.c's write(2) calls as strace prints them with each
// -s value, for both architectures.
var stringsLines = map[int][]string{
	5: {
		line(`write(3, "nul\0 "..., 10)`, "10"),
		line(`write(3, "a\0001b", 4)`, "4"),
		line(`write(3, "\18\1778\37"..., 6)`, "6"),
		line(`write(3, "tab\th"..., 23)`, "23"),
		line(`write(3, "say \""..., 16)`, "16"),
		line(`write(3, "del\177 "..., 17)`, "17"),
		line(`write(3, "01234"..., 32)`, "32"),
		line(`write(3, "01234"..., 100)`, "100"),
		line(`write(3, "", 0)`, "0"),
		line(`write(3, "\0\1\2\3\4"..., 256)`, "256"),
	},
	32: { // the default
		line(`write(3, "nul\0 hi\377\1 ", 10)`, "10"),
		line(`write(3, "a\0001b", 4)`, "4"),
		line(`write(3, "\18\1778\37a", 6)`, "6"),
		line(`write(3, "tab\there\nnew\vline\fff\rcr", 23)`, "23"),
		line(`write(3, "say \"hi\" \\ back\\", 16)`, "16"),
		line(`write(3, "del\177 hi\200\201\376\377 caf\303\251", 17)`, "17"),
		line(`write(3, "0123456789abcdef0123456789ABCDEF", 32)`, "32"),
		line(`write(3, "01234567890123456789012345678901"..., 100)`, "100"),
		line(`write(3, "", 0)`, "0"),
		line(`write(3, "\0\1\2\3\4\5\6\7\10\t\n\v\f\r\16\17\20\21\22\23\24\25\26\27\30\31\32\33\34\35\36\37"..., 256)`, "256"),
	},
	256: {
		line(`write(3, "nul\0 hi\377\1 ", 10)`, "10"),
		line(`write(3, "a\0001b", 4)`, "4"),
		line(`write(3, "\18\1778\37a", 6)`, "6"),
		line(`write(3, "tab\there\nnew\vline\fff\rcr", 23)`, "23"),
		line(`write(3, "say \"hi\" \\ back\\", 16)`, "16"),
		line(`write(3, "del\177 hi\200\201\376\377 caf\303\251", 17)`, "17"),
		line(`write(3, "0123456789abcdef0123456789ABCDEF", 32)`, "32"),
		line(`write(3, "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789", 100)`, "100"),
		line(`write(3, "", 0)`, "0"),
		line(`write(3, "\0\1\2\3\4\5\6\7\10\t\n\v\f\r\16\17\20\21\22\23\24\25\26\27\30\31\32\33\34\35\36\37 !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`+"`"+`abcdefghijklmnopqrstuvwxyz{|}~\177\200\201\202\203\204\205\206\207\210\211\212\213\214\215\216\217\220\221\222\223\224\225\226\227\230\231\232\233\234\235\236\237\240\241\242\243\244\245\246\247\250\251\252\253\254\255\256\257\260\261\262\263\264\265\266\267\270\271\272\273\274\275\276\277\300\301\302\303\304\305\306\307\310\311\312\313\314\315\316\317\320\321\322\323\324\325\326\327\330\331\332\333\334\335\336\337\340\341\342\343\344\345\346\347\350\351\352\353\354\355\356\357\360\361\362\363\364\365\366\367\370\371\372\373\374\375\376\377", 256)`, "256"),
	},
}

// TestStringEscapes: strings are quoted and cut as strace does: named and
// octal escapes (three digits before an octal digit), -s truncation with
// "..." after the quote, the empty string.
func TestStringEscapes(t *testing.T) {
	requireTracing(t)
	tr, fx := candidate(t), testutil.BuildFixtures(t)
	for _, arch := range cArches {
		for _, limit := range []int{0, 5, 32, 256} {
			t.Run(fmt.Sprintf("%s/-s%d", arch, limit), func(t *testing.T) {
				requireArch(t, arch)
				var flags []string
				if limit != 32 {
					flags = []string{"-s", strconv.Itoa(limit)}
				}
				r := run(t, tr.argv, spec{flags: flags, cmd: []string{fx.C(t, arch, "strings")}})
				mustFinish(t, r)
				if r.status != exited(0) {
					t.Errorf("tracer ended with %v, want exit status 0%s", r.status, r)
				}
				lines := stringsLines[limit]
				if limit == 0 {
					// sonde's -s 0 is no limit (strace 6.1 cuts every
					// string to ""...): every string whole, as with -s 256.
					lines = stringsLines[256]
				}
				want := append([]string{line(`openat(AT_FDCWD, "/dev/null", O_WRONLY)`, "3")}, lines...)
				want = append(want, line("close(3)", "0"), line("exit_group(0)", "?"), "+++ exited with 0 +++")
				exact(t, r, want...)
			})
		}
	}
	t.Run("gohello/-s5", func(t *testing.T) {
		r := run(t, tr.argv, spec{flags: []string{"-s", "5"}, cmd: []string{fx.Go(t, "amd64", "gohello")}})
		mustFinish(t, r)
		exact(t, r, line(`write(1, "hello"..., 6)`, "6"), "+++ exited with 0 +++")
		if r.stdout != "hello\n" {
			t.Errorf("traced program's stdout %q, want %q", r.stdout, "hello\n")
		}
	})
}

// TestOpenCalls: file calls, their flags and mode, and failures with errno
// names and messages.
func TestOpenCalls(t *testing.T) {
	requireTracing(t)
	tr, fx := candidate(t), testutil.BuildFixtures(t)
	for _, arch := range cArches {
		t.Run(string(arch), func(t *testing.T) {
			requireArch(t, arch)
			r := run(t, tr.argv, spec{cmd: []string{fx.C(t, arch, "open")}})
			mustFinish(t, r)
			if r.status != exited(0) {
				t.Errorf("tracer ended with %v, want exit status 0%s", r.status, r)
			}
			exact(t, r,
				line(`openat(AT_FDCWD, "/nonexistent/sonde-fixture", O_RDONLY)`, "-1 ENOENT (No such file or directory)"),
				line(`openat(AT_FDCWD, "/dev/null", O_WRONLY|O_CREAT|O_TRUNC, 0644)`, "3"),
				line("close(3)", "0"),
				line("close(-1)", "-1 EBADF (Bad file descriptor)"),
				line("exit_group(0)", "?"),
				"+++ exited with 0 +++",
			)
		})
	}
}

// pidPrefix matches the "-f -o FILE" prefix: the pid left-aligned in 5
// columns, then a space.
var pidPrefixRE = regexp.MustCompile(`^(\d+) +`)

// checkPidPrefixes fails t unless every line of a -f -o trace starts with
// the pid as "%-5d ".
func checkPidPrefixes(t *testing.T, r result) {
	t.Helper()
	for i, l := range traceLines(r) {
		m := pidPrefixRE.FindStringSubmatch(l)
		if m == nil || !strings.HasPrefix(l, fmt.Sprintf("%-5s ", m[1])) {
			t.Fatalf("line %d %q lacks the -f pid prefix (%%-5d then a space)%s", i+1, l, r)
		}
	}
}

// byPid groups a trace's entries by pid, in order.
func byPid(entries []Entry) map[string][]string {
	m := map[string][]string{}
	for _, e := range entries {
		m[e.PID] = append(m[e.PID], e.Text)
	}
	return m
}

// TestSignals: signal delivery lines (a handled SIGUSR1, an ignored SIGUSR2,
// SIGCHLD from a child that exits 3), the sigreturn, and under -f the child's
// own lines and wait4 joined across <unfinished ...>.
func TestSignals(t *testing.T) {
	requireTracing(t)
	tr, fx := candidate(t), testutil.BuildFixtures(t)
	uid := os.Getuid()
	for _, arch := range cArches {
		t.Run(string(arch), func(t *testing.T) {
			requireArch(t, arch)
			r := run(t, tr.argv, spec{flags: []string{"-f"}, cmd: []string{fx.C(t, arch, "signals")}})
			mustFinish(t, r)
			if r.status != exited(0) {
				t.Errorf("tracer ended with %v, want exit status 0%s", r.status, r)
			}
			checkPidPrefixes(t, r)
			entries := ParseTrace(r.trace)
			if len(entries) == 0 {
				t.Fatalf("empty trace%s", r)
			}
			leader := entries[0].PID
			pids := byPid(entries)
			m := matcher{t: t, what: "the leader's lines", texts: pids[leader], r: r}
			path := fx.C(t, arch, "signals")
			m.next(`execve("` + path + `", [` + cut(path, 32) + `], <HEX> /* <NUM> vars */) = 0`)
			m.next(fmt.Sprintf("kill(%s, SIGUSR1)<ALIGN>= 0", leader))
			m.next(fmt.Sprintf("--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=%s, si_uid=%d} ---", leader, uid))
			if arch == testutil.I386 {
				m.next("sigreturn({mask=[]})<ALIGN>= 0")
				m.next("rt_sigaction(SIGUSR2, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=0}, NULL, 8)<ALIGN>= 0")
			} else {
				m.next("rt_sigreturn({mask=[]})<ALIGN>= 0")
				m.next("rt_sigaction(SIGUSR2, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=<HEX>}, NULL, 8)<ALIGN>= 0")
			}
			m.next(fmt.Sprintf("kill(%s, SIGUSR2)<ALIGN>= 0", leader))
			m.next(fmt.Sprintf("--- SIGUSR2 {si_signo=SIGUSR2, si_code=SI_USER, si_pid=%s, si_uid=%d} ---", leader, uid))
			child := m.next("clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=<HEX>)<ALIGN>= <CAPTURE>")[1]
			// The child can exit, and its SIGCHLD arrive, before the
			// parent enters wait4: either order is right.
			m.nextUnordered(
				fmt.Sprintf("wait4(%s,<WS>[{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL)<ALIGN>= %s", child, child),
				fmt.Sprintf("--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=%s, si_uid=%d, si_status=3, si_utime=<NUM>, si_stime=<NUM>} ---", child, uid))
			m.next("exit_group(0)<ALIGN>= ?")
			m.next("+++ exited with 0 +++")

			c := matcher{t: t, what: "the child's lines (pid " + child + ")", texts: pids[child], r: r}
			c.next("exit_group(3)<ALIGN>= ?")
			c.next("+++ exited with 3 +++")
		})
	}
}
