package cli

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/sonde-dev/sonde/filter"
	"github.com/sonde-dev/sonde/output"
)

// traceFlags are the raw options of "sonde trace", as given.
type traceFlags struct {
	follow      int // -f count (-ff: one file per task)
	separately  bool
	outFile     string // -o
	appendOut   bool   // -A
	strSize     string // -s
	noAbbrev    bool   // -v
	hex         int    // -x count
	stringsHex  string // --strings-in-hex
	quiet       int    // -q count
	pids        []string
	exprs       []string // -e, in order
	longExprs   []string // --trace= and friends, as "trace=..."
	successOnly bool     // -z
	failedOnly  bool     // -Z
	timestamps  int      // -t count
	relative    bool     // -r
	durations   bool     // -T
	ip          bool     // -i
	numbers     bool     // -n
	column      string   // -a
	xstyle      string   // -X
	decodeFDs   int      // -y count
	decodePids  int      // -Y count
	summary     bool     // -c
	summaryBoth bool     // -C
	sortBy      string   // -S
	columns     string   // -U
	wallClock   bool     // -w
	overhead    string   // -O
	paths       []string // -P
	env         []string // -E
	user        string   // -u
	detachOn    string   // -b
	daemonize   int      // -D count
	interrupt   string   // -I
	seccomp     bool     // --seccomp-bpf
	noSeccomp   bool     // --no-seccomp-bpf
	noPlacement bool     // --no-placement
	stackTrace  bool     // -k
	debug       int      // -d
	version     bool     // -V
	limit       int      // --syscall-limit
	alwaysPid   bool     // --always-show-pid
	killOnExit  bool     // --kill-on-exit
	argNames    bool     // -N
	color       string   // --color
	jsonOut     bool     // --json
	perfetto    string   // --perfetto
	args        []string
}

// traceConfig is what the flags decide.
type traceConfig struct {
	*traceFlags
	strLimit     int
	filter       *filter.Options
	text         output.TextOptions
	summaryMode  int // 0 none, 1 -c (summary only), 2 -C (trace and summary)
	sortBy       string
	columns      []string
	overhead     time.Duration
	quietSet     bool // quiet was given (-q or -e quiet=)
	interruptLvl int
}

func newTraceFlagSet(prog string, f *traceFlags) *pflag.FlagSet {
	fs := pflag.NewFlagSet(prog, pflag.ContinueOnError)
	fs.SetInterspersed(false)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.SortFlags = false

	fs.StringArrayVarP(&f.exprs, "expr", "e", nil, "a qualifying expression: OPTION=[!]all or OPTION=[!]VAL1[,VAL2]...")
	fs.StringArrayVarP(&f.env, "env", "E", nil, "put VAR=VAL in the command's environment (VAR alone removes it)")
	fs.StringArrayVarP(&f.pids, "attach", "p", nil, "trace the process PID (repeatable; comma or space separated lists)")
	fs.StringVarP(&f.user, "user", "u", "", "run the command as USERNAME")
	fs.StringVarP(&f.detachOn, "detach-on", "b", "", "detach on the syscall (execve)")
	fs.CountVarP(&f.daemonize, "daemonize", "D", "run the tracer as a grandchild (-DD: own process group, -DDD: own session)")
	fs.CountVarP(&f.follow, "follow-forks", "f", "trace child processes as they are created (-ff with -o: a file each)")
	fs.BoolVar(&f.separately, "output-separately", false, "write the trace of each process to FILE.PID")
	fs.StringVarP(&f.interrupt, "interruptible", "I", "", "when signals can interrupt the tracer: 1 anywhere, 2 waiting, 3 never, 4 never_tstp")
	fs.BoolVarP(&f.successOnly, "successful-only", "z", false, "print only syscalls that succeeded")
	fs.BoolVarP(&f.failedOnly, "failed-only", "Z", false, "print only syscalls that failed")
	fs.StringArrayVarP(&f.paths, "trace-path", "P", nil, "trace only syscalls that access PATH (a glob pattern in sonde)")
	fs.StringVarP(&f.column, "columns", "a", "", "alignment column of syscall results (default 40)")
	fs.BoolVarP(&f.ip, "instruction-pointer", "i", false, "print the instruction pointer at each syscall")
	fs.BoolVarP(&f.stackTrace, "stack-trace", "k", false, "print the stack trace at each syscall")
	fs.BoolVarP(&f.numbers, "syscall-number", "n", false, "print the syscall number")
	fs.StringVarP(&f.outFile, "output", "o", "", "write the trace to FILE (|CMD or !CMD: pipe it to CMD)")
	fs.BoolVarP(&f.appendOut, "output-append-mode", "A", false, "append to the -o file")
	fs.CountVarP(&f.quiet, "quiet-level", "q", "suppress messages about attaching and detaching (-qq: exits too, -qqq: all)")
	fs.BoolVarP(&f.relative, "relative-timestamps", "r", false, "print the time since the previous line")
	fs.StringVarP(&f.strSize, "string-limit", "s", "32", "print at most N bytes of strings (0: no limit)")
	fs.CountVarP(&f.timestamps, "absolute-timestamps", "t", "print the time of day (-tt: with microseconds, -ttt: UNIX time)")
	fs.BoolVarP(&f.durations, "syscall-times", "T", false, "print the time spent in each syscall")
	fs.BoolVarP(&f.noAbbrev, "no-abbrev", "v", false, "print structures unabbreviated")
	fs.CountVarP(&f.hex, "hex", "x", "print non-ASCII strings in hex (-xx: all strings)")
	fs.StringVar(&f.stringsHex, "strings-in-hex", "", "non-ascii-chars, non-ascii or all")
	fs.Lookup("strings-in-hex").NoOptDefVal = "all"
	fs.StringVarP(&f.xstyle, "const-print-style", "X", "", "how named constants print: raw, abbrev or verbose")
	fs.CountVarP(&f.decodeFDs, "decode-fds-level", "y", "print what descriptors refer to (-yy: all details)")
	fs.CountVarP(&f.decodePids, "decode-pids-level", "Y", "print the command names of pids")
	fs.BoolVarP(&f.summary, "summary-only", "c", false, "count time, calls and errors of each syscall and print a summary")
	fs.BoolVarP(&f.summaryBoth, "summary", "C", false, "like -c, but print the trace too")
	fs.StringVarP(&f.overhead, "summary-syscall-overhead", "O", "", "the tracing overhead to subtract from each syscall's time")
	fs.StringVarP(&f.sortBy, "summary-sort-by", "S", "", "sort the summary by time, min-time, max-time, avg-time, calls, errors, name or nothing")
	fs.StringVarP(&f.columns, "summary-columns", "U", "", "the summary's columns")
	fs.BoolVarP(&f.wallClock, "summary-wall-clock", "w", false, "summarise wall-clock latency instead of system time")
	fs.BoolVar(&f.seccomp, "seccomp-bpf", false, "filter syscalls with seccomp-bpf (sonde does when it can)")
	fs.BoolVar(&f.noSeccomp, "no-seccomp-bpf", false, "never filter syscalls with seccomp-bpf")
	fs.BoolVar(&f.noPlacement, "no-placement", false, "leave the tracer's CPU placement to the scheduler (no SCHED_IDLE, no following the program's CPU)")
	fs.CountVarP(&f.debug, "debug", "d", "print debugging messages")
	fs.BoolVarP(&f.version, "version", "V", false, "print the version")
	fs.IntVar(&f.limit, "syscall-limit", 0, "detach from every tracee after N syscalls were printed")
	fs.BoolVar(&f.alwaysPid, "always-show-pid", false, "print the pid prefix on every line")
	fs.BoolVar(&f.killOnExit, "kill-on-exit", false, "kill every tracee when sonde exits")
	fs.BoolVarP(&f.argNames, "arg-names", "N", false, "print argument names")
	fs.StringVar(&f.color, "color", "never", "colour the output: never, always or auto")
	fs.Lookup("color").NoOptDefVal = "auto"
	fs.BoolVar(&f.jsonOut, "json", false, "write the trace as JSON lines (docs/json.md) instead of strace's text")
	fs.StringVar(&f.perfetto, "perfetto", "", "also write a Perfetto / chrome://tracing timeline to FILE (docs/perfetto.md)")
	// Long forms of -e.
	for _, name := range []string{"trace", "signal", "status", "quiet", "raw", "abbrev", "verbose", "read", "write", "fault", "inject", "decode-fds", "decode-pids", "errno"} {
		name := name
		fs.Func(name, "-e "+name+"=SET", func(v string) error {
			f.longExprs = append(f.longExprs, name+"="+v)
			return nil
		})
	}
	fs.Lookup("decode-fds").NoOptDefVal = "path"
	fs.Lookup("quiet").NoOptDefVal = "attach,personality"
	return fs
}

func parseTraceFlags(prog string, args []string, stderr io.Writer) (*traceConfig, error) {
	f := &traceFlags{}
	fs := newTraceFlagSet(prog, f)
	usage := func(msg string) error {
		return &ExitError{Code: 1, Msg: msg + "\nTry '" + prog + " -h' for more information."}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(stderr, "usage: %s [-ACcdffhiknqrtTvVwxyYzZ] [-a COLUMN] [-b execve] [-e EXPR]... [-E VAR=VAL]...\n"+
				"        [-I N] [-o FILE] [-O OVERHEAD] [-p PID]... [-P PATH]... [-s STRSIZE] [-S SORTBY]\n"+
				"        [-u USERNAME] [-U COLUMNS] [-X FORMAT] { -p PID | PROG [ARGS] }\n\n%s", prog, fs.FlagUsages())
			return nil, &ExitError{Code: 0}
		}
		return nil, usage(flagErrorText(err))
	}
	f.args = fs.Args()
	c := &traceConfig{traceFlags: f, filter: filter.Defaults()}

	if f.version {
		return c, nil
	}
	n, err := strconv.Atoi(f.strSize)
	if err != nil || n < 0 {
		return nil, usage(fmt.Sprintf("invalid -s argument: '%s'", f.strSize))
	}
	c.strLimit = n
	if n == 0 {
		c.strLimit = math.MaxInt32 // sonde: -s 0 is no limit
	}
	c.text.Column = 40
	if f.column != "" {
		if c.text.Column, err = strconv.Atoi(f.column); err != nil || c.text.Column < 0 {
			return nil, usage(fmt.Sprintf("invalid -a argument: '%s'", f.column))
		}
	}
	switch f.xstyle {
	case "", "abbrev":
		c.text.XStyle = output.XAbbrev
	case "raw":
		c.text.XStyle = output.XRaw
	case "verbose":
		c.text.XStyle = output.XVerbose
	default:
		return nil, usage(fmt.Sprintf("invalid -X argument: '%s'", f.xstyle))
	}
	c.text.Quote = output.QuoteStyle(min(f.hex, 2))
	switch f.stringsHex {
	case "":
	case "all":
		c.text.Quote = output.QuoteHexAll
	case "non-ascii":
		c.text.Quote = output.QuoteHexNonASCII
	case "non-ascii-chars":
		c.text.Quote = output.QuoteHexChars
	default:
		return nil, usage(fmt.Sprintf("invalid --strings-in-hex argument: '%s'", f.stringsHex))
	}
	switch f.interrupt {
	case "":
	case "1", "anywhere":
		c.interruptLvl = 1
	case "2", "waiting":
		c.interruptLvl = 2
	case "3", "never":
		c.interruptLvl = 3
	case "4", "never_tstp":
		c.interruptLvl = 4
	default:
		return nil, usage(fmt.Sprintf("invalid -I argument: '%s'", f.interrupt))
	}
	if f.detachOn != "" && f.detachOn != "execve" && f.detachOn != "execveat" {
		return nil, &ExitError{Code: 1, Msg: fmt.Sprintf("Syscall '%s' for -b isn't supported", f.detachOn)}
	}
	switch f.color {
	case "never", "always", "auto":
	default:
		return nil, usage(fmt.Sprintf("invalid --color argument: '%s'", f.color))
	}
	if err := c.summaryOptions(usage); err != nil {
		return nil, err
	}

	// -e expressions, then their long forms, in order.
	o := c.filter
	for _, e := range append(append([]string{}, f.exprs...), f.longExprs...) {
		if strings.HasPrefix(e, "quiet=") || strings.HasPrefix(e, "q=") || strings.HasPrefix(e, "silent=") || strings.HasPrefix(e, "silence=") {
			c.quietSet = true
		}
		if err := o.Qualify(e); err != nil {
			return nil, &ExitError{Code: 1, Msg: err.Error()}
		}
	}
	if f.noAbbrev {
		o.Abbrev = mustSyscalls("none")
	}
	switch {
	case f.successOnly && f.failedOnly:
		// strace: -z and -Z together print both.
	case f.successOnly:
		o.Status = mustNumbers(filter.ParseStatus("successful"))
	case f.failedOnly:
		o.Status = mustNumbers(filter.ParseStatus("failed"))
	}
	if f.quiet > 0 && !c.quietSet {
		q := "attach,personality"
		switch {
		case f.quiet == 2:
			q += ",exit"
		case f.quiet >= 3:
			q = "all"
		}
		o.Quiet = mustNumbers(filter.ParseQuiet(q))
		c.quietSet = true
	}
	switch {
	case f.decodeFDs == 1 && o.DecodeFDs == nil:
		o.DecodeFDs = mustNumbers(filter.ParseDecodeFDs("path"))
	case f.decodeFDs >= 2:
		o.DecodeFDs = mustNumbers(filter.ParseDecodeFDs("all"))
	}
	if f.decodePids > 0 && o.DecodePids == nil {
		o.DecodePids = mustNumbers(filter.ParseDecodePids("comm"))
	}

	c.text.Time = output.TimeFormat(min(f.timestamps, 3))
	c.text.Relative = f.relative
	c.text.Durations = f.durations
	c.text.IP = f.ip
	c.text.Numbers = f.numbers
	c.text.Status = o.Status
	c.text.Errnos = o.Errnos
	return c, nil
}

func (c *traceConfig) summaryOptions(usage func(string) error) error {
	f := c.traceFlags
	switch {
	case f.summary && f.summaryBoth:
		return usage("-c/--summary-only and -C/--summary are mutually exclusive")
	case f.summary:
		c.summaryMode = 1
	case f.summaryBoth:
		c.summaryMode = 2
	}
	if f.seccomp && f.noSeccomp {
		return usage("--seccomp-bpf and --no-seccomp-bpf are mutually exclusive")
	}
	if c.summaryMode == 0 && f.wallClock {
		return usage("-w/--summary-wall-clock must be given with (-c/--summary-only or -C/--summary)")
	}
	if c.summaryMode != 0 && f.follow >= 2 && f.outFile != "" {
		return usage("(-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually exclusive")
	}
	c.sortBy = "time"
	if f.sortBy != "" {
		switch f.sortBy {
		case "time", "time_total", "total_time", "min-time", "min_time", "shortest", "max-time", "max_time", "longest",
			"avg-time", "avg_time", "time_avg", "calls", "count", "errors", "error", "name", "syscall", "syscall_name", "nothing", "none":
			c.sortBy = f.sortBy
		default:
			return usage(fmt.Sprintf("invalid sortby: '%s'", f.sortBy))
		}
	}
	if f.columns != "" {
		for _, col := range strings.Split(f.columns, ",") {
			if !output.KnownSummaryColumn(col) {
				return usage(fmt.Sprintf("unknown column name: '%s'", col))
			}
			c.columns = append(c.columns, col)
		}
	}
	if f.overhead != "" {
		d, err := parseDuration(f.overhead, time.Microsecond)
		if err != nil {
			return usage(fmt.Sprintf("invalid -O argument: '%s'", f.overhead))
		}
		c.overhead = d
	}
	return nil
}

// parseDuration reads strace's NUMBER[s|ms|us|ns] with unit as the default.
func parseDuration(s string, unit time.Duration) (time.Duration, error) {
	num, mul := s, unit
	for _, u := range []struct {
		suffix string
		d      time.Duration
	}{{"ns", time.Nanosecond}, {"us", time.Microsecond}, {"ms", time.Millisecond}, {"s", time.Second}} {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			num, mul = rest, u.d
			break
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("invalid duration %q", s)
	}
	return time.Duration(v * float64(mul)), nil
}

func mustSyscalls(expr string) *filter.Syscalls {
	s, err := filter.ParseSyscalls(expr)
	if err != nil {
		panic(err) // only called with constant, valid expressions
	}
	return s
}

func mustNumbers(s *filter.Numbers, err error) *filter.Numbers {
	if err != nil {
		panic(err) // only called with constant, valid expressions
	}
	return s
}

// flagErrorText words pflag's errors as getopt (and so strace) does.
func flagErrorText(err error) string {
	s := err.Error()
	switch {
	case strings.HasPrefix(s, "unknown shorthand flag: "):
		// unknown shorthand flag: 'Q' in -Q
		if i := strings.IndexByte(s, '\''); i >= 0 && i+2 < len(s) {
			return "invalid option -- '" + s[i+1:i+2] + "'"
		}
	case strings.HasPrefix(s, "unknown flag: "):
		return "unrecognized option '" + strings.TrimPrefix(s, "unknown flag: ") + "'"
	case strings.Contains(s, "needs an argument"):
		// flag needs an argument: 'o' in -o
		if i := strings.IndexByte(s, '\''); i >= 0 && i+2 < len(s) {
			return "option requires an argument -- '" + s[i+1:i+2] + "'"
		}
		if i := strings.Index(s, "--"); i >= 0 {
			return "option '" + s[i:] + "' requires an argument"
		}
	case strings.HasPrefix(s, "invalid argument"):
		// invalid argument "x" for "--syscall-limit" flag: ...
		if i := strings.Index(s, " for \""); i >= 0 {
			name := s[i+6:]
			name = name[:strings.IndexByte(name, '"')]
			val := strings.TrimPrefix(s, "invalid argument \"")
			val = val[:strings.IndexByte(val, '"')]
			return "invalid " + name + " argument: '" + val + "'"
		}
	}
	return s
}
