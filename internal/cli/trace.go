package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/spf13/pflag"

	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/output"
	"github.com/sonde-dev/sonde/tracer"
)

// traceFlags are the parsed options of "sonde trace".
type traceFlags struct {
	follow  int    // -f count (-ff: one file per task)
	outFile string // -o
	strSize string // -s
	verbose bool   // -v
	hex     int    // -x count
	quiet   int    // -q count
	pids    []string
	args    []string
}

func parseTraceFlags(prog string, args []string, stderr io.Writer) (*traceFlags, error) {
	f := &traceFlags{}
	fs := pflag.NewFlagSet(prog, pflag.ContinueOnError)
	fs.SetInterspersed(false)
	fs.SetOutput(io.Discard)
	fs.CountVarP(&f.follow, "follow-forks", "f", "trace child processes as they are created")
	fs.StringVarP(&f.outFile, "output", "o", "", "write the trace to FILE")
	fs.StringVarP(&f.strSize, "string-limit", "s", "32", "print at most N bytes of a string")
	fs.BoolVarP(&f.verbose, "no-abbrev", "v", false, "print structures unabbreviated")
	fs.CountVarP(&f.hex, "hex", "x", "print non-ASCII strings in hex (-xx: all strings)")
	fs.CountVarP(&f.quiet, "quiet", "q", "suppress messages about attaching and detaching")
	fs.StringArrayVarP(&f.pids, "attach", "p", nil, "trace the process PID (repeatable; comma or space separated lists)")
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(stderr, "usage: %s [-f] [-o FILE] [-s STRSIZE] [-v] [-x] PROG [ARGS]\n%s", prog, fs.FlagUsages())
			return nil, &ExitError{Code: 0}
		}
		return nil, &ExitError{Code: 1, Msg: flagErrorText(err) + "\nTry '" + prog + " -h' for more information."}
	}
	f.args = fs.Args()
	return f, nil
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
	}
	return s
}

func runTrace(ctx context.Context, prog string, args []string, stdio Stdio) error {
	f, err := parseTraceFlags(prog, args, stdio.Err)
	if err != nil {
		return err
	}
	limit, err := strconv.Atoi(f.strSize)
	if err != nil || limit < 0 {
		return &ExitError{Code: 1, Msg: fmt.Sprintf("invalid -s argument: '%s'\nTry '%s -h' for more information.", f.strSize, prog)}
	}
	pids, err := parsePids(f.pids)
	if err != nil {
		return err
	}
	if len(f.args) == 0 && len(pids) == 0 {
		return &ExitError{Code: 1, Msg: "must have PROG [ARGS] or -p PID\nTry '" + prog + " -h' for more information."}
	}
	var path string
	if len(f.args) > 0 {
		if path, err = lookPath(f.args[0]); err != nil {
			return &ExitError{Code: 1, Msg: fmt.Sprintf("Can't stat '%s': %s", f.args[0], errnoText(err))}
		}
	}

	// strace's notices ("Process N attached") go to stderr, into the trace
	// when that is stderr too; -q hides them, and so does -o FILE with a
	// command to launch.
	quiet := f.quiet > 0 || (f.outFile != "" && len(f.args) > 0)
	out, closeOut, err := traceOutput(f, stdio, prog, quiet)
	if err != nil {
		return err
	}
	defer closeOut()
	sink := tracer.Sink(out)
	if f.outFile != "" && !quiet {
		sink = &noticeSink{out: out, w: stdio.Err, prog: prog}
	}

	t, err := tracer.New(tracer.Config{
		Follow: f.follow > 0,
		Decode: decode.Options{StrLimit: limit, Verbose: f.verbose},
		Sink:   sink,
	})
	if err != nil {
		return err
	}
	defer t.Close()

	// Signals meant for the program must not kill sonde first. With -o FILE
	// strace blocks them (its default -I3) and the program alone decides;
	// without it (-I2) strace passes the signal on to the program. When
	// sonde attached to processes, they make it let go of every task and
	// die of the signal, as strace does.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGPIPE)
	defer signal.Stop(sigs)

	attached := 0
	for _, pid := range pids {
		if _, err := t.Attach(pid); err != nil {
			fmt.Fprintf(stdio.Err, "%s: %v\n", prog, err)
			continue
		}
		attached++
	}
	var launched int
	if path != "" {
		name := "sonde"
		if prog == "strace" {
			name = "strace"
		}
		launched, err = t.Launch(&tracer.Command{Path: path, Argv: f.args, Prog: name, Stdin: stdio.In, Stdout: stdio.Out, Stderr: stdio.Err})
		if err != nil {
			return err
		}
	}
	if attached == 0 && launched == 0 {
		return &ExitError{Code: 1}
	}

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var caught atomic.Int32 // the signal that ended an attached trace
	forward := f.outFile == ""
	stopFwd := make(chan struct{})
	defer close(stopFwd)
	go func() {
		for {
			select {
			case s := <-sigs:
				sig := s.(syscall.Signal)
				switch {
				case attached > 0 && sig != syscall.SIGPIPE:
					caught.CompareAndSwap(0, int32(sig))
					cancel()
				case forward && launched != 0 && sig != syscall.SIGPIPE:
					syscall.Kill(launched, sig)
				}
			case <-stopFwd:
				return
			}
		}
	}()

	st, err := t.Run(runCtx)
	if ferr := out.Flush(); ferr != nil && err == nil {
		err = fmt.Errorf("write trace: %w", ferr)
	}
	if sig := caught.Load(); sig != 0 {
		return &SignalExit{Signal: syscall.Signal(sig)}
	}
	if err != nil {
		return err
	}
	if launched == 0 {
		return nil
	}
	if !st.Exited {
		return &SignalExit{Signal: st.Signal}
	}
	if st.Code != 0 {
		return &ExitError{Code: st.Code}
	}
	return nil
}

// flushSink is a sink whose output can be flushed.
type flushSink interface {
	tracer.Sink
	Flush() error
}

// traceOutput opens where the trace goes: stderr, -o FILE, or with -ff -o
// one FILE.PID per task.
func traceOutput(f *traceFlags, stdio Stdio, prog string, quiet bool) (flushSink, func(), error) {
	topt := output.TextOptions{Prefix: output.PrefixBracketed, Quote: output.QuoteStyle(min(f.hex, 2))}
	if f.outFile == "" {
		if !quiet {
			topt.Notices = prog
		}
		return output.NewText(stdio.Err, topt), func() {}, nil
	}
	if f.follow >= 2 {
		p := output.NewPerTask(f.outFile, topt)
		return p, func() { p.Close() }, nil
	}
	file, err := os.OpenFile(f.outFile, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_CLOEXEC, 0o666)
	if err != nil {
		return nil, nil, &ExitError{Code: 1, Msg: fmt.Sprintf("Can't fopen '%s': %s", f.outFile, errnoText(err))}
	}
	topt.Prefix = output.PrefixMulti
	if f.follow > 0 {
		topt.Prefix = output.PrefixAlways
	}
	return output.NewText(file, topt), func() { file.Close() }, nil
}

// noticeSink passes events to a trace file and prints strace's notices on
// stderr: "Process 123 attached", "Process 123 detached".
type noticeSink struct {
	out  flushSink
	w    io.Writer
	prog string
}

func (n *noticeSink) Event(ev *tracer.Event) {
	n.out.Event(ev)
	switch ev.Kind {
	case tracer.Attached:
		n.w.Write(output.AppendNotice(nil, n.prog, ev.Pid, "attached", ev.Threads))
	case tracer.Detached:
		n.w.Write(output.AppendNotice(nil, n.prog, ev.Pid, "detached", 0))
	}
}

func (n *noticeSink) Flush() error { return n.out.Flush() }

// parsePids reads -p values: each a pid or a list of pids separated by
// commas or spaces.
func parsePids(vals []string) ([]int, error) {
	var pids []int
	for _, v := range vals {
		for _, s := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
			pid, err := strconv.Atoi(s)
			if err != nil || pid <= 0 {
				return nil, &ExitError{Code: 1, Msg: fmt.Sprintf("Invalid process id: '%s'", s)}
			}
			if pid == os.Getpid() {
				return nil, &ExitError{Code: 1, Msg: "I'm sorry, I can't let you do that, Dave."}
			}
			pids = append(pids, pid)
		}
	}
	return pids, nil
}

// lookPath finds the program as strace does: a name with a slash is used
// as is; otherwise the first regular, executable file of that name in PATH.
func lookPath(name string) (string, error) {
	path := name
	if !strings.Contains(name, "/") {
		path = ""
		for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
			if dir == "" {
				dir = "."
			}
			p := dir + "/" + name
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
				path = p
				break
			}
		}
	}
	if _, err := os.Stat(path); err != nil {
		if path == "" {
			return "", syscall.ENOENT
		}
		return "", err
	}
	return path, nil
}

// errnoText returns the C library's text for the errno in err.
func errnoText(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		if s != "" {
			s = strings.ToUpper(s[:1]) + s[1:]
		}
		return s
	}
	return err.Error()
}
