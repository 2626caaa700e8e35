package deny

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/sonde-dev/sonde/internal/sys"
)

// landlockMakeBlock is LANDLOCK_ACCESS_FS_MAKE_BLOCK (ABI 1): the one
// file-system right the --proc-mem domain handles, granted again beneath
// "/", so that the domain restricts nothing on the file system. Landlock
// refuses a ruleset that handles nothing, and the domain is wanted for what
// every domain does: a process inside may ptrace, or open /proc/PID/mem of,
// only processes in the same or a nested domain. (The ABI 6 "scoped"
// rights restrict signals and abstract unix sockets, not ptrace, which every
// domain restricts since ABI 1.)
const landlockMakeBlock = 0x800

// ErrNoLandlock is returned when Options.ProcMem asks for a Landlock domain
// and the kernel has none to give.
var ErrNoLandlock = errors.New("the kernel offers no Landlock")

// Options say how to confine a command.
type Options struct {
	// ProcMem adds a Landlock domain around the command, closing
	// /proc/PID/mem of every process outside it, with the other /proc
	// files the kernel guards by a ptrace access check (syscall, stack, io,
	// the exe and fd/ links). The seccomp filter cannot: opening and writing
	// /proc/PID/mem are open(2) and write(2). Measured on Linux 6.18: a
	// command with CAP_PERFMON or CAP_SYS_ADMIN still reads maps, environ,
	// auxv and pagemap, which mm_access lets such a caller read without
	// the ptrace check.
	ProcMem bool
	// ABIs are the ABIs the filter covers; nil means HostABIs.
	ABIs []ABI
}

// Command is a program to run confined.
type Command struct {
	Path string   // the file to execute
	Argv []string // its argv, argv[0] included
	Env  []string // its environment; nil means sonde's
	// Stdin, Stdout and Stderr are passed as the program's fds 0-2; nil is
	// /dev/null.
	Stdin, Stdout, Stderr *os.File
	Prog                  string // names sonde in the stub's messages
}

// SetupError is a confinement or exec that failed in the stub, before the
// command ran: Msg is the stub's account ("landlock_restrict_self: ...",
// "exec /bin/x: Permission denied").
type SetupError struct {
	Path string
	Msg  string
}

// Error returns the stub's message.
func (e *SetupError) Error() string { return e.Msg }

// Process is a command running confined.
type Process struct {
	Pid int
	cmd *exec.Cmd
}

// Spec returns what the stub applies for opt: the assembled filter and the
// Landlock rights.
func Spec(opt Options) (sys.DenySpec, error) {
	abis := opt.ABIs
	if abis == nil {
		var err error
		if abis, err = HostABIs(); err != nil {
			return sys.DenySpec{}, err
		}
	}
	f, err := NewFilter(abis)
	if err != nil {
		return sys.DenySpec{}, err
	}
	raw, err := f.Raw()
	if err != nil {
		return sys.DenySpec{}, err
	}
	spec := sys.DenySpec{Filter: raw}
	if opt.ProcMem {
		if _, err := sys.LandlockABI(); err != nil {
			return sys.DenySpec{}, fmt.Errorf("%w: %w", ErrNoLandlock, err)
		}
		spec.LandlockFS = landlockMakeBlock
	}
	return spec, nil
}

// Start runs c confined as opt says: a re-exec of sonde's own binary (the
// deny stub in internal/sys) sets NO_NEW_PRIVS, enters the Landlock domain
// if asked, installs the filter on all its threads (TSYNC) and execs the
// command, which so starts with all of it in force and passes it to every
// process it starts. Start returns once the exec has happened; a failure
// before it is a *SetupError.
func Start(c Command, opt Options) (*Process, error) {
	spec, err := Spec(opt)
	if err != nil {
		return nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("deny: error pipe: %w", err)
	}
	defer r.Close()
	prog := c.Prog
	if prog == "" {
		prog = "sonde deny"
	}
	cmd := &exec.Cmd{
		// The running binary, even if its file has been replaced since.
		Path:       "/proc/self/exe",
		Args:       sys.DenyStubArgv(prog, spec, c.Path, c.Argv),
		Env:        c.Env,
		ExtraFiles: []*os.File{w}, // sys.DenyStubErrFD
	}
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	// Only non-nil files: a nil *os.File in an io.Reader field is not nil.
	if c.Stdin != nil {
		cmd.Stdin = c.Stdin
	}
	if c.Stdout != nil {
		cmd.Stdout = c.Stdout
	}
	if c.Stderr != nil {
		cmd.Stderr = c.Stderr
	}
	err = cmd.Start()
	w.Close()
	if err != nil {
		return nil, fmt.Errorf("deny: start %s: %w", cmd.Path, err)
	}
	msg, rerr := io.ReadAll(r) // EOF at the exec (close-on-exec) or the stub's exit
	if len(msg) > 0 || rerr != nil {
		cmd.Wait()
		text := strings.TrimSpace(string(msg))
		if rerr != nil {
			text = fmt.Sprintf("read the stub's error pipe: %v", rerr)
		}
		return nil, &SetupError{Path: c.Path, Msg: text}
	}
	return &Process{Pid: cmd.Process.Pid, cmd: cmd}, nil
}

// Wait waits for the command to end and returns how it ended.
func (p *Process) Wait() (*os.ProcessState, error) {
	err := p.cmd.Wait()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return nil, fmt.Errorf("deny: wait for %d: %w", p.Pid, err)
	}
	return p.cmd.ProcessState, nil
}

// Signal sends sig to the command.
func (p *Process) Signal(sig os.Signal) error { return p.cmd.Process.Signal(sig) }
