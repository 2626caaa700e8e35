package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/sonde-dev/sonde/internal/sys"
)

// Stdio is a command's standard files.
type Stdio struct {
	In       *os.File
	Out, Err *os.File
}

// ExitError ends a command with a status and, optionally, a message for
// stderr (printed as "PROG: MESSAGE").
type ExitError struct {
	Code int
	Msg  string
}

func (e *ExitError) Error() string { return e.Msg }

// SignalExit ends sonde by the signal that killed the traced program, so
// that a shell sees the same status it would have seen without sonde.
type SignalExit struct {
	Signal syscall.Signal
}

func (e *SignalExit) Error() string { return "killed by " + unix.SignalName(e.Signal) }

// Version is sonde's version.
const Version = "0.1.0"

type command struct {
	name  string
	usage string
	run   func(ctx context.Context, prog string, args []string, stdio Stdio) error
}

var commands = []command{
	{"trace", "trace the syscalls and signals of a program (strace)", runTrace},
	{"audit", "report the host's ptrace posture: Yama, LSMs, Landlock, knobs, container, seccomp", runAudit},
	{"ps", "list every tracer -> tracee relationship on the host", runPs},
	{"explain", "say whether sonde could attach to PID, and which kernel check refuses it", runExplain},
	{"deny", "run a command with ptrace and process_vm_* denied (seccomp, optionally Landlock)", runDeny},
	{"watch", "watch every ptrace call on the host (eBPF, both ABIs) and alert on injection", runWatch},
	{"inspect", "show what every thread of PID is blocked in, its state and its descriptors", runInspect},
}

// Main runs sonde with argv and returns its exit status. Invoked through a
// link named strace, it runs "sonde trace".
func Main(ctx context.Context, argv []string, stdio Stdio) int {
	if len(argv) > 0 && filepath.Base(argv[0]) == "strace" {
		return finish("strace", runTrace(ctx, "strace", argv[1:], stdio), stdio)
	}
	if len(argv) < 2 || argv[1] == "-h" || argv[1] == "--help" || argv[1] == "help" {
		usage(stdio)
		if len(argv) < 2 {
			return 1
		}
		return 0
	}
	for _, c := range commands {
		if c.name == argv[1] {
			prog := "sonde " + c.name
			return finish(prog, c.run(ctx, prog, argv[2:], stdio), stdio)
		}
	}
	fmt.Fprintf(stdio.Err, "sonde: unknown command %q\n", argv[1])
	usage(stdio)
	return 1
}

func usage(stdio Stdio) {
	fmt.Fprintf(stdio.Err, "usage: sonde COMMAND [ARGS]\n\ncommands:\n")
	for _, c := range commands {
		fmt.Fprintf(stdio.Err, "  %-8s %s\n", c.name, c.usage)
	}
}

// finish turns a command's error into an exit status.
func finish(prog string, err error, stdio Stdio) int {
	if err == nil {
		return 0
	}
	var se *SignalExit
	if errors.As(err, &se) {
		reraise(se.Signal)
		return 128 + int(se.Signal)
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		if ee.Msg != "" {
			fmt.Fprintf(stdio.Err, "%s: %s\n", prog, ee.Msg)
		}
		return ee.Code
	}
	fmt.Fprintf(stdio.Err, "%s: %v\n", prog, err)
	return 1
}

func reraise(sig syscall.Signal) { sys.DieBySignal(sig) }
