//go:build linux

package sys

import (
	"bytes"
	"fmt"
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"
)

// atFDCWD is AT_FDCWD (-100) as a system call argument.
var atFDCWD = func() uintptr { d := unix.AT_FDCWD; return uintptr(d) }()

// readProcFile reads the start of /proc/PID/NAME into buf, in one read
// (the kernel renders these files whole at the first read), and returns
// how many bytes it got. It makes raw system calls into caller-provided
// storage: a tracer calls it between ptrace stops, where os.ReadFile
// would allocate, register the file with the runtime's poller and could
// let the scheduler hand the thread's P to another thread.
func readProcFile(pid int, name string, buf []byte) (int, error) {
	if pid <= 0 {
		return 0, fmt.Errorf("/proc/%d/%s: %w", pid, name, unix.EINVAL)
	}
	var path [64]byte
	p := append(path[:0], "/proc/"...)
	p = strconv.AppendInt(p, int64(pid), 10)
	p = append(p, '/')
	p = append(p, name...)
	if len(p) >= len(path) {
		return 0, fmt.Errorf("/proc/%d/%s: %w", pid, name, unix.ENAMETOOLONG)
	}
	n, err := readRaw(append(p, 0), buf)
	if err != nil {
		return 0, fmt.Errorf("/proc/%d/%s: %w", pid, name, err)
	}
	return n, nil
}

// readRaw reads the start of the file at path (NUL-terminated) into buf
// in one read, with raw system calls (see readProcFile).
func readRaw(path, buf []byte) (int, error) {
	if len(buf) == 0 || len(path) == 0 || path[len(path)-1] != 0 {
		return 0, unix.EINVAL
	}
	fd, _, e := unix.RawSyscall6(unix.SYS_OPENAT, atFDCWD, uintptr(unsafe.Pointer(&path[0])), unix.O_RDONLY|unix.O_CLOEXEC, 0, 0, 0)
	if e != 0 {
		return 0, e
	}
	n, _, e := unix.RawSyscall(unix.SYS_READ, fd, uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
	unix.RawSyscall(unix.SYS_CLOSE, fd, 0, 0)
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}

// field returns the i-th field (from 0) of b split at spaces and
// newlines, or nil.
func field(b []byte, i int) []byte {
	for {
		for len(b) > 0 && (b[0] == ' ' || b[0] == '\n') {
			b = b[1:]
		}
		if len(b) == 0 {
			return nil
		}
		j := bytes.IndexAny(b, " \n")
		if j < 0 {
			j = len(b)
		}
		if i == 0 {
			return b[:j]
		}
		b, i = b[j:], i-1
	}
}

// atoi parses a decimal number of at most 18 digits without allocating.
func atoi(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
}

// TaskTgid returns the thread group (process) id of task pid, from the
// Tgid line of /proc/PID/status, read through readProcFile.
func TaskTgid(pid int) (int, error) {
	var buf [1024]byte // Tgid is the fourth line, after a name of at most 64 escaped bytes
	n, err := readProcFile(pid, "status", buf[:])
	if err != nil {
		return 0, err
	}
	return statusTgid(buf[:n], pid)
}

// statusTgid finds the Tgid line of a /proc/PID/status text.
func statusTgid(b []byte, pid int) (int, error) {
	const key = "\nTgid:"
	i := bytes.Index(b, []byte(key))
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/status: no Tgid line", pid)
	}
	line, _, whole := bytes.Cut(b[i+len(key):], []byte("\n")) // cut short: the number may be too
	tgid, ok := atoi(bytes.TrimLeft(line, " \t"))
	if !whole || !ok || tgid == 0 {
		return 0, fmt.Errorf("/proc/%d/status: bad Tgid value %q", pid, string(line))
	}
	return int(tgid), nil
}
