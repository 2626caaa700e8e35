package testutil

import (
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// DropThreadCap removes capability c from the calling thread's effective
// set (capabilities are per thread on Linux) and returns the function
// that puts it back, reporting whether it could. The caller holds its
// thread (runtime.LockOSThread) from before the call until after the
// restore, so that no other goroutine runs there without c, and keeps it
// locked (the thread then dies with the goroutine) when the restore
// fails. It skips the test (mandatory in CI) when the thread does not
// have c to drop.
func DropThreadCap(t testing.TB, c int) (restore func() bool) {
	t.Helper()
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		Skipf(t, "capget: %v", err)
	}
	word, bit := c/32, uint32(1)<<(c%32)
	if data[word].Effective&bit == 0 {
		Skipf(t, "requires capability %d in the effective set", c)
	}
	drop := data
	drop[word].Effective &^= bit
	hdr = unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	if err := unix.Capset(&hdr, &drop[0]); err != nil {
		t.Fatalf("capset (dropping capability %d): %v", c, err)
	}
	return func() bool {
		hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
		if err := unix.Capset(&hdr, &data[0]); err != nil {
			t.Errorf("capset (restoring capability %d): %v", c, err)
			return false
		}
		return true
	}
}

// LockThread locks the test's goroutine to its thread until the test has
// ended (its cleanups run on that goroutine), and hands the thread back
// to the Go scheduler only with the scheduling attributes it had (policy,
// nice): a test that leaves it SCHED_IDLE, or reniced, lets it die with
// the test instead of slowing whatever runs there next.
func LockThread(t testing.TB) {
	t.Helper()
	runtime.LockOSThread()
	before, err := unix.SchedGetAttr(0, 0)
	if err != nil {
		t.Fatalf("sched_getattr: %v", err)
	}
	t.Cleanup(func() {
		if a, err := unix.SchedGetAttr(0, 0); err == nil && a.Policy == before.Policy && a.Nice == before.Nice {
			runtime.UnlockOSThread()
		}
	})
}
