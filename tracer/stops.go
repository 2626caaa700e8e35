package tracer

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/internal/sys"
	"github.com/sonde-dev/sonde/ptrace"
	"github.com/sonde-dev/sonde/stack"
	"github.com/sonde-dev/sonde/sysent"
)

// handle acts on one wait status and resumes the task. Runs on the ptrace
// thread.
func (t *Tracer) handle(pid int, ws ptrace.WaitStatus) {
	// A syscall event is decoded while the task is stopped, and given to
	// the Sink (rendered, written) once the task runs again: off the
	// tracee's critical path. Any other event flushes it first, so the
	// order is kept.
	defer t.flushEvent()
	tk := t.tasks[pid]
	if tk == nil {
		// A new child can report its first stop before its parent reports
		// the fork event.
		// Its flags are its parent's, known at that event. Until then it
		// runs under PTRACE_SYSCALL, which is right for any task (a
		// filtered one then also stops at syscalls its filter lets
		// through); without -f only a filtered parent's children are
		// followed at all, so such a child is silent.
		tk = t.newChild(pid, false, false, t.prefiltered && !t.cfg.Follow, false, 0)
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
	tk.listening = false
	sig := 0
	switch ws.TrapCause() {
	case 0:
		if ws.IsSyscallStop() {
			if t.syscallStop(tk) {
				return // let go (-b execve)
			}
			break
		}
		sig = int(ws.StopSignal())
		if tk.justExeced && ws.StopSignal() == syscall.SIGURG {
			sig = 0 // the stub's preemption signal, not the program's
			break
		}
		if !tk.hidden && t.cfg.Filter.Signals.Has(sig) {
			t.signalStop(tk, sig)
		}
	case ptrace.EventStop:
		if ws.IsGroupStop() {
			if !tk.hidden {
				t.emit(tk, Event{Kind: GroupStop, Sig: int(ws.StopSignal())})
			}
			// Stay stopped without swallowing the stop: SIGCONT resumes.
			tk.listening = true
			ptrace.Listen(pid)
			return
		}
		// An interrupt stop: the first stop of an attached task or of a new
		// child.
		if tk.attached && !tk.inSyscall && tk.prev == nil {
			tk.prev = interruptedSyscall(pid)
		}
		// A new process most often runs next (its parent waits for its
		// exec or its exit): the ptrace thread goes to its CPU now rather
		// than serve its first syscalls from another. A new thread runs
		// beside its creator and is left to the run rule.
		if t.place.on && t.tgidOf(tk) == tk.pid {
			t.place.follow(pid)
		}
	case ptrace.EventSeccomp:
		// The prefilter's stop at a traced syscall: its entry, unless the
		// entry stop came first (a task resumed with PTRACE_SYSCALL).
		if !tk.inSyscall && !tk.silent {
			t.syscallStop(tk)
		}
	case ptrace.EventExit:
		if !tk.hidden {
			t.emit(tk, Event{Kind: Exiting})
		}
		tk.inSyscall = false
	case ptrace.EventExec:
		t.execEvent(tk)
		// A thread that execed now holds the leader's pid, and its record
		// (in its execve) replaced the leader's: resume that one.
		if th := t.tasks[pid]; th != nil {
			tk = th
		}
		t.place.follow(tk.pid) // where the scheduler put the new program
	case ptrace.EventFork, ptrace.EventVfork, ptrace.EventClone:
		if msg, err := ptrace.GetEventMsg(pid); err == nil {
			silent := tk.silent || (tk.filtered && !t.cfg.Follow)
			if ck := t.tasks[int(msg)]; ck != nil {
				ck.attached, ck.filtered = tk.attached, tk.filtered
				if ck.silent && !silent {
					ck.silent, ck.hidden = false, false
					t.emit(ck, Event{Kind: Attached})
				}
			} else {
				ck := t.newChild(int(msg), tk.attached, tk.hidden, silent, tk.filtered, t.childTgid(tk, int(msg), ws.TrapCause()))
				ck.arch = tk.arch
			}
		}
	}
	if tk.resumeSig != 0 {
		sig, tk.resumeSig = tk.resumeSig, 0
	}
	if tk.hold {
		tk.hold = false
		t.holdTask(tk, sig, tk.holdFor)
		return
	}
	t.resume(tk, sig)
}

// newChild records a task auto-attached through PTRACE_O_TRACE{FORK,
// VFORK,CLONE} and announces it (strace's "Process N attached"). A silent
// child is hidden for good.
func (t *Tracer) newChild(pid int, attached, hidden, silent, filtered bool, tgid int) *task {
	ck := &task{pid: pid, attached: attached, hidden: hidden || silent, silent: silent, filtered: filtered, tgid: tgid}
	t.tasks[pid] = ck
	if !ck.hidden {
		t.emit(ck, Event{Kind: Attached})
	}
	return ck
}

// checkPersonality reports a task whose syscalls are now of architecture
// a. A task's first mode is the tracer's own (strace starts from its
// native personality too); a child starts in its parent's.
func (t *Tracer) checkPersonality(tk *task, a *arch.Arch) {
	if tk.arch == nil {
		tk.arch = nativeArch
	}
	if a == tk.arch {
		return
	}
	tk.arch = a
	if !tk.hidden {
		t.emit(tk, Event{Kind: Personality, Arch: a})
	}
}

// childTgid returns the thread group of a child the parent's fork event
// reports, without reading /proc/PID/status: a fork or vfork starts a
// process; a clone starts a thread of the parent's process when the child
// appears among that process's tasks.
func (t *Tracer) childTgid(parent *task, child int, event int) int {
	if event != ptrace.EventClone {
		return child
	}
	ptgid := t.tgidOf(parent)
	if unix.Access("/proc/"+strconv.Itoa(ptgid)+"/task/"+strconv.Itoa(child), unix.F_OK) == nil {
		return ptgid
	}
	return child
}

// execEvent handles PTRACE_EVENT_EXEC. When a thread other than the leader
// execs, the kernel gives it the leader's pid: the leader's task record is
// dropped and the execing thread's takes its place.
func (t *Tracer) execEvent(tk *task) {
	msg, err := ptrace.GetEventMsg(tk.pid)
	old := int(msg)
	if err != nil || old == tk.pid || old <= 0 {
		return
	}
	th := t.tasks[old]
	if th == nil {
		return
	}
	delete(t.tasks, old)
	th.pid, th.tgid = tk.pid, tk.pid
	t.tasks[tk.pid] = th
	if !th.hidden {
		t.emit(th, Event{Kind: Exec, OldPid: old})
	}
}

// interruptedSyscall names the syscall a task was blocked in when it was
// attached, from /proc/PID/syscall, so the restart_syscall that resumes it
// can say what it resumes.
func interruptedSyscall(pid int) *sysent.Entry {
	var info ptrace.SyscallInfo
	if err := ptrace.GetSyscallInfo(pid, &info); err != nil {
		return nil
	}
	tab := sysent.ForAuditArch(info.Arch)
	if tab == nil {
		return nil
	}
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/syscall")
	if err != nil {
		return nil
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return nil
	}
	nr, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil || nr < 0 {
		return nil
	}
	e := tab.Lookup(uint64(nr))
	if e != nil && e.Name == "restart_syscall" {
		return nil // resuming something already: what is not known
	}
	return e
}

func (t *Tracer) gone(tk *task, ev Event) {
	delete(t.tasks, tk.pid)
	if tk.hidden && !tk.quiet {
		return
	}
	if ev.Kind == Killed && !t.cfg.Filter.Signals.Has(ev.Sig) {
		return // strace's -e signal= filters "+++ killed by" lines too
	}
	t.emit(tk, ev)
}

func (t *Tracer) emit(tk *task, ev Event) {
	t.flushEvent()
	ev.Pid, ev.Tgid = tk.pid, t.tgidOf(tk)
	ev.Time = time.Now()
	ev.Comm = t.comm(tk)
	t.cfg.Sink.Event(&ev)
}

// flushEvent gives the Sink the syscall event decoded at the last stop, if
// it has not had it yet.
func (t *Tracer) flushEvent() {
	if t.evPending {
		t.evPending = false
		t.cfg.Sink.Event(&t.ev)
	}
}

// isExec reports an execve or execveat.
func isExec(e *sysent.Entry) bool {
	return e != nil && (e.Name == "execve" || e.Name == "execveat")
}

// atExecEntry reports a task stopped at the entry of an execve.
func atExecEntry(tk *task) bool { return tk.inSyscall && isExec(tk.call.Entry) }

// tgidOf returns the task's thread group id.
func (t *Tracer) tgidOf(tk *task) int {
	if tk.tgid == 0 {
		tk.tgid = tk.pid
		if v, err := sys.TaskTgid(tk.pid); err == nil {
			tk.tgid = v
		}
	}
	return tk.tgid
}

// comm returns the task's command name when -Y or a sink (WantComm) wants
// it.
func (t *Tracer) comm(tk *task) []byte {
	if !t.cfg.Decode.DecodePids && !t.cfg.WantComm {
		return nil
	}
	if tk.comm == nil {
		tk.comm = t.proc.Comm(tk.pid, nil)
	}
	return tk.comm
}

// syscallStop handles a syscall entry or exit stop. It reports whether
// the task was detached.
func (t *Tracer) syscallStop(tk *task) bool {
	var info ptrace.SyscallInfo
	if err := ptrace.GetSyscallInfo(tk.pid, &info); err != nil {
		return false
	}
	switch info.Op {
	case ptrace.SyscallInfoEntry, ptrace.SyscallInfoSeccomp:
		t.enter(tk, &info)
	case ptrace.SyscallInfoExit:
		return t.exit(tk, &info)
	}
	return false
}

func (t *Tracer) enter(tk *task, info *ptrace.SyscallInfo) {
	a := arch.ByAuditArch(info.Arch)
	tab := sysent.ForAuditArch(info.Arch)
	if a == nil || tab == nil {
		return
	}
	tk.justExeced = false
	t.checkPersonality(tk, a)
	c := &tk.call
	*c = decode.Call{Arch: a, Table: tab, Nr: info.Nr, Args: info.Args, SP: info.StackPointer, Entry: tab.Lookup(info.Nr), Prev: tk.prev}
	if c.Entry != nil && c.Entry.Name == "socketcall" && !tk.hidden {
		t.socketcall(tk.pid, c)
	}
	if c.Entry != nil && c.Entry.Name == "ipc" && !tk.hidden {
		t.ipc(c)
	}
	if c.Entry != nil && c.Entry.Name != "restart_syscall" {
		tk.prev = c.Entry
	}
	tk.inSyscall = true
	if tk.silent {
		return
	}
	if tk.hidden {
		if !isExec(c.Entry) {
			return
		}
		// The program's own life starts here: trace it with the user's
		// options (children included under -f).
		tk.hidden = false
		ptrace.SetOptions(tk.pid, t.traceOpts(false, tk.filtered))
	}
	f := t.cfg.Filter
	sel := selNr(c)
	tk.traced = f.Trace.Has(tab, sel) && (t.paths == nil || t.paths.uses(tk.pid, c))
	if !tk.traced {
		return
	}
	// Only traced calls are tampered with (and counted for when=), as in
	// strace 6.1.
	tk.inject = t.injectEnter(tk, c)
	now := time.Now()
	tk.entered, tk.stime = now, t.stime
	c.Raw = f.Raw.Has(tab, sel)
	t.callOptions(tab, sel)
	ev := &t.ev
	*ev = Event{Kind: SyscallEnter, Pid: tk.pid, Tgid: t.tgidOf(tk), RawArgs: c.Args, Comm: t.comm(tk), Time: now, Arch: a, Entry: c.Entry, Nr: shownNr(c), Order: orderNr(c), IP: info.InstructionPointer, Args: ev.Args}
	ev.Args.Reset()
	t.mem.reset(tk.pid)
	t.ctx.Pid = tk.pid
	t.ctx.Call, t.ctx.Out = c, &ev.Args
	decode.Enter(&t.ctx)
	ev.More, ev.SepAtExit = c.More, c.SepAtExit
	t.evPending = true
}

// callOptions sets the decoding options of one call: -e abbrev= and
// -e verbose= per syscall, over the configured ones.
func (t *Tracer) callOptions(tab *sysent.Table, nr uint64) {
	f := t.cfg.Filter
	t.opts = t.cfg.Decode
	if f.Abbrev != nil && !f.Abbrev.Has(tab, nr) {
		t.opts.Verbose = true
	}
	if f.Verbose != nil && !f.Verbose.Has(tab, nr) {
		t.opts.NoDeref = true
	}
}

func (t *Tracer) exit(tk *task, info *ptrace.SyscallInfo) (detached bool) {
	if !tk.inSyscall {
		return false
	}
	tk.inSyscall = false
	if tk.hidden {
		return false
	}
	c := &tk.call
	c.Rval, c.IsError = info.Rval, info.IsError
	in := tk.inject
	if in == nil {
		tk.poked = false
	} else {
		c.Rval, c.IsError = t.injectExit(tk, c.Arch, in, c.Rval, c.IsError)
		tk.inject = nil
	}
	if tk.traced {
		now := time.Now()
		t.callOptions(c.Table, selNr(c))
		ev := &t.ev
		*ev = Event{Kind: SyscallExit, Pid: tk.pid, Tgid: t.tgidOf(tk), RawArgs: c.Args, Comm: t.comm(tk), Time: now, Duration: now.Sub(tk.entered), SysTime: max(0, t.stime-tk.stime), Arch: c.Arch, Entry: c.Entry, Nr: shownNr(c), Order: orderNr(c), SepAtExit: c.SepAtExit, Args: ev.Args}
		ev.Args.Reset()
		t.mem.reset(tk.pid)
		t.ctx.Pid = tk.pid
		t.ctx.Call, t.ctx.Out = c, &ev.Args
		decode.Exit(&t.ctx)
		ev.Ret, ev.Note, ev.NoteVal = c.Ret, c.Note, c.NoteVal
		ev.Rval, ev.IsError = c.Arch.SignedWord(uint64(c.Rval)), c.IsError
		ev.Injected = in != nil && in.Tampers()
		ev.InjectedArgs = in != nil && tk.poked
		ev.Delayed = in != nil && in.Delays != 0
		if !c.IsError {
			switch {
			case c.Ret == decode.RetFD && t.opts.DecodeFDs && ev.Rval >= 0:
				t.deco = t.proc.FDInfo(tk.pid, int(ev.Rval), t.deco[:0])
				ev.RetDeco = t.deco
			case c.Ret == decode.RetPid && t.opts.DecodePids && ev.Rval > 0:
				t.deco = t.proc.Comm(int(ev.Rval), t.deco[:0])
				ev.RetDeco = t.deco
			}
		}
		t.dump(tk.pid, c, ev)
		ev.Stack = t.stack(tk, c.Arch)
		t.reported++
		t.evPending = true
	}
	if isExec(c.Entry) && c.IsError && tk.pid == t.leader && !t.execed {
		// The launched program could not be executed: what follows is the
		// stub reporting it, not the program; only its exit is shown.
		tk.hidden, tk.quiet = true, true
	}
	if isExec(c.Entry) && !c.IsError {
		first := !t.execed && tk.pid == t.leader
		t.execed = true
		if a := arch.ByAuditArch(info.Arch); a != nil {
			// The new program's mode shows at the execve's exit.
			t.checkPersonality(tk, a)
		}
		tk.comm = nil // a new program, a new name
		if t.unwinder != nil {
			t.unwinder.Forget(t.tgidOf(tk))
		}
		tk.justExeced = first
		if t.cfg.DetachOnExec && !first {
			ptrace.Detach(tk.pid, 0)
			t.detached(tk)
			return true
		}
	}
	return false
}

func (t *Tracer) signalStop(tk *task, sig int) {
	t.flushEvent() // t.ev is about to be reused
	var si ptrace.Siginfo
	ev := &t.ev
	*ev = Event{Kind: Signal, Pid: tk.pid, Tgid: t.tgidOf(tk), Comm: t.comm(tk), Sig: sig, Args: ev.Args}
	ev.Args.Reset()
	if err := ptrace.GetSiginfo(tk.pid, &si); err == nil {
		decode.Siginfo(&ev.Args, si.Raw())
	}
	var info ptrace.SyscallInfo
	if ptrace.GetSyscallInfo(tk.pid, &info) == nil {
		ev.IP = info.InstructionPointer // for -i
	}
	t.mem.reset(tk.pid)
	ev.Stack = t.stack(tk, arch.ByAuditArch(info.Arch))
	ev.Time = time.Now()
	t.cfg.Sink.Event(ev)
}

// stack returns the stopped task's user-space stack for -k (nil without
// it), in storage reused from one stop to the next: sinks use an event
// only while Event runs.
func (t *Tracer) stack(tk *task, a *arch.Arch) []stack.Frame {
	if t.unwinder == nil {
		return nil
	}
	n, err := ptrace.GetRegSet(tk.pid, ptrace.NTPrStatus, t.regBuf[:])
	if err != nil {
		return nil
	}
	if r := arch.ByRegsSize(n); r != nil {
		a = r // at a signal stop, the syscall info's AUDIT_ARCH is the native one
	}
	t.frames = t.unwinder.Unwind(t.frames[:0], tk.pid, a, t.regBuf[:n], &t.mem)
	return t.frames
}
