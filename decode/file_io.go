package decode

import (
	"encoding/binary"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// Moving data: read/write and their positioned and vector forms, lseek,
// sendfile, copy_file_range, splice, fadvise64, fallocate.

func init() {
	// read(fd, buf, count): the bytes read at exit.
	readLike := func(off bool) *Syscall {
		return &Syscall{
			Enter: func(c *Ctx) {
				c.FD(int64(c.Int(0)))
				c.Call.More = true
			},
			Exit: func(c *Ctx) {
				if c.Failed() {
					c.Out.Addr(c.Arg(1))
				} else {
					c.strn(c.Arg(1), uint64(c.Ret()))
				}
				c.Out.Uint(c.Arg(2))
				if off {
					c.offset(3)
				}
			},
		}
	}
	registerSyscall(readLike(false), "read")
	registerSyscall(readLike(true), "pread64")
	writeLike := func(off bool) *Syscall {
		return &Syscall{Enter: func(c *Ctx) {
			c.FD(int64(c.Int(0)))
			c.strn(c.Arg(1), c.Arg(2))
			c.Out.Uint(c.Arg(2))
			if off {
				c.offset(3)
			}
		}}
	}
	registerSyscall(writeLike(false), "write")
	registerSyscall(writeLike(true), "pwrite64")

	// The vector calls: readv(fd, iov, iovcnt), preadv(fd, iov, iovcnt,
	// pos_l, pos_h), preadv2(..., flags) print all but fd at exit, each
	// iovec with its share of the bytes read; the write forms print at
	// entry.
	vecRead := func(pos, flags bool) *Syscall {
		return &Syscall{
			Enter: func(c *Ctx) {
				c.FD(int64(c.Int(0)))
				c.Call.More = true
			},
			Exit: func(c *Ctx) {
				n := c.Arg(2)
				data := ^uint64(0)
				if !c.Failed() {
					data = uint64(c.Ret())
				}
				c.iovecs(c.Arg(1), n, data, !c.Failed())
				c.Out.Uint(n)
				if pos {
					c.offset(3)
				}
				if flags {
					c.Out.Set(xlat.RWFFlags, c.Arg(5))
				}
			},
		}
	}
	vecWrite := func(pos, flags bool) *Syscall {
		return &Syscall{Enter: func(c *Ctx) {
			n := c.Arg(2)
			c.FD(int64(c.Int(0)))
			c.iovecs(c.Arg(1), n, ^uint64(0), true)
			c.Out.Uint(n)
			if pos {
				c.offset(3)
			}
			if flags {
				c.Out.Set(xlat.RWFFlags, c.Arg(5))
			}
		}}
	}
	registerSyscall(vecRead(false, false), "readv")
	registerSyscall(vecRead(true, false), "preadv")
	registerSyscall(vecRead(true, true), "preadv2")
	registerSyscall(vecWrite(false, false), "writev")
	registerSyscall(vecWrite(true, false), "pwritev")
	registerSyscall(vecWrite(true, true), "pwritev2")
	registerArg("iovec_in", ArgDecoder{Fn: func(c *Ctx, i int) { c.iovecs(c.Arg(i), c.Arg(i+1), ^uint64(0), true) }})
	registerArg("iovec_out", ArgDecoder{Exit: true, Fn: func(c *Ctx, i int) {
		data := ^uint64(0)
		if !c.Failed() {
			data = uint64(c.Ret())
		}
		c.iovecs(c.Arg(i), c.Arg(i+1), data, !c.Failed())
	}})

	// _llseek(fd, offset_high, offset_low, result, whence): the offset at
	// entry, the resulting position and whence at exit.
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) {
			c.FD(int64(c.Int(0)))
			c.Out.Int(int64(uint64(uint32(c.Call.Args[1]))<<32 | uint64(uint32(c.Call.Args[2]))))
			c.Call.More, c.Call.SepAtExit = true, true
		},
		Exit: func(c *Ctx) {
			if c.Failed() {
				c.Out.Addr(c.Arg(3))
			} else {
				c.u64Ref(c.Arg(3))
			}
			c.Out.Set(xlat.SeekWhence, c.Arg(4))
		},
	}, "_llseek")

	// sendfile(out_fd, in_fd, offset, count): the offset at entry and, when
	// bytes moved, the new offset at exit: [4] => [10]. 64-bit tracees'
	// sendfile and every sendfile64 use a loff_t; i386's sendfile an off_t,
	// and it prints nothing at exit when count is 0.
	sendfile := func(is64 bool) *Syscall {
		wide := func(c *Ctx) bool { return is64 || c.Call.Arch.WordSize == 8 }
		return &Syscall{
			Enter: func(c *Ctx) {
				c.FD(int64(c.Int(0)))
				c.FD(int64(c.Int(1)))
				ok := false
				if wide(c) {
					ok = c.u64Ref(c.Arg(2))
				} else {
					ok = c.u32Ref(c.Arg(2))
				}
				if !ok || (!wide(c) && c.Arg(3) == 0) {
					c.Out.Uint(c.Arg(3))
					return
				}
				c.Call.More, c.Call.SepAtExit = true, true
			},
			Exit: func(c *Ctx) {
				if !c.Failed() && c.Ret() != 0 {
					c.Out.Changed()
					if wide(c) {
						c.u64Ref(c.Arg(2))
					} else {
						c.u32Ref(c.Arg(2))
					}
				}
				c.Out.Uint(c.Arg(3))
			},
		}
	}
	registerSyscall(sendfile(false), "sendfile")
	registerSyscall(sendfile(true), "sendfile64")

	// loff_t pointers of splice and copy_file_range print at entry only.
	registerArg("loff_inout", ArgDecoder{Fn: func(c *Ctx, i int) { c.s64Ref(c.Arg(i)) }})
	setArg("splice_flags", xlat.SpliceFlags, false)
	registerSyscall(sig(aFD, aFD, aUlong, func(c *Ctx, i int) { c.Out.Set(xlat.SpliceFlags, c.Arg(i)) }), "tee")
	setArg("fallocate_mode", xlat.FallocFlags, true)
}

// offset appends the 64-bit file offset starting at argument i: one word
// on 64-bit tracees, the (low, high) pair on 32-bit ones.
func (c *Ctx) offset(i int) {
	if c.Call.Arch.WordSize == 4 {
		c.Out.Int(int64(uint64(uint32(c.Call.Args[i])) | uint64(uint32(c.Call.Args[i+1]))<<32))
		return
	}
	c.Out.Int(int64(c.Arg(i)))
}

// u64Ref appends the unsigned 64-bit integer at addr as [N], NULL, or the
// address when unreadable (strace's printnum_int64 with %PRIu64). It
// reports whether a value was printed.
func (c *Ctx) u64Ref(addr uint64) bool {
	var b [8]byte
	if addr == 0 {
		c.Out.Addr(0)
		return false
	}
	if !c.fetch(addr, b[:]) {
		return false
	}
	c.Out.Ref()
	c.Out.Uint(binary.LittleEndian.Uint64(b[:]))
	c.Out.End()
	return true
}

// s64Ref is u64Ref for a signed loff_t (%PRId64).
func (c *Ctx) s64Ref(addr uint64) {
	var b [8]byte
	if addr == 0 {
		c.Out.Addr(0)
		return
	}
	if !c.fetch(addr, b[:]) {
		return
	}
	c.Out.Ref()
	c.Out.Int(int64(binary.LittleEndian.Uint64(b[:])))
	c.Out.End()
}

// u32Ref is u64Ref for a 32-bit unsigned long (printnum_ulong of an i386
// tracee).
func (c *Ctx) u32Ref(addr uint64) bool {
	var b [4]byte
	if addr == 0 {
		c.Out.Addr(0)
		return false
	}
	if !c.fetch(addr, b[:]) {
		return false
	}
	c.Out.Ref()
	c.Out.Uint(uint64(binary.LittleEndian.Uint32(b[:])))
	c.Out.End()
	return true
}

// iovecs appends an array of n struct iovec at addr as strace's
// tprint_iov_upto: [{iov_base="...", iov_len=5}, ...]. data is the number
// of bytes the buffers hold in all (^0: each its iov_len); strs false
// prints each iov_base as an address (a failed read). The array prints as
// printArray prints one.
func (c *Ctx) iovecs(addr, n, data uint64, strs bool) {
	o := c.Out
	ws := c.Call.Arch.WordSize
	c.printArray(addr, n, 2*ws, func(b []byte) {
		base, length := leUint(b, 0, ws), leUint(b, ws, ws)
		o.Struct()
		o.Field("iov_base")
		if strs {
			show := min(length, data)
			if data != ^uint64(0) {
				data -= show
			}
			c.strn(base, show)
		} else {
			o.Addr(base)
		}
		o.Field("iov_len")
		o.Uint(length)
		o.End()
	})
}
