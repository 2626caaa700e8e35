package decode

import (
	"encoding/binary"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// Files: open, the stat family, directory reads.

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

// fileMode prints an st_mode: S_IFREG|0644.
var fileMode Formatter = formatterFunc(xlat.AppendFileMode)

const (
	oCreat        = 0o100
	oTmpfileX86   = 0o20000000 | 0o200000
	oTmpfileGen   = 0o20000000 | 0o40000
	oDirectoryX86 = 0o200000
)

// needsMode reports whether open flags take a mode argument (O_CREAT or
// O_TMPFILE), as strace prints the mode only then.
func (c *Ctx) needsMode(flags uint64) bool {
	tmp := uint64(oTmpfileX86)
	if c.Generic() {
		tmp = oTmpfileGen
	}
	return flags&oCreat != 0 || flags&tmp == tmp
}

func init() {
	registerArg("openflags", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Set(c.openFlags(), c.Arg(i)) }})
	registerArg("stat_out", ArgDecoder{Exit: true, Fn: func(c *Ctx, i int) { c.stat(c.Arg(i), statLayoutFor(c, false)) }})
	registerArg("stat64_out", ArgDecoder{Exit: true, Fn: func(c *Ctx, i int) { c.stat(c.Arg(i), statLayoutFor(c, true)) }})
	registerArg("dirents_out", ArgDecoder{Exit: true, Fn: func(c *Ctx, i int) { c.dirents(c.Arg(i), false) }})
	registerArg("dirents64_out", ArgDecoder{Exit: true, Fn: func(c *Ctx, i int) { c.dirents(c.Arg(i), true) }})

	// open(path, flags[, mode]), openat(dirfd, path, flags[, mode]).
	openAt := func(first int) func(c *Ctx) {
		return func(c *Ctx) {
			c.Call.Ret = RetFD
			if first == 1 {
				c.DirFD(c.Int(0))
			}
			c.Path(c.Arg(first))
			flags := c.Arg(first + 1)
			c.Out.Set(c.openFlags(), flags)
			if c.needsMode(flags) {
				c.Out.Oct(c.Arg(first+2) & 0o7777)
			}
		}
	}
	registerSyscall(&Syscall{Enter: openAt(0)}, "open")
	registerSyscall(&Syscall{Enter: openAt(1)}, "openat")
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		c.Call.Ret = RetFD
		c.Path(c.Arg(0))
		c.Out.Oct(c.Arg(1) & 0o7777)
	}}, "creat")
}

// statLayout says where the fields strace prints sit in a struct stat.
type statLayout struct {
	size                         int // bytes to read
	mode, rdev, sizeOff          int
	modeIs16, rdevIs32, sizeIs32 bool
}

var (
	// struct stat of x86_64.
	statX86_64 = statLayout{size: 144, mode: 24, rdev: 40, sizeOff: 48}
	// struct stat of asm-generic (aarch64).
	statGeneric = statLayout{size: 128, mode: 16, rdev: 32, sizeOff: 48}
	// struct stat64 of i386 (4-byte aligned long long).
	statI386_64 = statLayout{size: 96, mode: 16, rdev: 32, sizeOff: 44}
	// the old struct stat of i386 (stat, lstat, fstat).
	statI386 = statLayout{size: 64, mode: 8, rdev: 16, sizeOff: 20, modeIs16: true, rdevIs32: true, sizeIs32: true}
)

// statLayoutFor picks the struct a stat call fills: on i386 the older
// calls fill a struct stat, stat64 and friends a struct stat64; 64-bit
// tracees have one struct stat.
func statLayoutFor(c *Ctx, stat64 bool) *statLayout {
	switch {
	case c.Call.Arch.WordSize == 4 && stat64:
		return &statI386_64
	case c.Call.Arch.WordSize == 4:
		return &statI386
	case c.Generic():
		return &statGeneric
	}
	return &statX86_64
}

const (
	sIFMT  = 0o170000
	sIFCHR = 0o020000
	sIFBLK = 0o060000
)

// stat appends a struct stat as strace abbreviates it:
// {st_mode=S_IFREG|0644, st_size=1221, ...}; character and block devices
// show st_rdev=makedev(0x1, 0x3) instead of the size.
func (c *Ctx) stat(addr uint64, l *statLayout) {
	if c.Failed() || addr == 0 {
		c.Out.Addr(addr)
		return
	}
	var buf [144]byte
	b := buf[:l.size]
	if !c.fetch(addr, b) {
		return
	}
	le := binary.LittleEndian
	var mode uint64
	if l.modeIs16 {
		mode = uint64(le.Uint16(b[l.mode:]))
	} else {
		mode = uint64(le.Uint32(b[l.mode:]))
	}
	o := c.Out
	o.Struct()
	o.Field("st_mode")
	o.Set(fileMode, mode)
	if t := mode & sIFMT; t == sIFCHR || t == sIFBLK {
		var dev uint64
		if l.rdevIs32 {
			dev = uint64(le.Uint32(b[l.rdev:]))
		} else {
			dev = le.Uint64(b[l.rdev:])
		}
		o.Field("st_rdev")
		c.makedev(dev)
	} else {
		o.Field("st_size")
		if l.sizeIs32 {
			o.Int(int64(int32(le.Uint32(b[l.sizeOff:]))))
		} else {
			o.Int(int64(le.Uint64(b[l.sizeOff:])))
		}
	}
	o.More()
	o.End()
}

// makedev appends a device number as makedev(0xMAJOR, 0xMINOR), with glibc's
// split of a 64-bit dev_t.
func (c *Ctx) makedev(dev uint64) {
	major := (dev>>8)&0xfff | (dev>>32)&^uint64(0xfff)
	minor := dev&0xff | (dev>>12)&^uint64(0xff)
	c.Out.Call("makedev")
	c.Out.Hex(major)
	c.Out.Hex(minor)
	c.Out.End()
}

// dirents appends a getdents buffer as strace abbreviates it: its address
// and a count of the entries, 0x55... /* 28 entries */.
func (c *Ctx) dirents(addr uint64, is64 bool) {
	o := c.Out
	o.Addr(addr)
	if c.Failed() {
		return
	}
	n := c.Ret()
	if n <= 0 {
		o.Count(0, "entries")
		return
	}
	if n > 1<<20 {
		n = 1 << 20
	}
	buf := make([]byte, n)
	if got, err := c.Mem.ReadAt(buf, addr); err != nil || int64(got) != n {
		return
	}
	// linux_dirent64: d_ino u64, d_off s64, d_reclen u16 at 16.
	// linux_dirent: d_ino long, d_off long, d_reclen u16 after them.
	reclenOff := 16
	if !is64 {
		reclenOff = 2 * c.Call.Arch.WordSize
	}
	count := uint64(0)
	for off := 0; off+reclenOff+2 <= len(buf); count++ {
		rl := int(binary.LittleEndian.Uint16(buf[off+reclenOff:]))
		if rl == 0 {
			break
		}
		off += rl
	}
	if count == 1 {
		o.Count(count, "entry")
	} else {
		o.Count(count, "entries")
	}
}

func init() {
	setArg("statx_flags", formatterFunc(xlat.AppendStatxFlags), true)
	setArg("statx_mask", xlat.StatxMask, true)
	registerArg("statx_out", outArg(func(c *Ctx, i int) { c.statx(c.Arg(i)) }))
}

// statx appends a struct statx as strace abbreviates it: {stx_mask=...,
// stx_attributes=..., stx_mode=S_IFREG|0644, stx_size=1221, ...}.
func (c *Ctx) statx(addr uint64) {
	var b [48]byte // up to stx_size
	if addr == 0 {
		c.Out.Addr(0)
		return
	}
	if !c.fetch(addr, b[:]) {
		return
	}
	le := binary.LittleEndian
	o := c.Out
	o.Struct()
	o.Field("stx_mask")
	o.Set(xlat.StatxMask, uint64(le.Uint32(b[0:])))
	o.Field("stx_attributes")
	o.Set(xlat.StatxAttrs, le.Uint64(b[8:]))
	o.Field("stx_mode")
	o.Set(fileMode, uint64(le.Uint16(b[28:])))
	o.Field("stx_size")
	o.Uint(le.Uint64(b[40:]))
	o.More()
	o.End()
}

func init() {
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

	// fcntl(fd, cmd[, arg]).
	registerSyscall(&Syscall{
		Enter:  func(c *Ctx) { c.fcntl() },
		Result: func(c *Ctx) { c.Call.NoteVal = uint64(c.Ret()) },
	}, "fcntl", "fcntl64")
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
