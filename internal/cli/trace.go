package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/filter"
	"github.com/sonde-dev/sonde/output"
	"github.com/sonde-dev/sonde/tracer"
)

// samePidNS reports whether process pid is in sonde's PID namespace
// (true when that cannot be told).
func samePidNS(pid int) bool {
	theirs, err1 := os.Stat("/proc/" + strconv.Itoa(pid) + "/ns/pid")
	ours, err2 := os.Stat("/proc/self/ns/pid")
	if err1 != nil || err2 != nil {
		return true
	}
	return os.SameFile(theirs, ours)
}

func runTrace(ctx context.Context, prog string, args []string, stdio Stdio) error {
	c, err := parseTraceFlags(prog, args, stdio.Err)
	if err != nil {
		return err
	}
	if c.version {
		fmt.Fprintf(stdio.Out, "%s -- version %s (output compatible with strace 6.1)\n", prog, Version)
		return nil
	}
	pids, err := parsePids(c.pids)
	if err != nil {
		return err
	}
	if len(c.args) == 0 && len(pids) == 0 {
		return &ExitError{Code: 1, Msg: "must have PROG [ARGS] or -p PID\nTry '" + prog + " -h' for more information."}
	}
	if err := c.unsupported(); err != nil {
		return err
	}
	var path string
	if len(c.args) > 0 {
		if path, err = lookPath(c.args[0]); err != nil {
			return &ExitError{Code: 1, Msg: fmt.Sprintf("Can't stat '%s': %s", c.args[0], errnoText(err))}
		}
	}
	cmd := &tracer.Command{Path: path, Argv: c.args, Prog: "sonde", Stdin: stdio.In, Stdout: stdio.Out, Stderr: stdio.Err}
	if prog == "strace" {
		cmd.Prog = "strace"
	}
	if len(c.env) > 0 {
		cmd.Env = applyEnv(os.Environ(), c.env)
	}
	if c.user != "" {
		cred, err := lookupUser(c.user)
		if err != nil {
			return &ExitError{Code: 1, Msg: err.Error()}
		}
		cmd.Credential = cred
	}

	// strace's notices ("Process N attached") go to stderr, into the trace
	// when that is stderr too; -q hides them, and so does -o FILE with a
	// command to launch.
	if !c.quietSet && c.outFile != "" && len(c.args) > 0 {
		c.filter.Quiet = mustNumbers(filter.ParseQuiet("attach,personality"))
	}
	c.text.Quiet = c.filter.Quiet
	quietAttach := c.filter.Quiet != nil && c.filter.Quiet.Has(filter.QuietAttach)

	out, err := openTraceOutput(c, stdio, prog, quietAttach)
	if err != nil {
		return err
	}
	defer out.close()

	t, err := tracer.New(tracer.Config{
		Follow:       c.follow > 0,
		Decode:       decode.Options{StrLimit: c.strLimit},
		Filter:       c.filter,
		Paths:        c.paths,
		DetachOnExec: c.detachOn != "",
		SyscallLimit: c.limit,
		KillOnExit:   c.killOnExit,
		WantComm:     out.wantComm,
		NoPrefilter:  c.noSeccomp,
		NoPlacement:  c.noPlacement,
		SysTime:      c.summaryMode != 0,
		StackTrace:   c.stackTrace,
		Sink:         out.sink,
	})
	if err != nil {
		return err
	}
	defer t.Close()

	// Signals meant for the program must not kill sonde first (strace's
	// -I): with -o FILE strace blocks them (-I3) and the program alone
	// decides; without it (-I2) strace passes the signal on to the program.
	// When sonde attached to processes, they make it let go of every task
	// and die of the signal, as strace does.
	level := c.interruptLvl
	if level == 0 {
		level = 2
		if c.outFile != "" && len(c.args) > 0 {
			level = 3
		}
	}
	sigs := make(chan os.Signal, 4)
	if level >= 2 {
		signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGPIPE)
		if level == 4 {
			signal.Ignore(syscall.SIGTSTP)
		}
		defer signal.Stop(sigs)
	}

	attached := 0
	warnedNS := false
	for _, pid := range pids {
		if _, err := t.Attach(pid); err != nil {
			fmt.Fprintf(stdio.Err, "%s: %v\n", prog, err)
			continue
		}
		attached++
		if !warnedNS && c.filter.DecodePids != nil && c.filter.DecodePids.Has(filter.DecodePidNS) && !samePidNS(pid) {
			// strace adds "/* N in strace's PID NS */" after such pids;
			// sonde does not translate them yet, and says so.
			fmt.Fprintf(stdio.Err, "%s: decode-pids=pidns: process %d is in another PID namespace; its pids are printed as it sees them, not translated\n", prog, pid)
			warnedNS = true
		}
	}
	var launched int
	if path != "" {
		if launched, err = t.Launch(cmd); err != nil {
			return err
		}
	}
	if attached == 0 && launched == 0 {
		return &ExitError{Code: 1}
	}

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var caught atomic.Int32 // the signal that ended an attached trace
	stopFwd := make(chan struct{})
	defer close(stopFwd)
	go func() {
		for {
			select {
			case s := <-sigs:
				sig := s.(syscall.Signal)
				switch {
				case sig == syscall.SIGPIPE:
				case attached > 0:
					caught.CompareAndSwap(0, int32(sig))
					cancel()
				case level == 2 && launched != 0:
					syscall.Kill(launched, sig)
				}
			case <-stopFwd:
				return
			}
		}
	}()

	st, err := t.Run(runCtx)
	if ferr := out.finish(); ferr != nil && err == nil {
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

// unsupported refuses the options sonde does not implement yet, rather than
// ignoring them.
func (c *traceConfig) unsupported() error {
	switch {
	case c.daemonize > 0:
		return &ExitError{Code: 1, Msg: "-D/--daemonize is not supported yet"}
	case c.argNames:
		return &ExitError{Code: 1, Msg: "-N/--arg-names is not supported yet"}
	}
	return nil
}

// traceOutput is where events go: the trace text, the -c summary, or both.
type traceOutput struct {
	sink    tracer.Sink
	flushes []interface{ Flush() error }
	summary *output.Summary
	sumW    io.Writer
	closers []func() error

	// wantComm: --json or --perfetto want the tasks' comm on events.
	wantComm bool
}

func (o *traceOutput) finish() error {
	var first error
	for _, f := range o.flushes {
		if err := f.Flush(); err != nil && first == nil {
			first = err
		}
	}
	if o.summary != nil {
		if err := o.summary.Write(o.sumW); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (o *traceOutput) close() {
	for i := len(o.closers) - 1; i >= 0; i-- {
		o.closers[i]()
	}
}

// multiSink passes every event to each sink in turn.
type multiSink []tracer.Sink

func (m multiSink) Event(ev *tracer.Event) {
	for _, s := range m {
		s.Event(ev)
	}
}

func (m multiSink) Flush() error {
	var first error
	for _, s := range m {
		if f, ok := s.(tracer.Flusher); ok {
			if err := f.Flush(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

// openTraceOutput opens where the trace goes: stderr, -o FILE (appended
// with -A), -o |CMD, or with -ff -o one FILE.PID per task; plus the -c
// summary, written where the trace would go.
func openTraceOutput(c *traceConfig, stdio Stdio, prog string, quietAttach bool) (*traceOutput, error) {
	o := &traceOutput{}
	if c.jsonOut && c.summaryMode != 0 {
		return nil, &ExitError{Code: 1, Msg: "--json and -c/-C are mutually exclusive"}
	}
	topt := c.text
	topt.Prefix = output.PrefixBracketed
	var w io.Writer = stdio.Err
	toFile := c.outFile != ""
	switch c.color {
	case "always":
		topt.Color = true
	case "auto":
		topt.Color = !toFile && isTerminal(stdio.Err)
	}
	switch {
	case !toFile:
		if !quietAttach {
			topt.Notices = prog
		}
		topt.Unbuffered = true // stderr, as strace's
	case strings.HasPrefix(c.outFile, "|") || strings.HasPrefix(c.outFile, "!"):
		pw, wait, err := pipeTo(c.outFile[1:], stdio)
		if err != nil {
			return nil, &ExitError{Code: 1, Msg: fmt.Sprintf("Can't popen '%s': %s", c.outFile[1:], errnoText(err))}
		}
		w = pw
		o.closers = append(o.closers, wait)
	case c.follow >= 2 || c.separately:
		if c.summaryMode == 1 {
			break
		}
		topt.Prefix = output.PrefixNever
		var p interface {
			tracer.Sink
			Flush() error
			Close() error
		} = output.NewPerTask(c.outFile, topt)
		if c.jsonOut {
			p = output.NewPerTaskJSON(c.outFile, jsonOptions(c))
		}
		o.flushes = append(o.flushes, p)
		o.closers = append(o.closers, p.Close)
		o.sink = p
	default:
		flags := os.O_WRONLY | os.O_CREATE | syscall.O_CLOEXEC
		if c.appendOut {
			flags |= os.O_APPEND
		} else {
			flags |= os.O_TRUNC
		}
		file, err := os.OpenFile(c.outFile, flags, 0o666)
		if err != nil {
			return nil, &ExitError{Code: 1, Msg: fmt.Sprintf("Can't fopen '%s': %s", c.outFile, errnoText(err))}
		}
		w = file
		o.closers = append(o.closers, file.Close)
	}
	if toFile && o.sink == nil {
		topt.Prefix = output.PrefixMulti
		if c.follow > 0 {
			topt.Prefix = output.PrefixAlways
		}
	}
	if c.alwaysPid && topt.Prefix != output.PrefixNever {
		topt.Prefix = output.PrefixAlways
	}
	var sinks multiSink
	if c.summaryMode != 1 {
		if o.sink == nil {
			if c.jsonOut {
				j := output.NewJSON(w, jsonOptions(c))
				o.flushes = append(o.flushes, j)
				sinks = append(sinks, j)
			} else {
				text := output.NewText(w, topt)
				o.flushes = append(o.flushes, text)
				sinks = append(sinks, text)
			}
		} else {
			sinks = append(sinks, o.sink)
		}
	}
	if c.summaryMode != 0 {
		o.summary = output.NewSummary(output.SummaryOptions{WallClock: c.wallClock, Overhead: c.overhead, SortBy: c.sortBy, Columns: c.columns})
		o.sumW = w
		sinks = append(sinks, o.summary)
	}
	if toFile && !quietAttach {
		sinks = append(sinks, &noticeSink{w: stdio.Err, prog: prog})
	}
	sinks, err := structuredSinks(c, o, sinks)
	if err != nil {
		return nil, err
	}
	o.sink = sinks
	if len(sinks) == 1 {
		o.sink = sinks[0]
	}
	return o, nil
}

// isTerminal reports whether f is a terminal.
func isTerminal(f *os.File) bool {
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}

// noticeSink prints strace's notices on stderr when the trace goes to a
// file: "Process 123 attached", "Process 123 detached".
type noticeSink struct {
	w    io.Writer
	prog string
}

func (n *noticeSink) Event(ev *tracer.Event) {
	switch ev.Kind {
	case tracer.Attached:
		n.w.Write(output.AppendNotice(nil, n.prog, ev.Pid, "attached", ev.Threads))
	case tracer.Detached:
		n.w.Write(output.AppendNotice(nil, n.prog, ev.Pid, "detached", 0))
	}
}

// pipeTo starts `sh -c cmd` reading the trace from a pipe (-o |cmd). The
// returned function closes the pipe and waits for the command.
func pipeTo(cmd string, stdio Stdio) (io.Writer, func() error, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	p := exec.Command("/bin/sh", "-c", cmd)
	p.Stdin, p.Stdout, p.Stderr = r, stdio.Out, stdio.Err
	if err := p.Start(); err != nil {
		r.Close()
		w.Close()
		return nil, nil, err
	}
	r.Close()
	return w, func() error {
		w.Close()
		return p.Wait()
	}, nil
}

// applyEnv applies -E VAR=VAL (set) and -E VAR (unset) to env.
func applyEnv(env, changes []string) []string {
	out := append([]string{}, env...)
	for _, ch := range changes {
		name, _, set := strings.Cut(ch, "=")
		kept := out[:0]
		for _, e := range out {
			if n, _, _ := strings.Cut(e, "="); n != name {
				kept = append(kept, e)
			}
		}
		out = kept
		if set {
			out = append(out, ch)
		}
	}
	return out
}

// lookupUser finds the credentials of -u USERNAME.
func lookupUser(name string) (*syscall.Credential, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("Cannot find user '%s'", name)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	cred := &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	if groups, err := u.GroupIds(); err == nil {
		for _, g := range groups {
			if n, err := strconv.ParseUint(g, 10, 32); err == nil {
				cred.Groups = append(cred.Groups, uint32(n))
			}
		}
	}
	return cred, nil
}

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

// jsonOptions are the --json renderer's options: #6's renderer-side filters.
// Only an explicit -e quiet= (or -q) leaves records out: the quiet strace
// implies for -o FILE is about its notices, not data.
func jsonOptions(c *traceConfig) output.JSONOptions {
	opt := output.JSONOptions{Status: c.filter.Status, Errnos: c.filter.Errnos, Verbose: c.filter.Verbose, IP: c.ip}
	if c.quietSet {
		opt.Quiet = c.filter.Quiet
	}
	return opt
}

// structuredSinks adds the --perfetto FILE timeline to sinks. With --json or
// --perfetto events carry the tasks' comm; the text renderers, which show
// it only under -Y, then see it hidden.
func structuredSinks(c *traceConfig, o *traceOutput, sinks multiSink) (multiSink, error) {
	o.wantComm = c.jsonOut || c.perfetto != ""
	if o.wantComm && (c.filter.DecodePids == nil || !c.filter.DecodePids.Has(filter.DecodePidComm)) {
		for i, s := range sinks {
			switch s.(type) {
			case *output.Text, *output.PerTask:
				sinks[i] = commless{s}
			}
		}
	}
	if c.perfetto == "" {
		return sinks, nil
	}
	f, err := os.OpenFile(c.perfetto, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_CLOEXEC, 0o666)
	if err != nil {
		return nil, &ExitError{Code: 1, Msg: fmt.Sprintf("Can't fopen '%s': %s", c.perfetto, errnoText(err))}
	}
	topt := c.text
	topt.Color = false
	p := output.NewPerfetto(f, output.PerfettoOptions{Text: topt, Status: c.filter.Status, Errnos: c.filter.Errnos, Quiet: jsonOptions(c).Quiet})
	// Closers run last first: the array is closed, then the file.
	o.closers = append(o.closers, f.Close, p.Close)
	o.flushes = append(o.flushes, p)
	return append(sinks, p), nil
}

// commless hides Event.Comm from a text renderer, which prints it only
// under -Y, while --json or --perfetto asked the tracer for it.
type commless struct{ tracer.Sink }

func (s commless) Event(ev *tracer.Event) {
	comm := ev.Comm
	ev.Comm = nil
	s.Sink.Event(ev)
	ev.Comm = comm
}

func (s commless) Flush() error {
	if f, ok := s.Sink.(tracer.Flusher); ok {
		return f.Flush()
	}
	return nil
}
