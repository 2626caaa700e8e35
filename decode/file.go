package decode

import (
	"encoding/binary"
	"strconv"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// Files: open and its flags, calls on paths and their metadata (access,
// readlink, chmod, chown, truncate, utimensat, umask, getcwd). The stat
// family lives in file_stat.go, fcntl in file_fcntl.go, data transfer in
// file_io.go and the descriptor-making calls in file_fd.go.

// openFlags prints open(2) flags for one ABI family.
type openFlags struct{ generic bool }

func (f openFlags) Append(dst []byte, v uint64) []byte {
	return xlat.AppendOpenFlags(dst, v&0xffffffff, f.generic)
}

var (
	openFlagsX86     Formatter = openFlags{generic: false}
	openFlagsGeneric Formatter = openFlags{generic: true}
)

func (c *Ctx) openFlags() Formatter {
	if c.Generic() {
		return openFlagsGeneric
	}
	return openFlagsX86
}

// oFlags prints open flags without an access mode (dup3, pipe2): O_CLOEXEC,
// 0, 0x40 /* O_??? */.
type oFlags struct{ generic bool }

func (f oFlags) Append(dst []byte, v uint64) []byte { return xlat.AppendOFlags(dst, v, f.generic) }

func (c *Ctx) oFlags() Formatter { return oFlags{generic: c.Generic()} }

// openHowFlags prints struct open_how's 64-bit flags: the access mode,
// then the open flags, then any other bit (high ones included) in hex.
type openHowFlags struct{ generic bool }

func (f openHowFlags) Append(dst []byte, v uint64) []byte {
	return xlat.AppendOpenFlags64(dst, v, f.generic)
}

// fileMode prints an st_mode: S_IFREG|0644; its raw form (-X raw) is
// octal: 0100644.
var fileMode Formatter = symbolicMode{}

type symbolicMode struct{}

func (symbolicMode) Append(dst []byte, v uint64) []byte { return xlat.AppendFileMode(dst, v) }

func (symbolicMode) AppendRaw(dst []byte, v uint64) []byte {
	v &= 0xffff
	if v == 0 {
		return append(dst, '0')
	}
	return strconv.AppendUint(append(dst, '0'), v, 8)
}

// numericMode prints a mode argument as strace's print_numeric_umode_t:
// 0644, 000, in every -X style.
var numericMode Formatter = octalFmt(xlat.AppendNumericMode)

// octalFmt is a formatter whose raw form is its octal text.
type octalFmt func(dst []byte, v uint64) []byte

func (f octalFmt) Append(dst []byte, v uint64) []byte    { return f(dst, v) }
func (f octalFmt) AppendRaw(dst []byte, v uint64) []byte { return f(dst, v) }

// mode appends argument i as a numeric mode.
func (c *Ctx) mode(i int) { c.Out.Set(numericMode, c.Arg(i)) }

// sig builds an entry-only decoder from one function per argument.
func sig(fns ...func(c *Ctx, i int)) *Syscall {
	return &Syscall{Enter: func(c *Ctx) {
		for i, fn := range fns {
			fn(c, i)
		}
	}}
}

// Argument printers for sig.
var (
	aFD    = func(c *Ctx, i int) { c.FD(int64(c.Int(i))) }
	aDirFD = func(c *Ctx, i int) { c.DirFD(c.Int(i)) }
	aPath  = func(c *Ctx, i int) { c.Path(c.Arg(i)) }
	aMode  = func(c *Ctx, i int) { c.mode(i) }
	aUlong = func(c *Ctx, i int) { c.Out.Uint(c.Arg(i)) }
)

func init() {
	registerArg("openflags", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Set(c.openFlags(), c.Arg(i)) }})
	registerArg("oflags", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Set(c.oFlags(), c.Arg(i)) }})

	// open(path, flags[, mode]), openat(dirfd, path, flags[, mode]): the
	// mode prints when the flags have O_CREAT or __O_TMPFILE.
	openAt := func(first int) func(c *Ctx) {
		return func(c *Ctx) {
			c.Call.Ret = RetFD
			if first == 1 {
				c.DirFD(c.Int(0))
			}
			c.Path(c.Arg(first))
			flags := c.Arg(first + 1)
			c.Out.Set(c.openFlags(), flags)
			if flags&xlat.OpenCreatMask != 0 {
				c.mode(first + 2)
			}
		}
	}
	registerSyscall(&Syscall{Enter: openAt(0)}, "open")
	registerSyscall(&Syscall{Enter: openAt(1)}, "openat")
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		c.Call.Ret = RetFD
		c.Path(c.Arg(0))
		c.mode(1)
	}}, "creat")
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		c.Call.Ret = RetFD
		c.DirFD(c.Int(0))
		c.Path(c.Arg(1))
		c.openHow(c.Arg(2), c.Arg(3))
		c.Out.Uint(c.Arg(3))
	}}, "openat2")

	// Modes print in octal with at least three digits.
	registerSyscall(sig(aPath, aMode), "mkdir", "chmod")
	registerSyscall(sig(aDirFD, aPath, aMode), "mkdirat", "fchmodat")
	registerSyscall(sig(aFD, aMode), "fchmod")
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		c.Call.Ret = RetOct
		c.mode(0)
	}}, "umask")

	// faccessat2's flags are faccessat_flags (0x200 is AT_EACCESS there).
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		c.DirFD(c.Int(0))
		c.Path(c.Arg(1))
		c.Out.Set(xlat.AccessModes, c.Arg(2))
		c.Out.Set(xlat.FaccessatFlags, c.Arg(3))
	}}, "faccessat2")

	// readlink(path, buf, size), readlinkat(dirfd, path, buf, size): the
	// link's bytes at exit, cut at -s; strace puts the ", " at exit.
	readlink := func(first int) *Syscall {
		return &Syscall{
			Enter: func(c *Ctx) {
				if first == 1 {
					c.DirFD(c.Int(0))
				}
				c.Path(c.Arg(first))
				c.Call.More, c.Call.SepAtExit = true, true
			},
			Exit: func(c *Ctx) {
				if c.Failed() {
					c.Out.Addr(c.Arg(first + 1))
				} else {
					c.strn(c.Arg(first+1), uint64(c.Ret()))
				}
				c.Out.Uint(c.Arg(first + 2))
			},
		}
	}
	registerSyscall(readlink(0), "readlink")
	registerSyscall(readlink(1), "readlinkat")

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

	// Lengths print unsigned: truncate(path, 18446744073709551615).
	registerSyscall(sig(aPath, aUlong), "truncate")
	registerSyscall(sig(aFD, aUlong), "ftruncate")
	u64pair := func(c *Ctx, i int) {
		c.Out.Uint(uint64(uint32(c.Call.Args[i])) | uint64(uint32(c.Call.Args[i+1]))<<32)
	}
	registerSyscall(&Syscall{Enter: func(c *Ctx) { c.Path(c.Arg(0)); c.wide(1, u64pair) }}, "truncate64")
	registerSyscall(&Syscall{Enter: func(c *Ctx) { c.FD(int64(c.Int(0))); c.wide(1, u64pair) }}, "ftruncate64")

	// i386's chown, lchown and fchown take 16-bit ids: (uint16_t)-1 is -1.
	id16 := func(c *Ctx, i int) {
		if c.Call.Arch.WordSize != 4 {
			c.ID(uint32(c.Call.Args[i]))
			return
		}
		if id := uint16(c.Call.Args[i]); id != 0xffff {
			c.Out.Uint(uint64(id))
		} else {
			c.Out.Int(-1)
		}
	}
	registerSyscall(sig(aPath, id16, id16), "chown", "lchown")
	registerSyscall(sig(aFD, id16, id16), "fchown")

	// mknod(path, mode, dev): the mode symbolic, the device only for
	// character and block devices.
	mknod := func(first int) func(c *Ctx) {
		return func(c *Ctx) {
			if first == 1 {
				c.DirFD(c.Int(0))
			}
			c.Path(c.Arg(first))
			mode := uint64(uint16(c.Call.Args[first+1]))
			c.Out.Set(fileMode, mode)
			if t := mode & sIFMT; t == sIFCHR || t == sIFBLK {
				c.makedev(c.Arg(first + 2))
			}
		}
	}
	registerSyscall(&Syscall{Enter: mknod(0)}, "mknod")
	registerSyscall(&Syscall{Enter: mknod(1)}, "mknodat")

	setArg("rename_flags", xlat.RenameFlags, false)
	registerArg("utimes_in", ArgDecoder{Fn: func(c *Ctx, i int) { c.utimes(c.Arg(i)) }})
}

// wide prints the 64-bit value of a 32-bit tracee's argument pair (i, i+1)
// through fn, or argument i alone on a 64-bit tracee.
func (c *Ctx) wide(i int, fn func(c *Ctx, i int)) {
	if c.Call.Arch.WordSize == 4 {
		fn(c, i)
		return
	}
	c.Out.Uint(c.Arg(i))
}

// strn appends the n-byte buffer at addr as strace's printstrn does: NULL
// for 0, else the bytes cut at -s, or the address when unreadable.
func (c *Ctx) strn(addr, n uint64) {
	if addr == 0 {
		c.Out.Addr(0)
		return
	}
	c.Buf(addr, n)
}

// openHowSize is the size of struct open_how strace knows (flags, mode,
// resolve).
const openHowSize = 24

// openHow appends openat2's struct open_how of size bytes:
// {flags=O_RDONLY|O_CLOEXEC, resolve=RESOLVE_BENEATH}, the mode only with
// O_CREAT, __O_TMPFILE or a nonzero mode, and any nonzero bytes past the
// known struct in hex: {..., /* bytes 24..39 */ "\x00..."}.
func (c *Ctx) openHow(addr, size uint64) {
	o := c.Out
	if size < openHowSize || addr == 0 {
		o.Addr(addr)
		return
	}
	var b [openHowSize]byte
	if !c.fetch(addr, b[:]) {
		return
	}
	le := binary.LittleEndian
	flags, mode, resolve := le.Uint64(b[0:]), le.Uint64(b[8:]), le.Uint64(b[16:])
	o.Struct()
	o.Field("flags")
	o.Set(openHowFlags{generic: c.Generic()}, flags)
	if flags&xlat.OpenCreatMask != 0 || mode != 0 {
		o.Field("mode")
		o.Set(numericMode64, mode)
	}
	o.Field("resolve")
	o.Set(xlat.OpenResolveFlags, resolve)
	if size > openHowSize {
		c.nonzeroTail(addr, openHowSize, size)
	}
	o.End()
}

// numericMode64 prints a 64-bit mode (open_how's) as strace's
// print_numeric_ll_umode_t: %#03llo, every bit kept.
var numericMode64 Formatter = octalFmt(xlat.AppendNumericMode64)

// nonzeroTail appends, inside the struct being built, the bytes of
// [addr+from, addr+total) when any of them is nonzero, as strace's
// print_nonzero_bytes: /* bytes 24..39 */ "\x00\x07..." (at most -s bytes
// shown); ??? when they cannot be read. total is at most a page.
func (c *Ctx) nonzeroTail(addr, from, total uint64) {
	if total > pageSize {
		total = pageSize
	}
	if from >= total {
		return
	}
	buf := make([]byte, total-from)
	if n, err := c.Mem.ReadAt(buf, addr+from); err != nil || n != len(buf) {
		c.Out.Unread()
		return
	}
	for _, v := range buf {
		if v != 0 {
			show := buf
			if limit := c.Opt.StrLimit; len(show) > limit {
				show = show[:limit]
			}
			c.Out.Set(nonzeroBytes{from: from, b: show, more: len(show) < len(buf)}, total-1)
			return
		}
	}
}

// nonzeroBytes prints strace's /* bytes FROM..TO */ "\xHH..." tail of a
// struct; the value is TO.
type nonzeroBytes struct {
	from uint64
	b    []byte
	more bool
}

// AppendRaw prints the same text: there is no number to show instead.
func (n nonzeroBytes) AppendRaw(dst []byte, to uint64) []byte { return n.Append(dst, to) }

func (n nonzeroBytes) Append(dst []byte, to uint64) []byte {
	dst = append(dst, "/* bytes "...)
	dst = strconv.AppendUint(dst, n.from, 10)
	dst = append(dst, ".."...)
	dst = strconv.AppendUint(dst, to, 10)
	dst = append(dst, " */ \""...)
	const hexdig = "0123456789abcdef"
	for _, v := range n.b {
		dst = append(dst, '\\', 'x', hexdig[v>>4], hexdig[v&15])
	}
	dst = append(dst, '"')
	if n.more {
		dst = append(dst, "..."...)
	}
	return dst
}

// utimes appends utimensat's struct timespec[2] as strace's
// print_timespec_utime_pair: [{tv_sec=1, tv_nsec=2} /* date */, UTIME_NOW].
// utimensat_time64 and 64-bit tracees use 64-bit fields; i386's utimensat
// 32-bit ones.
func (c *Ctx) utimes(addr uint64) {
	o := c.Out
	if addr == 0 {
		o.Addr(0)
		return
	}
	is32 := c.Call.Arch.WordSize == 4 && (c.Call.Entry == nil || c.Call.Entry.Name != "utimensat_time64")
	var b [32]byte
	size := 32
	if is32 {
		size = 16
	}
	if !c.fetch(addr, b[:size]) {
		return
	}
	le := binary.LittleEndian
	o.Array()
	for k := 0; k < 2; k++ {
		var sec int64
		var nsec uint64
		if is32 {
			sec, nsec = int64(int32(le.Uint32(b[8*k:]))), uint64(le.Uint32(b[8*k+4:]))
		} else {
			sec, nsec = int64(le.Uint64(b[16*k:])), le.Uint64(b[16*k+8:])
		}
		switch nsec {
		case utimeNow:
			o.Sym("UTIME_NOW", nsec)
		case utimeOmit:
			o.Sym("UTIME_OMIT", nsec)
		default:
			o.Set(timespecComment{nsec: nsec}, uint64(sec))
		}
	}
	o.End()
}

// UTIME_NOW and UTIME_OMIT, the special tv_nsec values of utimensat.
const (
	utimeNow  = 1<<30 - 1
	utimeOmit = 1<<30 - 2
)
