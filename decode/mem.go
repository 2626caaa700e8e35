package decode

import (
	"encoding/binary"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// Memory: mmap and friends, and the small flag kinds shared by many calls.

type mmapFlags struct{ generic bool }

func (f mmapFlags) Append(dst []byte, v uint64) []byte {
	return xlat.AppendMmapFlags(dst, v, f.generic)
}

func (c *Ctx) mmapFlags() Formatter { return mmapFlags{generic: c.Generic()} }

const pageSize = 4096

func init() {
	registerArg("prot", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Set(xlat.MmapProt, c.Arg(i)) }})
	registerArg("mapflags", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Set(c.mmapFlags(), c.Arg(i)) }})
	registerArg("atflags", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Set(xlat.AtFlags, uint64(uint32(c.Call.Args[i]))) }})
	registerArg("accessmode", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Set(xlat.AccessModes, uint64(uint32(c.Call.Args[i]))) }})
	registerArg("whence", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Set(xlat.SeekWhence, uint64(uint32(c.Call.Args[i]))) }})

	// mmap(addr, length, prot, flags, fd, offset): the offset in hex.
	// mmap2 takes the offset in pages; strace prints it in bytes.
	mmap := func(shift uint) func(c *Ctx) {
		return func(c *Ctx) {
			c.Call.Ret = RetHex
			c.Out.Addr(c.Arg(0))
			c.Out.Uint(c.Arg(1))
			c.Out.Set(xlat.MmapProt, c.Arg(2))
			c.Out.Set(c.mmapFlags(), c.Arg(3))
			c.FD(int64(c.Int(4)))
			c.Out.Hex(c.Arg(5) << shift)
		}
	}
	plain := mmap(0)
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		if c.Call.Arch.Name == "i386" {
			c.oldMmap()
			return
		}
		plain(c)
	}}, "mmap")
	registerSyscall(&Syscall{Enter: mmap(12)}, "mmap2")
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		c.Call.Ret = RetHex
		c.Out.Addr(c.Arg(0))
	}}, "brk")
}

// oldMmap decodes i386's old mmap, whose one argument points to the six
// 32-bit arguments: they print as mmap's, or the pointer alone when they
// cannot be read.
func (c *Ctx) oldMmap() {
	c.Call.Ret = RetHex
	addr := c.Arg(0)
	var b [24]byte
	if n, err := c.Mem.ReadAt(b[:], addr); err != nil || n != len(b) {
		c.Out.Addr(addr)
		return
	}
	a := func(k int) uint64 { return uint64(binary.LittleEndian.Uint32(b[4*k:])) }
	o := c.Out
	o.Addr(a(0))
	o.Uint(a(1))
	o.Set(xlat.MmapProt, a(2))
	o.Set(c.mmapFlags(), a(3))
	c.FD(int64(int32(a(4))))
	o.Hex(a(5))
}

func init() {
	registerArg("old_mmap_args", ArgDecoder{Fn: func(c *Ctx, i int) { c.oldMmap() }})
	setArg("mremap_flags", xlat.MremapFlags, false)
	setArg("mlock_flags", xlat.MlockFlags, true)
	setArg("mlockall_flags", xlat.MlockallFlags, true)
	setArg("msync_flags", xlat.MsyncFlags, true)
	registerArg("mincore_out", outArg(func(c *Ctx, i int) { c.mincoreVec(c.Arg(i), c.Arg(i-1)) }))

	// mremap(old, old_size, new_size, flags, new_address): the new
	// address only when both MREMAP_MAYMOVE and MREMAP_FIXED are set.
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		const mayMoveFixed = 1 | 2
		c.Call.Ret = RetHex
		o := c.Out
		o.Addr(c.Arg(0))
		o.Uint(c.Arg(1))
		o.Uint(c.Arg(2))
		flags := c.Arg(3)
		o.Set(xlat.MremapFlags, flags)
		if flags&mayMoveFixed == mayMoveFixed {
			o.Addr(c.Arg(4))
		}
	}}, "mremap")
}

// mincoreMax bounds the vector mincore prints: strace reads it whole.
const mincoreMax = 1 << 20

// mincoreVec appends mincore's vector, one byte per page of length:
// [1, 1, 0], at most -s of them without -v; NULL, or the address when it
// cannot be read whole.
func (c *Ctx) mincoreVec(addr, length uint64) {
	o := c.Out
	n := length / pageSize
	if length%pageSize != 0 {
		n++
	}
	if addr == 0 || n > mincoreMax {
		o.Addr(addr)
		return
	}
	vec := make([]byte, n)
	if got, err := c.Mem.ReadAt(vec, addr); err != nil || uint64(got) != n {
		o.Addr(addr)
		return
	}
	o.Array()
	for i, v := range vec {
		if !c.Opt.Verbose && i >= c.Opt.StrLimit {
			o.More()
			break
		}
		o.Uint(uint64(v))
	}
	o.End()
}
