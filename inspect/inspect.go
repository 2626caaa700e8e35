package inspect

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/sonde-dev/sonde/access"
	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/output"
	"github.com/sonde-dev/sonde/ptrace"
	"github.com/sonde-dev/sonde/stack"
	"github.com/sonde-dev/sonde/sysent"
	"github.com/sonde-dev/sonde/tracer"
)

// ErrNoProcess is returned for a pid that names no process.
var ErrNoProcess = errors.New("no such process")

// AttachError says why a thread could not be seized.
type AttachError struct {
	Pid, Tid int
	Cause    string // the refusing check, as package access finds it
	Err      error
}

func (e *AttachError) Error() string {
	if e.Cause != "" {
		return fmt.Sprintf("cannot inspect %d: %s", e.Pid, e.Cause)
	}
	return fmt.Sprintf("cannot inspect %d: thread %d: %v", e.Pid, e.Tid, e.Err)
}

func (e *AttachError) Unwrap() error { return e.Err }

// Options say what to collect.
type Options struct {
	Regs  bool // each thread's general registers
	Stack bool // each thread's user-space stack, as strace -k prints it
	// Decode are the decoding options; the zero value means strace's
	// defaults (decode.DefaultOptions) with descriptors shown as -y shows
	// them.
	Decode decode.Options
}

// Process is a snapshot of one process.
type Process struct {
	Pid     int      `json:"pid"`
	Comm    string   `json:"comm"`
	Threads []Thread `json:"threads"`
	FDs     []FD     `json:"fds"`
}

// Thread is what one thread was doing.
type Thread struct {
	Tid   int    `json:"tid"`
	Comm  string `json:"comm"`
	State string `json:"state"` // the state letter and its name: "S (sleeping)"
	Wchan string `json:"wchan,omitempty"`
	// Syscall is the call the thread is blocked in, as strace prints its
	// entry ("" when it is running or in none); Nr and Arch name it.
	Syscall string `json:"syscall,omitempty"`
	Nr      int64  `json:"nr"` // -1: in no syscall
	Arch    string `json:"arch,omitempty"`
	Regs    []Reg  `json:"regs,omitempty"`
	// Stack is the user-space stack, innermost frame first (Options.Stack).
	Stack []stack.Frame `json:"stack,omitempty"`
}

// Reg is one register.
type Reg struct {
	Name  string `json:"name"`
	Value uint64 `json:"value"`
}

// FD is one open descriptor and what it points to.
type FD struct {
	FD     int    `json:"fd"`
	Target string `json:"target"`
}

// Inspect takes the snapshot of process pid.
func Inspect(pid int, opt Options) (*Process, error) {
	if opt.Decode == (decode.Options{}) {
		opt.Decode = decode.DefaultOptions
		opt.Decode.DecodeFDs = true // descriptors with their paths, as -y
	}
	dir := "/proc/" + strconv.Itoa(pid)
	if _, err := os.Stat(dir + "/status"); err != nil {
		return nil, fmt.Errorf("inspect %d: %w", pid, ErrNoProcess)
	}
	p := &Process{Pid: pid, Comm: readTrim(dir + "/comm")}
	tids, err := threads(pid)
	if err != nil {
		return nil, fmt.Errorf("inspect %d: %w", pid, err)
	}
	th := ptrace.NewThread()
	defer th.Close()
	for _, tid := range tids {
		var t Thread
		var err error
		th.Do(func() { t, err = inspectThread(pid, tid, opt) })
		if errors.Is(err, unix.ESRCH) {
			continue // the thread ended meanwhile
		}
		if err != nil {
			return nil, err
		}
		p.Threads = append(p.Threads, t)
	}
	p.FDs = fds(pid)
	return p, nil
}

// inspectThread reads what /proc says of tid, then seizes it, reads its
// registers at an interrupt stop, decodes the syscall it was blocked in,
// and detaches. Runs on the ptrace thread.
func inspectThread(pid, tid int, opt Options) (Thread, error) {
	tdir := "/proc/" + strconv.Itoa(pid) + "/task/" + strconv.Itoa(tid)
	t := Thread{Tid: tid, Comm: readTrim(tdir + "/comm"), State: state(tdir), Wchan: readTrim(tdir + "/wchan"), Nr: -1}
	if t.Wchan == "0" {
		t.Wchan = ""
	}
	// What the thread is blocked in, read before the interrupt cuts it
	// short: "NR ARG1 ... ARG6 SP PC", or "running", or "-1 SP PC".
	nr, args, inCall := blockedIn(tdir)
	if err := ptrace.Seize(tid, 0); err != nil {
		return t, attachError(pid, tid, err)
	}
	detach := func() { ptrace.Detach(tid, 0) }
	if err := ptrace.Interrupt(tid); err != nil {
		detach()
		return t, attachError(pid, tid, err)
	}
	var ws ptrace.WaitStatus
	for {
		if _, err := ptrace.Wait4(tid, &ws, unix.WALL); err != nil {
			return t, fmt.Errorf("inspect %d: wait for thread %d: %w", pid, tid, err)
		}
		if ws.Exited() || ws.Signaled() {
			return t, unix.ESRCH
		}
		if ws.Stopped() && ws.TrapCause() == ptrace.EventStop {
			break
		}
		// A signal reached the thread first: let it have it, stop again.
		ptrace.Cont(tid, int(ws.StopSignal()))
		ptrace.Interrupt(tid)
	}
	defer detach() // a thread in a group-stop stays stopped
	// The register set's layout is the mode the thread runs in (a syscall
	// info's AUDIT_ARCH is the compat one only inside a syscall).
	var buf [512]byte
	n, err := ptrace.GetRegSet(tid, ptrace.NTPrStatus, buf[:])
	if err != nil {
		return t, fmt.Errorf("inspect %d: thread %d: %w", pid, tid, err)
	}
	a := arch.ByRegsSize(n)
	var tab *sysent.Table
	if a != nil {
		t.Arch = a.Name
		tab = sysent.ForAuditArch(a.AuditArch)
	}
	if opt.Regs && a != nil {
		t.Regs = regs(a, buf[:n])
	}
	if opt.Stack && a != nil {
		t.Stack = stack.NewUnwinder().Unwind(nil, pid, a, buf[:n], mem(tid))
	}
	if inCall && a != nil && tab != nil {
		t.Nr = int64(nr)
		t.Syscall = describe(tid, a, tab, nr, args, opt.Decode)
	}
	return t, nil
}

// describe decodes a call's entry as strace prints it.
func describe(tid int, a *arch.Arch, tab *sysent.Table, nr uint64, args [6]uint64, o decode.Options) string {
	ev := &tracer.Event{Kind: tracer.SyscallEnter, Pid: tid, Arch: a, Nr: nr, Entry: tab.Lookup(nr)}
	call := &decode.Call{Arch: a, Table: tab, Nr: nr, Args: args, Entry: ev.Entry}
	ctx := decode.Ctx{Mem: mem(tid), Proc: procFDs{}, Pid: tid, Opt: &o, Call: call, Out: &ev.Args}
	decode.Enter(&ctx)
	ev.More = call.More
	return string(output.AppendEntry(nil, ev, output.TextOptions{}))
}

// blockedIn parses /proc/.../syscall.
func blockedIn(tdir string) (nr uint64, args [6]uint64, ok bool) {
	f := strings.Fields(readTrim(tdir + "/syscall"))
	if len(f) < 7 || f[0] == "running" {
		return 0, args, false
	}
	n, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil || n < 0 {
		return 0, args, false
	}
	for i := range args {
		v, err := strconv.ParseUint(strings.TrimPrefix(f[1+i], "0x"), 16, 64)
		if err != nil {
			return 0, args, false
		}
		args[i] = v
	}
	return uint64(n), args, true
}

// state returns the state letter and name of /proc/.../stat ("S (sleeping)").
func state(tdir string) string {
	for _, l := range strings.Split(readTrim(tdir+"/status"), "\n") {
		if v, ok := strings.CutPrefix(l, "State:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func attachError(pid, tid int, err error) error {
	e := &AttachError{Pid: pid, Tid: tid, Err: err}
	if r, aerr := access.Evaluate(pid, access.Options{AttachFailed: true}); aerr == nil {
		e.Cause = r.Cause
	}
	return e
}

// threads lists a process's thread ids, in order.
func threads(pid int) ([]int, error) {
	ents, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/task")
	if err != nil {
		return nil, err
	}
	var tids []int
	for _, e := range ents {
		if tid, err := strconv.Atoi(e.Name()); err == nil {
			tids = append(tids, tid)
		}
	}
	sort.Ints(tids)
	return tids, nil
}

// fds lists a process's descriptors and their targets.
func fds(pid int) []FD {
	dir := "/proc/" + strconv.Itoa(pid) + "/fd"
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []FD
	for _, e := range ents {
		fd, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		target, _ := os.Readlink(dir + "/" + e.Name())
		out = append(out, FD{FD: fd, Target: target})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].FD < out[j].FD })
	return out
}

func readTrim(path string) string {
	b, _ := os.ReadFile(path)
	return strings.TrimSpace(string(b))
}

// mem reads a thread's memory.
type mem int

func (m mem) ReadAt(p []byte, addr uint64) (int, error) {
	n, err := ptrace.ReadMem(int(m), addr, p)
	if err == nil && n < len(p) {
		err = decode.ErrFault
	}
	return n, err
}

func (m mem) ReadString(dst []byte, addr uint64, max int) ([]byte, bool, error) {
	return ptrace.ReadString(int(m), addr, max, dst)
}

// procFDs shows what a descriptor points to, as -y does.
type procFDs struct{}

func (procFDs) FDInfo(pid, fd int, dst []byte) []byte {
	path := "/proc/" + strconv.Itoa(pid) + "/fd/" + strconv.Itoa(fd)
	if fd == -100 {
		path = "/proc/" + strconv.Itoa(pid) + "/cwd"
	}
	t, err := os.Readlink(path)
	if err != nil {
		return dst
	}
	return append(dst, t...)
}

func (procFDs) Comm(pid int, dst []byte) []byte {
	return append(dst, readTrim("/proc/"+strconv.Itoa(pid)+"/comm")...)
}

// regs names the words of a stopped thread's NT_PRSTATUS register set.
func regs(a *arch.Arch, buf []byte) []Reg {
	n := len(buf)
	names := a.RegNames
	size := a.WordSize
	var out []Reg
	for i, name := range names {
		off := i * size
		if off+size > n {
			break
		}
		out = append(out, Reg{name, a.Word(buf, off)})
	}
	return out
}
