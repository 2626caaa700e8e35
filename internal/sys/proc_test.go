//go:build linux

package sys

import (
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestTaskTgid(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	pid := os.Getpid()
	if got, err := TaskTgid(pid); err != nil || got != pid {
		t.Errorf("TaskTgid(self) = %d, %v; want %d", got, err, pid)
	}
	// A thread other than the leader belongs to the same process.
	tid := unix.Gettid()
	if got, err := TaskTgid(tid); err != nil || got != pid {
		t.Errorf("TaskTgid(thread %d) = %d, %v; want %d", tid, got, err, pid)
	}
	if _, err := TaskTgid(-1); !errors.Is(err, unix.EINVAL) {
		t.Errorf("TaskTgid(-1): %v, want EINVAL", err)
	}
	if _, err := TaskTgid(1 << 30); !errors.Is(err, unix.ENOENT) {
		t.Errorf("TaskTgid(no such task): %v, want ENOENT", err)
	}
}

func TestStatusTgid(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int // 0: an error
	}{
		{"Name:\tsh\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t4242\nNgid:\t0\n", 4242},
		{"Name:\tTgid:\t7\nTgid:\t9\n", 9}, // a comm that looks like the key
		{"Name:\tx\nTgid:\t\n", 0},
		{"Name:\tx\nTgid:\t12", 0}, // cut short: the number may be too
		{"Name:\tx\nTgid:\t0\n", 0},
		{"Name:\tx\n", 0},
	} {
		got, err := statusTgid([]byte(c.in), 1)
		if c.want == 0 {
			if err == nil {
				t.Errorf("%q: %d, want an error", c.in, got)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: %d, %v; want %d", c.in, got, err, c.want)
		}
	}
}

func TestStatProcessor(t *testing.T) {
	fields := make([]string, 50)
	for i := range fields {
		fields[i] = "0"
	}
	fields[39-3] = "17"
	line := "123 (a) b) c) " + strings.Join(fields, " ") + "\n"
	if got, err := statProcessor([]byte(line), 123); err != nil || got != 17 {
		t.Errorf("statProcessor = %d, %v; want 17 (a comm with ')' in it)", got, err)
	}
	short := "123 (a) " + strings.Join(fields[:30], " ") + "\n"
	if _, err := statProcessor([]byte(short), 123); err == nil {
		t.Error("a line with too few fields gave no error")
	}
	fields[39-3] = "x1"
	if _, err := statProcessor([]byte("1 (a) "+strings.Join(fields, " ")), 1); err == nil {
		t.Error("a processor field that is not a number gave no error")
	}
}

// TestProcReadersDoNotAllocate: the ptrace thread calls these between
// stops, where sonde allocates nothing.
func TestProcReadersDoNotAllocate(t *testing.T) {
	pid := os.Getpid()
	if n := testing.AllocsPerRun(100, func() { TaskCPU(pid) }); n != 0 {
		t.Errorf("TaskCPU: %v allocations per call", n)
	}
	if n := testing.AllocsPerRun(100, func() { TaskTgid(pid) }); n != 0 {
		t.Errorf("TaskTgid: %v allocations per call", n)
	}
	// The placement watchdog's, every 10 ms.
	tid := unix.Gettid()
	if n := testing.AllocsPerRun(100, func() { ThreadRunDelay(tid) }); n != 0 {
		t.Errorf("ThreadRunDelay: %v allocations per call", n)
	}
	if n := testing.AllocsPerRun(100, func() { Runnable() }); n != 0 {
		t.Errorf("Runnable: %v allocations per call", n)
	}
}

func TestFieldAndAtoi(t *testing.T) {
	b := []byte("0.52 0.61 0.70 3/81 12345\n")
	for i, want := range []string{"0.52", "0.61", "0.70", "3/81", "12345", ""} {
		if got := string(field(b, i)); got != want {
			t.Errorf("field %d = %q, want %q", i, got, want)
		}
	}
	if n, ok := atoi([]byte("1234567")); !ok || n != 1234567 {
		t.Errorf("atoi = %d, %v", n, ok)
	}
	for _, bad := range []string{"", "12a", "-1", "1234567890123456789"} {
		if _, ok := atoi([]byte(bad)); ok {
			t.Errorf("atoi(%q) ok", bad)
		}
	}
}
