package tracer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/filter"
	"github.com/sonde-dev/sonde/internal/sys"
	"github.com/sonde-dev/sonde/ptrace"
	"github.com/sonde-dev/sonde/stack"
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
	// WantComm fills Event.Comm with the task's command name on every
	// event, as -Y does, without changing how pids are decoded: for sinks
	// that name processes and threads (--perfetto, --json).
	WantComm bool
	// NoPlacement (--no-placement) keeps the ptrace thread off the CPU
	// placement policy (placement.go): under the scheduler's default
	// policy and affinity.
	NoPlacement bool
	// NoPrefilter (--no-seccomp-bpf) turns off the seccomp-bpf prefilter.
	// By default a launched program whose Filter.Trace leaves syscalls out
	// runs under a seccomp filter, so the syscalls not traced never stop
	// it (see prefilter.go); attached tasks are never filtered.
	NoPrefilter bool
	// StackTrace fills Event.Stack at each traced syscall's exit with the
	// thread's user-space stack (-k), unwound by package stack.
	StackTrace bool
	// SysTime fills Event.SysTime (the system time a syscall took, for
	// -c), at the cost of a resource-usage report on every wait4.
	SysTime bool
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
	// prefiltered: the launched program runs under the seccomp prefilter.
	prefiltered bool
	stops       atomic.Uint64 // ptrace stops handled
	held        []delayed     // tasks held by delay_enter=/delay_exit=
	unwinder    *stack.Unwinder
	frames      []stack.Frame // Event.Stack's storage
	regBuf      [512]byte
	paths       *pathMatcher // -P
	dumpBuf     []byte       // Event.Dump's storage
	dumpSegs    []int
	ev          Event
	place       placement
	evPending   bool // ev is a syscall event not yet given to the Sink (see handle)

	// ready holds wait statuses collected but not handled yet: like
	// strace, the loop drains every ready status and handles them in
	// order before it waits again, so tasks take turns.
	ready []waitResult
	head  int // ready[head:] are still to handle
}

type waitResult struct {
	pid int
	ws  ptrace.WaitStatus
	err error
	ru  unix.Rusage // the stopped task's process usage (its system time for -c)
}

type task struct {
	pid int
	// runs holds, for each way a run of this task's stops began, the
	// length of the last such run (see placement).
	runs      map[runStart]int
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
	// filtered: the task runs under the seccomp prefilter and is resumed
	// with PTRACE_CONT between traced syscalls; silent: a filtered task's
	// child or thread followed only to keep the filter answered (no -f):
	// none of it is reported.
	filtered, silent bool
	// inject is the injection applied to the syscall in flight, if any;
	// injectCount counts each syscall's invocations for when=.
	inject      *filter.Inject
	injectCount map[injectKey]uint64
	// resumeSig is a signal to deliver when the task is resumed (signal=);
	// hold asks for the resume to wait holdFor (delay_enter=, delay_exit=).
	resumeSig int
	poked     bool // poke_enter=/poke_exit= wrote into the call's arguments
	hold      bool
	holdFor   time.Duration
	// arch is the architecture of the task's syscalls so far (nil: the
	// tracer's own), for Personality events.
	arch *arch.Arch
	// tgid is the task's process id, read from /proc when first needed.
	tgid int
	// prev is the last syscall the task entered (for an attached task, the
	// one the attach interrupted): restart_syscall prints what it resumes.
	prev *sysent.Entry
}

// nativeArch is the architecture sonde itself runs as.
var nativeArch = func() *arch.Arch {
	switch runtime.GOARCH {
	case "arm64":
		return arch.ByAuditArch(sysent.AuditArchAArch64)
	case "386":
		return arch.ByAuditArch(sysent.AuditArchI386)
	}
	return arch.ByAuditArch(sysent.AuditArchX86_64)
}()

// ErrNoCommand is returned by Run when nothing was launched.
var ErrNoCommand = errors.New("no command launched")

// New returns a Tracer with its ptrace thread started. Close releases it.
//
// Process-wide effects a program using this package should know of: New
// adds SA_NOCLDSTOP to the process's SIGCHLD action (children's stops no
// longer send SIGCHLD; exits still do). The tracer waits with wait4(-1),
// so it reaps the exit status of any child of the process that exits while
// it runs (keep other children in their own wait, or run them after).
// Cancelling Run's context starts a short-lived child of this binary
// (sys.WakeArg0) to end the wait.
func New(cfg Config) (*Tracer, error) {
	if cfg.Sink == nil {
		return nil, errors.New("tracer: config has no sink")
	}
	if cfg.Decode.StrLimit < 0 {
		return nil, fmt.Errorf("tracer: negative string limit %d", cfg.Decode.StrLimit)
	}
	// Tracee stops must not each cost a signal to this process.
	if err := sys.NoStopSIGCHLD(); err != nil {
		return nil, fmt.Errorf("tracer: %w", err)
	}
	t := &Tracer{
		cfg: cfg, thread: ptrace.NewThread(), tasks: map[int]*task{},
	}
	if cfg.StackTrace {
		t.unwinder = stack.NewUnwinder()
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
	return t, nil
}

// Close stops the tracer's thread. Tasks still traced are released by the
// kernel: launched ones killed (PTRACE_O_EXITKILL), attached ones detached.
func (t *Tracer) Close() {
	t.thread.Close()
}

// wake ends the ptrace thread's blocking wait4 when Run's context is done.
// That wait4 sleeps until a child of sonde changes state, and no signal
// interrupts it (the Go runtime's handlers restart system calls), so wake
// starts a child that exits at once: this binary under sys.WakeArg0. The
// loop reaps it, sees the context done and lets the tracees go.
func (t *Tracer) wake() {
	self, err := os.Executable()
	if err != nil {
		self = "/proc/self/exe"
	}
	attr := &syscall.ProcAttr{Files: []uintptr{^uintptr(0), ^uintptr(0), 2}}
	if _, _, err := syscall.StartProcess(self, []string{sys.WakeArg0}, attr); err != nil {
		syscall.StartProcess("/proc/self/exe", []string{sys.WakeArg0}, attr)
	}
}

// notTracee reports a wait status that is no trace event: the exit of a
// child of sonde's that is not traced (a wake process, the -o |cmd shell).
// Such a status is consumed where it is read.
func (t *Tracer) notTracee(r *waitResult) bool {
	return r.err == nil && t.tasks[r.pid] == nil && (r.ws.Exited() || r.ws.Signaled())
}

// seizeOpts are the options of a launched program until its execve.
const seizeOpts = ptrace.OptTraceSysGood | ptrace.OptTraceExec | ptrace.OptExitKill

// traceOpts are the options of a traced task. A launched program dies with
// its tracer (PTRACE_O_EXITKILL); an attached one is let go. A filtered
// task gets seccomp stops and has its children followed, -f or not.
func (t *Tracer) traceOpts(attached, filtered bool) ptrace.Options {
	o := ptrace.OptTraceSysGood | ptrace.OptTraceExec | ptrace.OptTraceExit
	if !attached || t.cfg.KillOnExit {
		o |= ptrace.OptExitKill
	}
	if t.cfg.Follow || filtered {
		o |= ptrace.OptTraceClone | ptrace.OptTraceFork | ptrace.OptTraceVfork
	}
	if filtered {
		o |= ptrace.OptTraceSeccomp
	}
	return o
}

// resume lets a stopped task run: to its next syscall stop, or, for a
// filtered task between syscalls, until the filter or a signal stops it.
func (t *Tracer) resume(tk *task, sig int) {
	t.place.resuming(tk)
	if tk.silent || (tk.filtered && !tk.inSyscall && !tk.hidden) {
		ptrace.Cont(tk.pid, sig)
		return
	}
	ptrace.Syscall(tk.pid, sig)
}

// Run traces until every traced task is gone or ctx is done, and returns how
// the launched program ended. When ctx is done, attached tasks are detached
// (left running, or stopped if they were in a group-stop) and launched ones
// killed, and Run returns ctx's error.
func (t *Tracer) Run(ctx context.Context) (Status, error) {
	if len(t.tasks) == 0 {
		return Status{}, ErrNoCommand
	}
	stop := context.AfterFunc(ctx, t.wake)
	defer stop()
	var err error
	t.thread.Do(func() {
		if !t.cfg.NoPlacement {
			t.place.start(&t.stops)
			defer t.place.stop()
		}
		err = t.loop(ctx)
	})
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
		t.stops.Add(1)
		t.place.stopOf(r.pid, isSyscallStop(r.ws))
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
	if t.head == len(t.ready) {
		r := t.wait(ctx, true)
		if r.err != nil {
			return r
		}
		t.ready = append(t.ready, r)
		// With one task there is no one to take turns with: a drain
		// would be one more wait4 per stop.
		for len(t.tasks) > 1 {
			var d waitResult
			d.pid, d.err = ptrace.Wait4NoHangUsage(-1, &d.ws, unix.WALL, t.rusage(&d))
			if d.err != nil || d.pid == 0 {
				break
			}
			if t.notTracee(&d) {
				continue
			}
			t.ready = append(t.ready, d)
		}
		if len(t.ready) >= placementQueue {
			n := 0 // tasks stopped at syscalls: running side by side
			for i := range t.ready {
				if isSyscallStop(t.ready[i].ws) {
					n++
				}
			}
			t.place.queued(n)
		} else {
			t.place.queued(0)
		}
	}
	r := t.ready[t.head]
	t.head++
	if t.head == len(t.ready) {
		t.ready, t.head = t.ready[:0], 0 // keep the storage
	}
	return r
}

// isSyscallStop reports a syscall stop, or the prefilter's seccomp stop
// at a syscall's entry.
func isSyscallStop(ws ptrace.WaitStatus) bool {
	return ws.Stopped() && (ws.IsSyscallStop() || ws.TrapCause() == ptrace.EventSeccomp)
}

// spinRounds is how many times wait yields its CPU and polls again before
// it sleeps in wait4. On the 2-CPU VM sonde is developed on, a tracer that
// sleeps at every stop has the kernel wake it, and then the tracee, across
// CPUs, which costs far more than the syscall traced: 20000 1-byte dd
// reads and writes took 3.6 s that way (strace: 3.8 s) and 1.27 s with 100
// rounds of sched_yield and WNOHANG polling (1.45 s with 20, 3.2 s with 5).
// Pinning the ptrace thread to the CPU its tracee last ran on gained
// nothing over polling and was dropped. A yield lets a runnable tracee on
// the same CPU go first; a call that blocks longer costs the tracer about
// 100 polls before it sleeps.
const spinRounds = 100

// wait returns the next wait status of any task: from a non-blocking wait4
// when one is ready, else from a blocking one on this thread, flushing the
// sink before it blocks. With cancel set it returns ctx's error once ctx is
// done (wake ends a wait4 already blocked); statuses of wake processes and
// of children sonde does not trace are consumed here.
func (t *Tracer) wait(ctx context.Context, cancel bool) waitResult {
	flushed := false
	for {
		if cancel && ctx.Err() != nil {
			return waitResult{err: ctx.Err()}
		}
		t.resumeDue(false)
		var r waitResult
		ru := t.rusage(&r)
		r.pid, r.err = ptrace.Wait4NoHangUsage(-1, &r.ws, unix.WALL, ru)
		if r.pid == 0 && r.err == nil {
			// Spin before sleeping: most syscalls return within microseconds,
			// and a tracer that stays on its CPU is not woken across CPUs
			// (see spinRounds).
			for i := 0; i < spinRounds && r.pid == 0 && r.err == nil; i++ {
				unix.RawSyscall(unix.SYS_SCHED_YIELD, 0, 0, 0)
				r.pid, r.err = ptrace.Wait4NoHangUsage(-1, &r.ws, unix.WALL, ru)
			}
		}
		if r.pid == 0 && r.err == nil {
			if !flushed {
				if f, ok := t.cfg.Sink.(Flusher); ok {
					f.Flush()
				}
				flushed = true
			}
			r.pid, r.err = ptrace.Wait4Usage(-1, &r.ws, unix.WALL, ru)
		}
		if errors.Is(r.err, syscall.EINTR) {
			continue
		}
		if t.notTracee(&r) {
			continue
		}
		return r
	}
}

// rusage is where wait4 stores a stopped task's resource usage: r's, when
// Config.SysTime wants it, else nowhere (the kernel then skips the work).
func (t *Tracer) rusage(r *waitResult) *unix.Rusage {
	if t.cfg.SysTime {
		return &r.ru
	}
	return nil
}

// Prefiltered reports whether the launched program runs under the seccomp
// prefilter (see Config.NoPrefilter).
func (t *Tracer) Prefiltered() bool { return t.prefiltered }

// Stops returns how many wait statuses (stops and exits of tracees) Run has
// handled so far: the tracer's cost, which the prefilter keeps down. Call
// it after Run returns.
func (t *Tracer) Stops() int { return int(t.stops.Load()) }

func (t *Tracer) killAll() {
	for pid := range t.tasks {
		ptrace.Kill(pid)
	}
}

// mem reads the memory of the task at the current stop, through a
// one-page cache: the decoders of one stop often read several things from
// the same page (execve's argv pointers and strings, a structure field by
// field), and each process_vm_readv costs a system call. The cache holds
// for one stop only (reset): the tracee runs between stops.
type mem struct {
	pid   int
	have  bool   // page holds the page at base
	base  uint64 // page-aligned
	valid int    // bytes of page read (0 when it is unreadable)
	page  [pageSize]byte
}

const pageSize = 4096

// reset points the reader at pid's memory at a new stop.
func (m *mem) reset(pid int) { m.pid, m.have = pid, false }

// cached returns the cached page holding addr, reading it first.
func (m *mem) cached(addr uint64) (off int, ok bool) {
	base := addr &^ (pageSize - 1)
	if !m.have || m.base != base {
		n, _ := ptrace.ReadMem(m.pid, base, m.page[:])
		m.have, m.base, m.valid = true, base, n
	}
	return int(addr - base), true
}

// cacheable reports whether a read of n bytes at addr goes through the
// cache: it lies within one page, is small, and process_vm_readv works.
func cacheable(addr uint64, n int) bool {
	return n <= pageSize/4 && addr%pageSize+uint64(n) <= pageSize && ptrace.ProcessVMWorks()
}

func (m *mem) ReadAt(p []byte, addr uint64) (int, error) {
	if !cacheable(addr, len(p)) {
		n, err := ptrace.ReadMem(m.pid, addr, p)
		if err == nil && n < len(p) {
			err = decode.ErrFault
		}
		return n, err
	}
	off, _ := m.cached(addr)
	n := copy(p, m.page[min(off, m.valid):m.valid])
	if n < len(p) {
		return n, decode.ErrFault
	}
	return n, nil
}

func (m *mem) ReadString(dst []byte, addr uint64, max int) ([]byte, bool, error) {
	if !ptrace.ProcessVMWorks() {
		return ptrace.ReadString(m.pid, addr, max, dst)
	}
	for max > 0 {
		off, _ := m.cached(addr)
		if off >= m.valid {
			return dst, false, decode.ErrFault
		}
		chunk := m.page[off:min(m.valid, off+max)]
		if i := bytes.IndexByte(chunk, 0); i >= 0 {
			return append(dst, chunk[:i]...), true, nil
		}
		dst = append(dst, chunk...)
		max -= len(chunk)
		addr += uint64(len(chunk))
		if m.valid < pageSize && max > 0 {
			return dst, false, decode.ErrFault // the rest of the page is unreadable
		}
	}
	return dst, false, nil
}
