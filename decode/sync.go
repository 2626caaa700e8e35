package decode

import (
	"encoding/binary"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// Syscalls whose arguments depend on each other, or that strace prints in a
// way no signature says.

// StrHex in a KStr node's Num asks renderers to print every byte as \xHH
// (strace's QUOTE_FORCE_HEX: getrandom's buffer).
const StrHex = 1

// printargs prints n arguments in hex, as strace prints a syscall it has
// no decoder for.
func printargs(n int) *Syscall {
	return &Syscall{Enter: func(c *Ctx) {
		for i := 0; i < n; i++ {
			hexArg(c, i)
		}
	}}
}

const (
	futexWait          = 0
	futexWake          = 1
	futexFD            = 2
	futexRequeue       = 3
	futexCmpRequeue    = 4
	futexWakeOp        = 5
	futexLockPI        = 6
	futexUnlockPI      = 7
	futexTrylockPI     = 8
	futexWaitBitset    = 9
	futexWakeBitset    = 10
	futexWaitRequeuePI = 11
	futexCmpRequeuePI  = 12
	futexLockPI2       = 13
	futexCmdMask       = 0x7f // without FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME
	futexBitsetAny     = 0xffffffff
)

func init() {
	// strace 6.1 has no decoder for rseq: it prints the raw arguments.
	registerSyscall(printargs(4), "rseq")

	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		o := c.Out
		o.Addr(c.Arg(0))
		op := uint64(uint32(c.Call.Args[1]))
		o.Set(formatterFunc(xlat.AppendFutexOp), op)
		val := uint64(uint32(c.Call.Args[2]))
		bitset := func(v uint64) {
			if v == futexBitsetAny {
				o.Sym("FUTEX_BITSET_MATCH_ANY", v)
			} else {
				o.Hex(v)
			}
		}
		is64 := c.Call.Entry != nil && c.Call.Entry.Name == "futex_time64"
		switch op & futexCmdMask {
		case futexWait:
			o.Uint(val)
			c.timespec(c.Arg(3), is64)
		case futexLockPI, futexLockPI2:
			c.timespec(c.Arg(3), is64)
		case futexWaitBitset:
			o.Uint(val)
			c.timespec(c.Arg(3), is64)
			bitset(uint64(uint32(c.Call.Args[5])))
		case futexWakeBitset:
			o.Uint(val)
			bitset(uint64(uint32(c.Call.Args[5])))
		case futexRequeue:
			o.Uint(val)
			o.Uint(c.Arg(3))
			o.Addr(c.Arg(4))
		case futexCmpRequeue, futexCmpRequeuePI:
			o.Uint(val)
			o.Uint(c.Arg(3))
			o.Addr(c.Arg(4))
			o.Uint(uint64(uint32(c.Call.Args[5])))
		case futexWakeOp:
			o.Uint(val)
			o.Uint(c.Arg(3))
			o.Addr(c.Arg(4))
			o.Set(formatterFunc(func(dst []byte, v uint64) []byte {
				return xlat.AppendFutexWakeOpVal3(dst, uint32(v))
			}), uint64(uint32(c.Call.Args[5])))
		case futexWaitRequeuePI:
			o.Uint(val)
			c.timespec(c.Arg(3), is64)
			o.Addr(c.Arg(4))
		case futexFD, futexWake:
			o.Uint(val)
		case futexUnlockPI, futexTrylockPI:
		default:
			o.Uint(val)
			o.Addr(c.Arg(3)) // the timeout slot, an address to strace
			o.Addr(c.Arg(4))
			o.Hex(uint64(uint32(c.Call.Args[5])))
		}
	}}, "futex", "futex_time64")

	// futex_waitv(waiters, nr_futexes, flags, timeout, clockid): the
	// struct futex_waitv array (the same 24 bytes on every ABI) as the
	// installed strace 6.1 prints it, __reserved only when set.
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		o := c.Out
		c.printArray(c.Arg(0), uint64(uint32(c.Call.Args[1])), 24, func(b []byte) {
			o.Struct()
			o.Field("val")
			o.Hex(binary.LittleEndian.Uint64(b))
			o.Field("uaddr")
			o.Addr(binary.LittleEndian.Uint64(b[8:]))
			o.Field("flags")
			o.Set(xlat.FutexWaitvFlags, uint64(binary.LittleEndian.Uint32(b[16:])))
			if r := binary.LittleEndian.Uint32(b[20:]); r != 0 {
				o.Field("__reserved")
				o.Hex(uint64(r))
			}
			o.End()
		})
		o.Uint(uint64(uint32(c.Call.Args[1])))
		o.Hex(uint64(uint32(c.Call.Args[2])))
		c.timespec(c.Arg(3), true)
		o.Set(clockIDs, uint64(uint32(c.Call.Args[4])))
	}}, "futex_waitv")

	// clock_nanosleep(clockid, flags, request, remain): remain prints only
	// when a relative sleep was interrupted.
	nanosleep := func(first int) *Syscall {
		return &Syscall{
			Enter: func(c *Ctx) {
				if first == 2 {
					c.Out.Set(clockIDs, uint64(uint32(c.Call.Args[0])))
					c.Out.Set(xlat.ClockFlags, uint64(uint32(c.Call.Args[1])))
				}
				c.timespec(c.Arg(first), false)
				c.Call.More = true
			},
			Exit: func(c *Ctx) {
				// The kernel writes the time left only when a relative
				// sleep is interrupted (and will be restarted).
				rem := c.Arg(first + 1)
				relative := first == 0 || uint32(c.Call.Args[1])&1 == 0
				if c.interrupted() && relative && rem != 0 {
					c.timespec(rem, false)
					return
				}
				c.Out.Addr(rem)
			},
		}
	}
	registerSyscall(nanosleep(0), "nanosleep")
	registerSyscall(nanosleep(2), "clock_nanosleep")

}
