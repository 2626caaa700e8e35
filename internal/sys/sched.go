//go:build linux

package sys

import (
	"bytes"
	"fmt"
	"strconv"

	"golang.org/x/sys/unix"
)

// SetThreadIdle puts thread tid (0: the calling thread), whose scheduling
// attributes are a (ThreadSched), under SCHED_IDLE, keeping its nice value
// and flags; SetThreadSched(tid, a) puts it back. A CPU running only
// SCHED_IDLE threads counts as idle when the scheduler places a woken
// task (sched_idle_cpu, Linux 5.4).
func SetThreadIdle(tid int, a unix.SchedAttr) error {
	a.Policy = unix.SCHED_IDLE
	return SetThreadSched(tid, a)
}

// CanLeaveIdle reports whether the calling thread, once under SCHED_IDLE,
// may go back to SCHED_OTHER. Entering SCHED_IDLE is always allowed;
// leaving it takes CAP_SYS_NICE in the initial user namespace (the
// kernel's capable(), which a capability held in a container's own user
// namespace does not satisfy) or an RLIMIT_NICE that allows the thread's
// nice value (can_nice, checked by sched_setattr). Unprivileged users,
// containers without CAP_SYS_NICE and rootless containers have neither.
func CanLeaveIdle() bool {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData // the kernel writes two for version 3
	if unix.Capget(&hdr, &data[0]) == nil && data[unix.CAP_SYS_NICE/32].Effective&(1<<(unix.CAP_SYS_NICE%32)) != 0 && initialUserNS() {
		return true
	}
	var rl unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NICE, &rl) != nil {
		return false
	}
	prio, err := unix.Getpriority(unix.PRIO_PROCESS, 0) // the system call's 20 - nice
	if err != nil {
		return false
	}
	// can_nice: 20 - nice must not exceed the limit.
	return prio >= 1 && rl.Cur >= uint64(prio)
}

// initialUserNS reports whether this process is in the initial user
// namespace, whose uid_map maps every id to itself ("0 0 4294967295").
func initialUserNS() bool {
	var buf [256]byte
	n, err := readRaw([]byte("/proc/self/uid_map\x00"), buf[:])
	if err != nil {
		return false
	}
	b := buf[:n]
	return string(field(b, 0)) == "0" && string(field(b, 1)) == "0" && string(field(b, 2)) == "4294967295" && field(b, 3) == nil
}

// ThreadSched returns thread tid's scheduling attributes (0: the calling
// thread): its policy, nice value and flags.
func ThreadSched(tid int) (unix.SchedAttr, error) {
	a, err := unix.SchedGetAttr(tid, 0)
	if err != nil {
		return unix.SchedAttr{}, fmt.Errorf("sched_getattr: %w", err)
	}
	return *a, nil
}

// SetThreadSched gives thread tid the scheduling attributes a (from
// ThreadSched).
func SetThreadSched(tid int, a unix.SchedAttr) error {
	a.Size = unix.SizeofSchedAttr
	if err := unix.SchedSetAttr(tid, &a, 0); err != nil {
		return fmt.Errorf("sched_setattr(policy %d, nice %d): %w", a.Policy, a.Nice, err)
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
// The ptrace thread calls it between stops, so it reads through
// readProcFile: no allocation, no scheduler hand-off.
func TaskCPU(pid int) (int, error) {
	var buf [1024]byte // a stat line is under 400 bytes
	n, err := readProcFile(pid, "stat", buf[:])
	if err != nil {
		return -1, err
	}
	return statProcessor(buf[:n], pid)
}

// statProcessor returns field 39 (processor) of a /proc/PID/stat line.
func statProcessor(b []byte, pid int) (int, error) {
	i := bytes.LastIndexByte(b, ')') // the comm may hold anything but ends the last ')'
	if i < 0 {
		return -1, fmt.Errorf("/proc/%d/stat: no comm", pid)
	}
	const processor = 39 - 3 // fields after comm start at field 3
	f := field(b[i+1:], processor)
	cpu, ok := atoi(f)
	if !ok {
		return -1, fmt.Errorf("/proc/%d/stat: processor %q", pid, string(f))
	}
	return int(cpu), nil
}

// Runnable returns how many tasks are runnable on the system now
// (/proc/loadavg's fourth field, before the slash). It reads through
// readRaw: the placement watchdog calls it every 10 ms.
func Runnable() (int, error) {
	var buf [256]byte
	n, err := readRaw([]byte("/proc/loadavg\x00"), buf[:])
	if err != nil {
		return 0, fmt.Errorf("/proc/loadavg: %w", err)
	}
	run, _, ok := bytes.Cut(field(buf[:n], 3), []byte("/"))
	v, good := atoi(run)
	if !ok || !good {
		return 0, fmt.Errorf("/proc/loadavg: %q", string(buf[:n]))
	}
	return int(v), nil
}

// ThreadRunDelay returns how long, in all, thread tid of this process has
// waited on a run queue (ns; its schedstat's second field), read through
// readRaw: the placement watchdog calls it every 10 ms.
func ThreadRunDelay(tid int) (uint64, error) {
	var path [64]byte
	p := append(path[:0], "/proc/self/task/"...)
	p = strconv.AppendInt(p, int64(tid), 10)
	p = append(p, "/schedstat\x00"...)
	var buf [128]byte
	n, err := readRaw(p, buf[:])
	if err != nil {
		return 0, fmt.Errorf("/proc/self/task/%d/schedstat: %w", tid, err)
	}
	v, ok := atoi(field(buf[:n], 1))
	if !ok {
		return 0, fmt.Errorf("/proc/self/task/%d/schedstat: %q", tid, string(buf[:n]))
	}
	return v, nil
}
