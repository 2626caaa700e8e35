package access

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Proc reads a proc file system: Root is its mount point, "" meaning
// "/proc". Tests point it at a directory of fake files.
type Proc struct {
	Root string
}

func (p Proc) root() string {
	if p.Root == "" {
		return "/proc"
	}
	return p.Root
}

// Path joins elem under the proc root: Path("1", "status") is
// "/proc/1/status".
func (p Proc) Path(elem ...string) string {
	return filepath.Join(append([]string{p.root()}, elem...)...)
}

// Status is what ptrace permission and its observers need from
// /proc/PID/status (or /proc/PID/task/TID/status).
type Status struct {
	Name      string // comm
	State     string // "S (sleeping)"
	Tgid      int
	Pid       int // the task's own id (a thread id for a thread)
	PPid      int // the real parent's tgid; 0 when outside the reader's pid namespace
	TracerPid int // the tracer *thread*'s id, 0 when untraced or the tracer is not visible
	// Uid and Gid are real, effective, saved and file-system ids.
	Uid, Gid [4]uint32
	CapPrm   uint64
	CapEff   uint64
	CapBnd   uint64
	// NoNewPrivs, Seccomp (0 off, 1 strict, 2 filter) and SeccompFilters.
	NoNewPrivs     bool
	Seccomp        int
	SeccompFilters int
	// Kthread is 1 for a kernel thread, 0 for a user task, -1 when the
	// kernel does not print the field (before Linux 6.3).
	Kthread int
	// NSpid lists the task's pid in each pid namespace from the reader's
	// proc mount's down to its own.
	NSpid []int
}

// Exiting reports a task that is a zombie or dead: the kernel refuses to
// attach to it.
func (s *Status) Exiting() bool {
	return strings.HasPrefix(s.State, "Z") || strings.HasPrefix(s.State, "X")
}

// ErrNoProcess matches a pid that has no /proc entry: no such process in
// the reader's pid namespace (the kernel's ESRCH).
var ErrNoProcess = errors.New("no such process")

// Status reads /proc/PID/status. A pid that does not exist gives an error
// matching ErrNoProcess.
func (p Proc) Status(pid int) (*Status, error) {
	return p.readStatus(p.Path(strconv.Itoa(pid), "status"), pid)
}

// TaskStatus reads /proc/PID/task/TID/status.
func (p Proc) TaskStatus(pid, tid int) (*Status, error) {
	return p.readStatus(p.Path(strconv.Itoa(pid), "task", strconv.Itoa(tid), "status"), tid)
}

func (p Proc) readStatus(path string, pid int) (*Status, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ESRCH) {
			return nil, fmt.Errorf("read %s: %w", path, ErrNoProcess)
		}
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	st, err := ParseStatus(data)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	if st.Pid == 0 {
		st.Pid = pid
	}
	return st, nil
}

// ParseStatus parses the text of a /proc/PID/status file. Fields it does not
// know are ignored; a field it knows with a malformed value is an error.
func ParseStatus(data []byte) (*Status, error) {
	st := &Status{Kthread: -1}
	for len(data) > 0 {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte{'\n'})
		k, v, ok := bytes.Cut(line, []byte{':'})
		if !ok {
			continue
		}
		val := strings.TrimSpace(string(v))
		var err error
		switch string(k) {
		case "Name":
			st.Name = val
		case "State":
			st.State = val
		case "Tgid":
			st.Tgid, err = strconv.Atoi(val)
		case "Pid":
			st.Pid, err = strconv.Atoi(val)
		case "PPid":
			st.PPid, err = strconv.Atoi(val)
		case "TracerPid":
			st.TracerPid, err = strconv.Atoi(val)
		case "Uid":
			st.Uid, err = parseIDs(val)
		case "Gid":
			st.Gid, err = parseIDs(val)
		case "CapPrm":
			st.CapPrm, err = strconv.ParseUint(val, 16, 64)
		case "CapEff":
			st.CapEff, err = strconv.ParseUint(val, 16, 64)
		case "CapBnd":
			st.CapBnd, err = strconv.ParseUint(val, 16, 64)
		case "NoNewPrivs":
			st.NoNewPrivs = val == "1"
		case "Seccomp":
			st.Seccomp, err = strconv.Atoi(val)
		case "Seccomp_filters":
			st.SeccompFilters, err = strconv.Atoi(val)
		case "Kthread":
			st.Kthread, err = strconv.Atoi(val)
		case "NSpid":
			for _, f := range strings.Fields(val) {
				n, e := strconv.Atoi(f)
				if e != nil {
					err = e
					break
				}
				st.NSpid = append(st.NSpid, n)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("field %s %q: %w", k, val, err)
		}
	}
	return st, nil
}

func parseIDs(s string) ([4]uint32, error) {
	var ids [4]uint32
	f := strings.Fields(s)
	if len(f) != 4 {
		return ids, fmt.Errorf("%d ids, want 4", len(f))
	}
	for i, x := range f {
		n, err := strconv.ParseUint(x, 10, 32)
		if err != nil {
			return ids, err
		}
		ids[i] = uint32(n)
	}
	return ids, nil
}

// Exe returns the target of /proc/PID/exe, or "" when it cannot be read
// (a kernel thread has none; another user's process needs ptrace read
// access).
func (p Proc) Exe(pid int) string {
	s, err := os.Readlink(p.Path(strconv.Itoa(pid), "exe"))
	if err != nil {
		return ""
	}
	return s
}

// Comm returns /proc/PID/comm without its newline, or "".
func (p Proc) Comm(pid int) string {
	b, err := os.ReadFile(p.Path(strconv.Itoa(pid), "comm"))
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(b), "\n")
}

// Owner returns the uid and gid owning /proc/PID/status. The kernel gives
// a dumpable process's files its effective ids and a non-dumpable one's to
// root (of the user namespace its memory belongs to): that is how a
// non-dumpable process shows in /proc. (The /proc/PID directory itself
// keeps the process's ids on Linux 6.18.)
func (p Proc) Owner(pid int) (uid, gid uint32, err error) {
	path := p.Path(strconv.Itoa(pid), "status")
	fi, err := os.Stat(path)
	if err != nil {
		return 0, 0, err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, fmt.Errorf("stat %s: no owner", path)
	}
	return st.Uid, st.Gid, nil
}

// Namespace returns the inode of /proc/PID/ns/KIND ("user", "pid", ...),
// parsed from the link text "KIND:[INODE]"; PID may be "self".
func (p Proc) Namespace(pid, kind string) (uint64, error) {
	s, err := os.Readlink(p.Path(pid, "ns", kind))
	if err != nil {
		return 0, err
	}
	open := strings.IndexByte(s, '[')
	if open < 0 || !strings.HasSuffix(s, "]") {
		return 0, fmt.Errorf("namespace link %q: want KIND:[INODE]", s)
	}
	return strconv.ParseUint(s[open+1:len(s)-1], 10, 64)
}

// Pids lists the numeric entries of the proc root: every process the
// reader's pid namespace (and hidepid) lets it see.
func (p Proc) Pids() ([]int, error) {
	return numericEntries(p.root())
}

// Tasks lists /proc/PID/task: the threads of a process.
func (p Proc) Tasks(pid int) ([]int, error) {
	return numericEntries(p.Path(strconv.Itoa(pid), "task"))
}

func numericEntries(dir string) ([]int, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []int
	for _, e := range ents {
		if n, err := strconv.Atoi(e.Name()); err == nil {
			out = append(out, n)
		}
	}
	return out, nil
}

// IsAncestor reports whether process a is an ancestor of process pid,
// following PPid (the real parent, which Yama's relationship check follows
// too) at most 1024 steps.
func (p Proc) IsAncestor(a, pid int) bool {
	for i := 0; i < 1024 && pid > 0; i++ {
		st, err := p.Status(pid)
		if err != nil {
			return false
		}
		if st.PPid == a && a != 0 {
			return true
		}
		pid = st.PPid
	}
	return false
}
