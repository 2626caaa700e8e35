package e2e

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Entry is one logical line of a trace: the pid prefix ("0" when the line has
// none) and the text after it. An "<unfinished ...>" line and its
// "<... NAME resumed>" continuation from the same pid are one Entry.
type Entry struct {
	PID  string
	Text string
}

// The patterns of ../shared/tools/difftrace, in RE2 syntax with the same
// meaning for trace text (ASCII digits, spaces and word characters).
var (
	pidPrefix  = regexp.MustCompile(`^(\d+)\s+(.*)$`)
	unfinished = regexp.MustCompile(`^(.*?)\s*<unfinished \.\.\.>$`)
	resumed    = regexp.MustCompile(`^<\.\.\. [\w]+ resumed>\s?(.*)$`)
	hexNumber  = regexp.MustCompile(`0x[0-9a-fA-F]+`)
	timeField  = regexp.MustCompile(`(tv_sec|tv_nsec|tv_usec|st_[amc]time\w*|st_ino|st_dev|stx_\w*time\w*)=\d+`)
	getrandom  = regexp.MustCompile(`^(getrandom\()"[^"]*"(\.\.\.)?`)
	spaces     = regexp.MustCompile(`\s+`)
	duration   = regexp.MustCompile(`<\d+\.\d+>$`)
	stamp      = regexp.MustCompile(`^(\d\d:\d\d:\d\d(\.\d+)?|\d+\.\d+|\s*\d+\.\d{6}) `)
	// leads are what -t/-tt/-ttt, -r, -n and -i put before a line's text
	// (with -t, -r is "(+ 0.000123)"): unfinished and resumed lines are
	// joined behind them, the unfinished line's lead kept. difftrace does
	// not look past them and so cannot join such lines.
	leads = regexp.MustCompile(`^(\d\d:\d\d:\d\d(\.\d+)? |\d{9,}\.\d{6} )?(\(\+ *\d+\.\d{6}\) | *\d+\.\d{6} )?(\[ *\d+\] )?(\[([0-9a-f?]{8,16}|IP)\] )?`)
)

// ParseTrace splits a trace (strace's -o file) into logical lines: each line's
// pid prefix is split off, and a line ending in "<unfinished ...>" is joined
// with the next "<... NAME resumed>" line of the same pid (the text before
// the marker, trailing spaces trimmed, then the resumed part). A resumed line
// with no pending unfinished one stays as it is.
func ParseTrace(data []byte) []Entry {
	var out []Entry
	pending := map[string]int{} // pid -> index in out of its unfinished line
	for _, raw := range strings.Split(string(data), "\n") {
		raw = strings.TrimSuffix(raw, "\r")
		if raw == "" {
			continue // the split after the last newline; strace prints no empty lines
		}
		pid, text := "0", raw
		if m := pidPrefix.FindStringSubmatch(raw); m != nil {
			pid, text = m[1], m[2]
		}
		lead := leads.FindString(text)
		if m := unfinished.FindStringSubmatch(text[len(lead):]); m != nil {
			pending[pid] = len(out)
			out = append(out, Entry{pid, lead + m[1]})
			continue
		}
		if m := resumed.FindStringSubmatch(text[len(lead):]); m != nil {
			if idx, ok := pending[pid]; ok {
				delete(pending, pid)
				out[idx].Text += m[1]
				continue
			}
		}
		out = append(out, Entry{pid, text})
	}
	return out
}

// Multiset counts normalised lines.
type Multiset map[string]int

// resultTail finds a line's "= N..." result (submatch 1 starts at it).
var resultTail = regexp.MustCompile(`\)\s*(=\s*\d+.*)$`)

// pidResult names the calls whose result is a pid.
var pidResult = map[string]bool{
	"clone": true, "clone3": true, "fork": true, "vfork": true, "getpid": true, "gettid": true,
	"getppid": true, "getpgid": true, "getpgrp": true, "getsid": true, "setsid": true,
	"set_tid_address": true, "wait4": true, "waitpid": true, "waitid": true,
}

// forkCall names the calls that create a task and return its pid, and
// forkResult finds that pid in a line without its lead and -T duration
// (-Y follows it with <COMM>).
var (
	forkCall   = map[string]bool{"clone": true, "clone3": true, "fork": true, "vfork": true}
	forkResult = regexp.MustCompile(`\)\s*=\s*(\d+)(?:<[^>]*>)?$`)
)

// syscallName is the name a line starts with, before "(" ("" for none).
func syscallName(s string) string {
	s = strings.TrimPrefix(s, "<... ")
	if i := strings.IndexAny(s, "( "); i > 0 {
		return s[:i]
	}
	return ""
}

// Normalize rewrites entries into comparable lines and counts them:
// "-r/-t" stamps and "-T" durations masked, hex numbers become 0xX, clock and
// inode fields become =N, getrandom's bytes become "RANDOM", every pid
// (prefixes of three or more digits) becomes an ordinal P1, P2... (the
// first task, then the tasks in the order they were created, then others
// as first seen) wherever it appears as a word, runs of white space fold to one space, and
// " = " and "( " lose their spaces.
func Normalize(entries []Entry) Multiset {
	ordinal := map[string]string{}
	var pids []string
	number := func(pid string) {
		if _, ok := ordinal[pid]; !ok {
			ordinal[pid] = "P" + strconv.Itoa(len(ordinal)+1)
			if len(pid) >= 3 { // "0", a line without a prefix, is not a pid
				pids = append(pids, pid)
			}
		}
	}
	// The first task, then its descendants in the order the fork calls
	// returned them (the program's own order: a pipeline's processes
	// print their first lines in either order from run to run), then
	// any other pid as it appears.
	if len(entries) > 0 {
		number(entries[0].PID)
	}
	for _, e := range entries {
		text := strings.TrimSpace(duration.ReplaceAllString(e.Text[len(leads.FindString(e.Text)):], ""))
		if forkCall[syscallName(text)] {
			if m := forkResult.FindStringSubmatch(text); m != nil {
				number(m[1])
			}
		}
	}
	for _, e := range entries {
		number(e.PID)
	}
	var pidRE *regexp.Regexp
	if len(pids) > 0 {
		// Longest first, so a pid that is a prefix of another never wins.
		slices.SortStableFunc(pids, func(a, b string) int { return len(b) - len(a) })
		pidRE = regexp.MustCompile(`\b(` + strings.Join(pids, "|") + `)\b`)
	}
	out := Multiset{}
	for _, e := range entries {
		s := stamp.ReplaceAllString(duration.ReplaceAllString(e.Text, "<T>"), "")
		s = hexNumber.ReplaceAllString(s, "0xX")
		s = timeField.ReplaceAllString(s, "${1}=N")
		s = getrandom.ReplaceAllString(s, `${1}"RANDOM"`)
		if pidRE != nil {
			// A result is a pid only for the calls that return one: a
			// read's count that happens to equal a (short) pid stays.
			body, result := s, ""
			if m := resultTail.FindStringSubmatchIndex(s); m != nil && !pidResult[syscallName(s[len(leads.FindString(s)):])] {
				body, result = s[:m[2]], s[m[2]:]
			}
			s = pidRE.ReplaceAllStringFunc(body, func(p string) string { return ordinal[p] }) + result
		}
		s = strings.TrimSpace(spaces.ReplaceAllString(s, " "))
		s = strings.ReplaceAll(s, " = ", "=")
		s = strings.ReplaceAll(s, "( ", "(")
		out[s]++
	}
	return out
}

// NormalizeTrace is Normalize(ParseTrace(data)).
func NormalizeTrace(data []byte) Multiset { return Normalize(ParseTrace(data)) }

// Len returns the number of lines, counting repeats.
func (m Multiset) Len() int {
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}

// Intersect returns the lines both hold, each as often as the smaller count.
func (m Multiset) Intersect(o Multiset) Multiset {
	out := Multiset{}
	for s, c := range m {
		if d := min(c, o[s]); d > 0 {
			out[s] = d
		}
	}
	return out
}

// Minus returns the lines m holds more often than o, by how many more.
func (m Multiset) Minus(o Multiset) Multiset {
	out := Multiset{}
	for s, c := range m {
		if d := c - o[s]; d > 0 {
			out[s] = d
		}
	}
	return out
}

// Lines returns every line, repeats included, sorted.
func (m Multiset) Lines() []string {
	var out []string
	for s, c := range m {
		for range c {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// Comparison is the outcome of comparing a candidate's trace with two runs of
// strace on the same workload, as ../shared/tools/difftrace computes it.
type Comparison struct {
	// Base is how many lines strace's two runs share: its run-to-run agreement.
	Base int
	// Matched is how many of strace's first-run lines the candidate printed,
	// capped at Base.
	Matched int
	// Extra counts the candidate's lines strace's first run lacks, beyond the
	// number of lines strace's second run has that its first lacks.
	Extra int
	// Score is Matched / (Base + Extra), 0 when that is 0: 1 means as close to
	// strace as strace is to itself.
	Score float64
	// Missing are the lines both strace runs print that the candidate lacks.
	Missing []string
	// Unexpected are the candidate's lines strace's first run lacks.
	Unexpected []string
}

// Compare scores candidate against two strace runs, ref1 and ref2.
func Compare(ref1, ref2, candidate Multiset) Comparison {
	base := ref1.Intersect(ref2)
	c := Comparison{
		Base:       base.Len(),
		Matched:    min(ref1.Intersect(candidate).Len(), base.Len()),
		Missing:    base.Minus(candidate).Lines(),
		Unexpected: candidate.Minus(ref1).Lines(),
	}
	noise := ref2.Minus(ref1).Len()
	c.Extra = max(0, len(c.Unexpected)-noise)
	if d := c.Base + c.Extra; d > 0 {
		c.Score = float64(c.Matched) / float64(d)
	}
	return c
}
