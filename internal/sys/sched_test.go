//go:build linux

package sys

import (
	"errors"
	"os"
	"runtime"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/sonde-dev/sonde/internal/testutil"
)

func TestSchedReaders(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	set, err := ThreadAffinity()
	if err != nil || set.Count() < 1 {
		t.Fatalf("ThreadAffinity: %d CPUs, %v", set.Count(), err)
	}
	if cpu, err := TaskCPU(os.Getpid()); err != nil || cpu < 0 || cpu >= 1024 {
		t.Errorf("TaskCPU(self) = %d, %v", cpu, err)
	}
	if _, err := TaskCPU(-1); err == nil {
		t.Error("TaskCPU(-1) did not fail")
	}
	if n, err := Runnable(); err != nil || n < 1 {
		t.Errorf("Runnable() = %d, %v: at least this thread runs", n, err)
	}
	if _, err := ThreadRunDelay(unix.Gettid()); err != nil {
		t.Errorf("ThreadRunDelay: %v", err)
	}
	// Pinned to its current CPU, then back: TaskCPU of this thread agrees.
	cpu := -1
	for c := 0; c < 1024; c++ {
		if set.IsSet(c) {
			cpu = c
			break
		}
	}
	if err := PinThread(0, cpu, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := TaskCPU(unix.Gettid()); err != nil || got != cpu {
		t.Errorf("pinned to %d, runs on %d (%v)", cpu, got, err)
	}
	if err := PinThread(0, -1, &set); err != nil {
		t.Fatal(err)
	}
	if after, _ := ThreadAffinity(); after.Count() != set.Count() {
		t.Errorf("affinity not restored: %d CPUs, want %d", after.Count(), set.Count())
	}
	if err := SetThreadIdle(0, true, 0); err != nil {
		t.Fatal(err)
	}
	if a, err := unix.SchedGetAttr(0, 0); err != nil || a.Policy != unix.SCHED_IDLE {
		t.Errorf("policy %v (%v), want SCHED_IDLE", a, err)
	}
	if err := SetThreadIdle(0, false, 0); err != nil {
		t.Fatal(err)
	}
}

// TestCanLeaveIdle: with CAP_SYS_NICE the thread may leave SCHED_IDLE;
// without it (and with an RLIMIT_NICE that does not allow its nice value)
// it may not, and the kernel agrees.
func TestCanLeaveIdle(t *testing.T) {
	runtime.LockOSThread()
	if !CanLeaveIdle() {
		runtime.UnlockOSThread()
		testutil.Skipf(t, "requires CAP_SYS_NICE or RLIMIT_NICE")
	}
	var rl unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NICE, &rl); err != nil {
		t.Fatal(err)
	}
	if rl.Cur >= 20 {
		runtime.UnlockOSThread()
		testutil.Optionalf(t, "RLIMIT_NICE is %d: leaving SCHED_IDLE is allowed without CAP_SYS_NICE", rl.Cur)
	}
	restore := testutil.DropThreadCap(t, unix.CAP_SYS_NICE)
	idle := false
	defer func() {
		// The thread goes back to other goroutines only whole: its
		// capability back and out of SCHED_IDLE; else it dies locked.
		if restore() && (!idle || SetThreadIdle(0, false, 0) == nil) {
			runtime.UnlockOSThread()
		}
	}()
	if CanLeaveIdle() {
		t.Fatal("CanLeaveIdle without CAP_SYS_NICE and RLIMIT_NICE")
	}
	// The kernel agrees: the way back is refused.
	if err := SetThreadIdle(0, true, 0); err != nil {
		t.Fatal(err)
	}
	idle = true
	if err := SetThreadIdle(0, false, 0); !errors.Is(err, unix.EPERM) {
		t.Errorf("leaving SCHED_IDLE without CAP_SYS_NICE: %v, want EPERM", err)
	}
}
