package e2e

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Cover is one "cover:" comment line of a coverage fixture
// (testdata/fixtures/cov_*.c):
//
//	// cover: fcntl: F_GETFD, F_SETFD FD_CLOEXEC, EBADF
//
// names a syscall the fixture makes and the variants of it the fixture
// exercises. A fixture may hold several lines for one syscall; their
// variants add up.
type Cover struct {
	Syscall  string
	Variants []string
}

// coverMention finds the lines meant as cover lines: "cover:" after an
// optional comment marker ("//" or the "*" of a block comment). coverLine
// parses one: the marker, "cover:", a syscall name, ":", the variants.
var (
	coverMention = regexp.MustCompile(`^\s*(//|/?\*)?\s*cover:`)
	coverLine    = regexp.MustCompile(`^\s*(?://|/?\*)?\s*cover:\s*([a-z_][a-z0-9_]*)\s*:\s*(.*?)\s*(?:\*/)?\s*$`)
)

// ParseCovers returns the cover lines of a fixture's source, in source order,
// lines for the same syscall merged into one Cover (variants deduplicated,
// in order of first appearance). A line that mentions "cover:" but does not
// have the form "cover: NAME: variant, ..." is an error, as is one that
// lists no variant: a malformed line must not silently cover nothing.
func ParseCovers(src []byte) ([]Cover, error) {
	var out []Cover
	index := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		if !coverMention.MatchString(text) {
			continue
		}
		m := coverLine.FindStringSubmatch(text)
		if m == nil {
			return nil, fmt.Errorf("line %d: %q is not \"// cover: SYSCALL: variant, variant, ...\"", n, text)
		}
		variants := splitVariants(m[2])
		if len(variants) == 0 {
			return nil, fmt.Errorf("line %d: %q lists no variant of %s", n, text, m[1])
		}
		i, ok := index[m[1]]
		if !ok {
			i = len(out)
			index[m[1]] = i
			out = append(out, Cover{Syscall: m[1]})
		}
		for _, v := range variants {
			if !slices.Contains(out[i].Variants, v) {
				out[i].Variants = append(out[i].Variants, v)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read the fixture: %w", err)
	}
	return out, nil
}

// splitVariants splits a cover line's list at the commas outside brackets,
// so a variant such as "fcntl(F_SETLK, {l_type=F_RDLCK})" stays whole, and
// drops empty items.
func splitVariants(s string) []string {
	var out []string
	depth, start := 0, 0
	flush := func(end int) {
		if v := strings.TrimSpace(s[start:end]); v != "" {
			out = append(out, v)
		}
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
		case ',':
			if depth == 0 {
				flush(i)
				start = i + 1
			}
		}
	}
	flush(len(s))
	return out
}

// JoinUnfinished rewrites a trace so that every "<unfinished ...>" line and
// the "<... NAME resumed>" line of the same pid that continues it become one
// line, exactly as strace would have printed the call uncut: the text before
// the marker's single space, then everything after "resumed>". ParseTrace
// joins pairs too, but trims all white space at the cut, so a call cut after
// an argument's ", " reads "wait4(12,[...]" while an uncut one reads
// "wait4(12, [...]"; where a call is cut varies from run to run, so
// TestCoverage joins exactly first. The joined line takes the unfinished
// line's place; a line left unpaired stays as it is.
func JoinUnfinished(data []byte) []byte {
	lines := strings.Split(string(data), "\n")
	pending := map[string]int{} // pid -> index in lines of its unfinished line
	out := lines[:0:0]
	for _, raw := range lines {
		pid, text, prefix := "0", raw, ""
		if m := pidPrefix.FindStringSubmatch(raw); m != nil {
			pid, text = m[1], m[2]
			prefix = raw[:len(raw)-len(text)]
		}
		if head, ok := strings.CutSuffix(text, " <unfinished ...>"); ok {
			pending[pid] = len(out)
			out = append(out, prefix+head)
			continue
		}
		if m := exactResumed.FindStringSubmatch(text); m != nil {
			if i, ok := pending[pid]; ok {
				delete(pending, pid)
				out[i] += m[2]
				continue
			}
		}
		out = append(out, raw)
	}
	// Restore the markers of calls never resumed, as ParseTrace expects them.
	for _, i := range pending {
		out[i] += " <unfinished ...>"
	}
	return []byte(strings.Join(out, "\n"))
}

// exactResumed matches a "<... NAME resumed>" line, after any timestamp,
// [IP] and [NR] prefix (-t, -r, -i, -n), and keeps all that follows.
var exactResumed = regexp.MustCompile(`^((?:[0-9:.]+ +)?(?:\[[^\]]*\] +)*)<\.\.\. \w+ resumed>(.*)$`)

// SyscallLines returns the lines of m that are calls of syscall name: the
// normalised lines whose text starts with "name(" (an unfinished call and
// its resumption are one line already, see ParseTrace).
func SyscallLines(m Multiset, name string) Multiset {
	prefix := name + "("
	out := Multiset{}
	for s, c := range m {
		if strings.HasPrefix(s, prefix) {
			out[s] = c
		}
	}
	return out
}

// SyscallDiff compares one syscall's lines between two strace runs and a
// candidate's run.
type SyscallDiff struct {
	// Stable are the lines both strace runs print (as often as the run that
	// prints them less often).
	Stable Multiset
	// Missing are the stable lines the candidate lacks.
	Missing []string
	// Extra are the candidate's lines that neither strace run printed (as
	// often as the candidate prints them more than the strace run that
	// prints them more).
	Extra []string
	// Unstable are the lines one strace run prints and the other does not:
	// they are neither required of the candidate nor extra in it.
	Unstable []string
}

// DiffSyscall compares the lines of syscall name in the normalised traces of
// two strace runs, ref1 and ref2, and a candidate.
func DiffSyscall(ref1, ref2, candidate Multiset, name string) SyscallDiff {
	a, b, c := SyscallLines(ref1, name), SyscallLines(ref2, name), SyscallLines(candidate, name)
	either := Multiset{}
	for s, n := range a {
		either[s] = max(n, b[s])
	}
	for s, n := range b {
		either[s] = max(n, a[s])
	}
	stable := a.Intersect(b)
	unstable := a.Minus(b).Lines()
	unstable = append(unstable, b.Minus(a).Lines()...)
	slices.Sort(unstable)
	return SyscallDiff{
		Stable:   stable,
		Missing:  stable.Minus(c).Lines(),
		Extra:    c.Minus(either).Lines(),
		Unstable: unstable,
	}
}

// Match reports whether the candidate printed every stable line and no extra
// one.
func (d SyscallDiff) Match() bool { return len(d.Missing) == 0 && len(d.Extra) == 0 }

// Verdict is the outcome of one covered syscall on one arch.
type Verdict string

// The verdicts of docs/syscalls.md.
const (
	// NotRun: no fixture made the syscall on the arch, or the arch's
	// fixtures were not run.
	NotRun Verdict = "not run"
	// Match: every fixture that made the syscall got every stable strace
	// line of it from sonde and no extra one.
	Match Verdict = "match"
	// Differs: some fixture's lines of the syscall differ.
	Differs Verdict = "differs"
)

// merge combines the verdicts of two fixtures for one syscall and arch: one
// difference makes the syscall differ; one match, with no difference, makes
// it match.
func (v Verdict) merge(w Verdict) Verdict {
	switch {
	case v == Differs || w == Differs:
		return Differs
	case v == Match || w == Match:
		return Match
	default:
		return NotRun
	}
}

// CoverageTable is docs/syscalls.md in memory: every covered syscall with
// its variants, the fixtures that cover it and a verdict per arch.
type CoverageTable struct {
	arches []string
	rows   map[string]*coverageRow
}

type coverageRow struct {
	variants []string
	fixtures []string
	verdict  map[string]Verdict
}

// NewCoverageTable returns an empty table with one result column per arch,
// in the order given.
func NewCoverageTable(arches ...string) *CoverageTable {
	return &CoverageTable{arches: arches, rows: map[string]*coverageRow{}}
}

// AddFixture records a fixture's cover lines. Call it for the fixtures in
// sorted order: a syscall's variants are listed as they first appear.
func (t *CoverageTable) AddFixture(fixture string, covers []Cover) {
	for _, c := range covers {
		r := t.rows[c.Syscall]
		if r == nil {
			r = &coverageRow{verdict: map[string]Verdict{}}
			t.rows[c.Syscall] = r
		}
		if !slices.Contains(r.fixtures, fixture) {
			r.fixtures = append(r.fixtures, fixture)
		}
		for _, v := range c.Variants {
			if !slices.Contains(r.variants, v) {
				r.variants = append(r.variants, v)
			}
		}
	}
}

// Record merges one fixture's verdict for syscall on arch into the table.
// The syscall must have been added with AddFixture.
func (t *CoverageTable) Record(arch, syscall string, v Verdict) {
	if r := t.rows[syscall]; r != nil {
		r.verdict[arch] = r.verdict[arch].merge(v)
	}
}

// Verdict returns the merged verdict of syscall on arch.
func (t *CoverageTable) Verdict(arch, syscall string) Verdict {
	if r := t.rows[syscall]; r != nil {
		return r.verdict[arch].merge(NotRun)
	}
	return NotRun
}

// Syscalls returns the covered syscalls, sorted.
func (t *CoverageTable) Syscalls() []string {
	var out []string
	for s := range t.rows {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// CoverageDocPath is the table's file, relative to the repository root.
const CoverageDocPath = "docs/syscalls.md"

// UpdateDocsEnv, set to 1, makes TestCoverage rewrite CoverageDocPath
// instead of failing when it is stale.
const UpdateDocsEnv = "SONDE_UPDATE_DOCS"

// CoverageRefresh is the command that rewrites CoverageDocPath. -count=1
// matters: go test's cache does not know the sonde binary the test builds, so
// a cached run would not see a changed decoder.
const CoverageRefresh = UpdateDocsEnv + "=1 go test -count=1 ./internal/e2e -run TestCoverage"

// Markdown renders the table as docs/syscalls.md: a header saying how it is
// made, a summary, then one row per syscall in name order. The text depends
// only on the table's contents (no times, no map order).
func (t *CoverageTable) Markdown() []byte {
	var b bytes.Buffer
	b.WriteString("# Syscall coverage\n\n")
	b.WriteString("<!-- Generated by TestCoverage (internal/e2e/coverage_test.go). Do not edit: refresh with\n")
	b.WriteString("     " + CoverageRefresh + " -->\n\n")
	b.WriteString("Every `testdata/fixtures/cov_*.c` fixture names, in `// cover: SYSCALL: variant, ...` comment\n")
	b.WriteString("lines, the syscalls it exercises and how. `TestCoverage` builds each fixture for every arch\n")
	b.WriteString("(i386 with `gcc -m32`), runs it under real strace twice and under `sonde trace` once, all\n")
	b.WriteString("with `-f -o FILE`, normalises the three traces as `internal/e2e/normalize.go` does, and\n")
	b.WriteString("compares, for each covered syscall, the lines that start with `SYSCALL(`:\n\n")
	b.WriteString("- `match`: in every fixture that makes the syscall, sonde prints each line both strace runs\n")
	b.WriteString("  print, and no line that neither printed;\n")
	b.WriteString("- `differs`: in some fixture it does not (the test logs every differing line);\n")
	b.WriteString("- `not run`: no fixture makes the syscall on that arch (i386 programs often call a\n")
	b.WriteString("  32-bit twin such as `fcntl64` instead).\n\n")
	b.WriteString("The variants are the fixtures' cover lines, merged. The test fails when this file differs\n")
	b.WriteString("from what the run produces; after changing a fixture or a decoder, refresh it with\n")
	b.WriteString("`" + CoverageRefresh + "`.\n\n")

	syscalls := t.Syscalls()
	fmt.Fprintf(&b, "%d syscalls covered.", len(syscalls))
	for _, a := range t.arches {
		counts := map[Verdict]int{}
		for _, s := range syscalls {
			counts[t.Verdict(a, s)]++
		}
		fmt.Fprintf(&b, " %s: %d match, %d differ, %d not run.", a, counts[Match], counts[Differs], counts[NotRun])
	}
	b.WriteString("\n\n| syscall | variants covered | fixtures |")
	for _, a := range t.arches {
		b.WriteString(" " + a + " |")
	}
	b.WriteString("\n|---|---|---|")
	for range t.arches {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, s := range syscalls {
		r := t.rows[s]
		fmt.Fprintf(&b, "| %s | %s | %s |", mdCell(s), mdCell(strings.Join(r.variants, "; ")), mdCell(strings.Join(r.fixtures, ", ")))
		for _, a := range t.arches {
			b.WriteString(" " + string(t.Verdict(a, s)) + " |")
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

// mdCell escapes text for a Markdown table cell: "|" would end the cell,
// and a backslash or backquote would change how the rest reads.
func mdCell(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "|", `\|`, "`", "\\`", "\n", " ")
	return r.Replace(s)
}

// LineDiff describes how text got differs from text want, line by line, for
// a failure message: the lines only in want ("-") and only in got ("+"), in
// file order, at most limit of them, then how many more.
func LineDiff(want, got []byte, limit int) string {
	wl := strings.Split(string(want), "\n")
	gl := strings.Split(string(got), "\n")
	// Longest common subsequence, small enough files for the quadratic table.
	n, m := len(wl), len(gl)
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if wl[i] == gl[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && wl[i] == gl[j]:
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, "- "+strconv.Itoa(i+1)+": "+wl[i])
			i++
		default:
			out = append(out, "+ "+strconv.Itoa(j+1)+": "+gl[j])
			j++
		}
	}
	if len(out) > limit {
		out = append(out[:limit], fmt.Sprintf("... and %d more differing lines", len(out)-limit))
	}
	return strings.Join(out, "\n")
}
