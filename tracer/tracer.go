package tracer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/internal/sys"
	"github.com/sonde-dev/sonde/ptrace"
	"github.com/sonde-dev/sonde/sysent"
)

// Config says what to trace and how.
type Config struct {
	// Follow traces the children and threads of traced tasks (-f).
	Follow bool
	// Decode are the decoding options (-s, -v); start from
	// decode.DefaultOptions. A StrLimit of 0 prints every string as ""...
	// (strace's -s 0).
	Decode decode.Options
	// Sink receives the events. Required.
	Sink Sink
}

// Command is a program to launch under the tracer.
type Command struct {
	Path string   // resolved path of the program, as execve receives it
	Argv []string // argv, argv[0] included
	Env  []string // the environment; nil means the tracer's own
	// Prog names the tracer in the message printed when Path cannot be
	// executed ("strace: exec: Permission denied"); "" means "sonde".
	Prog string
	// Stdin, Stdout, Stderr are the program's standard descriptors; nil
	// means the tracer's own.
	Stdin, Stdout, Stderr *os.File
}

// Status is how the launched program ended.
type Status struct {
	Exited   bool
	Code     int         // exit code when Exited
	Signal   unix.Signal // the fatal signal when !Exited
	CoreDump bool
}

// Tracer traces tasks. All ptrace requests happen on one locked OS thread
// that the Tracer owns; its methods may be called from any goroutine.
type Tracer struct {
	cfg    Config
	thread *ptrace.Thread
	tasks  map[int]*task
	leader int // pid of the launched program
	status Status
	done   bool
	mem    mem
	ctx    decode.Ctx
	ev     Event
}

type task struct {
	pid       int
	call      decode.Call
	inSyscall bool
	// hidden: the task is the launch stub before its execve; nothing it
	// does is reported (strace hides its own pre-exec stops the same way).
	hidden bool
	// quiet: the launched program could not be executed; the stub's
	// remaining syscalls are hidden, its exit is not.
	quiet bool
	// exec: the task's execve entry has been seen but not its exit.
	exec bool
}

// ErrNoCommand is returned by Run when nothing was launched.
var ErrNoCommand = errors.New("no command launched")

// New returns a Tracer with its ptrace thread started. Close releases it.
func New(cfg Config) (*Tracer, error) {
	if cfg.Sink == nil {
		return nil, errors.New("tracer: config has no sink")
	}
	if cfg.Decode.StrLimit < 0 {
		return nil, fmt.Errorf("tracer: negative string limit %d", cfg.Decode.StrLimit)
	}
	t := &Tracer{cfg: cfg, thread: ptrace.NewThread(), tasks: map[int]*task{}}
	t.ctx = decode.Ctx{Mem: &t.mem, Opt: &t.cfg.Decode}
	return t, nil
}

// Close stops the tracer's thread.
func (t *Tracer) Close() { t.thread.Close() }

// seizeOpts are the options of a launched program until its execve.
const seizeOpts = ptrace.OptTraceSysGood | ptrace.OptTraceExec | ptrace.OptExitKill

func (t *Tracer) traceOpts() ptrace.Options {
	o := seizeOpts | ptrace.OptTraceExit
	if t.cfg.Follow {
		o |= ptrace.OptTraceClone | ptrace.OptTraceFork | ptrace.OptTraceVfork
	}
	return o
}

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
	pid, _, err := syscall.StartProcess("/proc/self/exe", argv, &syscall.ProcAttr{Env: env, Files: files})
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
	return pid, nil
}

func fdOr(f *os.File, def uintptr) uintptr {
	if f == nil {
		return def
	}
	return f.Fd()
}

func (t *Tracer) reapQuietly(pid int) {
	var ws unix.WaitStatus
	unix.Wait4(pid, &ws, unix.WALL, nil)
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

// Run traces until every traced task is gone or ctx is done, and returns how
// the launched program ended.
func (t *Tracer) Run(ctx context.Context) (Status, error) {
	if t.leader == 0 {
		return Status{}, ErrNoCommand
	}
	var err error
	t.thread.Do(func() { err = t.loop(ctx) })
	return t.status, err
}

func (t *Tracer) loop(ctx context.Context) error {
	for len(t.tasks) > 0 {
		if err := ctx.Err(); err != nil {
			t.killAll()
			return err
		}
		var ws ptrace.WaitStatus
		pid, err := ptrace.Wait4NoHang(-1, &ws, unix.WALL)
		if err == nil && pid == 0 {
			// Nothing is ready: every task runs or sleeps. Let the
			// sink write what it holds before blocking.
			if f, ok := t.cfg.Sink.(Flusher); ok {
				f.Flush()
			}
			pid, err = ptrace.Wait4(-1, &ws, unix.WALL)
		}
		if err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			if errors.Is(err, unix.ECHILD) {
				return nil
			}
			return fmt.Errorf("wait4: %w", err)
		}
		t.handle(pid, ws)
	}
	return nil
}

func (t *Tracer) killAll() {
	for pid := range t.tasks {
		ptrace.Kill(pid)
	}
}

func (t *Tracer) handle(pid int, ws ptrace.WaitStatus) {
	tk := t.tasks[pid]
	if tk == nil {
		// A new child can report its first stop before its parent reports
		// the fork event.
		tk = &task{pid: pid}
		t.tasks[pid] = tk
	}
	switch {
	case ws.Exited():
		t.gone(tk, Event{Kind: Exited, Status: ws.ExitStatus()})
		if pid == t.leader {
			t.status = Status{Exited: true, Code: ws.ExitStatus()}
		}
		return
	case ws.Signaled():
		t.gone(tk, Event{Kind: Killed, Sig: int(ws.Signal()), Core: ws.CoreDump()})
		if pid == t.leader {
			t.status = Status{Signal: ws.Signal(), CoreDump: ws.CoreDump()}
		}
		return
	case !ws.Stopped():
		return
	}
	sig := 0
	switch {
	case ws.IsSyscallStop():
		t.syscallStop(tk)
	case ws.TrapCause() == ptrace.EventStop:
		if ws.IsGroupStop() {
			if !tk.hidden {
				t.emit(tk, Event{Kind: GroupStop, Sig: int(ws.StopSignal())})
			}
			// Stay stopped without swallowing the stop: SIGCONT resumes.
			ptrace.Listen(pid)
			return
		}
		// An interrupt stop or a new child's first stop.
	case ws.TrapCause() == ptrace.EventExit:
		if !tk.hidden {
			t.emit(tk, Event{Kind: Exiting})
		}
		tk.inSyscall = false
	case ws.TrapCause() != 0:
		// Exec, fork, vfork, clone: a child announces itself with its own
		// stop.
	default:
		sig = int(ws.StopSignal())
		if !tk.hidden {
			t.signalStop(tk, sig)
		}
	}
	ptrace.Syscall(pid, sig)
}

func (t *Tracer) gone(tk *task, ev Event) {
	delete(t.tasks, tk.pid)
	if tk.hidden && !tk.quiet {
		return
	}
	t.emit(tk, ev)
}

func (t *Tracer) emit(tk *task, ev Event) {
	ev.Pid = tk.pid
	ev.Time = time.Now()
	t.cfg.Sink.Event(&ev)
}

func (t *Tracer) syscallStop(tk *task) {
	var info ptrace.SyscallInfo
	if err := ptrace.GetSyscallInfo(tk.pid, &info); err != nil {
		return
	}
	switch info.Op {
	case ptrace.SyscallInfoEntry:
		t.enter(tk, &info)
	case ptrace.SyscallInfoExit:
		t.exit(tk, &info)
	}
}

func (t *Tracer) enter(tk *task, info *ptrace.SyscallInfo) {
	a := arch.ByAuditArch(info.Arch)
	tab := sysent.ForAuditArch(info.Arch)
	if a == nil || tab == nil {
		return
	}
	c := &tk.call
	*c = decode.Call{Arch: a, Table: tab, Nr: info.Nr, Args: info.Args, SP: info.StackPointer, Entry: tab.Lookup(info.Nr)}
	tk.inSyscall = true
	if tk.hidden {
		if c.Entry == nil || (c.Entry.Name != "execve" && c.Entry.Name != "execveat") {
			return
		}
		// The program's own life starts here: trace it with the user's
		// options (children included under -f).
		tk.hidden = false
		ptrace.SetOptions(tk.pid, t.traceOpts())
	}
	ev := &t.ev
	*ev = Event{Kind: SyscallEnter, Pid: tk.pid, Arch: a, Entry: c.Entry, Nr: c.Nr, Args: ev.Args}
	ev.Args.Reset()
	t.mem.pid = tk.pid
	t.ctx.Call, t.ctx.Out = c, &ev.Args
	decode.Enter(&t.ctx)
	ev.More, ev.SepAtExit = c.More, c.SepAtExit
	ev.Time = time.Now()
	t.cfg.Sink.Event(ev)
}

func (t *Tracer) exit(tk *task, info *ptrace.SyscallInfo) {
	if !tk.inSyscall {
		return
	}
	tk.inSyscall = false
	if tk.hidden {
		return
	}
	c := &tk.call
	c.Rval, c.IsError = info.Rval, info.IsError
	ev := &t.ev
	*ev = Event{Kind: SyscallExit, Pid: tk.pid, Arch: c.Arch, Entry: c.Entry, Nr: c.Nr, SepAtExit: c.SepAtExit, Args: ev.Args}
	ev.Args.Reset()
	t.mem.pid = tk.pid
	t.ctx.Call, t.ctx.Out = c, &ev.Args
	decode.Exit(&t.ctx)
	ev.Ret, ev.RetFmt, ev.Rval, ev.IsError = c.Ret, c.RetFmt, c.Arch.SignedWord(uint64(c.Rval)), c.IsError
	ev.Time = time.Now()
	t.cfg.Sink.Event(ev)
	if c.Entry != nil && (c.Entry.Name == "execve" || c.Entry.Name == "execveat") && c.IsError && tk.pid == t.leader {
		// The launched program could not be executed: what follows is the
		// stub reporting it, not the program; only its exit is shown.
		tk.hidden, tk.quiet = true, true
	}
}

func (t *Tracer) signalStop(tk *task, sig int) {
	var si ptrace.Siginfo
	ev := &t.ev
	*ev = Event{Kind: Signal, Pid: tk.pid, Sig: sig, Args: ev.Args}
	ev.Args.Reset()
	if err := ptrace.GetSiginfo(tk.pid, &si); err == nil {
		decode.Siginfo(&ev.Args, si.Raw())
	}
	ev.Time = time.Now()
	t.cfg.Sink.Event(ev)
}

// mem reads the memory of the task at the current stop.
type mem struct{ pid int }

func (m *mem) ReadAt(p []byte, addr uint64) (int, error) {
	n, err := ptrace.ReadMem(m.pid, addr, p)
	if err == nil && n < len(p) {
		err = decode.ErrFault
	}
	return n, err
}

func (m *mem) ReadString(dst []byte, addr uint64, max int) ([]byte, bool, error) {
	return ptrace.ReadString(m.pid, addr, max, dst)
}
