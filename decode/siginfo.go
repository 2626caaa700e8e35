package decode

import (
	"encoding/binary"
	"strconv"
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
	siUser   = 0
	siTimer  = -2
	siSigIO  = -5
	siTKill  = -6
	cldExit  = 1
	pollIn   = 1
	pollMsg  = 3
	pollOut  = 2
	siNoInfo = 0x7fffffff // not a real code: strace's SI_NOINFO is absent on Linux
)

// SignalFormatter prints a signal number as strace does (SIGTERM, SIGRT_3,
// or the number).
var SignalFormatter Formatter = formatterFunc(func(dst []byte, v uint64) []byte {
	return appendSignal(dst, int64(int32(v)))
})

type formatterFunc func(dst []byte, v uint64) []byte

func (f formatterFunc) Append(dst []byte, v uint64) []byte { return f(dst, v) }

func appendSignal(dst []byte, n int64) []byte {
	if name := signalName(int(n)); name != "" {
		return append(dst, name...)
	}
	return strconv.AppendInt(dst, n, 10)
}

// siCode prints a si_code for a given signal.
type siCode struct{ signo int }

func (s siCode) Append(dst []byte, v uint64) []byte {
	code := int32(v)
	if name, ok := siCodeName(code, s.signo); ok {
		return append(dst, name...)
	}
	return strconv.AppendInt(dst, int64(code), 10)
}

var siCodeFormatters [65]siCode

func init() {
	for i := range siCodeFormatters {
		siCodeFormatters[i] = siCode{signo: i}
	}
}

// Siginfo appends a siginfo_t as strace's printsiginfo prints it. raw is the
// 128-byte siginfo in the 64-bit layout PTRACE_GETSIGINFO gives a 64-bit
// tracer (for 32-bit tracees too: the kernel converts).
func Siginfo(o *Out, raw []byte) {
	if len(raw) < 48 {
		o.Unread()
		return
	}
	le := binary.LittleEndian
	i32 := func(off int) int32 { return int32(le.Uint32(raw[off:])) }
	u32 := func(off int) uint64 { return uint64(le.Uint32(raw[off:])) }
	u64 := func(off int) uint64 { return le.Uint64(raw[off:]) }
	signo := i32(0)
	errno := i32(4)
	code := i32(8)
	o.Struct()
	defer o.End()
	if signo == 0 {
		return
	}
	o.Field("si_signo")
	o.Set(SignalFormatter, uint64(signo))
	o.Field("si_code")
	if signo >= 0 && int(signo) < len(siCodeFormatters) {
		o.Set(siCodeFormatters[signo], uint64(uint32(code)))
	} else {
		o.Int(int64(code))
	}
	if errno != 0 {
		o.Field("si_errno")
		o.Set(errnoFormatter{}, uint64(uint32(errno)))
	}
	source := func() {
		o.Field("si_pid")
		o.Int(int64(i32(16)))
		o.Field("si_uid")
		o.Uint(u32(20))
	}
	sigval := func() {
		o.Field("si_int")
		o.Int(int64(i32(24)))
		o.Field("si_ptr")
		o.Addr(u64(24))
	}
	if code <= 0 { // sent by a process (SI_FROMUSER)
		switch code {
		case siUser, siTKill:
			source()
		case siTimer:
			o.Field("si_timerid")
			o.Hex(u32(16))
			o.Field("si_overrun")
			o.Int(int64(i32(20)))
			sigval()
		case siSigIO:
			o.Field("si_band")
			o.Int(int64(u64(16)))
			o.Field("si_fd")
			o.Int(int64(i32(24)))
		default:
			source()
			if u64(24) != 0 {
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
			o.Int(int64(i32(24)))
		} else {
			o.Set(SignalFormatter, uint64(uint32(i32(24))))
		}
		o.Field("si_utime")
		o.Int(int64(u64(32)))
		o.Field("si_stime")
		o.Int(int64(u64(40)))
	case sigILL, sigFPE, sigBUS, sigSEGV, sigTRAP:
		o.Field("si_addr")
		o.Addr(u64(16))
	case sigIO:
		if code == pollIn || code == pollOut || code == pollMsg {
			o.Field("si_band")
			o.Int(int64(u64(16)))
			o.Field("si_fd")
			o.Int(int64(i32(24)))
		}
	case sigSYS:
		o.Field("si_call_addr")
		o.Addr(u64(16))
		o.Field("si_syscall")
		o.Int(int64(i32(24)))
		o.Field("si_arch")
		o.Hex(u32(28))
	default:
		if i32(16) != 0 || u32(20) != 0 {
			source()
		}
		if u64(24) != 0 {
			sigval()
		}
	}
}
