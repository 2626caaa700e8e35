package decode

import (
	"encoding/binary"
	"strconv"

	"github.com/sonde-dev/sonde/decode/xlat"
	"github.com/sonde-dev/sonde/sysent"
)

// Signal numbers whose siginfo has its own layout (the same on x86 and
// asm-generic).
const (
	sigILL  = 4
	sigTRAP = 5
	sigBUS  = 7
	sigFPE  = 8
	sigSEGV = 11
	sigCHLD = 17
	sigIO   = 29
	sigSYS  = 31
)

// si_code values strace treats specially.
const (
	siUser      = 0
	siTimer     = -2
	siSigIO     = -5
	siTKill     = -6
	cldExit     = 1
	pollIn      = 1
	pollOut     = 2
	pollMsg     = 3
	segvBndErr  = 3
	segvPkuErr  = 4
	busMceErrAR = 4
	busMceErrAO = 5
)

// SignalFormatter prints a signal number as strace does (SIGTERM, SIGRT_3,
// or the number).
var SignalFormatter Formatter = signalFormatter{}

type signalFormatter struct{}

func (signalFormatter) Append(dst []byte, v uint64) []byte { return appendSignal(dst, int64(int32(v))) }

// AppendRaw prints the signal's number, as strace's -X raw does: 15.
func (signalFormatter) AppendRaw(dst []byte, v uint64) []byte {
	return strconv.AppendInt(dst, int64(int32(v)), 10)
}

type formatterFunc func(dst []byte, v uint64) []byte

func (f formatterFunc) Append(dst []byte, v uint64) []byte { return f(dst, v) }

func appendSignal(dst []byte, n int64) []byte {
	if name := signalName(int(n)); name != "" {
		return append(dst, name...)
	}
	return strconv.AppendInt(dst, n, 10)
}

// siCode prints a si_code for a given signal: its name, or 32-bit hex
// (strace's print_xlat_ex of an unsigned si_code).
type siCode struct{ signo int }

func (s siCode) Append(dst []byte, v uint64) []byte {
	return xlat.AppendSiCode(dst, s.signo, int32(v))
}

var siCodeFormatters [65]siCode

func init() {
	for i := range siCodeFormatters {
		siCodeFormatters[i] = siCode{signo: i}
	}
}

// clockTicks is USER_HZ, the clock_t unit of siginfo and struct tms (100 on
// every arch sonde supports; strace asks sysconf(_SC_CLK_TCK)).
const clockTicks = 100

// ClockTFormatter prints a clock_t as strace's print_clock_t does: the
// ticks, then a comment in seconds when nonzero: 17 /* 0.17 s */.
var ClockTFormatter Formatter = clockTFormatter{}

type clockTFormatter struct{}

func (clockTFormatter) Append(dst []byte, v uint64) []byte {
	dst = strconv.AppendUint(dst, v, 10)
	if v == 0 {
		return dst
	}
	dst = append(dst, " /* "...)
	dst = strconv.AppendUint(dst, v/clockTicks, 10)
	dst = append(dst, '.')
	if f := v % clockTicks; f < 10 {
		dst = append(dst, '0')
		dst = strconv.AppendUint(dst, f, 10)
	} else {
		dst = strconv.AppendUint(dst, f, 10)
	}
	return append(dst, " s */"...)
}

// AppendRaw prints the same text, so that -X verbose adds nothing: strace
// prints a clock_t the same way there (-X raw drops the comment; sonde
// keeps it).
func (f clockTFormatter) AppendRaw(dst []byte, v uint64) []byte { return f.Append(dst, v) }

// auditArchFormatter prints si_arch: AUDIT_ARCH_X86_64, or hex with a
// comment.
var auditArchFormatter Formatter = xlat.AuditArches

// siginfoLayout says where the fields of a siginfo_t are: the 64-bit layout
// (x86_64, aarch64, and what PTRACE_GETSIGINFO gives a 64-bit tracer for
// any tracee) or the i386 one (a 32-bit tracee's memory).
type siginfoLayout struct {
	union int // offset of the union after si_signo, si_errno, si_code
	ws    int // word size: pointers, longs, clock_t
}

var (
	siginfo64 = siginfoLayout{union: 16, ws: 8}
	siginfo32 = siginfoLayout{union: 12, ws: 4}
)

// siginfoView reads the fields of one siginfo_t of a given layout.
type siginfoView struct {
	raw []byte
	l   siginfoLayout
}

func (s siginfoView) i32(off int) int32 {
	if off+4 > len(s.raw) {
		return 0
	}
	return int32(binary.LittleEndian.Uint32(s.raw[off:]))
}

func (s siginfoView) u32(off int) uint64 { return uint64(uint32(s.i32(off))) }

// word reads an unsigned word of the layout's size at off.
func (s siginfoView) word(off int) uint64 {
	if s.l.ws == 4 {
		return s.u32(off)
	}
	if off+8 > len(s.raw) {
		return 0
	}
	return binary.LittleEndian.Uint64(s.raw[off:])
}

// The union's members, at their offsets in the layout.
func (s siginfoView) pid() int32        { return s.i32(s.l.union) }
func (s siginfoView) uid() uint64       { return s.u32(s.l.union + 4) }
func (s siginfoView) timerid() uint64   { return s.u32(s.l.union) }
func (s siginfoView) overrun() int32    { return s.i32(s.l.union + 4) }
func (s siginfoView) sigvalOff() int    { return s.l.union + 8 }
func (s siginfoView) status() int32     { return s.i32(s.l.union + 8) }
func (s siginfoView) utime() uint64     { return s.word(s.l.union + 8 + s.l.ws) }
func (s siginfoView) stime() uint64     { return s.word(s.l.union + 8 + 2*s.l.ws) }
func (s siginfoView) addr() uint64      { return s.word(s.l.union) }
func (s siginfoView) addrLsb() uint64   { return s.u32(s.l.union+s.l.ws) & 0xffff }
func (s siginfoView) lower() uint64     { return s.word(s.l.union + 2*s.l.ws) }
func (s siginfoView) upper() uint64     { return s.word(s.l.union + 3*s.l.ws) }
func (s siginfoView) pkey() uint64      { return s.u32(s.l.union + 2*s.l.ws) }
func (s siginfoView) band() int64       { return signExtend(s.word(s.l.union), s.l.ws) }
func (s siginfoView) fd() int32         { return s.i32(s.l.union + s.l.ws) }
func (s siginfoView) callAddr() uint64  { return s.word(s.l.union) }
func (s siginfoView) syscallNr() int32  { return s.i32(s.l.union + s.l.ws) }
func (s siginfoView) auditArch() uint64 { return s.u32(s.l.union + s.l.ws + 4) }
func (s siginfoView) sigvalInt() int32  { return s.i32(s.sigvalOff()) }
func (s siginfoView) sigvalPtr() uint64 { return s.word(s.sigvalOff()) }

func signExtend(v uint64, ws int) int64 {
	if ws == 4 {
		return int64(int32(v))
	}
	return int64(v)
}

// Siginfo appends a siginfo_t as strace's printsiginfo prints it. raw is the
// 128-byte siginfo in the 64-bit layout PTRACE_GETSIGINFO gives a 64-bit
// tracer (for 32-bit tracees too: the kernel converts).
func Siginfo(o *Out, raw []byte) {
	if len(raw) < 48 {
		o.Unread()
		return
	}
	appendSiginfo(o, siginfoView{raw: raw, l: siginfo64})
}

// siginfoAt appends the siginfo_t at addr in the tracee's own layout (a
// waitid or rt_sigtimedwait output, an rt_sigqueueinfo input), or NULL,
// or the address when it cannot be read.
func (c *Ctx) siginfoAt(addr uint64) {
	if addr == 0 {
		c.Out.Addr(0)
		return
	}
	var b [128]byte
	if !c.fetch(addr, b[:]) {
		return
	}
	l := siginfo64
	if c.Call.Arch.WordSize == 4 {
		l = siginfo32
	}
	appendSiginfo(c.Out, siginfoView{raw: b[:], l: l})
}

func appendSiginfo(o *Out, s siginfoView) {
	signo := s.i32(0)
	errno := s.i32(4)
	code := s.i32(8)
	o.Struct()
	defer o.End()
	if signo == 0 {
		return
	}
	o.Field("si_signo")
	o.Set(SignalFormatter, uint64(uint32(signo)))
	o.Field("si_code")
	if signo >= 0 && int(signo) < len(siCodeFormatters) {
		o.Set(siCodeFormatters[signo], uint64(uint32(code)))
	} else {
		o.Set(siCode{}, uint64(uint32(code)))
	}
	if errno != 0 {
		o.Field("si_errno")
		o.Set(errnoFormatter{}, uint64(uint32(errno)))
	}
	source := func() {
		o.Field("si_pid")
		o.Pid(int64(s.pid()), nil)
		o.Field("si_uid")
		idField(o, uint32(s.uid()))
	}
	sigval := func() {
		o.Field("si_int")
		o.Int(int64(s.sigvalInt()))
		o.Field("si_ptr")
		o.Addr(s.sigvalPtr())
	}
	if code <= 0 { // sent by a process (SI_FROMUSER)
		switch code {
		case siUser, siTKill:
			source()
		case siTimer:
			o.Field("si_timerid")
			o.Hex(s.timerid())
			o.Field("si_overrun")
			o.Int(int64(s.overrun()))
			sigval()
		case siSigIO:
			o.Field("si_band")
			o.Int(s.band())
			o.Field("si_fd")
			o.Int(int64(s.fd()))
		default:
			source()
			if s.sigvalPtr() != 0 {
				sigval()
			}
		}
		return
	}
	switch signo {
	case sigCHLD:
		source()
		o.Field("si_status")
		if code == cldExit {
			o.Int(int64(s.status()))
		} else {
			o.Set(SignalFormatter, uint64(uint32(s.status())))
		}
		o.Field("si_utime")
		o.Set(ClockTFormatter, s.utime())
		o.Field("si_stime")
		o.Set(ClockTFormatter, s.stime())
	case sigILL, sigFPE, sigTRAP:
		o.Field("si_addr")
		o.Addr(s.addr())
	case sigBUS:
		o.Field("si_addr")
		o.Addr(s.addr())
		if code == busMceErrAR || code == busMceErrAO {
			o.Field("si_addr_lsb")
			o.Hex(s.addrLsb())
		}
	case sigSEGV:
		o.Field("si_addr")
		o.Addr(s.addr())
		switch code {
		case segvBndErr:
			o.Field("si_lower")
			o.Addr(s.lower())
			o.Field("si_upper")
			o.Addr(s.upper())
		case segvPkuErr:
			o.Field("si_pkey")
			o.Uint(s.pkey())
		}
	case sigIO:
		if code == pollIn || code == pollOut || code == pollMsg {
			o.Field("si_band")
			o.Int(s.band())
			o.Field("si_fd")
			o.Int(int64(s.fd()))
		}
	case sigSYS:
		o.Field("si_call_addr")
		o.Addr(s.callAddr())
		o.Field("si_syscall")
		appendSyscallName(o, s.syscallNr(), uint32(s.auditArch()))
		o.Field("si_arch")
		o.Set(auditArchFormatter, s.auditArch())
	default:
		if s.pid() != 0 || s.uid() != 0 {
			source()
		}
		if s.sigvalPtr() != 0 {
			sigval()
		}
	}
}

// idField appends a uid as strace's PRINT_FIELD_ID: -1 for (uid_t)-1.
func idField(o *Out, id uint32) {
	if id == ^uint32(0) {
		o.Int(-1)
		return
	}
	o.Uint(uint64(id))
}

// appendSyscallName appends a syscall number of the arch named by an
// AUDIT_ARCH value as strace's PRINT_FIELD_SYSCALL_NAME does: __NR_getppid
// when the arch and the number are known, else the number.
func appendSyscallName(o *Out, nr int32, auditArch uint32) {
	if t := sysent.ForAuditArch(auditArch); t != nil && nr >= 0 {
		if e := t.Lookup(uint64(nr)); e != nil {
			o.Sym("__NR_"+e.Name, uint64(int64(nr)))
			return
		}
	}
	o.Int(int64(nr))
}
