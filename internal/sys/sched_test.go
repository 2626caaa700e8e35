//go:build linux

package sys

import (
	"os"
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
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
	if err := SetThreadIdle(0, true); err != nil {
		t.Fatal(err)
	}
	if a, err := unix.SchedGetAttr(0, 0); err != nil || a.Policy != unix.SCHED_IDLE {
		t.Errorf("policy %v (%v), want SCHED_IDLE", a, err)
	}
	if err := SetThreadIdle(0, false); err != nil {
		t.Fatal(err)
	}
}
