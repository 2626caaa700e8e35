//go:build linux

package sys

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/sonde-dev/sonde/internal/testutil"
)

func TestSchedReaders(t *testing.T) {
	testutil.LockThread(t)
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
	if !CanLeaveIdle() {
		testutil.Skipf(t, "requires a way back from SCHED_IDLE (CAP_SYS_NICE or RLIMIT_NICE)")
	}
	attr, err := ThreadSched(0)
	if err != nil {
		t.Fatal(err)
	}
	if err := SetThreadIdle(0, attr); err != nil {
		t.Fatal(err)
	}
	if a, err := unix.SchedGetAttr(0, 0); err != nil || a.Policy != unix.SCHED_IDLE {
		t.Errorf("policy %v (%v), want SCHED_IDLE", a, err)
	}
	if err := SetThreadSched(0, attr); err != nil {
		t.Fatal(err)
	}
	if a, err := unix.SchedGetAttr(0, 0); err != nil || a.Policy != attr.Policy || a.Nice != attr.Nice {
		t.Errorf("attributes %v (%v) after SetThreadSched, want %v", a, err, attr)
	}
}

// TestCanLeaveIdle: with CAP_SYS_NICE the thread may leave SCHED_IDLE;
// without it (and with an RLIMIT_NICE that does not allow its nice value)
// it may not, and the kernel agrees.
func TestCanLeaveIdle(t *testing.T) {
	testutil.LockThread(t)
	if !CanLeaveIdle() {
		testutil.Skipf(t, "requires CAP_SYS_NICE or RLIMIT_NICE")
	}
	attr, err := ThreadSched(0)
	if err != nil {
		t.Fatal(err)
	}
	var rl unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NICE, &rl); err != nil {
		t.Fatal(err)
	}
	if rl.Cur >= uint64(20-attr.Nice) {
		testutil.Optionalf(t, "RLIMIT_NICE is %d: leaving SCHED_IDLE is allowed without CAP_SYS_NICE", rl.Cur)
	}
	restore := testutil.DropThreadCap(t, unix.CAP_SYS_NICE)
	idle := false
	defer func() {
		// Capability first, then out of SCHED_IDLE; LockThread's cleanup
		// hands the thread back only if both worked.
		if restore() && idle {
			SetThreadSched(0, attr)
		}
	}()
	if CanLeaveIdle() {
		t.Fatal("CanLeaveIdle without CAP_SYS_NICE and RLIMIT_NICE")
	}
	// The kernel agrees: the way back is refused.
	if err := SetThreadIdle(0, attr); err != nil {
		t.Fatal(err)
	}
	idle = true
	if err := SetThreadSched(0, attr); !errors.Is(err, unix.EPERM) {
		t.Errorf("leaving SCHED_IDLE without CAP_SYS_NICE: %v, want EPERM", err)
	}
}

// TestCanLeaveIdleInUserNS: CAP_SYS_NICE held in a user namespace of its
// own (rootless containers, unshare -r) does not let a thread leave
// SCHED_IDLE, which takes it in the initial one: CanLeaveIdle must say
// no there (a placement policy started on its yes stayed SCHED_IDLE).
// The test runs itself again under unshare -U -r.
func TestCanLeaveIdleInUserNS(t *testing.T) {
	if os.Getenv("SONDE_TEST_USERNS") == "1" {
		testutil.LockThread(t)
		var rl unix.Rlimit
		if err := unix.Getrlimit(unix.RLIMIT_NICE, &rl); err != nil {
			t.Fatal(err)
		}
		attr, err := ThreadSched(0)
		if err != nil {
			t.Fatal(err)
		}
		allowed := rl.Cur >= uint64(20-attr.Nice)
		if got := CanLeaveIdle(); got != allowed {
			t.Errorf("CanLeaveIdle() = %v in a user namespace of its own, RLIMIT_NICE %d: want %v", got, rl.Cur, allowed)
		}
		if err := SetThreadIdle(0, attr); err != nil {
			t.Fatal(err)
		}
		// The kernel agrees with CanLeaveIdle (the thread dies with the
		// test when it stays SCHED_IDLE).
		if err := SetThreadSched(0, attr); (err == nil) != allowed {
			t.Errorf("leaving SCHED_IDLE: %v, CanLeaveIdle said %v", err, allowed)
		}
		return
	}
	testutil.RequireRoot(t)
	if _, err := exec.LookPath("unshare"); err != nil {
		testutil.Skipf(t, "requires unshare: %v", err)
	}
	if err := exec.Command("unshare", "-U", "-r", "true").Run(); err != nil {
		testutil.Optionalf(t, "user namespaces are not available here: %v", err)
	}
	cmd := exec.Command("unshare", "-U", "-r", os.Args[0], "-test.run", "^TestCanLeaveIdleInUserNS$", "-test.count", "1", "-test.v")
	cmd.Env = append(os.Environ(), "SONDE_TEST_USERNS=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestCanLeaveIdleInUserNS") {
		t.Errorf("in a user namespace: %v\n%s", err, out)
	}
}
