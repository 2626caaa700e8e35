package tracer

import (
	"errors"
	"fmt"
	"time"

	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/filter"
	"github.com/sonde-dev/sonde/ptrace"
	"github.com/sonde-dev/sonde/sysent"
)

// Fault injection (-e inject=, -e fault=): at the entry of a chosen
// invocation the syscall number is set to -1, so the kernel skips the call;
// at its exit the return register gets -errno or the value asked for, and
// the call is reported with that result and Injected set. Registers go
// through PTRACE_GETREGSET/SETREGSET of NT_PRSTATUS, whose layout is the
// tracee's (arch.Arch's offsets): x86_64's user_regs_struct or, for an i386
// tracee, the 32-bit one.

// ErrInjectArch is returned when sonde cannot inject into a tracee of this
// architecture yet.
var ErrInjectArch = errors.New("syscall injection is not supported for this architecture yet")

// regOffsets are the byte offsets of the return and syscall-number
// registers in NT_PRSTATUS, and the register size (arch data). aarch64's
// syscall number is not in that regset (NT_ARM_SYSTEM_CALL holds it): not
// supported yet.
func regOffsets(a *arch.Arch) (ret, nr, size int, err error) {
	if a.Generic {
		return 0, 0, 0, fmt.Errorf("%s: %w", a.Name, ErrInjectArch)
	}
	return a.Ret, a.Nr, a.WordSize, nil
}

// setReg writes one register of the stopped task.
func setReg(pid int, a *arch.Arch, which func(ret, nr int) int, v int64) error {
	ret, nr, size, err := regOffsets(a)
	if err != nil {
		return err
	}
	var buf [512]byte
	n, err := ptrace.GetRegSet(pid, ptrace.NTPrStatus, buf[:])
	if err != nil {
		return err
	}
	off := which(ret, nr)
	if off+size > n {
		return fmt.Errorf("NT_PRSTATUS of %d is %d bytes: %w", pid, n, ErrInjectArch)
	}
	a.PutWord(buf[:], off, uint64(v))
	return ptrace.SetRegSet(pid, ptrace.NTPrStatus, buf[:n])
}

// injectEnter counts the invocation and, when the rule selects it, makes
// the kernel skip the call (error=, retval=) and holds the task at its entry
// (delay_enter=). It returns the rule applied, or nil.
func (t *Tracer) injectEnter(tk *task, c *decode.Call) *filter.Inject {
	f := t.cfg.Filter
	if len(f.Inject) == 0 {
		return nil
	}
	in := f.InjectFor(c.Table, selNr(c))
	if in == nil {
		return nil
	}
	if tk.injectCount == nil {
		tk.injectCount = map[injectKey]uint64{}
	}
	k := injectKey{c.Table, selNr(c)}
	tk.injectCount[k]++
	if !in.Matches(tk.injectCount[k]) {
		return nil
	}
	if in.Tampers() {
		// Skip the call, or run syscall='s substitute instead.
		nr := int64(-1)
		if in.Syscall != "" {
			if e := c.Table.ByName(in.Syscall); e != nil {
				nr = int64(e.Nr)
			}
		}
		if err := setReg(tk.pid, c.Arch, func(_, n int) int { return n }, nr); err != nil {
			return nil // not injected: the call runs as it would have
		}
	}
	tk.poked = t.poke(tk, c, in.PokeEnter)
	if in.Delays&filter.DelayAtEnter != 0 {
		tk.hold, tk.holdFor = true, in.DelayEnter
	}
	return in
}

// injectExit sets a skipped call's result, and asks for the signal and the
// exit delay of the rule. It returns the call's result as the kernel would
// report it.
func (t *Tracer) injectExit(tk *task, a *arch.Arch, in *filter.Inject, rval int64, isError bool) (int64, bool) {
	if in.Signal > 0 {
		tk.resumeSig = in.Signal
	}
	if in.Delays&filter.DelayAtExit != 0 {
		tk.hold, tk.holdFor = true, in.DelayExit
	}
	if t.poke(tk, &tk.call, in.PokeExit) {
		tk.poked = true
	}
	if !in.Tampers() {
		return rval, isError
	}
	v := in.Retval
	if in.Errno > 0 {
		v = -int64(in.Errno)
	}
	setReg(tk.pid, a, func(ret, _ int) int { return ret }, v)
	return v, in.Errno > 0
}

// poke writes each item's data where its argument points and reports
// whether any was written. Arguments the syscall does not have are left
// alone.
func (t *Tracer) poke(tk *task, c *decode.Call, pokes []filter.Poke) bool {
	done := false
	for _, p := range pokes {
		if c.Entry == nil || p.Arg > int(c.Entry.Nargs) {
			continue
		}
		addr := c.Arch.Mask(c.Args[p.Arg-1])
		if n, err := ptrace.WriteMem(tk.pid, addr, p.Data); err == nil && n == len(p.Data) {
			done = true
		}
	}
	return done
}

// delayed is a task held at a stop by delay_enter= or delay_exit=.
type delayed struct {
	at  time.Time
	tk  *task
	sig int
}

// hold keeps tk stopped for d, then resumes it with sig. A timer ends the
// ptrace thread's wait4 then (wake), so the loop resumes it on time.
func (t *Tracer) holdTask(tk *task, sig int, d time.Duration) {
	t.held = append(t.held, delayed{time.Now().Add(d), tk, sig})
	time.AfterFunc(d, t.wake)
}

// resumeDue resumes the held tasks whose delay has passed (all of them with
// all set) and reports whether any task is still held.
func (t *Tracer) resumeDue(all bool) bool {
	if len(t.held) == 0 {
		return false
	}
	now := time.Now()
	kept := t.held[:0]
	for _, d := range t.held {
		if !all && now.Before(d.at) {
			kept = append(kept, d)
			continue
		}
		if t.tasks[d.tk.pid] == d.tk {
			t.resume(d.tk, d.sig)
		}
	}
	t.held = kept
	return len(kept) > 0
}

type injectKey struct {
	tab *sysent.Table
	nr  uint64
}
