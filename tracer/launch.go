package tracer

import (
	enchex "encoding/hex"
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
	filt, err := t.prefilter()
	if err != nil {
		readyW.Close()
		relR.Close()
		return 0, fmt.Errorf("launch %s: %w", cmd.Path, err)
	}
	var sysattr *syscall.SysProcAttr
	if cmd.Credential != nil {
		sysattr = &syscall.SysProcAttr{Credential: cmd.Credential}
	}
	attr := &syscall.ProcAttr{Env: env, Files: files, Sys: sysattr}
	// The native stub where the host has one (a few KiB of machine code,
	// started in microseconds), else this very binary as the stub: started
	// through its own path (not /proc/self/exe), its comm is the tracer's
	// name, as strace's child's is; the native stub sets its comm so too.
	var pid int
	if st, nerr := sys.NewNativeStub(prog, filt); nerr == nil {
		pid, _, err = syscall.StartProcess(st.Path(), sys.NativeStubArgv(cmd.Path, cmd.Argv), attr)
		st.Close()
	} else {
		hexFilt := "-"
		if filt != nil {
			hexFilt = enchex.EncodeToString(filt)
		}
		argv := append([]string{sys.StubArg0, prog, cmd.Path, hexFilt}, cmd.Argv...)
		self, serr := os.Executable()
		if serr != nil {
			self = "/proc/self/exe"
		}
		pid, _, err = syscall.StartProcess(self, argv, attr)
		if err != nil && self != "/proc/self/exe" {
			// Replaced or removed since it started: /proc/self/exe still is us.
			pid, _, err = syscall.StartProcess("/proc/self/exe", argv, attr)
		}
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
	t.thread.Do(func() { serr = t.seizeStub(pid, filt != nil) })
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
	t.prefiltered = t.prefiltered || filt != nil
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

// prefilter returns the seccomp prefilter the launch stub installs (struct
// sock_filter array), or nil when none applies.
func (t *Tracer) prefilter() ([]byte, error) {
	f := t.cfg.Filter
	if t.cfg.NoPrefilter || f.Trace.IsAll() || t.cfg.DetachOnExec || t.cfg.SyscallLimit > 0 || !seccompFilterAvailable() {
		// -b execve and --syscall-limit let tasks go, and a filtered task
		// let go gets ENOSYS for every traced syscall.
		return nil, nil
	}
	prog, err := prefilterProgram(f.Trace)
	if err != nil {
		return nil, err
	}
	return encodePrefilter(prog), nil
}

// seccompFilterAvailable reports whether the kernel has seccomp filters
// (prctl(PR_GET_SECCOMP) fails with EINVAL when it has no seccomp).
func seccompFilterAvailable() bool {
	_, err := unix.PrctlRetInt(unix.PR_GET_SECCOMP, 0, 0, 0, 0)
	return err == nil
}

// seizeStub attaches the stub and leaves it resumed under PTRACE_SYSCALL,
// blocked reading its release pipe. Runs on the ptrace thread. A filtered
// stub gets seccomp stops from the start: the filter it installs answers
// SECCOMP_RET_TRACE, with ENOSYS when the tracer does not listen.
func (t *Tracer) seizeStub(pid int, filtered bool) error {
	opts := seizeOpts
	if filtered {
		opts |= ptrace.OptTraceSeccomp
	}
	if err := ptrace.Seize(pid, opts); err != nil {
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
	t.tasks[pid] = &task{pid: pid, hidden: true, filtered: filtered}
	return ptrace.Syscall(pid, 0)
}
