package decode

import "github.com/sonde-dev/sonde/decode/xlat"

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
	registerSyscall(&Syscall{Enter: mmap(0)}, "mmap")
	registerSyscall(&Syscall{Enter: mmap(12)}, "mmap2")
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		c.Call.Ret = RetHex
		c.Out.Addr(c.Arg(0))
	}}, "brk")
}
