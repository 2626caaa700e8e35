package testutil

import (
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
