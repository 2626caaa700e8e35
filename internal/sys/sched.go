//go:build linux

package sys

import (
	"bytes"
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// SetThreadIdle puts thread tid (0: the calling thread) under SCHED_IDLE
// (idle true) or back under SCHED_OTHER. A CPU running only SCHED_IDLE
// threads counts as idle when the scheduler places a woken task
// (sched_idle_cpu, Linux 5.4).
func SetThreadIdle(tid int, idle bool) error {
	policy := uint32(unix.SCHED_NORMAL)
	if idle {
		policy = unix.SCHED_IDLE
	}
	attr := unix.SchedAttr{Size: unix.SizeofSchedAttr, Policy: policy}
	if err := unix.SchedSetAttr(tid, &attr, 0); err != nil {
		return fmt.Errorf("sched_setattr(policy %d): %w", policy, err)
	}
	return nil
}

// PinThread restricts thread tid (0: the calling thread) to cpu; cpu < 0
// lets it run on every CPU of set (the affinity it had, from
// ThreadAffinity).
func PinThread(tid, cpu int, set *unix.CPUSet) error {
	var s unix.CPUSet
	if cpu >= 0 {
		s.Set(cpu)
	} else {
		s = *set
	}
	if err := unix.SchedSetaffinity(tid, &s); err != nil {
		return fmt.Errorf("sched_setaffinity: %w", err)
	}
	return nil
}

// ThreadAffinity returns the calling thread's CPU affinity.
func ThreadAffinity() (unix.CPUSet, error) {
	var s unix.CPUSet
	err := unix.SchedGetaffinity(0, &s)
	return s, err
}

// TaskCPU returns the CPU task pid last ran on (/proc/PID/stat field 39).
func TaskCPU(pid int) (int, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return -1, err
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return -1, fmt.Errorf("/proc/%d/stat: no comm", pid)
	}
	f := bytes.Fields(b[i+1:])
	const processor = 39 - 3 // fields after comm start at field 3
	if len(f) <= processor {
		return -1, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f)+2)
	}
	return strconv.Atoi(string(f[processor]))
}

// Runnable returns how many tasks are runnable on the system now
// (/proc/loadavg's fourth field, before the slash).
func Runnable() (int, error) {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0, err
	}
	f := bytes.Fields(b)
	if len(f) < 4 {
		return 0, fmt.Errorf("/proc/loadavg: %q", b)
	}
	run, _, ok := bytes.Cut(f[3], []byte("/"))
	if !ok {
		return 0, fmt.Errorf("/proc/loadavg: %q", b)
	}
	return strconv.Atoi(string(run))
}

// ThreadRunDelay returns how long, in all, thread tid of this process has
// waited on a run queue (ns; its schedstat's second field).
func ThreadRunDelay(tid int) (uint64, error) {
	b, err := os.ReadFile("/proc/self/task/" + strconv.Itoa(tid) + "/schedstat")
	if err != nil {
		return 0, err
	}
	f := bytes.Fields(b)
	if len(f) < 2 {
		return 0, fmt.Errorf("/proc/self/task/%d/schedstat: %q", tid, b)
	}
	return strconv.ParseUint(string(f[1]), 10, 64)
}
