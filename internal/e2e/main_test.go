package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sonde-dev/sonde/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

// TracerEnv, when set, replaces the `sonde trace` prefix of every run (split on
// spaces), e.g. SONDE_E2E_TRACER=/usr/bin/strace to check the suite's
// expectations against the oracle itself.
const TracerEnv = "SONDE_E2E_TRACER"

// runTimeout bounds every traced run; a hung tracer fails its test with the
// output it produced so far instead of stalling the suite.
const runTimeout = 30 * time.Second

// tracer is the program under test: argv prefix and the prefix of its error
// messages.
type tracer struct {
	argv      []string // e.g. {"/tmp/.../sonde", "trace"}
	msgPrefix string   // e.g. "sonde trace: "
}

// candidate returns the tracer under test: the freshly built sonde, or the
// override in TracerEnv.
func candidate(t *testing.T) tracer {
	t.Helper()
	if v := strings.Fields(os.Getenv(TracerEnv)); len(v) > 0 {
		t.Logf("%s=%q: testing %s instead of sonde trace", TracerEnv, os.Getenv(TracerEnv), v[0])
		return tracer{argv: v, msgPrefix: v[0] + ": "}
	}
	return tracer{argv: []string{testutil.BuildSonde(t), "trace"}, msgPrefix: "sonde trace: "}
}

// requireTracing holds the preconditions of every test that traces.
func requireTracing(t *testing.T) {
	t.Helper()
	testutil.RequirePtrace(t)
}

// requireArch holds the preconditions of running a C fixture of arch.
func requireArch(t *testing.T, arch testutil.Arch) {
	t.Helper()
	if arch == testutil.I386 {
		testutil.RequireGCCMultilib(t)
		testutil.RequireIA32(t)
	}
}

// exitStatus is how a process ended, comparable across runs.
type exitStatus struct {
	Exited bool
	Code   int
	Signal syscall.Signal
	Core   bool
}

func statusOf(ps *os.ProcessState) exitStatus {
	ws, ok := ps.Sys().(syscall.WaitStatus)
	switch {
	case !ok:
		return exitStatus{Exited: true, Code: ps.ExitCode()}
	case ws.Signaled():
		return exitStatus{Signal: ws.Signal(), Core: ws.CoreDump()}
	default:
		return exitStatus{Exited: true, Code: ws.ExitStatus()}
	}
}

func exited(code int) exitStatus { return exitStatus{Exited: true, Code: code} }

func killedBy(sig syscall.Signal) exitStatus { return exitStatus{Signal: sig} }

func (s exitStatus) String() string {
	if s.Exited {
		return fmt.Sprintf("exit status %d", s.Code)
	}
	name := unix.SignalName(s.Signal)
	if name == "" {
		name = fmt.Sprintf("signal %d", int(s.Signal))
	}
	if s.Core {
		return "killed by " + name + " (core dumped)"
	}
	return "killed by " + name
}

// spec describes one run of a tracer.
type spec struct {
	flags    []string // tracer flags before "--"; "-o FILE" is added unless toStderr
	cmd      []string // the traced command
	env      []string // the tracer's environment; nil means the test's
	dir      string   // working directory; "" means a fresh temporary one
	toStderr bool     // no -o: the trace goes to stderr
	noDashes bool     // omit the "--" before cmd
}

// result is what one run produced.
type result struct {
	argv           []string
	trace          []byte // the -o file, or stderr with toStderr
	traceWritten   bool
	stdout, stderr string
	status         exitStatus
	err            error // only when the run could not finish: start failure, timeout
}

// run runs prefix (a tracer's argv prefix) with s and waits for it, at most
// runTimeout.
func run(t *testing.T, prefix []string, s spec) result {
	t.Helper()
	out := filepath.Join(t.TempDir(), "trace.out")
	argv := append([]string{}, prefix...)
	argv = append(argv, s.flags...)
	if !s.toStderr {
		argv = append(argv, "-o", out)
	}
	if !s.noDashes {
		argv = append(argv, "--")
	}
	argv = append(argv, s.cmd...)

	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = s.env
	cmd.Dir = s.dir
	if cmd.Dir == "" {
		cmd.Dir = t.TempDir()
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()

	r := result{argv: argv, stdout: stdout.String(), stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil:
		r.err = fmt.Errorf("timed out after %v", runTimeout)
	case err != nil && !errors.As(err, &exitErr):
		r.err = err
	}
	if cmd.ProcessState != nil {
		r.status = statusOf(cmd.ProcessState)
	}
	if s.toStderr {
		r.trace, r.traceWritten = stderr.Bytes(), true
	} else if b, err := os.ReadFile(out); err == nil {
		r.trace, r.traceWritten = b, true
	}
	return r
}

// String describes the run for a failure message: command, status, and the
// tails of stderr and the trace.
func (r result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n  command: %q", r.argv)
	if r.err != nil {
		fmt.Fprintf(&b, "\n  error: %v", r.err)
	} else {
		fmt.Fprintf(&b, "\n  status: %v", r.status)
	}
	fmt.Fprintf(&b, "\n  stderr (last lines):%s", indentTail(r.stderr, 10))
	if !r.traceWritten {
		b.WriteString("\n  trace: none written")
	} else {
		fmt.Fprintf(&b, "\n  trace (last lines):%s", indentTail(string(r.trace), 15))
	}
	return b.String()
}

func indentTail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{fmt.Sprintf("... %d lines before", len(lines)-n)}, lines[len(lines)-n:]...)
	}
	if len(lines) == 1 && lines[0] == "" {
		return " (empty)"
	}
	return "\n    | " + strings.Join(lines, "\n    | ")
}

// mustFinish fails t unless the run ended (exited or was killed) on its own.
func mustFinish(t *testing.T, r result) {
	t.Helper()
	if r.err != nil {
		t.Fatalf("run did not finish: %v%s", r.err, r)
	}
}

// traceLines returns the trace's lines without the final newline.
func traceLines(r result) []string {
	s := strings.TrimSuffix(string(r.trace), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// line formats a syscall line as strace does without a prefix: the call, one
// space or spaces up to column 40, "= ", the result.
func line(call, ret string) string {
	pad := 40 - len(call)
	if pad < 1 {
		pad = 1
	}
	return call + strings.Repeat(" ", pad) + "= " + ret
}

// placeholders in pattern templates, each standing for a regular expression.
var placeholders = []struct{ token, re string }{
	{"<HEX>", `0x[0-9a-f]+`},
	{"<NUM>", `\d+`},
	{"<CAPTURE>", `(\d+)`}, // a number the test reads back (a pid)
	{"<ALIGN>", ` +`},      // padding before "= " (column 40)
	{"<WS>", `\s*`},        // where an <unfinished ...> line was joined
}

// pattern compiles a line template: literal text except for the placeholders,
// anchored at both ends.
func pattern(tmpl string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for tmpl != "" {
		at, which := len(tmpl), -1
		for i, p := range placeholders {
			if j := strings.Index(tmpl, p.token); j >= 0 && j < at {
				at, which = j, i
			}
		}
		b.WriteString(regexp.QuoteMeta(tmpl[:at]))
		if which < 0 {
			break
		}
		b.WriteString(placeholders[which].re)
		tmpl = tmpl[at+len(placeholders[which].token):]
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// matcher finds expected lines, in order, in a sequence of trace texts.
type matcher struct {
	t     *testing.T
	what  string // e.g. "pid 1234's lines"
	texts []string
	pos   int
	r     result
}

// next advances to the first remaining text that the template matches and
// returns its submatches; it fails the test, showing the trace, if none does.
func (m *matcher) next(tmpl string) []string {
	m.t.Helper()
	re := pattern(tmpl)
	for i := m.pos; i < len(m.texts); i++ {
		if sm := re.FindStringSubmatch(m.texts[i]); sm != nil {
			m.pos = i + 1
			return sm
		}
	}
	m.t.Fatalf("in %s, after line %d, no line matches\n  %s\n(regexp %s)%s", m.what, m.pos, tmpl, re, m.r)
	return nil
}

// nextUnordered is next for templates whose lines may come in any order
// (events racing each other); it advances past the last of them.
func (m *matcher) nextUnordered(tmpls ...string) [][]string {
	m.t.Helper()
	start, end := m.pos, m.pos
	out := make([][]string, len(tmpls))
	for k, tmpl := range tmpls {
		m.pos = start
		out[k] = m.next(tmpl)
		end = max(end, m.pos)
	}
	m.pos = end
	return out
}

// exact checks that want appear, in order, among the lines of the trace.
func exact(t *testing.T, r result, want ...string) {
	t.Helper()
	lines := traceLines(r)
	pos := 0
	for _, w := range want {
		found := false
		for ; pos < len(lines); pos++ {
			if lines[pos] == w {
				found, pos = true, pos+1
				break
			}
		}
		if !found {
			t.Fatalf("trace lacks, in this order, the line\n  %q%s", w, r)
		}
	}
}

// syscallNames returns the set of syscall names the trace's lines start with.
func syscallNames(entries []Entry) map[string]bool {
	re := regexp.MustCompile(`^([a-z_][a-z0-9_]*)\(`)
	names := map[string]bool{}
	for _, e := range entries {
		if m := re.FindStringSubmatch(e.Text); m != nil {
			names[m[1]] = true
		}
	}
	return names
}
