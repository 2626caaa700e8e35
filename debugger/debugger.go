package debugger

import (
	"bufio"
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/ptrace"
)

// Errors.
var (
	ErrExited     = errors.New("the process has exited")
	ErrNotStopped = errors.New("the thread is not stopped")
	ErrNoSymbol   = errors.New("no such symbol")
)

// Process is a process under the debugger.
type Process struct {
	Pid     int
	Arch    *arch.Arch
	th      *ptrace.Thread
	threads map[int]*thread
	bps     map[uint64]*Breakpoint
	exited  bool
	pending []*Event // events of threads stopped while another stepped
}

type thread struct {
	stopped bool
	sig     int         // signal to deliver when resumed (0: none)
	atBP    *Breakpoint // stopped on this breakpoint (PC rewound to it)
}

// Breakpoint is a software breakpoint.
type Breakpoint struct {
	Addr uint64
	orig []byte
}

// EventKind says what stopped a thread.
type EventKind int

// The event kinds.
const (
	BreakpointHit EventKind = iota + 1 // Tid stopped at Breakpoint
	Signal                             // Tid is about to get Sig; SuppressSignal drops it
	Exited                             // the process exited with Status, or was killed by Sig
)

// Event is what Continue reports.
type Event struct {
	Kind       EventKind
	Tid        int
	Breakpoint *Breakpoint
	Sig        unix.Signal
	Status     int
}

// Attach seizes every thread of pid and stops it. Threads the process
// starts later are attached as they start.
func Attach(pid int) (*Process, error) {
	p := &Process{Pid: pid, th: ptrace.NewThread(), threads: map[int]*thread{}, bps: map[uint64]*Breakpoint{}}
	err := p.th.DoErr(func() error {
		ents, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/task")
		if err != nil {
			return fmt.Errorf("attach %d: %w", pid, err)
		}
		for _, e := range ents {
			tid, err := strconv.Atoi(e.Name())
			if err != nil {
				continue
			}
			if err := ptrace.Seize(tid, ptrace.OptTraceClone); err != nil {
				return fmt.Errorf("attach %d: thread %d: %w", pid, tid, err)
			}
			p.threads[tid] = &thread{}
			if err := ptrace.Interrupt(tid); err != nil {
				return fmt.Errorf("attach %d: thread %d: %w", pid, tid, err)
			}
		}
		p.waitAll()
		if len(p.threads) == 0 {
			return fmt.Errorf("attach %d: %w", pid, ErrExited)
		}
		// The mode the thread runs in shows in its register set's layout
		// (a syscall info's AUDIT_ARCH is the compat one only inside a
		// syscall).
		var regs [512]byte
		leader := pid
		if p.threads[leader] == nil {
			for tid := range p.threads {
				leader = tid
				break
			}
		}
		n, err := ptrace.GetRegSet(leader, ptrace.NTPrStatus, regs[:])
		if err != nil {
			return fmt.Errorf("attach %d: %w", pid, err)
		}
		if p.Arch = arch.ByRegsSize(n); p.Arch == nil {
			return fmt.Errorf("attach %d: unknown register layout (%d bytes)", pid, n)
		}
		return nil
	})
	if err != nil {
		p.th.Do(func() {
			for tid := range p.threads {
				ptrace.Detach(tid, 0)
			}
		})
		p.th.Close()
		return nil, err
	}
	return p, nil
}

// ReadMemory reads len(b) bytes at addr.
func (p *Process) ReadMemory(addr uint64, b []byte) (n int, err error) {
	p.th.Do(func() { n, err = ptrace.ReadMem(p.Pid, addr, b) })
	return n, err
}

// WriteMemory writes b at addr, read-only code included (PTRACE_POKEDATA
// where process_vm_writev is refused by page protections).
func (p *Process) WriteMemory(addr uint64, b []byte) (n int, err error) {
	p.th.Do(func() { n, err = p.poke(addr, b) })
	return n, err
}

// poke writes through PTRACE_POKEDATA, which writes read-only text too.
func (p *Process) poke(addr uint64, b []byte) (int, error) {
	tid := p.anyStopped()
	if tid == 0 {
		return 0, ErrNotStopped
	}
	ws := uint64(p.Arch.WordSize)
	if ws < 8 {
		ws = 8 // the tracer's word: POKEDATA writes 8 bytes on a 64-bit kernel
	}
	n := 0
	for n < len(b) {
		a := addr + uint64(n)
		base := a &^ (ws - 1)
		word, err := ptrace.PeekData(tid, base)
		if err != nil {
			return n, err
		}
		var w [8]byte
		binary.LittleEndian.PutUint64(w[:], word)
		c := copy(w[a-base:], b[n:])
		if err := ptrace.PokeData(tid, base, binary.LittleEndian.Uint64(w[:])); err != nil {
			return n, err
		}
		n += c
	}
	return n, nil
}

func (p *Process) anyStopped() int {
	if t := p.threads[p.Pid]; t != nil && t.stopped {
		return p.Pid
	}
	for tid, t := range p.threads {
		if t.stopped {
			return tid
		}
	}
	return 0
}

// Threads returns the ids of the threads under the debugger.
func (p *Process) Threads() []int {
	var tids []int
	p.th.Do(func() {
		for tid := range p.threads {
			tids = append(tids, tid)
		}
	})
	sort.Ints(tids)
	return tids
}

// Regs are one thread's general registers in its architecture's layout.
type Regs struct {
	Arch *arch.Arch
	buf  [512]byte
	n    int
}

// Get returns register name ("rip", "x0"...).
func (r *Regs) Get(name string) (uint64, error) {
	off, err := r.offset(name)
	if err != nil {
		return 0, err
	}
	return r.word(off), nil
}

// Set sets register name; SetRegs writes it back.
func (r *Regs) Set(name string, v uint64) error {
	off, err := r.offset(name)
	if err != nil {
		return err
	}
	r.setWord(off, v)
	return nil
}

// PC returns the instruction pointer.
func (r *Regs) PC() uint64 { return r.word(r.Arch.PC) }

// SetPC sets the instruction pointer.
func (r *Regs) SetPC(v uint64) { r.setWord(r.Arch.PC, v) }

// SP returns the stack pointer.
func (r *Regs) SP() uint64 { return r.word(r.Arch.SP) }

func (r *Regs) offset(name string) (int, error) {
	for i, n := range r.Arch.RegNames {
		if n == name && (i+1)*r.Arch.WordSize <= r.n {
			return i * r.Arch.WordSize, nil
		}
	}
	return 0, fmt.Errorf("%s has no register %q", r.Arch.Name, name)
}

func (r *Regs) word(off int) uint64 { return r.Arch.Word(r.buf[:], off) }

func (r *Regs) setWord(off int, v uint64) { r.Arch.PutWord(r.buf[:], off, v) }

// GetRegs reads a stopped thread's registers.
func (p *Process) GetRegs(tid int) (*Regs, error) {
	r := &Regs{Arch: p.Arch}
	err := p.th.DoErr(func() error {
		if t := p.threads[tid]; t == nil || !t.stopped {
			return fmt.Errorf("thread %d: %w", tid, ErrNotStopped)
		}
		n, err := ptrace.GetRegSet(tid, ptrace.NTPrStatus, r.buf[:])
		r.n = n
		return err
	})
	return r, err
}

// SetRegs writes a stopped thread's registers.
func (p *Process) SetRegs(tid int, r *Regs) error {
	return p.th.DoErr(func() error {
		if t := p.threads[tid]; t == nil || !t.stopped {
			return fmt.Errorf("thread %d: %w", tid, ErrNotStopped)
		}
		return ptrace.SetRegSet(tid, ptrace.NTPrStatus, r.buf[:r.n])
	})
}

// FuncArg returns the i-th integer argument (from 0) of the C function a
// thread stopped at the first instruction of: from its register (x86_64,
// aarch64) or from the stack (i386).
func (p *Process) FuncArg(tid, i int) (uint64, error) {
	r, err := p.GetRegs(tid)
	if err != nil {
		return 0, err
	}
	if regs := p.Arch.FuncArgRegs; regs != nil {
		if i >= len(regs) {
			return 0, fmt.Errorf("argument %d is not in a register", i)
		}
		return r.word(regs[i]), nil
	}
	var b [4]byte
	if _, err := p.ReadMemory(r.SP()+uint64(4*(i+1)), b[:]); err != nil {
		return 0, err
	}
	return uint64(binary.LittleEndian.Uint32(b[:])), nil
}

// SetBreakpoint patches the breakpoint instruction in at addr.
func (p *Process) SetBreakpoint(addr uint64) (*Breakpoint, error) {
	var bp *Breakpoint
	err := p.th.DoErr(func() error {
		if old := p.bps[addr]; old != nil {
			bp = old
			return nil
		}
		orig := make([]byte, len(p.Arch.Breakpoint))
		if n, err := ptrace.ReadMem(p.Pid, addr, orig); err != nil || n != len(orig) {
			return fmt.Errorf("breakpoint at %#x: read: %w", addr, errOr(err, unix.EFAULT))
		}
		if _, err := p.poke(addr, p.Arch.Breakpoint); err != nil {
			return fmt.Errorf("breakpoint at %#x: %w", addr, err)
		}
		bp = &Breakpoint{Addr: addr, orig: orig}
		p.bps[addr] = bp
		return nil
	})
	return bp, err
}

// ClearBreakpoint puts the original code back.
func (p *Process) ClearBreakpoint(bp *Breakpoint) error {
	return p.th.DoErr(func() error {
		if p.bps[bp.Addr] != bp {
			return nil
		}
		delete(p.bps, bp.Addr)
		for _, t := range p.threads {
			if t.atBP == bp {
				t.atBP = nil
			}
		}
		_, err := p.poke(bp.Addr, bp.orig)
		return err
	})
}

func errOr(err, def error) error {
	if err != nil {
		return err
	}
	return def
}

// SuppressSignal drops the signal a thread stopped for (Event Signal): it
// will not be delivered when the thread resumes.
func (p *Process) SuppressSignal(tid int) {
	p.th.Do(func() {
		if t := p.threads[tid]; t != nil {
			t.sig = 0
		}
	})
}

// Step executes one instruction of a stopped thread (stepping over a
// breakpoint it sits on) and leaves it stopped.
func (p *Process) Step(tid int) error {
	return p.th.DoErr(func() error {
		t := p.threads[tid]
		if t == nil || !t.stopped {
			return fmt.Errorf("thread %d: %w", tid, ErrNotStopped)
		}
		return p.step(tid, t)
	})
}

// step single-steps tid with the original code under a breakpoint it sits
// on, which goes back afterwards.
func (p *Process) step(tid int, t *thread) error {
	bp := t.atBP
	if bp != nil {
		if _, err := p.poke(bp.Addr, bp.orig); err != nil {
			return err
		}
	}
	sig := t.sig
	t.sig, t.atBP = 0, nil
	if err := ptrace.SingleStep(tid, sig); err != nil {
		return fmt.Errorf("step thread %d: %w", tid, err)
	}
	for {
		var ws ptrace.WaitStatus
		if _, err := ptrace.Wait4(tid, &ws, unix.WALL); err != nil {
			return fmt.Errorf("step thread %d: %w", tid, err)
		}
		if ws.Exited() || ws.Signaled() {
			delete(p.threads, tid)
			return fmt.Errorf("step thread %d: %w", tid, ErrExited)
		}
		if !ws.Stopped() {
			continue
		}
		if ws.TrapCause() == 0 {
			if s := ws.StopSignal(); s != unix.SIGTRAP {
				t.sig = int(s) // a signal came first: keep it
			}
			break
		}
		// An event stop: a clone the instruction made, or an interrupt
		// left pending (a thread that trapped just before it was
		// interrupted stops again at its next resume). The instruction
		// has not completed: step again.
		if ws.TrapCause() == ptrace.EventClone {
			p.cloned(tid)
		}
		if err := ptrace.SingleStep(tid, 0); err != nil {
			return fmt.Errorf("step thread %d: %w", tid, err)
		}
	}
	if bp != nil && p.bps[bp.Addr] == bp {
		if _, err := p.poke(bp.Addr, p.Arch.Breakpoint); err != nil {
			return err
		}
	}
	return nil
}

// Continue resumes every stopped thread and returns the first event of any
// thread, which stays stopped. Threads sitting on a breakpoint step over it
// first, with every other thread stopped for that step, so no thread runs
// through the breakpoint while its original code is back.
func (p *Process) Continue() (*Event, error) {
	var ev *Event
	err := p.th.DoErr(func() error {
		if len(p.pending) > 0 {
			ev, p.pending = p.pending[0], p.pending[1:]
			return nil
		}
		if p.exited {
			return ErrExited
		}
		var steppers []int
		for tid, t := range p.threads {
			if t.stopped && t.atBP != nil {
				steppers = append(steppers, tid)
			}
		}
		if len(steppers) > 0 {
			p.stopAll()
			for _, tid := range steppers {
				if t := p.threads[tid]; t != nil && t.atBP != nil {
					if err := p.step(tid, t); err != nil && !errors.Is(err, ErrExited) {
						return err
					}
				}
			}
			if len(p.pending) > 0 {
				ev, p.pending = p.pending[0], p.pending[1:]
				return nil
			}
		}
		for tid, t := range p.threads {
			if !t.stopped || t.atBP != nil || p.isPending(tid) {
				continue
			}
			sig := t.sig
			t.sig, t.stopped = 0, false
			if err := ptrace.Cont(tid, sig); err != nil {
				return fmt.Errorf("continue thread %d: %w", tid, err)
			}
		}
		var err error
		ev, err = p.next()
		return err
	})
	return ev, err
}

// stopAll interrupts every running thread and waits until every thread is
// stopped or gone; a breakpoint hit or signal met on the way is queued for
// Continue to report.
func (p *Process) stopAll() {
	for tid, t := range p.threads {
		if !t.stopped {
			ptrace.Interrupt(tid) // one gone meanwhile: its exit is waited for below
		}
	}
	p.waitAll()
}

// waitAll waits until no thread runs (each interrupted, or stopping on its
// own), taking the wait statuses of any thread as they come: a thread-group
// leader's exit, for one, is reported only after its other threads'. Any
// ptrace stop satisfies a pending PTRACE_INTERRUPT (the kernel clears it at
// every trap), so a clone event or a breakpoint met first leaves the thread
// stopped. It polls, yielding and then sleeping while nothing is ready, so
// that a thread that can never report (a leader gone zombie while other
// threads live) is noticed instead of waited for forever.
func (p *Process) waitAll() {
	for polls := 1; p.running(); polls++ {
		var ws ptrace.WaitStatus
		tid, err := ptrace.Wait4NoHang(-1, &ws, unix.WALL)
		if err != nil {
			return // ECHILD: no thread is left to wait for
		}
		if tid > 0 {
			if ev := p.took(tid, ws); ev != nil {
				p.pending = append(p.pending, ev)
			}
			continue
		}
		if polls%64 == 0 {
			p.forgetUnwaitable()
		}
		if polls < 256 {
			runtime.Gosched()
		} else {
			time.Sleep(time.Millisecond)
		}
	}
}

// running reports whether a thread is believed to run.
func (p *Process) running() bool {
	for _, t := range p.threads {
		if !t.stopped {
			return true
		}
	}
	return false
}

// forgetUnwaitable settles the running threads that will never report:
// one gone from /proc is dropped; a zombie leader (reaped only with the
// last thread) counts as stopped, since it can neither stop nor run.
func (p *Process) forgetUnwaitable() {
	for tid, t := range p.threads {
		if t.stopped {
			continue
		}
		b, err := os.ReadFile("/proc/" + strconv.Itoa(p.Pid) + "/task/" + strconv.Itoa(tid) + "/stat")
		if err != nil {
			delete(p.threads, tid)
			continue
		}
		if i := bytes.LastIndexByte(b, ')'); i >= 0 && i+2 < len(b) && tid == p.Pid && (b[i+2] == 'Z' || b[i+2] == 'X') {
			t.stopped = true
		}
	}
}

// took records a wait status of tid and returns the event it makes for
// Continue, if any. A stop that makes none (a clone event, a new thread's
// first stop, an interrupt's stop) leaves the thread stopped.
func (p *Process) took(tid int, ws ptrace.WaitStatus) *Event {
	switch {
	case ws.Exited() || ws.Signaled():
		delete(p.threads, tid)
		if tid != p.Pid {
			return nil
		}
		p.exited = true
		if ws.Exited() {
			return &Event{Kind: Exited, Tid: tid, Status: ws.ExitStatus()}
		}
		return &Event{Kind: Exited, Tid: tid, Sig: ws.Signal()}
	case !ws.Stopped():
		return nil
	}
	t := p.threads[tid]
	if t == nil {
		t = &thread{}
		p.threads[tid] = t // a new thread, seen before its clone event
	}
	t.stopped = true
	switch ws.TrapCause() {
	case 0:
	case ptrace.EventClone:
		p.cloned(tid)
		return nil
	default:
		return nil
	}
	sig := ws.StopSignal()
	if sig == unix.SIGTRAP {
		if bp := p.hit(tid); bp != nil {
			t.atBP = bp
			return &Event{Kind: BreakpointHit, Tid: tid, Breakpoint: bp}
		}
	}
	t.sig = int(sig)
	return &Event{Kind: Signal, Tid: tid, Sig: sig}
}

// cloned registers the thread that tid's clone event made.
func (p *Process) cloned(tid int) {
	if msg, err := ptrace.GetEventMsg(tid); err == nil && p.threads[int(msg)] == nil {
		p.threads[int(msg)] = &thread{}
	}
}

func (p *Process) isPending(tid int) bool {
	for _, e := range p.pending {
		if e.Tid == tid {
			return true
		}
	}
	return false
}

// next waits for the next event worth reporting; threads stopped with
// nothing to report (new threads, clone events) are resumed on the way.
func (p *Process) next() (*Event, error) {
	for {
		var ws ptrace.WaitStatus
		tid, err := ptrace.Wait4(-1, &ws, unix.WALL)
		if err != nil {
			if errors.Is(err, unix.ECHILD) {
				p.exited = true
				return &Event{Kind: Exited, Tid: p.Pid}, nil
			}
			return nil, err
		}
		if ev := p.took(tid, ws); ev != nil {
			return ev, nil
		}
		if t := p.threads[tid]; t != nil && t.stopped {
			t.stopped = false
			ptrace.Cont(tid, 0)
		}
	}
}

// hit checks whether tid trapped on one of the breakpoints and, if so,
// puts its PC back at the breakpoint's address.
func (p *Process) hit(tid int) *Breakpoint {
	r := &Regs{Arch: p.Arch}
	n, err := ptrace.GetRegSet(tid, ptrace.NTPrStatus, r.buf[:])
	if err != nil {
		return nil
	}
	r.n = n
	addr := r.PC() - uint64(p.Arch.BreakpointPCAdvance)
	bp := p.bps[addr]
	if bp == nil {
		return nil
	}
	if p.Arch.BreakpointPCAdvance != 0 {
		r.SetPC(addr)
		if err := ptrace.SetRegSet(tid, ptrace.NTPrStatus, r.buf[:r.n]); err != nil {
			return nil
		}
	}
	return bp
}

// Detach stops every thread, restores every patched byte and lets the
// process go. Threads resume where they are (one on a breakpoint runs its
// original instruction).
func (p *Process) Detach() error {
	defer p.th.Close()
	return p.th.DoErr(func() error {
		if p.exited {
			return nil
		}
		p.stopAll()
		p.pending = nil // signals among them are delivered by the detach (t.sig)
		var first error
		for addr, bp := range p.bps {
			if _, err := p.poke(addr, bp.orig); err != nil && first == nil {
				first = fmt.Errorf("restore %#x: %w", addr, err)
			}
			delete(p.bps, addr)
		}
		for tid, t := range p.threads {
			if err := ptrace.Detach(tid, t.sig); err != nil && first == nil && !errors.Is(err, unix.ESRCH) {
				first = fmt.Errorf("detach thread %d: %w", tid, err)
			}
		}
		p.threads = map[int]*thread{}
		return first
	})
}

// Symbol returns the run-time address of a function or variable of the
// process's main executable, from its ELF symbol tables and where
// /proc/PID/maps shows it loaded.
func (p *Process) Symbol(name string) (uint64, error) {
	exe, err := os.Readlink("/proc/" + strconv.Itoa(p.Pid) + "/exe")
	if err != nil {
		return 0, err
	}
	f, err := elf.Open("/proc/" + strconv.Itoa(p.Pid) + "/exe")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var value uint64
	found := false
	for _, get := range []func() ([]elf.Symbol, error){f.Symbols, f.DynamicSymbols} {
		syms, _ := get()
		for _, s := range syms {
			if s.Name == name && s.Value != 0 {
				value, found = s.Value, true
				break
			}
		}
		if found {
			break
		}
	}
	if !found {
		return 0, fmt.Errorf("%s in %s: %w", name, exe, ErrNoSymbol)
	}
	if f.Type != elf.ET_DYN {
		return value, nil
	}
	// A position-independent executable: add where its first segment
	// went.
	var minVaddr uint64 = ^uint64(0)
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_LOAD && prog.Vaddr < minVaddr {
			minVaddr = prog.Vaddr &^ 0xfff
		}
	}
	base, err := loadBase(p.Pid, exe)
	if err != nil {
		return 0, err
	}
	return base + value - minVaddr, nil
}

// loadBase returns the lowest address the file at path is mapped at.
func loadBase(pid int, path string) (uint64, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/maps")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || fields[5] != path {
			continue
		}
		start, _, _ := strings.Cut(fields[0], "-")
		return strconv.ParseUint(start, 16, 64)
	}
	return 0, fmt.Errorf("%s is not mapped in %d", path, pid)
}
