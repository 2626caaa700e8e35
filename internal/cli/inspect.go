package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sonde-dev/sonde/inspect"
)

// runInspect is `sonde inspect [--json] [--regs] PID...`: what every
// thread of each process is doing right now, then its descriptors; each
// thread is seized and interrupted only for the moment it takes.
func runInspect(ctx context.Context, prog string, args []string, stdio Stdio) error {
	fs := defendFlags(prog)
	jsonOut := fs.Bool("json", false, "print one JSON object with a processes array")
	withRegs := fs.Bool("regs", false, "show each thread's general registers")
	withStack := fs.BoolP("stack", "k", false, "show each thread's user-space stack, as strace -k prints it")
	if err := parseDefend(prog, "[--json] [--regs] [-k|--stack] PID...", fs, args, stdio); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError(prog, "must have PID")
	}
	var pids []int
	for _, a := range fs.Args() {
		pid, err := strconv.Atoi(a)
		if err != nil || pid <= 0 {
			return usageError(prog, "invalid PID '"+a+"'")
		}
		pids = append(pids, pid)
	}
	var procs []*inspect.Process
	for _, pid := range pids {
		p, err := inspect.Inspect(pid, inspect.Options{Regs: *withRegs, Stack: *withStack})
		switch {
		case errors.Is(err, inspect.ErrNoProcess):
			return &ExitError{Code: 1, Msg: fmt.Sprintf("%d: No such process", pid)}
		case err != nil:
			return &ExitError{Code: 1, Msg: err.Error()}
		}
		procs = append(procs, p)
	}
	var err error
	if *jsonOut {
		err = writeJSON(stdio.Out, struct {
			Processes []*inspect.Process `json:"processes"`
		}{procs})
	} else {
		err = writeInspect(stdio.Out, procs)
	}
	if err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

func writeInspect(w io.Writer, procs []*inspect.Process) error {
	var b strings.Builder
	for i, p := range procs {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "process %d (%s), %d thread(s)\n", p.Pid, p.Comm, len(p.Threads))
		for _, t := range p.Threads {
			fmt.Fprintf(&b, "  thread %d (%s)  %s", t.Tid, t.Comm, t.State)
			if t.Wchan != "" {
				fmt.Fprintf(&b, "  wchan %s", t.Wchan)
			}
			b.WriteByte('\n')
			switch {
			case t.Syscall != "":
				fmt.Fprintf(&b, "    %s\n", t.Syscall)
			default:
				b.WriteString("    (in no syscall)\n")
			}
			for _, f := range t.Stack {
				fmt.Fprintf(&b, "     > %s\n", f)
			}
			for j, r := range t.Regs {
				if j%4 == 0 {
					b.WriteString("    ")
				}
				fmt.Fprintf(&b, "%-9s 0x%016x  ", r.Name, r.Value)
				if j%4 == 3 || j == len(t.Regs)-1 {
					b.WriteString("\n")
				}
			}
		}
		b.WriteString("  descriptors:\n")
		for _, fd := range p.FDs {
			fmt.Fprintf(&b, "    %d -> %s\n", fd.FD, fd.Target)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
