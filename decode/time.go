package decode

import (
	"encoding/binary"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// Time: gettimeofday, settimeofday, time, the itimers, timerfd, the POSIX
// timers and the sleeps not in sync.go, as strace 6.1 prints them
// (src/time.c, src/print_timeval.c, src/print_timespec.h,
// src/print_sigevent.c).

// The ERESTART* errors of an interrupted call (kernel-internal errnos).
const (
	errRestartSys         = 512
	errRestartNoIntr      = 513
	errRestartNoHand      = 514
	errRestartRestartBlck = 516
)

// interrupted reports whether the call failed with an ERESTART* error, as
// strace's is_erestart.
func (c *Ctx) interrupted() bool {
	if !c.Failed() {
		return false
	}
	switch -c.Ret() {
	case errRestartSys, errRestartNoIntr, errRestartNoHand, errRestartRestartBlck:
		return true
	}
	return false
}

// outFailed appends addr (NULL for 0) when the call failed, as strace
// prints an output structure of a failed call, and reports whether it did.
func (c *Ctx) outFailed(addr uint64) bool {
	if c.Failed() {
		c.Out.Addr(addr)
		return true
	}
	return false
}

// timePair appends a structure of two time structures, {it_interval={...},
// it_value={...}}: struct itimerspec (nanoseconds; 64-bit fields when
// is64 or on a 64-bit tracee) or struct itimerval (usec, native longs).
func (c *Ctx) timePair(addr uint64, is64, usec bool) {
	o := c.Out
	if addr == 0 {
		o.Addr(0)
		return
	}
	half := 16
	if c.Call.Arch.WordSize == 4 && !is64 {
		half = 8
	}
	var b [32]byte
	if !c.fetch(addr, b[:2*half]) {
		return
	}
	frac := "tv_nsec"
	if usec {
		frac = "tv_usec"
	}
	o.Struct()
	o.Field("it_interval")
	c.timevalFields(b[:half], frac)
	o.Field("it_value")
	c.timevalFields(b[half:2*half], frac)
	o.End()
}

// timezone appends a struct timezone: {tz_minuteswest=0, tz_dsttime=0}.
func (c *Ctx) timezone(addr uint64) {
	var b [8]byte
	if addr == 0 {
		c.Out.Addr(0)
		return
	}
	if !c.fetch(addr, b[:]) {
		return
	}
	o := c.Out
	o.Struct()
	o.Field("tz_minuteswest")
	o.Int(int64(int32(binary.LittleEndian.Uint32(b[:]))))
	o.Field("tz_dsttime")
	o.Int(int64(int32(binary.LittleEndian.Uint32(b[4:]))))
	o.End()
}

// sigevent appends a struct sigevent (timer_create's sevp):
// {sigev_value={sival_int=42, sival_ptr=0x2a}, sigev_signo=SIGUSR1,
// sigev_notify=SIGEV_SIGNAL}; sigev_value only when nonzero.
func (c *Ctx) sigevent(addr uint64) {
	const (
		sigevSignal   = 0
		sigevThread   = 2
		sigevThreadID = 4
	)
	var b [64]byte
	if addr == 0 {
		c.Out.Addr(0)
		return
	}
	if !c.fetch(addr, b[:]) {
		return
	}
	ws := c.Call.Arch.WordSize
	word := func(off int) uint64 {
		if ws == 4 {
			return uint64(binary.LittleEndian.Uint32(b[off:]))
		}
		return binary.LittleEndian.Uint64(b[off:])
	}
	val := word(0)
	signo := binary.LittleEndian.Uint32(b[ws:])
	notify := binary.LittleEndian.Uint32(b[ws+4:])
	un := ws + 8
	o := c.Out
	o.Struct()
	if val != 0 {
		o.Field("sigev_value")
		o.Struct()
		o.Field("sival_int")
		o.Int(int64(int32(val)))
		o.Field("sival_ptr")
		o.Addr(val)
		o.End()
	}
	o.Field("sigev_signo")
	switch notify {
	case sigevSignal, sigevThread, sigevThreadID:
		o.Set(SignalFormatter, uint64(signo))
	default:
		o.Uint(uint64(signo))
	}
	o.Field("sigev_notify")
	o.Set(xlat.SigevNotify, uint64(notify))
	switch notify {
	case sigevThreadID:
		o.Field("sigev_notify_thread_id")
		o.Int(int64(int32(binary.LittleEndian.Uint32(b[un:]))))
	case sigevThread:
		o.Field("sigev_notify_function")
		o.Addr(word(un))
		o.Field("sigev_notify_attributes")
		o.Addr(word(un + ws))
	}
	o.End()
}

// dateNote is time's result comment: the date of the seconds it returned,
// (2023-11-14T22:13:20+0000), nothing for the epoch.
var dateNote = formatterFunc(func(dst []byte, v uint64) []byte {
	n := len(dst)
	dst = appendDateComment(dst, int64(v), 0)
	if len(dst) < n+len(" /*  */") {
		return dst[:n]
	}
	date := dst[n+len(" /* ") : len(dst)-len(" */")]
	return append(dst[:n], date...)
})

func init() {
	clock := func(c *Ctx, i int) { c.Out.Set(clockIDs, uint64(uint32(c.Call.Args[i]))) }

	registerSyscall(&Syscall{
		Enter: func(c *Ctx) { c.Call.More = true },
		Exit: func(c *Ctx) {
			if !c.outFailed(c.Arg(0)) {
				c.timeval(c.Arg(0))
			}
			if !c.outFailed(c.Arg(1)) {
				c.timezone(c.Arg(1))
			}
		},
	}, "gettimeofday")
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		c.timeval(c.Arg(0))
		c.timezone(c.Arg(1))
	}}, "settimeofday")

	// time(tloc): the time stored at tloc, [1700000000], at exit.
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) { c.Call.More = true },
		Exit: func(c *Ctx) {
			addr := c.Arg(0)
			if addr == 0 || c.outFailed(addr) {
				if addr == 0 {
					c.Out.Addr(0)
				}
				return
			}
			v, ok := c.readWord(addr)
			if !ok || c.Opt.NoDeref {
				c.Out.Addr(addr)
				return
			}
			c.Out.Ref()
			c.Out.Set(dateComment{}, uint64(c.Call.Arch.SignedWord(v)))
			c.Out.End()
		},
		Result: func(c *Ctx) {
			if !c.Failed() {
				c.Call.Note, c.Call.NoteVal = dateNote, uint64(c.Ret())
			}
		},
	}, "time")

	registerSyscall(&Syscall{
		Enter: func(c *Ctx) {
			c.Out.Set(xlat.ItimerWhich, uint64(uint32(c.Call.Args[0])))
			c.Call.More = true
		},
		Exit: func(c *Ctx) {
			if !c.outFailed(c.Arg(1)) {
				c.timePair(c.Arg(1), false, true)
			}
		},
	}, "getitimer")
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) {
			c.Out.Set(xlat.ItimerWhich, uint64(uint32(c.Call.Args[0])))
			c.timePair(c.Arg(1), false, true)
			c.Call.More = true
		},
		Exit: func(c *Ctx) {
			if !c.outFailed(c.Arg(2)) {
				c.timePair(c.Arg(2), false, true)
			}
		},
	}, "setitimer")

	// clock_nanosleep_time64(clockid, flags, request, remain): remain
	// prints only when a relative sleep was interrupted.
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) {
			clock(c, 0)
			c.Out.Set(xlat.ClockFlags, uint64(uint32(c.Call.Args[1])))
			c.timespec(c.Arg(2), true)
			c.Call.More = true
		},
		Exit: func(c *Ctx) {
			if c.Call.Args[1] == 0 && c.interrupted() {
				c.timespec(c.Arg(3), true)
				return
			}
			c.Out.Addr(c.Arg(3))
		},
	}, "clock_nanosleep_time64")

	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		clock(c, 0)
		c.Out.Set(xlat.TimerfdFlags, uint64(uint32(c.Call.Args[1])))
		c.Call.Ret = RetFD
	}}, "timerfd_create")

	// timerfd_settime(fd, flags, new, old) and timer_settime(timerid,
	// flags, new, old): the old value at exit.
	settime := func(timerfd bool) *Syscall {
		return &Syscall{
			Enter: func(c *Ctx) {
				if timerfd {
					c.FD(int64(c.Int(0)))
					c.Out.Set(xlat.TimerfdFlags, uint64(uint32(c.Call.Args[1])))
				} else {
					c.Out.Int(int64(c.Int(0)))
					c.Out.Set(xlat.ClockFlags, uint64(uint32(c.Call.Args[1])))
				}
				c.timePair(c.Arg(2), c.is64Call(), false)
				c.Call.More = true
			},
			Exit: func(c *Ctx) {
				if !c.outFailed(c.Arg(3)) {
					c.timePair(c.Arg(3), c.is64Call(), false)
				}
			},
		}
	}
	registerSyscall(settime(true), "timerfd_settime", "timerfd_settime64")
	registerSyscall(settime(false), "timer_settime", "timer_settime64")

	gettime := func(timerfd bool) *Syscall {
		return &Syscall{
			Enter: func(c *Ctx) {
				if timerfd {
					c.FD(int64(c.Int(0)))
				} else {
					c.Out.Int(int64(c.Int(0)))
				}
				c.Call.More = true
			},
			Exit: func(c *Ctx) {
				if !c.outFailed(c.Arg(1)) {
					c.timePair(c.Arg(1), c.is64Call(), false)
				}
			},
		}
	}
	registerSyscall(gettime(true), "timerfd_gettime", "timerfd_gettime64")
	registerSyscall(gettime(false), "timer_gettime", "timer_gettime64")

	// timer_create(clockid, sevp, timerid): the new timer's id, [0], at
	// exit.
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) {
			clock(c, 0)
			c.sigevent(c.Arg(1))
			c.Call.More = true
		},
		Exit: func(c *Ctx) {
			addr := c.Arg(2)
			if c.outFailed(addr) {
				return
			}
			var b [4]byte
			if addr == 0 {
				c.Out.Addr(0)
				return
			}
			if c.fetch(addr, b[:]) {
				c.Out.Ref()
				c.Out.Int(int64(int32(binary.LittleEndian.Uint32(b[:]))))
				c.Out.End()
			}
		},
	}, "timer_create")
}
