package decode

import "github.com/sonde-dev/sonde/decode/xlat"

// Signals: waiting for one (rt_sigtimedwait), queueing one with a siginfo
// (rt_sigqueueinfo, rt_tgsigqueueinfo), signalfd.

// signameNote is the result comment of rt_sigtimedwait: the signal taken,
// "= 10 (SIGUSR1)".
var signameNote = formatterFunc(func(dst []byte, v uint64) []byte { return appendSignal(dst, int64(v)) })

func init() {
	registerArg("siginfo_out", outArg(func(c *Ctx, i int) { c.siginfoAt(c.Arg(i)) }))
	setArg("sfd_flags", xlat.SfdFlags, true)

	// rt_sigtimedwait(set, info, timeout, sigsetsize): strace reads the
	// timeout at entry but prints it after the siginfo at exit; with no
	// siginfo to fetch every argument prints at entry. The result names
	// the signal taken.
	timedwait := func(is64 bool) *Syscall {
		return &Syscall{
			Enter: func(c *Ctx) {
				c.sigset(c.Arg(0), c.Arg(3))
				if c.Arg(1) == 0 {
					c.Out.Addr(0)
					c.timespec(c.Arg(2), is64)
					c.Out.Uint(c.Arg(3))
					return
				}
				c.Call.More = true
				// The timeout is an input: read it now, print it at exit.
				c.Call.Saved[0], c.Call.Saved[1], c.Call.Saved[2] = c.readTimespec(c.Arg(2), is64)
			},
			Exit: func(c *Ctx) {
				if c.Failed() {
					c.Out.Addr(c.Arg(1))
				} else {
					c.siginfoAt(c.Arg(1))
				}
				c.savedTimespec(c.Arg(2))
				c.Out.Uint(c.Arg(3))
			},
			Result: func(c *Ctx) {
				if !c.Failed() && c.Ret() != 0 {
					c.Call.Note, c.Call.NoteVal = signameNote, uint64(c.Ret())
				}
			},
		}
	}
	registerSyscall(timedwait(false), "rt_sigtimedwait")
	registerSyscall(timedwait(true), "rt_sigtimedwait_time64")

	// rt_sigqueueinfo(tgid, sig, info), rt_tgsigqueueinfo(tgid, tid, sig,
	// info): the siginfo sent, at entry.
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		c.PidArg(int64(c.Int(0)))
		c.Out.Set(SignalFormatter, uint64(uint32(c.Int(1))))
		c.siginfoAt(c.Arg(2))
	}}, "rt_sigqueueinfo")
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		c.PidArg(int64(c.Int(0)))
		c.PidArg(int64(c.Int(1)))
		c.Out.Set(SignalFormatter, uint64(uint32(c.Int(2))))
		c.siginfoAt(c.Arg(3))
	}}, "rt_tgsigqueueinfo")
}

// Saved[2] states of a timespec read at entry.
const (
	tsNull = iota
	tsUnread
	tsRead
)

// readTimespec reads the struct timespec at addr (64-bit fields when is64
// or on a 64-bit tracee) for printing at exit: the seconds, the
// nanoseconds, and whether it was NULL, unreadable or read.
func (c *Ctx) readTimespec(addr uint64, is64 bool) (sec, nsec, state uint64) {
	if addr == 0 {
		return 0, 0, tsNull
	}
	var b [16]byte
	size := 16
	if c.Call.Arch.WordSize == 4 && !is64 {
		size = 8
	}
	if n, err := c.Mem.ReadAt(b[:size], addr); err != nil || n != size {
		return 0, 0, tsUnread
	}
	if size == 8 {
		return uint64(int64(int32(le32(b[:])))), uint64(int64(int32(le32(b[4:])))), tsRead
	}
	return le64(b[:]), le64(b[8:]), tsRead
}

// savedTimespec appends the timespec readTimespec kept in Saved[0:3].
func (c *Ctx) savedTimespec(addr uint64) {
	o := c.Out
	switch c.Call.Saved[2] {
	case tsNull:
		o.Addr(0)
	case tsUnread:
		o.Addr(addr)
	default:
		o.Struct()
		o.Field("tv_sec")
		o.Int(int64(c.Call.Saved[0]))
		o.Field("tv_nsec")
		o.Int(int64(c.Call.Saved[1]))
		o.End()
	}
}

func le32(b []byte) uint32 {
	_ = b[3]
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}
