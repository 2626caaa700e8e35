package tracer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/filter"
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
	// Filter selects what is reported and how (strace's -e expressions);
	// nil reports everything with strace's defaults. Filter.Status and
	// Filter.Quiet are for renderers: the tracer reports every outcome.
	Filter *filter.Options
	// Paths (-P) reports only syscalls that use one of these paths, as an
	// argument or through a descriptor; each may be a glob pattern.
	Paths []string
	// DetachOnExec (-b execve) lets a task go at its execve (after the
	// launched program's own first one).
	DetachOnExec bool
	// SyscallLimit (--syscall-limit) lets every task go once that many
	// syscalls were reported; 0 is no limit.
	SyscallLimit int
	// KillOnExit (--kill-on-exit) kills attached tasks too when the tracer
	// exits or the trace ends early, instead of detaching them.
	KillOnExit bool
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
	// Credential runs the program as another user (-u); nil: as the tracer.
	Credential *syscall.Credential
}

// Status is how the launched program ended.
type Status struct {
	Exited   bool
	Code     int         // exit code when Exited
	Signal   unix.Signal // the fatal signal when !Exited
	CoreDump bool
}

// Tracer traces tasks. All ptrace requests happen on one locked OS thread
// that the Tracer owns; its methods may be called from any goroutine, but
// not concurrently with Run.
type Tracer struct {
	cfg      Config
	thread   *ptrace.Thread
	tasks    map[int]*task
	leader   int  // pid of the launched program
	launched bool // a program was launched (its tasks are killed, not detached, on cancel)
	execed   bool // the launched program's first execve succeeded
	status   Status
	mem      mem
	ctx      decode.Ctx
	opts     decode.Options // the options of the call being decoded
	proc     procInfo       // -y and -Y lookups
	deco     []byte         // RetDeco's storage
	stime    time.Duration  // system time of the stopped task's process, at this stop
	reported int            // syscalls reported, for SyscallLimit
	paths    *pathMatcher   // -P
	dumpBuf  []byte         // Event.Dump's storage
	dumpSegs []int
	ev       Event

	// The blocking waiter: one goroutine that makes one blocking wait4
	// per request, so the loop can block on it and on its context at once.
	waitReq     chan struct{}
	waitRes     chan waitResult
	waitPending bool
	// ready holds wait statuses collected but not handled yet: like
	// strace, the loop drains every ready status and handles them in
	// order before it waits again, so tasks take turns.
	ready []waitResult
}

type waitResult struct {
	pid int
	ws  ptrace.WaitStatus
	err error
	ru  unix.Rusage // the stopped task's process usage (its system time for -c)
}

type task struct {
	pid       int
	call      decode.Call
	inSyscall bool
	// attached: seized by Attach (or a child of such a task): detached,
	// never killed, when the trace ends early.
	attached bool
	// hidden: the task is the launch stub before its execve; nothing it
	// does is reported (strace hides its own pre-exec stops the same way).
	hidden bool
	// quiet: the launched program could not be executed; the stub's
	// remaining syscalls are hidden, its exit is not.
	quiet bool
	// justExeced: the launched program's execve returned and it has not
	// made a syscall yet; a SIGURG the stub's Go runtime left pending
	// across the execve is dropped then, not reported.
	justExeced bool
	// traced: the syscall in flight is in the trace set (its exit is
	// reported); entered is when its entry stop was seen.
	traced  bool
	entered time.Time
	stime   time.Duration // system time at the entry stop
	// listening: in a group-stop, resumed with PTRACE_LISTEN.
	listening bool
	// comm caches the command name for -Y; refreshed at each execve.
	comm []byte
	// tgid is the task's process id, read from /proc when first needed.
	tgid int
	// prev is the last syscall the task entered (for an attached task, the
	// one the attach interrupted): restart_syscall prints what it resumes.
	prev *sysent.Entry
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
	t := &Tracer{
		cfg: cfg, thread: ptrace.NewThread(), tasks: map[int]*task{},
		waitReq: make(chan struct{}), waitRes: make(chan waitResult, 1),
	}
	if cfg.Filter == nil {
		t.cfg.Filter = filter.Defaults()
	}
	f := t.cfg.Filter
	t.paths = newPathMatcher(cfg.Paths)
	t.proc.fds = f.DecodeFDs
	t.cfg.Decode.DecodeFDs = f.DecodeFDs != nil && !f.DecodeFDs.IsNone()
	t.cfg.Decode.DecodePids = f.DecodePids != nil && f.DecodePids.Has(filter.DecodePidComm)
	t.ctx = decode.Ctx{Mem: &t.mem, Proc: &t.proc, Opt: &t.opts}
	go t.waiter()
	return t, nil
}

// Close stops the tracer's thread and its waiter. Tasks still traced are
// released by the kernel: launched ones killed (PTRACE_O_EXITKILL),
// attached ones detached.
func (t *Tracer) Close() {
	t.thread.Close()
	close(t.waitReq)
}

// waiter makes one blocking wait4 for each request. It runs on its own
// goroutine (wait4 may come from any thread of the tracer), so the loop can
// wait for a tracee and for its context at the same time.
func (t *Tracer) waiter() {
	for range t.waitReq {
		var r waitResult
		r.pid, r.err = ptrace.Wait4Usage(-1, &r.ws, unix.WALL, &r.ru)
		t.waitRes <- r
	}
}

// seizeOpts are the options of a launched program until its execve.
const seizeOpts = ptrace.OptTraceSysGood | ptrace.OptTraceExec | ptrace.OptExitKill

// traceOpts are the options of a traced task. A launched program dies with
// its tracer (PTRACE_O_EXITKILL); an attached one is let go.
func (t *Tracer) traceOpts(attached bool) ptrace.Options {
	o := ptrace.OptTraceSysGood | ptrace.OptTraceExec | ptrace.OptTraceExit
	if !attached || t.cfg.KillOnExit {
		o |= ptrace.OptExitKill
	}
	if t.cfg.Follow {
		o |= ptrace.OptTraceClone | ptrace.OptTraceFork | ptrace.OptTraceVfork
	}
	return o
}

// Run traces until every traced task is gone or ctx is done, and returns how
// the launched program ended. When ctx is done, attached tasks are detached
// (left running, or stopped if they were in a group-stop) and launched ones
// killed, and Run returns ctx's error.
func (t *Tracer) Run(ctx context.Context) (Status, error) {
	if len(t.tasks) == 0 {
		return Status{}, ErrNoCommand
	}
	var err error
	t.thread.Do(func() { err = t.loop(ctx) })
	return t.status, err
}

func (t *Tracer) loop(ctx context.Context) error {
	for len(t.tasks) > 0 {
		r := t.next(ctx)
		if r.err != nil {
			if ctx.Err() != nil {
				t.release(false)
				return ctx.Err()
			}
			if errors.Is(r.err, unix.ECHILD) {
				return nil
			}
			return fmt.Errorf("wait4: %w", r.err)
		}
		t.stime = time.Duration(r.ru.Stime.Nano())
		t.handle(r.pid, r.ws)
		if t.cfg.SyscallLimit > 0 && t.reported >= t.cfg.SyscallLimit {
			t.release(true) // --syscall-limit: let everything go
			return nil
		}
	}
	return nil
}

// next returns the next status to handle: the oldest collected one, or,
// when none is left, the next wait status and every other one ready at
// that moment.
func (t *Tracer) next(ctx context.Context) waitResult {
	if len(t.ready) == 0 {
		r := t.wait(ctx, true)
		if r.err != nil {
			return r
		}
		t.ready = append(t.ready, r)
		for {
			var d waitResult
			d.pid, d.err = ptrace.Wait4NoHangUsage(-1, &d.ws, unix.WALL, &d.ru)
			if d.err != nil || d.pid == 0 {
				break
			}
			t.ready = append(t.ready, d)
		}
	}
	r := t.ready[0]
	t.ready = t.ready[1:]
	return r
}

// wait returns the next wait status of any task: from a non-blocking wait4
// on this thread when one is ready, else from the waiter, flushing the sink
// before blocking. With cancel set it returns ctx's error when ctx is done
// first; a wait4 then left pending is collected by the next call.
func (t *Tracer) wait(ctx context.Context, cancel bool) waitResult {
	if !t.waitPending {
		var r waitResult
		r.pid, r.err = ptrace.Wait4NoHangUsage(-1, &r.ws, unix.WALL, &r.ru)
		if r.err != nil || r.pid != 0 {
			return r
		}
		if f, ok := t.cfg.Sink.(Flusher); ok {
			f.Flush()
		}
		t.waitReq <- struct{}{}
		t.waitPending = true
	}
	done := ctx.Done()
	if !cancel {
		done = nil
	}
	select {
	case r := <-t.waitRes:
		t.waitPending = false
		return r
	case <-done:
		return waitResult{err: ctx.Err()}
	}
}

func (t *Tracer) killAll() {
	for pid := range t.tasks {
		ptrace.Kill(pid)
	}
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
