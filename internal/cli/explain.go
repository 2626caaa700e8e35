package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sonde-dev/sonde/access"
)

// runExplain is `sonde explain [--json] PID`: could sonde attach to PID,
// and if not, which of the kernel's checks refuses it. Every check is
// printed, in the kernel's order, with its evidence. The exit status is 0
// when the attach would succeed (or cannot be decided), 1 when it would be
// refused.
func runExplain(ctx context.Context, prog string, args []string, stdio Stdio) error {
	fs := defendFlags(prog)
	jsonOut := fs.Bool("json", false, "print the result as one JSON object")
	if err := parseDefend(prog, "[--json] PID", fs, args, stdio); err != nil {
		return err
	}
	switch {
	case fs.NArg() == 0:
		return usageError(prog, "must have PID")
	case fs.NArg() > 1:
		return usageError(prog, "unexpected argument '"+fs.Arg(1)+"'")
	}
	pid, err := strconv.Atoi(fs.Arg(0))
	if err != nil || pid <= 0 {
		return usageError(prog, "invalid PID '"+fs.Arg(0)+"'")
	}
	r, err := access.Evaluate(pid, access.Options{})
	if err != nil {
		if errors.Is(err, access.ErrNoProcess) {
			return &ExitError{Code: 1, Msg: fmt.Sprintf("%d: No such process", pid)}
		}
		return err
	}
	if *jsonOut {
		err = writeJSON(stdio.Out, r)
	} else {
		err = writeExplain(stdio.Out, r)
	}
	if err != nil {
		return fmt.Errorf("write: %w", err)
	}
	if r.Outcome == access.Refused {
		return &ExitError{Code: 1}
	}
	return nil
}

func writeExplain(w io.Writer, r *access.Result) error {
	var b strings.Builder
	target := fmt.Sprintf("%d (%s)", r.Pid, r.Target.Comm)
	switch r.Outcome {
	case access.Allowed:
		fmt.Fprintf(&b, "sonde can attach to %s\n", target)
	case access.Refused:
		fmt.Fprintf(&b, "sonde cannot attach to %s: %s\n", target, r.Cause)
		fmt.Fprintf(&b, "refused by: %s\n", r.RefusedBy)
	default:
		fmt.Fprintf(&b, "sonde may be able to attach to %s: some checks cannot be decided from /proc\n", target)
	}
	fmt.Fprintf(&b, "caller: %s\n", partyLine(r.Caller))
	fmt.Fprintf(&b, "target: %s\n", partyLine(r.Target))
	b.WriteString("\nchecks, in the kernel's order:\n")
	refusing := true
	for _, s := range r.Steps {
		verdict := string(s.Verdict)
		if s.Verdict == access.Fail && refusing {
			verdict, refusing = "FAIL", false
		}
		name := string(s.Check)
		if s.Module != "" && s.Check == access.CheckLSM {
			name += ":" + s.Module
		}
		fmt.Fprintf(&b, "  %-8s %-18s %s\n", verdict, name, s.Reason)
		for _, e := range s.Evidence {
			fmt.Fprintf(&b, "  %-8s %-18s   %s\n", "", "", e)
		}
	}
	if k := r.Kernel; k != nil {
		res := "allowed"
		if !k.Allowed {
			res = "refused: " + k.Errno
		}
		fmt.Fprintf(&b, "\nkernel check: open(%s) %s (the same credential, dumpability and LSM checks, without attaching)\n", k.Path, res)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func partyLine(p access.Party) string {
	s := fmt.Sprintf("%s, pid %d", p.Comm, p.Pid)
	if p.Tid != 0 {
		s += fmt.Sprintf(" (thread %d)", p.Tid)
	}
	s += fmt.Sprintf(", uid %d/%d/%d, gid %d/%d/%d", p.Uid[0], p.Uid[1], p.Uid[2], p.Gid[0], p.Gid[1], p.Gid[2])
	if p.Exe != "" {
		s += ", " + p.Exe
	}
	switch n := len(p.CapEff); {
	case n == 0:
		s += ", no capabilities"
	case n > 8:
		s += fmt.Sprintf(", %d capabilities", n)
	default:
		s += ", " + strings.Join(p.CapEff, ",")
	}
	return s
}
