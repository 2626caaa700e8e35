package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/sonde-dev/sonde/audit"
)

// runPs is `sonde ps [--json]`: every tracer -> tracee relationship on the
// host, per thread, with what makes either side notable.
func runPs(ctx context.Context, prog string, args []string, stdio Stdio) error {
	fs := defendFlags(prog)
	jsonOut := fs.Bool("json", false, "print one JSON object with a traces array")
	if err := parseDefend(prog, "[--json]", fs, args, stdio); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(prog, "unexpected argument '"+fs.Arg(0)+"'")
	}
	tr, err := audit.Traces(audit.HostSource())
	if err != nil {
		return err
	}
	if *jsonOut {
		return writeJSON(stdio.Out, tr)
	}
	tw := tabwriter.NewWriter(stdio.Out, 0, 0, 2, ' ', 0)
	if len(tr.Traces) == 0 {
		fmt.Fprintln(tw, "no process is being traced")
	} else {
		fmt.Fprintln(tw, "TRACER\tTID\tUID\tCOMM\tEXE\tMARKS\t\tTRACEE\tTID\tUID\tCOMM\tEXE\tMARKS")
		for _, t := range tr.Traces {
			fmt.Fprintf(tw, "%s\t->\t%s\n", psColumns(t.Tracer), psColumns(t.Tracee))
		}
	}
	for _, n := range tr.Notes {
		fmt.Fprintln(tw, "note: "+n)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// psColumns is one side of a relationship: pid, tid, uid (uid/euid when
// they differ), comm, exe, marks.
func psColumns(t audit.Task) string {
	uid := fmt.Sprint(t.Uid)
	if t.Euid != t.Uid {
		uid += "/" + fmt.Sprint(t.Euid)
	}
	exe := t.Exe
	if exe == "" {
		exe = "?"
	}
	marks := "-"
	if m := t.Marks(); len(m) > 0 {
		marks = strings.Join(m, ",")
	}
	return fmt.Sprintf("%d\t%d\t%s\t%s\t%s\t%s", t.Pid, t.Tid, uid, t.Comm, exe, marks)
}
