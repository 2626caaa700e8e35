package decode

import (
	"encoding/binary"
	"strconv"

	"github.com/sonde-dev/sonde/decode/xlat"
	"github.com/sonde-dev/sonde/sysent"
)

// Processes: wait statuses, resource limits.

func init() {
	registerArg("wait_status_out", ArgDecoder{Exit: true, Fn: func(c *Ctx, i int) {
		addr := c.Arg(i)
		if addr == 0 || c.Failed() || c.Ret() == 0 {
			c.Out.Addr(addr)
			return
		}
		var b [4]byte
		if !c.fetch(addr, b[:]) {
			return
		}
		c.waitStatus(binary.LittleEndian.Uint32(b[:]))
	}})
	// struct rlimit (word-sized) and struct rlimit64 (prlimit64).
	for _, is64 := range []bool{false, true} {
		is64 := is64
		in, out := sysent.Arg("rlimit_in"), sysent.Arg("rlimit_out")
		if is64 {
			in, out = "rlimit64_in", "rlimit64_out"
		}
		registerArg(in, ArgDecoder{Fn: func(c *Ctx, i int) { c.rlimit(c.Arg(i), is64) }})
		registerArg(out, outArg(func(c *Ctx, i int) { c.rlimit(c.Arg(i), is64) }))
	}
}

// waitStatus appends a wait status as strace's printstatus does:
// [{WIFEXITED(s) && WEXITSTATUS(s) == 0}].
func (c *Ctx) waitStatus(s uint32) {
	b := make([]byte, 0, 64)
	switch {
	case s&0xff == 0x7f: // stopped
		sig := (s >> 8) & 0xff
		b = append(b, "{WIFSTOPPED(s) && WSTOPSIG(s) == "...)
		b = appendSignal(b, int64(sig&0x7f))
		if sig&0x80 != 0 {
			b = append(b, " | 0x80"...)
		}
		b = append(b, '}')
		s &^= sig<<8 | 0x7f
	case s&0x7f != 0 && s != 0xffff: // signaled
		b = append(b, "{WIFSIGNALED(s) && WTERMSIG(s) == "...)
		b = appendSignal(b, int64(s&0x7f))
		if s&0x80 != 0 {
			b = append(b, " && WCOREDUMP(s)"...)
		}
		b = append(b, '}')
		s &^= 0xff
	case s&0x7f == 0: // exited
		b = append(b, "{WIFEXITED(s) && WEXITSTATUS(s) == "...)
		b = strconv.AppendUint(b, uint64((s>>8)&0xff), 10)
		b = append(b, '}')
		s &^= 0xff00
	case s == 0xffff:
		b = append(b, "{WIFCONTINUED(s)}"...)
		s = 0
	}
	if ev := s >> 16; ev != 0 {
		b = append(b, " | "...)
		if name, ok := ptraceEventName(ev); ok {
			b = append(b, name...)
		} else {
			b = strconv.AppendUint(append(b, "0x"...), uint64(ev), 16)
		}
		b = append(b, " << 16"...)
		s &= 0xffff
	}
	if s != 0 {
		b = strconv.AppendUint(append(b, " | 0x"...), uint64(s), 16)
	}
	c.Out.Ref()
	c.Out.TextBytes(b)
	c.Out.End()
}

var ptraceEvents = [...]string{1: "PTRACE_EVENT_FORK", 2: "PTRACE_EVENT_VFORK", 3: "PTRACE_EVENT_CLONE",
	4: "PTRACE_EVENT_EXEC", 5: "PTRACE_EVENT_VFORK_DONE", 6: "PTRACE_EVENT_EXIT", 7: "PTRACE_EVENT_SECCOMP"}

func ptraceEventName(ev uint32) (string, bool) {
	if ev == 0x80 {
		return "PTRACE_EVENT_STOP", true
	}
	if int(ev) < len(ptraceEvents) && ptraceEvents[ev] != "" {
		return ptraceEvents[ev], true
	}
	return "", false
}

// rlim64Formatter prints one rlimit value as strace does: RLIM64_INFINITY,
// 8192*1024 for multiples of 1024, else the number.
type rlimFormatter struct{ infinity uint64 }

func (f rlimFormatter) Append(dst []byte, v uint64) []byte {
	switch {
	case v == f.infinity && f.infinity == ^uint64(0):
		return append(dst, "RLIM64_INFINITY"...)
	case v == f.infinity:
		return append(dst, "RLIM_INFINITY"...)
	case v > 1024 && v%1024 == 0:
		return append(strconv.AppendUint(dst, v/1024, 10), "*1024"...)
	}
	return strconv.AppendUint(dst, v, 10)
}

// AppendRaw prints the number, as strace's -X raw does: 8388608.
func (f rlimFormatter) AppendRaw(dst []byte, v uint64) []byte { return strconv.AppendUint(dst, v, 10) }

var (
	rlim64Fmt Formatter = rlimFormatter{infinity: ^uint64(0)}
	rlim32Fmt Formatter = rlimFormatter{infinity: 0xffffffff}
)

// rlimit appends a struct rlimit64 (is64) or a word-sized struct rlimit.
func (c *Ctx) rlimit(addr uint64, is64 bool) {
	o := c.Out
	if addr == 0 {
		o.Addr(0)
		return
	}
	size, f := 16, rlim64Fmt
	if !is64 && c.Call.Arch.WordSize == 4 {
		size, f = 8, rlim32Fmt
	}
	var b [16]byte
	if !c.fetch(addr, b[:size]) {
		return
	}
	var cur, max uint64
	if size == 8 {
		cur, max = uint64(binary.LittleEndian.Uint32(b[:])), uint64(binary.LittleEndian.Uint32(b[4:]))
	} else {
		cur, max = binary.LittleEndian.Uint64(b[:]), binary.LittleEndian.Uint64(b[8:])
	}
	o.Struct()
	o.Field("rlim_cur")
	o.Set(f, cur)
	o.Field("rlim_max")
	o.Set(f, max)
	o.End()
}

func init() {
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
				if n, err := c.Mem.ReadAt(b[:], addr); c.Failed() || err != nil || n != 4 {
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

// execveatFlags is strace's execveat_flags.
var execveatFlags = &xlat.Set{Name: "execveat_flags", Style: xlat.Flags, Unknown: "AT_???", Pairs: []xlat.Pair{
	{Val: 0x100, Name: "AT_SYMLINK_NOFOLLOW"}, {Val: 0x1000, Name: "AT_EMPTY_PATH"},
}}

func init() {
	// execve(path, argv, envp) and execveat(dirfd, path, argv, envp,
	// flags): argv in full (at most -s strings unless -v), the environment
	// as its address and a count, in full with -v.
	registerSyscall(&Syscall{Enter: func(c *Ctx) { c.execve(0) }}, "execve")
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		c.DirFD(c.Int(0))
		c.execve(1)
		c.Out.Set(execveatFlags, uint64(uint32(c.Call.Args[4])))
	}}, "execveat")
}

func (c *Ctx) execve(i int) {
	c.Path(c.Arg(i))
	c.execArgv(c.Arg(i + 1))
	if c.Opt.Verbose {
		c.execArgv(c.Arg(i + 2))
	} else {
		c.execArgc(c.Arg(i + 2))
	}
}

// execArgv appends a NULL-terminated array of strings as strace's
// printargv: ["ls", "-l"], at most -s of them unless -v; the address when
// the first pointer cannot be read, "... /* 0x... */" where a later one
// cannot.
func (c *Ctx) execArgv(addr uint64) {
	o := c.Out
	if addr == 0 || c.Opt.NoDeref { // -e verbose= excludes the call
		o.Addr(addr)
		return
	}
	ws := uint64(c.Call.Arch.WordSize)
	prev := uint64(0)
	for n := 0; ; n++ {
		p, ok := c.readWord(addr)
		if n >= 1<<20 { // no real argv is longer: garbage memory
			ok = false
		}
		if !ok || addr < prev {
			if n == 0 {
				o.Addr(addr)
				return
			}
			b := append(make([]byte, 0, 32), "... /* 0x"...)
			b = strconv.AppendUint(b, addr, 16)
			o.TextBytes(append(b, " */"...))
			break
		}
		if n == 0 {
			o.Array()
		}
		if p == 0 {
			break
		}
		if !c.Opt.Verbose && n+1 > c.Opt.StrLimit {
			o.More()
			break
		}
		c.CString(p)
		prev, addr = addr, c.Call.Arch.Mask(addr+ws)
	}
	o.End()
}

// execArgc appends the environment as strace abbreviates it: its address
// and a count, 0x7ffd... /* 12 vars */, ", unterminated" when it could not
// be read to its NULL.
func (c *Ctx) execArgc(addr uint64) {
	o := c.Out
	o.Addr(addr)
	if addr == 0 || c.Opt.NoDeref {
		return
	}
	ws := uint64(c.Call.Arch.WordSize)
	n, prev, unterminated := uint64(0), uint64(0), false
	for ; addr > prev && n < 1<<20; n++ {
		p, ok := c.readWord(addr)
		if !ok {
			if n == 0 {
				return
			}
			unterminated = true
			break
		}
		if p == 0 {
			break
		}
		prev, addr = addr, c.Call.Arch.Mask(addr+ws)
	}
	if addr <= prev && n > 0 {
		unterminated = true
	}
	what := "vars"
	if n == 1 {
		what = "var"
	}
	if unterminated {
		what += ", unterminated"
	}
	o.Count(n, what)
}
