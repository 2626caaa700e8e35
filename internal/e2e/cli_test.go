package e2e

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sonde-dev/sonde/internal/testutil"
)

// TestI386Syscalls: an i386 tracee's calls are named from the i386 table,
// chosen per stop, not from the tracer's own. The names below are ones strace
// 6.1 prints for these fixtures that the x86_64 table would print as other
// calls (i386 192 mmap2, 243 set_thread_area, 191 ugetrlimit, 422
// futex_time64 are x86_64's lgetxattr, mq_timedreceive, getxattr and nothing).
func TestI386Syscalls(t *testing.T) {
	requireTracing(t)
	tr, fx := candidate(t), testutil.BuildFixtures(t)
	tests := []struct {
		name      string
		needsC32  bool
		path      func(t *testing.T) string
		want      []string // names that must appear
		wantNot   []string // names that must not
		wantLines []string // templates that must match some line
	}{
		{
			name: "go-386/gohello",
			path: func(t *testing.T) string { return fx.Go(t, "386", "gohello") },
			want: []string{"execve", "set_thread_area", "mmap2", "futex_time64", "rt_sigaction", "write", "exit_group"},
			// Go's 386 runtime maps with mmap2 and sets its TLS with
			// set_thread_area; arch_prctl and mmap are what amd64 uses.
			wantNot:   []string{"mmap", "arch_prctl"},
			wantLines: []string{`write(1, "hello\n", 6)<ALIGN>= 6`},
		},
		{
			name:     "i386/exit7",
			needsC32: true,
			path:     func(t *testing.T) string { return fx.C(t, testutil.I386, "exit7") },
			want:     []string{"execve", "set_thread_area", "mmap2", "ugetrlimit", "statx", "exit_group"},
			wantNot:  []string{"mmap", "arch_prctl", "newfstatat"},
			wantLines: []string{
				"ugetrlimit(RLIMIT_STACK, {rlim_cur=8192*1024, rlim_max=RLIM_INFINITY})<ALIGN>= 0",
				"exit_group(7)<ALIGN>= ?",
			},
		},
		{
			// The control: the same Go program built for amd64.
			name:      "go-amd64/gohello",
			path:      func(t *testing.T) string { return fx.Go(t, "amd64", "gohello") },
			want:      []string{"execve", "arch_prctl", "mmap", "futex", "write", "exit_group"},
			wantNot:   []string{"mmap2", "set_thread_area", "futex_time64", "ugetrlimit"},
			wantLines: []string{"arch_prctl(ARCH_SET_FS, <HEX>)<ALIGN>= 0"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.needsC32 {
				testutil.RequireGCCMultilib(t)
			}
			if tc.needsC32 || strings.Contains(tc.name, "386") {
				testutil.RequireIA32(t)
			}
			r := run(t, tr.argv, spec{flags: []string{"-f"}, cmd: []string{tc.path(t)}})
			mustFinish(t, r)
			entries := ParseTrace(r.trace)
			names := syscallNames(entries)
			for _, n := range tc.want {
				if !names[n] {
					t.Errorf("no %s( line; names seen: %v", n, slices.Sorted(maps.Keys(names)))
				}
			}
			for _, n := range tc.wantNot {
				if names[n] {
					t.Errorf("a %s( line, which strace does not print for this program", n)
				}
			}
			var texts []string
			for _, e := range entries {
				texts = append(texts, e.Text)
			}
			for _, w := range tc.wantLines {
				if !slices.ContainsFunc(texts, pattern(w).MatchString) {
					t.Errorf("no line matches %s", w)
				}
			}
			if t.Failed() {
				t.Logf("run:%s", r)
			}
		})
	}
}

// TestBadInput: usage errors print a strace-style message on stderr (the
// tracer's name, a colon, strace's wording) and exit 1, with no Go panic.
func TestBadInput(t *testing.T) {
	tr := candidate(t)
	out := filepath.Join(t.TempDir(), "never.out")
	tests := []struct {
		name string
		args []string
		want string // stderr's first line, after the prefix, contains this
	}{
		{"no command", nil, "must have PROG [ARGS] or -p PID"},
		{"no command after flags", []string{"-f", "-o", out}, "must have PROG [ARGS] or -p PID"},
		{"unknown program", []string{"nosuch-sonde-e2e"}, "Can't stat 'nosuch-sonde-e2e': No such file or directory"},
		{"unknown program after --", []string{"-o", out, "--", "nosuch-sonde-e2e"}, "Can't stat 'nosuch-sonde-e2e': No such file or directory"},
		{"unknown long flag", []string{"--nosuch-flag", "true"}, "nosuch-flag"},
		{"bad -s value", []string{"-s", "abc", "true"}, "abc"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, tr.argv, spec{toStderr: true, noDashes: true, cmd: tc.args})
			mustFinish(t, r)
			if r.status != exited(1) {
				t.Errorf("ended with %v, want exit status 1%s", r.status, r)
			}
			first, _, _ := strings.Cut(r.stderr, "\n")
			if !strings.HasPrefix(first, tr.msgPrefix) || !strings.Contains(first, tc.want) {
				t.Errorf("stderr's first line is %q, want %q followed by a message containing %q", first, tr.msgPrefix, tc.want)
			}
			if strings.Contains(r.stderr, "panic:") || strings.Contains(r.stderr, "goroutine ") {
				t.Errorf("stderr holds a Go panic:%s", r)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
		})
	}
}

// TestStraceSymlink: a link named strace to the sonde binary behaves as
// `sonde trace`.
func TestStraceSymlink(t *testing.T) {
	requireTracing(t)
	tr, fx := candidate(t), testutil.BuildFixtures(t)
	link := filepath.Join(t.TempDir(), "strace")
	if err := os.Symlink(tr.argv[0], link); err != nil {
		t.Fatalf("make the strace link: %v", err)
	}
	exit7 := fx.C(t, testutil.X86_64, "exit7")

	r := run(t, []string{link}, spec{flags: []string{"-f"}, cmd: []string{exit7}, noDashes: true})
	mustFinish(t, r)
	if r.status != exited(7) {
		t.Errorf("ended with %v, want exit status 7%s", r.status, r)
	}
	checkPidPrefixes(t, r)
	entries := ParseTrace(r.trace)
	m := matcher{t: t, what: "the trace", texts: nil, r: r}
	for _, e := range entries {
		m.texts = append(m.texts, e.Text)
	}
	m.next(`execve("` + exit7 + `", [` + cut(exit7, 32) + `], <HEX> /* <NUM> vars */) = 0`)
	m.next("exit_group(7)<ALIGN>= ?")
	m.next("+++ exited with 7 +++")

	r = run(t, []string{link}, spec{toStderr: true, noDashes: true})
	mustFinish(t, r)
	if r.status != exited(1) || !strings.Contains(r.stderr, "must have PROG [ARGS] or -p PID") {
		t.Errorf("strace link with no command: want exit status 1 and strace's usage message%s", r)
	}
}
