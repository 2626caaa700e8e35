package decode

import (
	"encoding/binary"
	"strconv"

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
			o.Hex(c.Arg(3))
			o.Addr(c.Arg(4))
			o.Hex(uint64(uint32(c.Call.Args[5])))
		}
	}}, "futex", "futex_time64")

	// getrandom(buf, count, flags): the bytes read, always in hex.
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) { c.Call.More = true },
		Exit: func(c *Ctx) {
			if c.Failed() {
				c.Out.Addr(c.Arg(0))
			} else {
				c.Buf(c.Arg(0), uint64(c.Ret()))
				if n := len(c.Out.Nodes); n > 0 && c.Out.Nodes[n-1].Kind == KStr {
					c.Out.Nodes[n-1].Num = StrHex
				}
			}
			c.Out.Uint(c.Arg(1))
			c.Out.Set(xlat.GetrandomFlags, uint64(uint32(c.Call.Args[2])))
		},
	}, "getrandom")

	// arch_prctl(code, addr): ARCH_GET_* store through addr.
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) {
			code := uint64(uint32(c.Call.Args[0]))
			c.Out.Set(xlat.ArchPrctlCodes, code)
			if code&0xf00f == 0x1003 || code == 0x1004 || code == 0x1011 { // ARCH_GET_FS, _GS, _CPUID-like getters
				c.Call.More = true
				return
			}
			c.Out.Hex(c.Arg(1))
		},
		Exit: func(c *Ctx) {
			addr := c.Arg(1)
			var b [8]byte
			if c.Failed() {
				c.Out.Addr(addr)
				return
			}
			if !c.fetch(addr, b[:]) {
				return
			}
			c.Out.Ref()
			c.Out.Hex(binary.LittleEndian.Uint64(b[:]))
			c.Out.End()
		},
	}, "arch_prctl")

	// ioctl(fd, request, arg): the argument of requests not decoded yet
	// prints in hex, as strace prints it.
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		c.FD(int64(c.Int(0)))
		c.Out.Set(formatterFunc(xlat.AppendIoctlCmd), uint64(uint32(c.Call.Args[1])))
		c.Out.Hex(c.Arg(2))
	}}, "ioctl")

	// clock_nanosleep(clockid, flags, request, remain): remain prints only
	// when the sleep was interrupted.
	nanosleep := func(first int) *Syscall {
		return &Syscall{
			Enter: func(c *Ctx) {
				if first == 2 {
					c.Out.Set(clockIDs, uint64(uint32(c.Call.Args[0])))
					if c.Call.Args[1]&1 != 0 {
						c.Out.Sym("TIMER_ABSTIME", 1)
					} else {
						c.Out.Int(int64(c.Int(1)))
					}
				}
				c.timespec(c.Arg(first), false)
				c.Call.More = true
			},
			Exit: func(c *Ctx) {
				rem := c.Arg(first + 1)
				if c.Failed() && rem != 0 {
					c.timespec(rem, false)
					return
				}
				c.Out.Addr(rem)
			},
		}
	}
	registerSyscall(nanosleep(0), "nanosleep")
	registerSyscall(nanosleep(2), "clock_nanosleep")

	// getcwd(buf, size): the path returned.
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) { c.Call.More = true },
		Exit: func(c *Ctx) {
			if c.Failed() {
				c.Out.Addr(c.Arg(0))
			} else {
				c.Path(c.Arg(0))
			}
			c.Out.Uint(c.Arg(1))
		},
	}, "getcwd")

	// uname(buf): {sysname="Linux", nodename="host", ...}.
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) { c.Call.More = true },
		Exit:  func(c *Ctx) { c.utsname(c.Arg(0)) },
	}, "uname")

	// fcntl(fd, cmd[, arg]).
	registerSyscall(&Syscall{
		Enter:  func(c *Ctx) { c.fcntl() },
		Result: func(c *Ctx) { c.Call.NoteVal = uint64(c.Ret()) },
	}, "fcntl", "fcntl64")
}

var utsFields = [...]string{"sysname", "nodename", "release", "version", "machine", "domainname"}

func (c *Ctx) utsname(addr uint64) {
	o := c.Out
	const fieldLen = 65
	var b [6 * fieldLen]byte
	if c.Failed() || addr == 0 {
		o.Addr(addr)
		return
	}
	if !c.fetch(addr, b[:]) {
		return
	}
	o.Struct()
	for i, name := range utsFields {
		if !c.Opt.Verbose && i == 2 {
			o.More()
			break
		}
		f := b[i*fieldLen : (i+1)*fieldLen]
		n := 0
		for n < len(f) && f[n] != 0 {
			n++
		}
		o.Field(name)
		o.Bytes(f[:n], false)
	}
	o.End()
}

// fcntl commands by their argument.
const (
	fDupFD        = 0
	fGetFD        = 1
	fSetFD        = 2
	fGetFL        = 3
	fSetFL        = 4
	fDupFDCloexec = 1030
)

// fdFlagsNote names F_GETFD's result, "flags FD_CLOEXEC", and nothing for
// 0 (strace prints a plain "= 0" then).
var fdFlagsNote = formatterFunc(func(dst []byte, v uint64) []byte {
	if v == 0 {
		return dst
	}
	return xlat.FdFlags.AppendFlags(append(dst, "flags "...), v)
})

// openFlagsNote names F_GETFL's result: "flags O_RDWR|O_LARGEFILE".
type openFlagsNote struct{ f Formatter }

func (n openFlagsNote) Append(dst []byte, v uint64) []byte {
	return n.f.Append(append(dst, "flags "...), v)
}

func (c *Ctx) fcntl() {
	o := c.Out
	c.FD(int64(c.Int(0)))
	cmd := uint64(uint32(c.Call.Args[1]))
	o.Set(xlat.FcntlCmds, cmd)
	switch cmd {
	case fDupFD, fDupFDCloexec:
		c.Call.Ret = RetFD
		o.Int(int64(c.Int(2)))
	case fSetFD:
		o.Set(xlat.FdFlags, uint64(uint32(c.Call.Args[2])))
	case fSetFL:
		o.Set(c.openFlags(), uint64(uint32(c.Call.Args[2])))
	case fGetFD:
		c.Call.Ret, c.Call.Note = RetHex, fdFlagsNote
	case fGetFL:
		c.Call.Ret, c.Call.Note = RetHex, openFlagsNote{c.openFlags()}
	default:
		o.Hex(c.Arg(2))
	}
}

const (
	cloneSettls        = 0x00080000
	cloneParentSettid  = 0x00100000
	cloneChildCleartid = 0x00200000
	cloneChildSettid   = 0x01000000
	clonePidfd         = 0x00001000
	cloneCSignal       = 0xff
)

func init() {
	// clone: named arguments. x86_64 passes (flags, stack, ptid, ctid, tls);
	// i386 and aarch64 swap the last two.
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) {
			o := c.Out
			c.Call.Ret = RetDec
			o.Field("child_stack")
			o.Addr(c.Arg(1))
			o.Field("flags")
			o.Set(formatterFunc(xlat.AppendCloneFlags), c.Arg(0))
			flags := c.Arg(0) &^ cloneCSignal
			if flags&(cloneParentSettid|clonePidfd|cloneChildSettid|cloneChildCleartid|cloneSettls) != 0 {
				c.Call.More, c.Call.SepAtExit = true, true
			}
		},
		Exit: func(c *Ctx) {
			o := c.Out
			flags := c.Arg(0) &^ cloneCSignal
			ctid, tls := 3, 4
			if c.Call.Arch.Name != "x86_64" {
				ctid, tls = 4, 3
			}
			if flags&(cloneParentSettid|clonePidfd) != 0 {
				o.Field("parent_tid")
				addr := c.Arg(2)
				var b [4]byte
				if n, err := c.Mem.ReadAt(b[:], addr); err != nil || n != 4 {
					o.Addr(addr)
				} else {
					o.Ref()
					o.Int(int64(int32(binary.LittleEndian.Uint32(b[:]))))
					o.End()
				}
			}
			if flags&cloneSettls != 0 {
				o.Field("tls")
				c.tls(c.Arg(tls))
			}
			if flags&(cloneChildSettid|cloneChildCleartid) != 0 {
				o.Field("child_tidptr")
				o.Addr(c.Arg(ctid))
			}
		},
	}, "clone")
}

func init() {
	// restart_syscall(<... resuming interrupted clock_nanosleep ...>)
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		name := "system call"
		if c.Call.Prev != nil {
			name = c.Call.Prev.Name
		}
		c.Out.Text("<... resuming interrupted " + name + " ...>")
	}}, "restart_syscall")
}

// struct clone_args (linux/sched.h): every field 64 bits wide.
const (
	cloneArgsMin    = 64 // up to and including tls
	cloneArgsSize   = 88 // up to and including cgroup
	cloneIntoCgroup = 0x200000000
)

func init() {
	// clone3(args, size): the struct at entry; at exit what the kernel
	// wrote back (pidfd, parent_tid) as " => {...}".
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) {
			o := c.Out
			addr, size := c.Arg(0), c.Arg(1)
			var b [cloneArgsSize]byte
			n := min(size, cloneArgsSize)
			if n < cloneArgsMin {
				o.Addr(addr)
				o.Uint(size)
				return
			}
			if !c.fetch(addr, b[:n]) {
				o.Uint(size)
				return
			}
			f := func(k int) uint64 { return binary.LittleEndian.Uint64(b[8*k:]) }
			flags := f(0)
			o.Struct()
			o.Field("flags")
			o.Set(formatterFunc(xlat.AppendClone3Flags), flags)
			if flags&clonePidfd != 0 {
				o.Field("pidfd")
				o.Addr(f(1))
			}
			if flags&(cloneChildSettid|cloneChildCleartid) != 0 {
				o.Field("child_tid")
				o.Addr(f(2))
			}
			if flags&cloneParentSettid != 0 {
				o.Field("parent_tid")
				o.Addr(f(3))
			}
			o.Field("exit_signal")
			if sig := f(4); sig < 1<<31-1 {
				o.Set(SignalFormatter, sig)
			} else {
				o.Uint(sig)
			}
			o.Field("stack")
			o.Addr(f(5))
			o.Field("stack_size")
			o.Hex(f(6))
			if flags&cloneSettls != 0 {
				o.Field("tls")
				c.tls(f(7))
			}
			if f(8) != 0 || f(9) != 0 {
				o.Field("set_tid")
				o.Addr(f(8))
				o.Field("set_tid_size")
				o.Uint(f(9))
			}
			if n > 80 && (f(10) != 0 || flags&cloneIntoCgroup != 0) {
				o.Field("cgroup")
				o.Uint(f(10))
			}
			o.End()
			if flags&(clonePidfd|cloneParentSettid) != 0 {
				c.Call.More, c.Call.SepAtExit = true, true
				c.Call.Saved[0] = flags
				return
			}
			o.Uint(size)
		},
		Exit: func(c *Ctx) {
			o := c.Out
			addr, size, flags := c.Arg(0), c.Arg(1), c.Call.Saved[0]
			if !c.Failed() {
				var b [32]byte
				if n, err := c.Mem.ReadAt(b[:], addr); err == nil && n == len(b) {
					o.Changed()
					o.Struct()
					if flags&clonePidfd != 0 {
						o.Field("pidfd")
						c.intAt(binary.LittleEndian.Uint64(b[8:]))
					}
					if flags&cloneParentSettid != 0 {
						o.Field("parent_tid")
						c.intAt(binary.LittleEndian.Uint64(b[24:]))
					}
					o.End()
				}
			}
			o.Uint(size)
		},
	}, "clone3")
}

// intAt appends the int at addr as [N], or the address when unreadable.
func (c *Ctx) intAt(addr uint64) {
	var b [4]byte
	if !c.fetch(addr, b[:]) {
		return
	}
	c.Out.Ref()
	c.Out.Int(int64(int32(binary.LittleEndian.Uint32(b[:]))))
	c.Out.End()
}

// tls appends clone's thread pointer: a struct user_desc on i386, an
// address elsewhere.
func (c *Ctx) tls(addr uint64) {
	if c.Call.Arch.Name == "i386" {
		c.userDesc(addr)
		return
	}
	c.Out.Addr(addr)
}

// userDesc appends an i386 struct user_desc (asm/ldt.h) as strace's
// print_user_desc does: {entry_number=12, base_addr=0x818ab4c,
// limit=0x0fffff, seg_32bit=1, contents=0, read_exec_only=0,
// limit_in_pages=1, seg_not_present=0, useable=1}.
func (c *Ctx) userDesc(addr uint64) {
	var b [16]byte
	if addr == 0 {
		c.Out.Addr(0)
		return
	}
	if !c.fetch(addr, b[:]) {
		return
	}
	o := c.Out
	le := binary.LittleEndian
	o.Struct()
	o.Field("entry_number")
	c.ID(le.Uint32(b[0:]))
	o.Field("base_addr")
	o.Set(hex0x8, uint64(le.Uint32(b[4:])))
	o.Field("limit")
	o.Set(hex0x8, uint64(le.Uint32(b[8:])))
	bits := le.Uint32(b[12:])
	for _, f := range userDescBits {
		o.Field(f.name)
		o.Uint(uint64(bits>>f.shift) & (1<<f.width - 1))
	}
	o.End()
}

// userDescBits are the bit fields of user_desc's last word.
var userDescBits = [...]struct {
	name         string
	shift, width uint
}{{"seg_32bit", 0, 1}, {"contents", 1, 2}, {"read_exec_only", 3, 1}, {"limit_in_pages", 4, 1}, {"seg_not_present", 5, 1}, {"useable", 6, 1}}

// hex0x8 prints C's %#08x: 0x and at least 6 hex digits.
var hex0x8 = formatterFunc(func(dst []byte, v uint64) []byte {
	dst = append(dst, "0x"...)
	s := strconv.FormatUint(v, 16)
	for i := len(s); i < 6; i++ {
		dst = append(dst, '0')
	}
	return append(dst, s...)
})

// entryNumberNote is set_thread_area's result comment, entry_number=12.
var entryNumberNote = formatterFunc(func(dst []byte, v uint64) []byte {
	return strconv.AppendUint(append(dst, "entry_number="...), v, 10)
})

func init() {
	// set_thread_area(u_info): the struct at entry, and the entry number
	// the kernel chose as a comment on the result.
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) { c.userDesc(c.Arg(0)) },
		Result: func(c *Ctx) {
			var b [4]byte
			if c.Failed() || c.Arg(0) == 0 {
				return
			}
			if n, err := c.Mem.ReadAt(b[:], c.Arg(0)); err == nil && n == 4 {
				c.Call.Note, c.Call.NoteVal = entryNumberNote, uint64(binary.LittleEndian.Uint32(b[:]))
			}
		},
	}, "set_thread_area")
}
