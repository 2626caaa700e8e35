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
	if len(f.args) == 0 {
		return &ExitError{Code: 1, Msg: "must have PROG [ARGS] or -p PID\nTry '" + prog + " -h' for more information."}
	}
	path, err := lookPath(f.args[0])
	if err != nil {
		return &ExitError{Code: 1, Msg: fmt.Sprintf("Can't stat '%s': %s", f.args[0], errnoText(err))}
	}

	out := io.Writer(stdio.Err)
	topt := output.TextOptions{Prefix: output.PrefixBracketed, Quote: output.QuoteStyle(min(f.hex, 2))}
	if f.outFile != "" {
		file, err := os.OpenFile(f.outFile, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_CLOEXEC, 0o666)
		if err != nil {
			return &ExitError{Code: 1, Msg: fmt.Sprintf("Can't fopen '%s': %s", f.outFile, errnoText(err))}
		}
		defer file.Close()
		out = file
		topt.Prefix = output.PrefixMulti
		if f.follow > 0 {
			topt.Prefix = output.PrefixAlways
		}
	}
	text := output.NewText(out, topt)

	t, err := tracer.New(tracer.Config{
		Follow: f.follow > 0,
		Decode: decode.Options{StrLimit: limit, Verbose: f.verbose},
		Sink:   text,
	})
	if err != nil {
		return err
	}
	defer t.Close()

	// Signals meant for the program must not kill sonde first. With -o FILE
	// strace blocks them (its default -I3) and the program alone decides;
	// without it (-I2) strace passes the signal on to the program.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGPIPE)
	defer signal.Stop(sigs)

	name := "sonde"
	if prog == "strace" {
		name = "strace"
	}
	pid, err := t.Launch(&tracer.Command{Path: path, Argv: f.args, Prog: name, Stdin: stdio.In, Stdout: stdio.Out, Stderr: stdio.Err})
	if err != nil {
		return err
	}
	forward := f.outFile == ""
	stopFwd := make(chan struct{})
	defer close(stopFwd)
	go func() {
		for {
			select {
			case s := <-sigs:
				if forward && s != syscall.SIGPIPE {
					syscall.Kill(pid, s.(syscall.Signal))
				}
			case <-stopFwd:
				return
			}
		}
	}()

	st, err := t.Run(ctx)
	if ferr := text.Flush(); ferr != nil && err == nil {
		err = fmt.Errorf("write trace: %w", ferr)
	}
	if err != nil {
		return err
	}
	if !st.Exited {
		return &SignalExit{Signal: st.Signal}
	}
	if st.Code != 0 {
		return &ExitError{Code: st.Code}
	}
	return nil
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
