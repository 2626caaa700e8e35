package tracer

import (
	"os/exec"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sonde-dev/sonde/internal/sys"
	"github.com/sonde-dev/sonde/internal/testutil"
)

// TestPlacementGivesUpWhenStarved: a SCHED_IDLE thread pinned to a CPU
// that a busy thread also runs on gets almost no time; the watchdog must
// notice (no stop handled, most of the time spent waiting) and put it back
// under SCHED_OTHER on every CPU, quickly.
func TestPlacementGivesUpWhenStarved(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
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
