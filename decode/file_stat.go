package decode

import (
	"encoding/binary"
	"strconv"
	"time"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// The stat family, statx, statfs and directory reads, abbreviated as strace
// prints them by default and in full under -v.

func init() {
	registerArg("stat_out", ArgDecoder{Exit: true, Fn: func(c *Ctx, i int) { c.stat(c.Arg(i), statLayoutFor(c, false)) }})
	registerArg("stat64_out", ArgDecoder{Exit: true, Fn: func(c *Ctx, i int) { c.stat(c.Arg(i), statLayoutFor(c, true)) }})
	registerArg("dirents_out", ArgDecoder{Exit: true, Fn: func(c *Ctx, i int) { c.dirents(c.Arg(i), false) }})
	registerArg("dirents64_out", ArgDecoder{Exit: true, Fn: func(c *Ctx, i int) { c.dirents(c.Arg(i), true) }})
	setArg("statx_flags", formatterFunc(xlat.AppendStatxFlags), true)
	setArg("statx_mask", xlat.StatxMask, true)
	registerArg("statx_out", outArg(func(c *Ctx, i int) { c.statx(c.Arg(i)) }))
	registerArg("statfs_out", outArg(func(c *Ctx, i int) { c.statfs(c.Arg(i), statfsLayoutFor(c, false)) }))
	// statfs64_out follows its size argument: statfs64(path, 84, buf).
	registerArg("statfs64_out", outArg(func(c *Ctx, i int) {
		l := statfsLayoutFor(c, true)
		if i == 0 || c.Arg(i-1) != uint64(l.size) {
			c.Out.Addr(c.Arg(i))
			return
		}
		c.statfs(c.Arg(i), l)
	}))

	// getdents(fd, dirp, count): strace puts the ", " after the fd at exit.
	getdents := func(is64 bool) *Syscall {
		return &Syscall{
			Enter: func(c *Ctx) {
				c.FD(int64(c.Int(0)))
				c.Call.More, c.Call.SepAtExit = true, true
			},
			Exit: func(c *Ctx) {
				c.dirents(c.Arg(1), is64)
				c.Out.Uint(uint64(uint32(c.Call.Args[2])))
			},
		}
	}
	registerSyscall(getdents(false), "getdents")
	registerSyscall(getdents(true), "getdents64")
}

// statLayout says where the fields of a struct stat sit: offsets and
// widths in bytes. Each time's nanoseconds follow it, timeW bytes later.
type statLayout struct {
	size                                  int
	dev, ino, mode, nlink, uid, gid, rdev int
	sizeOff, blksize, blocks              int
	atime, mtime, ctime                   int
	devW, inoW, modeW, nlinkW, idW, rdevW int
	sizeW, blksizeW, blocksW, timeW       int
}

var (
	// struct stat of x86_64.
	statX86_64 = statLayout{size: 144,
		dev: 0, ino: 8, nlink: 16, mode: 24, uid: 28, gid: 32, rdev: 40,
		sizeOff: 48, blksize: 56, blocks: 64, atime: 72, mtime: 88, ctime: 104,
		devW: 8, inoW: 8, modeW: 4, nlinkW: 8, idW: 4, rdevW: 8, sizeW: 8, blksizeW: 8, blocksW: 8, timeW: 8}
	// struct stat of asm-generic (aarch64).
	statGeneric = statLayout{size: 128,
		dev: 0, ino: 8, mode: 16, nlink: 20, uid: 24, gid: 28, rdev: 32,
		sizeOff: 48, blksize: 56, blocks: 64, atime: 72, mtime: 88, ctime: 104,
		devW: 8, inoW: 8, modeW: 4, nlinkW: 4, idW: 4, rdevW: 8, sizeW: 8, blksizeW: 4, blocksW: 8, timeW: 8}
	// struct stat64 of i386 (4-byte aligned long long; the 64-bit st_ino
	// at the end).
	statI386_64 = statLayout{size: 96,
		dev: 0, ino: 88, mode: 16, nlink: 20, uid: 24, gid: 28, rdev: 32,
		sizeOff: 44, blksize: 52, blocks: 56, atime: 64, mtime: 72, ctime: 80,
		devW: 8, inoW: 8, modeW: 4, nlinkW: 4, idW: 4, rdevW: 8, sizeW: 8, blksizeW: 4, blocksW: 8, timeW: 4}
	// the old struct stat of i386 (stat, lstat, fstat).
	statI386 = statLayout{size: 64,
		dev: 0, ino: 4, mode: 8, nlink: 10, uid: 12, gid: 14, rdev: 16,
		sizeOff: 20, blksize: 24, blocks: 28, atime: 32, mtime: 40, ctime: 48,
		devW: 4, inoW: 4, modeW: 2, nlinkW: 2, idW: 2, rdevW: 4, sizeW: 4, blksizeW: 4, blocksW: 4, timeW: 4}
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

// leUint reads a little-endian unsigned field of w bytes.
func leUint(b []byte, off, w int) uint64 {
	switch w {
	case 1:
		return uint64(b[off])
	case 2:
		return uint64(binary.LittleEndian.Uint16(b[off:]))
	case 4:
		return uint64(binary.LittleEndian.Uint32(b[off:]))
	}
	return binary.LittleEndian.Uint64(b[off:])
}

// leInt reads a little-endian signed field of w bytes, sign-extended.
func leInt(b []byte, off, w int) int64 {
	switch w {
	case 4:
		return int64(int32(binary.LittleEndian.Uint32(b[off:])))
	case 2:
		return int64(int16(binary.LittleEndian.Uint16(b[off:])))
	}
	return int64(binary.LittleEndian.Uint64(b[off:]))
}

// stat appends a struct stat as strace's print_struct_stat: abbreviated
// {st_mode=S_IFREG|0644, st_size=1221, ...} (character and block devices
// show st_rdev=makedev(0x1, 0x3) instead of the size), or under -v every
// field, times with their date: st_atime=1700000000 /* 2023-11-14T22:13:20.123456789+0000 */.
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
	o := c.Out
	v := c.Opt.Verbose
	mode := leUint(b, l.mode, l.modeW)
	o.Struct()
	if v {
		o.Field("st_dev")
		c.makedev(leUint(b, l.dev, l.devW))
		o.Field("st_ino")
		o.Uint(leUint(b, l.ino, l.inoW))
	}
	o.Field("st_mode")
	o.Set(fileMode, mode)
	if v {
		o.Field("st_nlink")
		o.Uint(leUint(b, l.nlink, l.nlinkW))
		o.Field("st_uid")
		o.Uint(leUint(b, l.uid, l.idW))
		o.Field("st_gid")
		o.Uint(leUint(b, l.gid, l.idW))
		o.Field("st_blksize")
		o.Uint(leUint(b, l.blksize, l.blksizeW))
		o.Field("st_blocks")
		o.Uint(leUint(b, l.blocks, l.blocksW))
	}
	if t := mode & sIFMT; t == sIFCHR || t == sIFBLK {
		o.Field("st_rdev")
		c.makedev(leUint(b, l.rdev, l.rdevW))
	} else {
		o.Field("st_size")
		o.Uint(leUint(b, l.sizeOff, l.sizeW))
	}
	if !v {
		o.More()
		o.End()
		return
	}
	for _, t := range [...]struct {
		name, nsec string
		off        int
	}{{"st_atime", "st_atime_nsec", l.atime}, {"st_mtime", "st_mtime_nsec", l.mtime}, {"st_ctime", "st_ctime_nsec", l.ctime}} {
		sec := leInt(b, t.off, l.timeW)
		nsec := leUint(b, t.off+l.timeW, l.timeW)
		o.Field(t.name)
		o.Set(dateComment{nsec: nsec}, uint64(sec))
		o.Field(t.nsec)
		o.Uint(nsec)
	}
	o.End()
}

// makedev appends a device number as makedev(0xMAJOR, 0xMINOR), split as
// glibc's major() and minor() split a dev_t.
func (c *Ctx) makedev(dev uint64) {
	major := (dev>>8)&0xfff | (dev>>32)&0xfffff000
	minor := dev&0xff | (dev>>12)&0xffffff00
	c.Out.Call("makedev")
	c.Out.Hex(major)
	c.Out.Hex(minor)
	c.Out.End()
}

// dateComment prints a time in seconds followed by its date as strace's
// sprinttime_nsec: 1700000000 /* 2023-11-14T22:13:20.123456789+0000 */.
// The value is the seconds (an int64).
type dateComment struct{ nsec uint64 }

func (d dateComment) AppendRaw(dst []byte, v uint64) []byte { return d.Append(dst, v) }

func (d dateComment) Append(dst []byte, v uint64) []byte {
	dst = strconv.AppendInt(dst, int64(v), 10)
	return appendDateComment(dst, int64(v), d.nsec)
}

// timespecComment prints a struct timespec followed by its date, as
// strace's utimensat and statx timestamps: {tv_sec=1, tv_nsec=2} /* ... */.
// The value is tv_sec (an int64).
type timespecComment struct{ nsec uint64 }

func (t timespecComment) AppendRaw(dst []byte, v uint64) []byte { return t.Append(dst, v) }

func (t timespecComment) Append(dst []byte, v uint64) []byte {
	dst = append(dst, "{tv_sec="...)
	dst = strconv.AppendInt(dst, int64(v), 10)
	dst = append(dst, ", tv_nsec="...)
	dst = strconv.AppendUint(dst, t.nsec, 10)
	dst = append(dst, '}')
	return appendDateComment(dst, int64(v), t.nsec)
}

// The seconds glibc's localtime accepts on a 64-bit host.
const (
	minLocalSec = -67768040609740800
	maxLocalSec = 67767976233316604
)

// appendDateComment appends " /* 2023-11-14T22:13:20.123456789+0000 */", the
// local time of sec and nsec as strace's sprinttime_nsec formats it
// (strftime "%FT%T", the nanoseconds when nonzero, "%z"), or nothing for
// the epoch itself or an invalid nsec, as strace leaves it out.
func appendDateComment(dst []byte, sec int64, nsec uint64) []byte {
	if (sec == 0 && nsec == 0) || nsec > 999999999 || sec < minLocalSec || sec > maxLocalSec {
		return dst
	}
	t := time.Unix(sec, 0).In(time.Local)
	year, month, day := t.Date()
	hour, min, s := t.Clock()
	dst = append(dst, " /* "...)
	dst = strconv.AppendInt(dst, int64(year), 10) // %Y is not padded
	dst = append(dst, '-')
	dst = append2(dst, int(month))
	dst = append(dst, '-')
	dst = append2(dst, day)
	dst = append(dst, 'T')
	dst = append2(dst, hour)
	dst = append(dst, ':')
	dst = append2(dst, min)
	dst = append(dst, ':')
	dst = append2(dst, s)
	if nsec > 0 {
		dst = append(dst, '.')
		var digits [9]byte
		for i, n := 8, nsec; i >= 0; i-- {
			digits[i] = byte('0' + n%10)
			n /= 10
		}
		dst = append(dst, digits[:]...)
	}
	_, off := t.Zone()
	if off < 0 {
		dst = append(dst, '-')
		off = -off
	} else {
		dst = append(dst, '+')
	}
	dst = append2(dst, off/3600)
	dst = append2(dst, off%3600/60)
	return append(dst, " */"...)
}

// append2 appends v with at least two digits.
func append2(dst []byte, v int) []byte {
	if v < 10 {
		dst = append(dst, '0')
	}
	return strconv.AppendInt(dst, int64(v), 10)
}

// statx field offsets (struct statx, the same on every arch).
const (
	statxSize     = 256 // strace 6.1's struct_statx
	stxTypeMode   = 0x1 | 0x2
	stxNlink      = 0x4
	stxUID        = 0x8
	stxGID        = 0x10
	stxAtime      = 0x20
	stxMtime      = 0x40
	stxCtime      = 0x80
	stxIno        = 0x100
	stxSizeBit    = 0x200
	stxBlocks     = 0x400
	stxBtime      = 0x800
	stxMntID      = 0x1000
	stxDioAlign   = 0x2000
	stxTimeFields = 64 // stx_atime; btime, ctime, mtime follow 16 bytes apart
)

// statx appends a struct statx as strace prints it: abbreviated
// {stx_mask=..., stx_attributes=..., stx_mode=S_IFREG|0644, stx_size=1221, ...},
// or every field under -v; fields the returned stx_mask lacks are left out.
func (c *Ctx) statx(addr uint64) {
	if addr == 0 {
		c.Out.Addr(0)
		return
	}
	var b [statxSize]byte
	if !c.fetch(addr, b[:]) {
		return
	}
	le := binary.LittleEndian
	o := c.Out
	v := c.Opt.Verbose
	mask := le.Uint32(b[0:])
	o.Struct()
	o.Field("stx_mask")
	o.Set(xlat.StatxMask, uint64(mask))
	if v {
		o.Field("stx_blksize")
		o.Uint(uint64(le.Uint32(b[4:])))
	}
	o.Field("stx_attributes")
	o.Set(xlat.StatxAttrs, le.Uint64(b[8:]))
	if v {
		if mask&stxNlink != 0 {
			o.Field("stx_nlink")
			o.Uint(uint64(le.Uint32(b[16:])))
		}
		if mask&stxUID != 0 {
			o.Field("stx_uid")
			c.ID(le.Uint32(b[20:]))
		}
		if mask&stxGID != 0 {
			o.Field("stx_gid")
			c.ID(le.Uint32(b[24:]))
		}
	}
	if mask&stxTypeMode != 0 {
		o.Field("stx_mode")
		o.Set(fileMode, uint64(le.Uint16(b[28:])))
	}
	if v && mask&stxIno != 0 {
		o.Field("stx_ino")
		o.Uint(le.Uint64(b[32:]))
	}
	if mask&stxSizeBit != 0 {
		o.Field("stx_size")
		o.Uint(le.Uint64(b[40:]))
	}
	if !v {
		o.More()
		o.End()
		return
	}
	if mask&stxBlocks != 0 {
		o.Field("stx_blocks")
		o.Uint(le.Uint64(b[48:]))
	}
	o.Field("stx_attributes_mask")
	o.Set(xlat.StatxAttrs, le.Uint64(b[56:]))
	for _, t := range [...]struct {
		name string
		bit  uint32
		off  int
	}{{"stx_atime", stxAtime, 64}, {"stx_btime", stxBtime, 80}, {"stx_ctime", stxCtime, 96}, {"stx_mtime", stxMtime, 112}} {
		if mask&t.bit == 0 {
			continue
		}
		o.Field(t.name)
		o.Set(timespecComment{nsec: uint64(le.Uint32(b[t.off+8:]))}, le.Uint64(b[t.off:]))
	}
	for k, name := range [...]string{"stx_rdev_major", "stx_rdev_minor", "stx_dev_major", "stx_dev_minor"} {
		o.Field(name)
		o.Uint(uint64(le.Uint32(b[128+4*k:])))
	}
	if mask&stxMntID != 0 {
		o.Field("stx_mnt_id")
		o.Hex(le.Uint64(b[144:]))
	}
	if mask&stxDioAlign != 0 {
		o.Field("stx_dio_mem_align")
		o.Uint(uint64(le.Uint32(b[152:])))
		o.Field("stx_dio_offset_align")
		o.Uint(uint64(le.Uint32(b[156:])))
	}
	o.End()
}

// statfsLayout says where the fields of a struct statfs or statfs64 sit.
type statfsLayout struct {
	size                int
	typ, bsize, namelen int // offsets of the word fields
	frsize, flags, fsid int
	blocks              int // f_blocks; bfree, bavail, files, ffree follow countW apart
	wordW, countW       int
}

var (
	// struct statfs of 64-bit tracees (x86_64, aarch64): every field a long.
	statfs64bit = statfsLayout{size: 120, typ: 0, bsize: 8, blocks: 16, fsid: 56, namelen: 64, frsize: 72, flags: 80, wordW: 8, countW: 8}
	// struct statfs of i386: 32-bit fields.
	statfsI386 = statfsLayout{size: 64, typ: 0, bsize: 4, blocks: 8, fsid: 28, namelen: 36, frsize: 40, flags: 44, wordW: 4, countW: 4}
	// struct statfs64 of i386: 32-bit words, 64-bit counts, packed to 4.
	statfs64I386 = statfsLayout{size: 84, typ: 0, bsize: 4, blocks: 8, fsid: 48, namelen: 56, frsize: 60, flags: 64, wordW: 4, countW: 8}
)

func statfsLayoutFor(c *Ctx, is64 bool) *statfsLayout {
	if c.Call.Arch.WordSize == 4 {
		if is64 {
			return &statfs64I386
		}
		return &statfsI386
	}
	return &statfs64bit
}

const stValid = 0x20

// statfs appends a struct statfs as strace's print_struct_statfs (always in
// full): {f_type=EXT2_SUPER_MAGIC, f_bsize=4096, f_blocks=..., f_bfree=...,
// f_bavail=..., f_files=..., f_ffree=..., f_fsid={val=[0x15, 0]},
// f_namelen=255, f_frsize=4096, f_flags=ST_VALID|ST_RELATIME}.
func (c *Ctx) statfs(addr uint64, l *statfsLayout) {
	if addr == 0 {
		c.Out.Addr(0)
		return
	}
	var b [120]byte
	if !c.fetch(addr, b[:l.size]) {
		return
	}
	o := c.Out
	o.Struct()
	o.Field("f_type")
	o.Set(xlat.FSMagic, leUint(b[:], l.typ, l.wordW))
	o.Field("f_bsize")
	o.Uint(leUint(b[:], l.bsize, l.wordW))
	for k, name := range [...]string{"f_blocks", "f_bfree", "f_bavail", "f_files", "f_ffree"} {
		o.Field(name)
		o.Uint(leUint(b[:], l.blocks+k*l.countW, l.countW))
	}
	o.Field("f_fsid")
	o.Struct()
	o.Field("val")
	o.Array()
	o.Hex(leUint(b[:], l.fsid, 4))
	o.Hex(leUint(b[:], l.fsid+4, 4))
	o.End()
	o.End()
	o.Field("f_namelen")
	o.Uint(leUint(b[:], l.namelen, l.wordW))
	o.Field("f_frsize")
	o.Uint(leUint(b[:], l.frsize, l.wordW))
	if flags := leUint(b[:], l.flags, l.wordW); flags&stValid != 0 {
		o.Field("f_flags")
		o.Set(xlat.StatfsFlags, flags)
	}
	o.End()
}

// dirents appends a getdents buffer at exit as strace's xgetdents: by
// default its address and a count of the entries, 0x55... /* 28 entries */
// ("+" when bytes are left over); under -v the entries,
// [{d_ino=..., d_off=..., d_reclen=24, d_type=DT_DIR, d_name="."}, ...]
// (getdents prints d_name before d_type).
func (c *Ctx) dirents(addr uint64, is64 bool) {
	o := c.Out
	count := uint64(uint32(c.Call.Args[2]))
	if c.Failed() || uint64(c.Ret()) > count || c.Opt.NoDeref {
		o.Addr(addr)
		return
	}
	n := uint64(c.Ret())
	ws := c.Call.Arch.WordSize
	header := uint64(19) // linux_dirent64: d_ino, d_off, d_reclen, d_type
	if !is64 {
		header = uint64(2*ws + 2) // linux_dirent: d_ino, d_off, d_reclen
	}
	if n > 1<<20 {
		n = 1 << 20
	}
	buf := make([]byte, n)
	got, _ := c.Mem.ReadAt(buf, addr)
	buf = buf[:got]
	v := c.Opt.Verbose
	if !v {
		o.Addr(addr)
	}
	var entries uint64
	off, left := uint64(0), n
	opened := false
	for {
		if left < header {
			if v {
				if left == 0 {
					o.Array()
					opened = true
				} else {
					if off+left > uint64(len(buf)) {
						o.Addr(addr + off) // strace prints what it cannot fetch as its address
					} else {
						c.hexBytes(buf[off : off+left])
					}
				}
			}
			break
		}
		if off+header > uint64(len(buf)) {
			if v {
				if entries > 0 {
					o.Set(moreAt{}, addr+off)
				} else {
					o.Addr(addr + off)
				}
			}
			break
		}
		if v && entries == 0 {
			o.Array()
			opened = true
		}
		entries++
		e := buf[off:]
		reclenOff := 16
		if !is64 {
			reclenOff = 2 * ws
		}
		reclen := uint64(binary.LittleEndian.Uint16(e[reclenOff:]))
		next := uint64(0)
		switch {
		case reclen > left:
			reclen, left = left, 0
		case reclen < header:
			reclen, left = header, left-header
			next = off + header
		default:
			left -= reclen
			if left > 0 {
				next = off + reclen
			}
		}
		if v {
			c.dirent(e, reclen, header, is64, off+header, buf)
		}
		if next == 0 {
			break
		}
		off = next
	}
	if v {
		if opened {
			o.End()
		}
		return
	}
	if left > 0 {
		o.Nodes = o.Nodes[:len(o.Nodes)-1] // the address, printed again with the count
		o.Top--
		o.Set(direntsPlus{n: entries}, addr)
		return
	}
	o.Count(entries, "entries")
}

// direntsPlus prints an abbreviated getdents buffer whose last bytes hold
// no whole entry: 0x55... /* 5+ entries */. The value is the address.
type direntsPlus struct{ n uint64 }

func (d direntsPlus) AppendRaw(dst []byte, v uint64) []byte { return d.Append(dst, v) }

func (d direntsPlus) Append(dst []byte, addr uint64) []byte {
	dst = strconv.AppendUint(append(dst, "0x"...), addr, 16)
	dst = strconv.AppendUint(append(dst, " /* "...), d.n, 10)
	return append(dst, "+ entries */"...)
}

// moreAt prints strace's "... /* 0x7ffd... */": an array cut short where
// memory could not be read. The value is the address.
type moreAt struct{}

func (m moreAt) AppendRaw(dst []byte, v uint64) []byte { return m.Append(dst, v) }

func (moreAt) Append(dst []byte, addr uint64) []byte {
	return append(strconv.AppendUint(append(dst, "... /* 0x"...), addr, 16), " */"...)
}

// dirent appends one directory entry of a -v getdents array. e starts at
// the entry; nameOff is the offset of its name in buf.
func (c *Ctx) dirent(e []byte, reclen, header uint64, is64 bool, nameOff uint64, buf []byte) {
	o := c.Out
	ws := c.Call.Arch.WordSize
	w := 8
	if !is64 {
		w = ws
	}
	o.Struct()
	o.Field("d_ino")
	o.Uint(leUint(e, 0, w))
	o.Field("d_off")
	o.Uint(leUint(e, w, w))
	o.Field("d_reclen")
	o.Uint(uint64(binary.LittleEndian.Uint16(e[2*w:])))
	tail := reclen - header
	name := func(n uint64) {
		if n > 256 {
			n = 256
		}
		end := min(nameOff+n, uint64(len(buf)))
		s := buf[nameOff:end]
		trunc := true
		for i, ch := range s {
			if ch == 0 {
				s, trunc = s[:i], false
				break
			}
		}
		o.Field("d_name")
		o.Bytes(s, trunc)
	}
	if is64 {
		o.Field("d_type")
		o.Set(xlat.DirentTypes, uint64(e[18]))
		if tail > 0 {
			name(tail)
		}
	} else if tail > 0 {
		if tail-1 > 0 {
			name(tail - 1)
		}
		o.Field("d_type")
		if t := nameOff + tail - 1; t < uint64(len(buf)) {
			o.Set(xlat.DirentTypes, uint64(buf[t]))
		} else {
			o.Unread()
		}
	}
	o.End()
}

// hexBytes appends b as strace prints a QUOTE_FORCE_HEX string: every byte
// as \xHH, cut at -s.
func (c *Ctx) hexBytes(b []byte) {
	trunc := false
	if len(b) > c.Opt.StrLimit {
		b, trunc = b[:c.Opt.StrLimit], true
	}
	c.Out.Bytes(b, trunc)
	c.Out.Nodes[len(c.Out.Nodes)-1].Num = StrHex
}
