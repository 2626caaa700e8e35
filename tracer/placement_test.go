package tracer

import (
	"os/exec"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/internal/sys"
	"github.com/sonde-dev/sonde/internal/testutil"
	"github.com/sonde-dev/sonde/sysent"
)

// TestPlacementGivesUpWhenStarved: a SCHED_IDLE thread pinned to a CPU
// that a busy thread also runs on gets almost no time; the watchdog must
// notice (no stop handled, most of the time spent waiting) and put it back
// under SCHED_OTHER on every CPU, quickly.
func TestPlacementGivesUpWhenStarved(t *testing.T) {
	testutil.LockThread(t)
	var p placement
	var stops atomic.Uint64
	p.start(&stops)
	if !p.on {
		testutil.Optionalf(t, "placement did not start (one CPU here)")
	}
	defer p.stop()
	cpu := -1
	for c := 0; c < 1024; c++ {
		if p.orig.IsSet(c) {
			cpu = c
			break
		}
	}
	// A busy process of ordinary priority on that CPU (a process: a
	// goroutine would also hold one of this test's Ps).
	hog := exec.Command("/bin/sh", "-c", "while :; do :; done")
	if err := hog.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { hog.Process.Kill(); hog.Wait() }()
	var one unix.CPUSet
	one.Set(cpu)
	if err := unix.SchedSetaffinity(hog.Process.Pid, &one); err != nil {
		t.Fatal(err)
	}
	// Follow the busy process to its CPU, as at an exec (follow also
	// copes with a watchdog that already gave up).
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); {
		if c, err := sys.TaskCPU(hog.Process.Pid); err == nil && c == cpu {
			break
		}
	}
	p.follow(hog.Process.Pid)
	start := time.Now()
	for !p.off.Load() && time.Since(start) < 5*time.Second {
		// Runnable, handling no stop: starved behind the busy thread.
	}
	took := time.Since(start)
	if !p.off.Load() {
		t.Fatalf("still under the policy after %v of starvation", took)
	}
	t.Logf("gave up after %v", took)
	var attr *unix.SchedAttr
	for time.Since(start) < 5*time.Second {
		if a, err := unix.SchedGetAttr(0, 0); err == nil && a.Policy != unix.SCHED_IDLE {
			attr = a
			break
		}
	}
	if attr == nil {
		t.Fatal("the thread is still SCHED_IDLE")
	}
	set, err := sys.ThreadAffinity()
	if err != nil || set.Count() != p.orig.Count() {
		t.Errorf("affinity %d CPUs (%v), want the %d it had", set.Count(), err, p.orig.Count())
	}
}

// twoCPUs locks the test to its thread and returns the thread's affinity
// and the first two CPUs in it, skipping on a machine with fewer; the
// affinity is restored when the test ends.
func twoCPUs(t *testing.T) (unix.CPUSet, [2]int) {
	t.Helper()
	testutil.LockThread(t)
	orig, err := sys.ThreadAffinity()
	if err != nil {
		t.Fatal(err)
	}
	var cpus []int
	for c := 0; c < 1024 && len(cpus) < 2; c++ {
		if orig.IsSet(c) {
			cpus = append(cpus, c)
		}
	}
	if len(cpus) < 2 {
		testutil.Optionalf(t, "needs two CPUs, this thread may run on %d", len(cpus))
	}
	t.Cleanup(func() { sys.PinThread(0, -1, &orig) })
	return orig, [2]int{cpus[0], cpus[1]}
}

// TestPlacementFollowsRuns: the ptrace thread moves to a task's CPU when
// followRun stops of that task come in a row, not before; a run that ends
// soon after a move doubles the length that moves it, one that goes on
// halves it again.
func TestPlacementFollowsRuns(t *testing.T) {
	orig, cpus := twoCPUs(t)
	// Two tasks, one on each CPU: where they are is the test's to say
	// (cpuOf), the thread's moves are real.
	pids := [2]int{1 << 29, 1<<29 + 1}
	where := map[int]int{pids[0]: cpus[0], pids[1]: cpus[1]}
	// The policy without its watchdog (a busy test machine must not turn
	// it off halfway).
	p := placement{on: true, orig: orig, ncpu: orig.Count(), cpu: -1, need: followRun, wantAt: followRun,
		cpuOf: func(pid int) (int, error) { return where[pid], nil }}
	known := &sysent.Entry{Name: "known"} // a syscall some table knows
	tks := [2]*task{{pid: pids[0], call: decode.Call{Entry: known}}, {pid: pids[1], call: decode.Call{Entry: known}}}
	on := func(want int, when string) {
		t.Helper()
		if p.cpu != want {
			t.Fatalf("%s: pinned to CPU %d, want %d", when, p.cpu, want)
		}
		if want < 0 {
			return
		}
		if set, err := sys.ThreadAffinity(); err != nil || set.Count() != 1 || !set.IsSet(want) {
			t.Fatalf("%s: affinity %d CPUs (%v), want CPU %d alone", when, set.Count(), err, want)
		}
	}
	// Each stop is at the exit of a syscall of its own number, so that no
	// run is begun the way an earlier one was (no prediction).
	nr := uint64(1 << 20)
	execve := &sysent.Entry{Name: "execve"}
	stop := func(i int, sysStop bool, nr uint64, execEntry bool) {
		p.stopOf(pids[i], sysStop)
		tks[i].call.Nr = nr
		if execEntry {
			tks[i].call.Entry, tks[i].inSyscall = execve, true
			defer func() { tks[i].call.Entry, tks[i].inSyscall = known, false }()
		}
		p.resuming(tks[i])
	}
	stops := func(i, n int) {
		for range n {
			nr++
			stop(i, true, nr, false)
		}
	}
	stops(0, followRun-1)
	on(-1, "a run shorter than followRun")
	stops(0, 1)
	on(cpus[0], "a run of followRun stops")
	stops(0, followPays) // the move paid
	stops(1, followRun)
	on(cpus[1], "the other task's run")
	if p.need != followRun {
		t.Fatalf("need %d after a move that paid, want %d", p.need, followRun)
	}
	// That run ends at once: the move did not pay.
	stops(0, 1)
	if p.need != 2*followRun {
		t.Fatalf("need %d after a move that did not pay, want %d", p.need, 2*followRun)
	}
	stops(0, 2*followRun-2)
	on(cpus[1], "a run shorter than the doubled length")
	stops(0, 1)
	on(cpus[0], "a run of the doubled length")
	stops(0, followPays)
	stops(1, 1)
	if p.need != followRun {
		t.Fatalf("need %d after a move that paid, want it halved to %d", p.need, followRun)
	}
	// A run that reaches the length at an execve entry does not move the
	// thread (the exec will place the program).
	stops(1, followRun-2) // task 1's run, begun above, one stop short
	on(cpus[0], "a run shorter than followRun")
	stop(1, true, 59, true)
	on(cpus[0], "a run reaching followRun at an execve entry")
	stops(1, 5)
	on(cpus[0], "a run past followRun after an execve entry")
	// Runs that never pay do not push the length past followRunMax.
	for i := 0; i < 20; i++ {
		stops(i%2, p.need)
	}
	if p.need != followRunMax {
		t.Fatalf("need %d after moves that never paid, want the cap %d", p.need, followRunMax)
	}
	// After followRetry runs without a move the length is halved, to try
	// again (the first of these stops ends the last run that moved).
	for i := 0; i <= followRetry; i++ {
		stops(i%2, 1)
	}
	if p.need != followRunMax/2 {
		t.Fatalf("need %d after %d runs without a move, want %d", p.need, followRetry, followRunMax/2)
	}
	for i := 0; p.need > followRun; i++ { // let the length come back down
		if i > 10*followRetry {
			t.Fatalf("need still %d after %d runs without a move", p.need, i)
		}
		stops(i%2, 1)
	}

	// Predictions. A run of task 0 begun at the exit of syscall 7 goes on
	// for followLong stops, and one of task 1 begun at the exit of 8 is
	// short; the thread stays on task 1's CPU.
	stops(1, 1)
	on(cpus[1], "task 1")
	stop(0, true, 7, false)
	stops(0, followLong-1)
	stop(1, true, 8, false)
	stops(1, followRun)
	on(cpus[1], "task 1's run")
	// Task 0's next run begun the same way moves the thread at its first
	// stop.
	stop(0, true, 7, false)
	on(cpus[0], "the first stop of a run predicted long")
	stops(0, followLong-1)
	// Task 1's next run begun as its short one did: the length rule waits
	// past the predicted length (followRun+1 stops), then moves.
	stop(1, true, 8, false)
	stops(1, followRun+1)
	on(cpus[0], "a run as long as its short prediction")
	stops(1, 1)
	on(cpus[1], "a run past its short prediction")
	// The same syscall at its entry is another way to begin.
	stop(0, true, 7, false)
	on(cpus[0], "the first stop of a run predicted long")
	stops(0, 1)
	p.stopOf(pids[1], true)
	tks[1].call.Nr, tks[1].inSyscall = 8, true
	p.resuming(tks[1]) // not at the exit: no prediction
	on(cpus[0], "a run begun at an entry")

	// A number no table knows makes no prediction (a fuzzer's calls must
	// not grow the map).
	tks[0].call.Entry = nil
	stops(1, 1)
	stop(0, true, 1<<40, false)
	stops(0, followLong)
	tks[0].call.Entry = known
	stops(1, 1) // ends the run, which is when it is recorded
	if n, ok := tks[0].runs[runStart{nr: 1 << 40, exit: true}]; ok {
		t.Errorf("a run of %d stops keyed by a number no table knows", n)
	}

	// A run begins at a syscall stop: a new child's first stop (or an
	// event, or a signal) before it does not count.
	tks[1].inSyscall = false
	stops(0, followLong)
	stop(1, false, 0, false)
	stops(1, p.need-1)
	on(cpus[0], "a run one syscall stop short, after another stop")
	stops(1, 1)
	on(cpus[1], "a run of syscall stops of the length that moves")
}

// TestPlacementGivesUpWhenTasksQueue: placementQueue tasks stopped at
// syscalls waiting at once for the ptrace thread, placementCrowded
// batches in a row, give the policy up (the thread is the bottleneck and
// needs its full share); fewer do not.
func TestPlacementGivesUpWhenTasksQueue(t *testing.T) {
	testutil.LockThread(t)
	orig, err := sys.ThreadAffinity()
	if err != nil {
		t.Fatal(err)
	}
	attr, err := sys.ThreadSched(0)
	if err != nil {
		t.Fatal(err)
	}
	if !sys.CanLeaveIdle() {
		testutil.Skipf(t, "requires a way back from SCHED_IDLE (CAP_SYS_NICE or RLIMIT_NICE)")
	}
	// The policy without its watchdog, on this thread under SCHED_IDLE:
	// only queued gives it up.
	if err := sys.SetThreadIdle(0, attr); err != nil {
		t.Fatal(err)
	}
	p := placement{on: true, orig: orig, ncpu: orig.Count(), tid: unix.Gettid(), attr: attr, cpu: -1}
	defer p.giveUp()
	// Crowded batches not in a row, or short of placementQueue: kept.
	for range placementCrowded {
		p.queued(placementQueue)
		p.queued(placementQueue - 1)
	}
	for range placementCrowded - 1 {
		p.queued(placementQueue)
	}
	if p.off.Load() {
		t.Fatal("given up before placementCrowded crowded batches in a row")
	}
	p.queued(placementQueue)
	if !p.off.Load() {
		t.Fatalf("still under the policy after %d batches in a row of %d tasks queued", placementCrowded, placementQueue)
	}
	if a, err := unix.SchedGetAttr(0, 0); err != nil || a.Policy == unix.SCHED_IDLE {
		t.Fatalf("policy %v (%v) after giving up, want SCHED_OTHER", a, err)
	}
}

// TestPlacementChecksLongRuns: a long run of one task checks every
// followCheck stops that the task is still on the thread's CPU, and
// follows it when the scheduler moved it.
func TestPlacementChecksLongRuns(t *testing.T) {
	orig, cpus := twoCPUs(t)
	pid, cpu := 1<<29, cpus[0]
	moveTo := func(c int) { cpu = c }
	p := placement{on: true, orig: orig, ncpu: orig.Count(), cpu: -1, need: followRun, wantAt: followRun,
		cpuOf: func(int) (int, error) { return cpu, nil }}
	tk := &task{pid: pid, call: decode.Call{Entry: &sysent.Entry{Name: "known"}}}
	stops := func(n int) {
		for range n {
			p.stopOf(pid, true)
			tk.call.Nr++ // never a run begun as an earlier one (no prediction)
			p.resuming(tk)
		}
	}
	// On the task's CPU already: the length rule finds nothing to do.
	if !p.follow(pid) || p.cpu != cpus[0] {
		t.Fatalf("pinned to CPU %d, want %d", p.cpu, cpus[0])
	}
	stops(followRun)
	if p.cpu != cpus[0] || p.movedInRun {
		t.Fatalf("pinned to CPU %d (moved by the rule: %v) after a run of followRun, want %d, not moved", p.cpu, p.movedInRun, cpus[0])
	}
	moveTo(cpus[1])
	stops(followCheck - followRun - 1)
	if p.cpu != cpus[0] {
		t.Fatalf("pinned to CPU %d before the check, want %d still", p.cpu, cpus[0])
	}
	stops(1)
	if p.cpu != cpus[1] {
		t.Fatalf("pinned to CPU %d after %d stops of a task moved to CPU %d", p.cpu, followCheck, cpus[1])
	}
	if p.movedInRun {
		t.Error("a move made by a check is judged as one made by the length rule")
	}
}

// TestPlacementNeedsAWayBack: without CAP_SYS_NICE (and without an
// RLIMIT_NICE allowing it) a SCHED_IDLE thread cannot go back to
// SCHED_OTHER, so the watchdog could not rescue it: the policy is not
// used at all.
func TestPlacementNeedsAWayBack(t *testing.T) {
	testutil.LockThread(t)
	if set, err := sys.ThreadAffinity(); err != nil || set.Count() < 2 {
		testutil.Optionalf(t, "needs two CPUs (the policy never starts on one)")
	}
	var rl unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NICE, &rl); err != nil {
		t.Fatal(err)
	}
	attr, err := sys.ThreadSched(0)
	if err != nil {
		t.Fatal(err)
	}
	if rl.Cur >= uint64(20-attr.Nice) {
		testutil.Optionalf(t, "RLIMIT_NICE is %d: leaving SCHED_IDLE is allowed without CAP_SYS_NICE", rl.Cur)
	}
	restore := testutil.DropThreadCap(t, unix.CAP_SYS_NICE)
	var p placement
	defer func() {
		p.stop()
		restore() // LockThread's cleanup then checks the policy
	}()
	var stops atomic.Uint64
	p.start(&stops)
	if p.on {
		t.Error("placement started on a thread that could not leave SCHED_IDLE")
	}
	if a, err := unix.SchedGetAttr(0, 0); err != nil || a.Policy == unix.SCHED_IDLE {
		t.Errorf("policy %v (%v), want SCHED_OTHER kept", a, err)
	}
}

// TestPlacementKeepsNice: a thread that had a nice value (sonde run under
// nice) gets it back when the policy ends, not the 0 sched_setattr would
// otherwise set; under another policy (sonde run under chrt) the policy
// does not start.
func TestPlacementKeepsNice(t *testing.T) {
	testutil.LockThread(t)
	before, err := sys.ThreadSched(0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Setpriority(unix.PRIO_PROCESS, 0, int(before.Nice))
	if err := unix.Setpriority(unix.PRIO_PROCESS, 0, 7); err != nil {
		t.Fatal(err)
	}
	var p placement
	var stops atomic.Uint64
	p.start(&stops)
	if !p.on {
		testutil.Optionalf(t, "placement did not start (one CPU here)")
	}
	p.stop()
	if a, err := sys.ThreadSched(0); err != nil || a.Nice != 7 {
		t.Errorf("nice %d (%v) after the policy, want 7", a.Nice, err)
	}
	if a, err := unix.SchedGetAttr(0, 0); err != nil || a.Policy != unix.SCHED_NORMAL {
		t.Errorf("policy %v (%v) after the policy, want SCHED_OTHER", a, err)
	}
	// Under SCHED_BATCH: left alone.
	attr, err := sys.ThreadSched(0)
	if err != nil {
		t.Fatal(err)
	}
	batch := attr
	batch.Policy = unix.SCHED_BATCH
	if err := sys.SetThreadSched(0, batch); err != nil {
		t.Fatal(err)
	}
	defer sys.SetThreadSched(0, attr)
	var q placement
	q.start(&stops)
	if q.on {
		q.stop()
		t.Error("the policy started on a SCHED_BATCH thread")
	}
	if a, err := unix.SchedGetAttr(0, 0); err != nil || a.Policy != unix.SCHED_BATCH {
		t.Errorf("policy %v (%v), want SCHED_BATCH kept", a, err)
	}
}
