package tracer

import (
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/sonde-dev/sonde/internal/sys"
	"github.com/sonde-dev/sonde/ptrace"
)

// Launch starts cmd under the tracer, stopped before its execve: the first
// event Run reports is the execve entry. It returns the program's pid.
func (t *Tracer) Launch(cmd *Command) (int, error) {
	readyR, readyW, err := os.Pipe()
	if err != nil {
		return 0, fmt.Errorf("launch %s: %w", cmd.Path, err)
	}
	defer readyR.Close()
	relR, relW, err := os.Pipe()
	if err != nil {
		readyW.Close()
		return 0, fmt.Errorf("launch %s: %w", cmd.Path, err)
	}
	defer relW.Close()
	env := cmd.Env
	if env == nil {
		env = os.Environ()
	}
	files := []uintptr{fdOr(cmd.Stdin, 0), fdOr(cmd.Stdout, 1), fdOr(cmd.Stderr, 2), readyW.Fd(), relR.Fd()}
	prog := cmd.Prog
	if prog == "" {
		prog = "sonde"
	}
	argv := append([]string{sys.StubArg0, prog, cmd.Path}, cmd.Argv...)
	var sysattr *syscall.SysProcAttr
	if cmd.Credential != nil {
		sysattr = &syscall.SysProcAttr{Credential: cmd.Credential}
	}
	// The stub is this very binary; started through its own path (not
	// /proc/self/exe) its comm is the tracer's name, as strace's child's is.
	self, err := os.Executable()
	if err != nil {
		self = "/proc/self/exe"
	}
	attr := &syscall.ProcAttr{Env: env, Files: files, Sys: sysattr}
	pid, _, err := syscall.StartProcess(self, argv, attr)
	if err != nil && self != "/proc/self/exe" {
		// Replaced or removed since it started: /proc/self/exe still is us.
		pid, _, err = syscall.StartProcess("/proc/self/exe", argv, attr)
	}
	readyW.Close()
	relR.Close()
	if err != nil {
		return 0, fmt.Errorf("launch %s: start stub: %w", cmd.Path, err)
	}
	var b [1]byte
	if n, _ := readyR.Read(b[:]); n != 1 {
		t.reapQuietly(pid)
		return 0, fmt.Errorf("launch %s: stub %d did not start", cmd.Path, pid)
	}
	var serr error
	t.thread.Do(func() { serr = t.seizeStub(pid) })
	if serr != nil {
		syscall.Kill(pid, syscall.SIGKILL)
		t.reapQuietly(pid)
		return 0, fmt.Errorf("launch %s: %w", cmd.Path, serr)
	}
	// Release the stub: it execs, and the tracer sees the execve entry.
	if _, err := relW.Write(b[:]); err != nil {
		return 0, fmt.Errorf("launch %s: release stub: %w", cmd.Path, err)
	}
	t.leader = pid
	t.launched = true
	return pid, nil
}

func fdOr(f *os.File, def uintptr) uintptr {
	if f == nil {
		return def
	}
	return f.Fd()
}

func (t *Tracer) reapQuietly(pid int) {
	var ws ptrace.WaitStatus
	ptrace.Wait4(pid, &ws, unix.WALL)
}

// seizeStub attaches the stub and leaves it resumed under PTRACE_SYSCALL,
// blocked reading its release pipe. Runs on the ptrace thread.
func (t *Tracer) seizeStub(pid int) error {
	if err := ptrace.Seize(pid, seizeOpts); err != nil {
		return err
	}
	if err := ptrace.Interrupt(pid); err != nil {
		return err
	}
	for {
		var ws ptrace.WaitStatus
		if _, err := ptrace.Wait4(pid, &ws, unix.WALL); err != nil {
			return fmt.Errorf("wait for stub %d: %w", pid, err)
		}
		if ws.Exited() || ws.Signaled() {
			return fmt.Errorf("stub %d ended before exec", pid)
		}
		if ws.Stopped() && ws.TrapCause() == ptrace.EventStop {
			break
		}
		// A signal reached the stub first: deliver it and wait again.
		if err := ptrace.Cont(pid, int(ws.StopSignal())); err != nil {
			return err
		}
		if err := ptrace.Interrupt(pid); err != nil {
			return err
		}
	}
	t.tasks[pid] = &task{pid: pid, hidden: true}
	return ptrace.Syscall(pid, 0)
}
