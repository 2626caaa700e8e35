package tracer

import (
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sonde-dev/sonde/internal/sys"
)

// placement keeps the ptrace thread on the CPU of the program it traces,
// without touching the program's own affinity. On a machine with idle
// CPUs the scheduler puts a new program, at its exec, on a CPU other than
// the busy tracer's, and a woken task goes back to its previous CPU while
// that one is idle: every resume then wakes that other CPU (on a VM, a
// halted vCPU: a VM exit). So the ptrace thread runs under SCHED_IDLE and
// moves to the CPU of the task it serves: at each exec (where the
// scheduler placed the new program); at a new process's first stop; when
// one task's stops come followRun times in a row (a shell woken by its
// child's exit; threads that take turns make no such runs); and every
// followCheck stops of a long run, which the load balancer may have moved
// away. A CPU running only SCHED_IDLE threads counts as idle when a task
// is woken, so the tracee, resumed, stays on that CPU and preempts the
// tracer at once; the two then take turns on one CPU (docs/performance.md
// has the numbers). A move costs about two cross-CPU stops, so when runs
// end soon after the thread moved, the run length that moves it doubles
// (up to followRunMax), and it halves again when moves pay.
//
// SCHED_IDLE yields to every other task, and a pinned SCHED_IDLE thread
// that shares its CPU with a busy task gets a slice about every quarter
// second: the program it traces would stall with it. A watchdog goroutine
// (an ordinary thread, on any CPU) looks every 10 ms: when the ptrace
// thread handled no stop in that time yet waited for a CPU more than half
// of it (starved: a tracer taking turns with its tracee handles stops, and
// one waiting for a busy tracee sleeps in wait4), or when more tasks are
// runnable than there are CPUs, it puts the thread back under SCHED_OTHER
// on every CPU for the rest of the run.
type placement struct {
	on   bool           // started and not stopped (ptrace thread's view)
	off  atomic.Bool    // given up, by the watchdog or stop
	orig unix.CPUSet    // the thread's affinity before
	attr unix.SchedAttr // the thread's scheduling attributes before (nice, flags)
	ncpu int
	tid  int
	cpu  int // the CPU the thread is pinned to, -1 for none
	done chan struct{}
	// exited closes when the watchdog has returned.
	exited chan struct{}
	// stops counts the stops the ptrace thread handled (the tracer's
	// counter), for the watchdog.
	stops *atomic.Uint64
	// cpuOf, when set, replaces sys.TaskCPU (tests).
	cpuOf func(pid int) (int, error)

	// The current run of stops (see stopOf): the task, how many stops,
	// whether the thread is to move before the task is resumed (want) and
	// whether the length rule moved it during the run; need is the run
	// length that moves the thread, wantAt the one for this run (0:
	// none).
	last, run, need, wantAt int
	want, movedInRun        bool
	crowded                 int  // batches in a row with placementQueue syscall stops
	check                   bool // want is a periodic check (followCheck)
	still                   int  // runs since the length rule last moved the thread
	// How the current run began (once started), and its task, whose
	// runs map keeps the length of the last run begun each way.
	begun   runStart
	started bool
	cur     *task
}

// runStart is how a run of stops began: the syscall of its first stop, at
// its entry or its exit.
type runStart struct {
	nr   uint64
	exit bool
}

// Run lengths that move the ptrace thread to the task's CPU (see
// placement): the least and the most; how many stops a run must go on
// after a move for the move to have paid (a move costs about two stops
// across CPUs); after how many runs without a move a raised length is
// halved, to try again (a program's pattern changes); the predicted
// length that moves the thread at a run's first stop; and how often, in
// stops, a long run checks that its task is still where the thread is
// (the load balancer moves a task away from a CPU that also has the
// ptrace thread runnable on it, and back: a 1-byte dd moved 63 times a
// second).
const (
	followRun    = 3
	followRunMax = 64
	followPays   = 2
	followRetry  = 64
	followLong   = 6
	followCheck  = 32
)

// placementQueue is how many tasks stopped at syscalls waiting at once
// for the ptrace thread, in placementCrowded batches in a row, give the
// policy up (see queued).
const (
	placementQueue   = 4
	placementCrowded = 3
)

// placementWatch is how often the watchdog looks.
const placementWatch = 10 * time.Millisecond

// start turns the policy on for the calling (ptrace) thread when the
// machine has more than one CPU; the watchdog turns it off if it is busy.
// stops is the count of stops the thread handles.
func (p *placement) start(stops *atomic.Uint64) {
	p.cpu, p.stops = -1, stops
	p.last, p.run, p.need, p.wantAt = 0, 0, followRun, followRun
	set, err := sys.ThreadAffinity()
	if err != nil || set.Count() < 2 {
		return
	}
	p.orig, p.ncpu, p.tid = set, set.Count(), unix.Gettid()
	// Without a way back to SCHED_OTHER a starved thread could not be
	// rescued: no policy then. Nor under another policy than SCHED_OTHER
	// (sonde run under chrt): that was the user's choice.
	attr, err := sys.ThreadSched(0)
	if err != nil || attr.Policy != unix.SCHED_NORMAL || !sys.CanLeaveIdle() || sys.SetThreadIdle(0, attr) != nil {
		return
	}
	p.attr = attr
	p.on = true
	p.off.Store(false)
	p.done, p.exited = make(chan struct{}), make(chan struct{})
	go p.watch(p.done, p.exited)
}

// busy reports more runnable tasks than CPUs (or no way to tell), not
// counting ours: the watchdog and the ptrace thread.
func (p *placement) busy() bool {
	n, err := sys.Runnable()
	return err != nil || n-2 > p.ncpu
}

// follow moves the thread to the CPU task pid was placed on. It reports
// whether the thread moved.
func (p *placement) follow(pid int) bool {
	if !p.on || p.off.Load() {
		return false
	}
	cpuOf := sys.TaskCPU
	if p.cpuOf != nil {
		cpuOf = p.cpuOf
	}
	cpu, err := cpuOf(pid)
	if err != nil || cpu == p.cpu || cpu < 0 || !p.orig.IsSet(cpu) {
		return false
	}
	if sys.PinThread(0, cpu, nil) != nil {
		return false
	}
	p.cpu = cpu
	if p.off.Load() {
		sys.PinThread(0, -1, &p.orig) // the watchdog gave up meanwhile
	}
	return true
}

// queued is told, for each batch of wait statuses collected at once, how
// many are tasks stopped at syscalls. When placementCrowded batches in a
// row hold placementQueue or more, tasks run side by side faster than
// one thread serves them: the thread then needs every CPU and its full
// share, not a SCHED_IDLE slot on one CPU, and the policy is given up.
// (A process's threads stopping together at its exit make one such
// batch, of exit stops: not counted.)
func (p *placement) queued(n int) {
	if !p.on || p.off.Load() {
		return
	}
	if n < placementQueue {
		p.crowded = 0
		return
	}
	if p.crowded++; p.crowded >= placementCrowded {
		p.giveUp()
	}
}

// stopOf counts a stop of task pid into the current run; when the run
// reaches the length that moves the thread, the thread moves to the
// task's CPU just before the task is resumed (resuming). A run begins at
// a syscall stop (sysStop): the first stop of a new child, an event or a
// signal does not start one.
func (p *placement) stopOf(pid int, sysStop bool) {
	if !p.on {
		return
	}
	if pid != p.last {
		p.endRun()
		p.last = pid
	}
	if p.run == 0 && !sysStop {
		return
	}
	p.run++
	if p.run == p.wantAt {
		p.want = true
	} else if p.run > p.wantAt && p.run%followCheck == 0 {
		p.want, p.check = true, true
	}
}

// endRun ends the current run: it records the run's length for its task
// and judges the move the length rule made in it.
func (p *placement) endRun() {
	if p.started {
		if p.cur.runs == nil {
			p.cur.runs = map[runStart]int{}
		}
		p.cur.runs[p.begun] = p.run
	}
	p.still++
	switch {
	case p.movedInRun: // did the move pay?
		if p.run-p.wantAt < followPays {
			p.need = min(2*p.need, followRunMax)
		} else {
			p.need = max(p.need/2, followRun)
		}
		p.still = 0
	case p.still >= followRetry && p.need > followRun:
		p.need, p.still = max(p.need/2, followRun), 0
	}
	p.run, p.wantAt, p.want, p.movedInRun, p.check = 0, p.need, false, false, false
	p.started, p.cur = false, nil
}

// resuming moves the thread to the CPU of task tk, about to be resumed,
// when its run asks for it. At the run's first stop, a run its task began
// the same way before (the same syscall, entry or exit) predicts its
// length: the thread moves at once when that was long, and the length
// rule waits past it when it was short. Not at the entry of an execve
// (atExecEntry): the scheduler places the new program on the idlest CPU,
// which the thread leaves idle by moving, and the thread follows the
// program at its exec event anyway; moving before would cost a move for
// nothing.
func (p *placement) resuming(tk *task) {
	if !p.on || tk.pid != p.last || p.run == 0 {
		return
	}
	if p.run == 1 && !p.started && tk.call.Entry != nil { // numbers no table knows make no keys
		p.started, p.cur = true, tk
		p.begun = runStart{nr: tk.call.Nr, exit: !tk.inSyscall}
		if n, ok := tk.runs[p.begun]; ok {
			if n >= followLong {
				p.wantAt = 0 // moved now: the rule has nothing to do
				if !atExecEntry(tk) {
					p.follow(tk.pid)
				}
				return
			}
			p.wantAt = max(p.need, n+2)
		}
	}
	if p.want {
		check := p.check
		p.want, p.check = false, false
		if !atExecEntry(tk) && p.follow(tk.pid) && !check {
			p.movedInRun = true
		}
	}
}

// watch gives the policy up when the ptrace thread starves or the system
// is busy. It runs until done closes.
func (p *placement) watch(done, exited chan struct{}) {
	defer close(exited)
	tick := time.NewTicker(placementWatch)
	defer tick.Stop()
	last, err := sys.ThreadRunDelay(p.tid)
	if err != nil {
		p.giveUp()
		return
	}
	at, stops := time.Now(), p.stops.Load()
	for {
		select {
		case <-done:
			return
		case now := <-tick.C:
			d, err := sys.ThreadRunDelay(p.tid)
			n := p.stops.Load()
			starved := err != nil || n == stops && time.Duration(d-last) > now.Sub(at)/2
			last, at, stops = d, now, n
			if starved || p.busy() {
				p.giveUp()
				return
			}
		}
	}
}

// giveUp puts the ptrace thread back under SCHED_OTHER on its CPUs, from
// any thread. Once only.
func (p *placement) giveUp() {
	if p.off.Swap(true) {
		return
	}
	sys.SetThreadSched(p.tid, p.attr)
	sys.PinThread(p.tid, -1, &p.orig)
}

// stop ends the policy at the end of a run (on the ptrace thread).
func (p *placement) stop() {
	if !p.on {
		return
	}
	p.on = false
	close(p.done)
	<-p.exited // a give-up of the watchdog's is over, and it reads p no more
	p.giveUp()
	p.cpu = -1
}
