package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/sonde-dev/sonde/audit"
)

// defendFlags is the flag set of the defend commands (audit, ps, explain,
// deny): getopt-style errors, no interspersed operands (`sonde deny ls -l`
// keeps -l for ls).
func defendFlags(prog string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(prog, pflag.ContinueOnError)
	fs.SetInterspersed(false)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.SortFlags = false
	return fs
}

// parseDefend parses args into fs; -h prints synopsis and the flags on
// stdout and ends with status 0, a bad flag ends with status 1.
func parseDefend(prog, synopsis string, fs *pflag.FlagSet, args []string, stdio Stdio) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(stdio.Out, "usage: %s %s\n\n%s", prog, synopsis, fs.FlagUsages())
			return &ExitError{Code: 0}
		}
		return usageError(prog, flagErrorText(err))
	}
	return nil
}

func usageError(prog, msg string) error {
	return &ExitError{Code: 1, Msg: msg + "\nTry '" + prog + " -h' for more information."}
}

// runAudit is `sonde audit [--json] [--strict]`: the host's ptrace posture,
// one finding each with its severity, evidence and action.
func runAudit(ctx context.Context, prog string, args []string, stdio Stdio) error {
	fs := defendFlags(prog)
	jsonOut := fs.Bool("json", false, "print one JSON object with a findings array")
	strict := fs.Bool("strict", false, "exit with status 1 when any finding is high")
	if err := parseDefend(prog, "[--json] [--strict]", fs, args, stdio); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(prog, "unexpected argument '"+fs.Arg(0)+"'")
	}
	r := audit.Run(audit.HostSource())
	var err error
	if *jsonOut {
		err = writeJSON(stdio.Out, r)
	} else {
		err = writeAudit(stdio.Out, r)
	}
	if err != nil {
		return fmt.Errorf("write the report: %w", err)
	}
	if n := r.Count(audit.High); *strict && n > 0 {
		return &ExitError{Code: 1, Msg: fmt.Sprintf("%d high-severity finding%s (--strict)", n, plural(n))}
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// writeJSON writes v as indented JSON and a newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeAudit prints the report for a person: one block per finding,
// severity first, then a count per severity.
func writeAudit(w io.Writer, r *audit.Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "sonde audit: Linux %s\n", r.Kernel)
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "\n%-9s%s: %s\n", "["+f.Severity.String()+"]", f.ID, f.Title)
		for _, e := range f.Evidence {
			fmt.Fprintf(&b, "         evidence: %s\n", e)
		}
		if f.Action != "" {
			fmt.Fprintf(&b, "         action:   %s\n", f.Action)
		}
	}
	fmt.Fprintf(&b, "\nsummary: %d high, %d medium, %d low, %d info\n",
		r.Count(audit.High), r.Count(audit.Medium), r.Count(audit.Low), r.Count(audit.Info))
	_, err := io.WriteString(w, b.String())
	return err
}
