package tracer

import (
	"encoding/binary"
	"errors"
	"fmt"

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
// tracee's: x86_64's user_regs_struct (rax at 80, orig_rax at 120) or, for
// an i386 tracee, the 32-bit one (eax at 24, orig_eax at 44).

// ErrInjectArch is returned when sonde cannot inject into a tracee of this
// architecture yet.
var ErrInjectArch = errors.New("syscall injection is not supported for this architecture yet")

// regOffsets are the byte offsets of the return and syscall-number
// registers in NT_PRSTATUS, and the register size.
func regOffsets(a *arch.Arch) (ret, nr, size int, err error) {
	switch a.AuditArch {
	case sysent.AuditArchX86_64:
		return 80, 120, 8, nil
	case sysent.AuditArchI386:
		return 24, 44, 4, nil
	}
	return 0, 0, 0, fmt.Errorf("%s: %w", a.Name, ErrInjectArch)
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
	if size == 8 {
		binary.LittleEndian.PutUint64(buf[off:], uint64(v))
	} else {
		binary.LittleEndian.PutUint32(buf[off:], uint32(v))
	}
	return ptrace.SetRegSet(pid, ptrace.NTPrStatus, buf[:n])
}

// injectEnter counts the invocation and, when the rule selects it, makes
// the kernel skip the call. It returns the rule applied, or nil.
func (t *Tracer) injectEnter(tk *task, c *decode.Call) *filter.Inject {
	f := t.cfg.Filter
	if len(f.Inject) == 0 {
		return nil
	}
	in := f.InjectFor(c.Table, c.Nr)
	if in == nil {
		return nil
	}
	if tk.injectCount == nil {
		tk.injectCount = map[injectKey]uint64{}
	}
	k := injectKey{c.Table, c.Nr}
	tk.injectCount[k]++
	if !in.Matches(tk.injectCount[k]) {
		return nil
	}
	if err := setReg(tk.pid, c.Arch, func(_, nr int) int { return nr }, -1); err != nil {
		return nil // not injected: the call runs as it would have
	}
	return in
}

// injectExit sets the skipped call's result and returns it as the kernel
// would report it.
func (t *Tracer) injectExit(tk *task, a *arch.Arch, in *filter.Inject) (rval int64, isError bool) {
	v := in.Retval
	if in.Errno > 0 {
		v = -int64(in.Errno)
	}
	setReg(tk.pid, a, func(ret, _ int) int { return ret }, v)
	return v, in.Errno > 0
}

type injectKey struct {
	tab *sysent.Table
	nr  uint64
}
