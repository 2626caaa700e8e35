package decode

// The basic argument kinds: numbers, addresses, descriptors, strings and
// buffers. Kinds with flag sets live beside their sets.

const atFDCWD = -100

func init() {
	registerArg("int", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Int(int64(c.Int(i))) }})
	registerArg("uint", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Uint(uint64(uint32(c.Call.Args[i]))) }})
	registerArg("long", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Int(c.Long(i)) }})
	registerArg("ssize", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Int(c.Long(i)) }})
	registerArg("ulong", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Uint(c.Arg(i)) }})
	registerArg("size", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Uint(c.Arg(i)) }})
	registerArg("off", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Int(c.Long(i)) }})
	registerArg("hex", ArgDecoder{Fn: hexArg})
	registerArg("unknown", ArgDecoder{Fn: hexArg})
	registerArg("ptr", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Addr(c.Arg(i)) }})
	registerArg("out_ptr", ArgDecoder{Exit: true, Fn: func(c *Ctx, i int) { c.Out.Addr(c.Arg(i)) }})
	registerArg("fd", ArgDecoder{Fn: func(c *Ctx, i int) { c.FD(int64(c.Int(i))) }})
	registerArg("dirfd", ArgDecoder{Fn: func(c *Ctx, i int) { c.DirFD(c.Int(i)) }})
	registerArg("pid", ArgDecoder{Fn: func(c *Ctx, i int) { c.PidArg(int64(c.Int(i))) }})
	registerArg("uid", ArgDecoder{Fn: func(c *Ctx, i int) { c.ID(uint32(c.Call.Args[i])) }})
	registerArg("gid", ArgDecoder{Fn: func(c *Ctx, i int) { c.ID(uint32(c.Call.Args[i])) }})
	registerArg("mode", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Oct(uint64(uint32(c.Call.Args[i]))) }})
	registerArg("path", ArgDecoder{Fn: func(c *Ctx, i int) { c.Path(c.Arg(i)) }})
	registerArg("str", ArgDecoder{Fn: func(c *Ctx, i int) { c.CString(c.Arg(i)) }})
	registerArg("buf_in", ArgDecoder{Fn: func(c *Ctx, i int) { c.Buf(c.Arg(i), c.Arg(i+1)) }})
	registerArg("buf_out", outArg(func(c *Ctx, i int) { c.Buf(c.Arg(i), uint64(c.Ret())) }))
	registerArg("argv", ArgDecoder{Fn: func(c *Ctx, i int) { c.execArgv(c.Arg(i)) }})
	registerArg("envp", ArgDecoder{Fn: func(c *Ctx, i int) {
		if c.Opt.Verbose {
			c.execArgv(c.Arg(i))
		} else {
			c.execArgc(c.Arg(i))
		}
	}})
}

// FD appends a file descriptor, with what it refers to under -y.
func (c *Ctx) FD(fd int64) {
	if !c.Opt.DecodeFDs || c.Proc == nil || fd < 0 || fd > 1<<30 {
		c.Out.FD(fd, nil)
		return
	}
	o := c.Out
	off := len(o.Arena)
	o.Arena = c.Proc.FDInfo(c.Pid, int(fd), o.Arena)
	o.push(Node{Kind: KFD, Num: uint64(fd), Off: uint32(off), Len: uint32(len(o.Arena) - off)})
}

// PidArg appends a process id, with its command name under -Y.
func (c *Ctx) PidArg(pid int64) {
	if !c.Opt.DecodePids || c.Proc == nil || pid <= 0 || pid > 1<<22 {
		c.Out.Pid(pid, nil)
		return
	}
	o := c.Out
	off := len(o.Arena)
	o.Arena = c.Proc.Comm(int(pid), o.Arena)
	o.push(Node{Kind: KPid, Num: uint64(pid), Off: uint32(off), Len: uint32(len(o.Arena) - off)})
}

// DirFD appends a directory descriptor: AT_FDCWD or a descriptor.
func (c *Ctx) DirFD(fd int32) {
	if fd == atFDCWD {
		o := c.Out
		off := len(o.Arena)
		if c.Opt.DecodeFDs && c.Proc != nil {
			o.Arena = c.Proc.FDInfo(c.Pid, atFDCWD, o.Arena) // -y: the working directory
		}
		o.push(Node{Kind: KSym, Name: "AT_FDCWD", Num: uint64(int64(fd)), Off: uint32(off), Len: uint32(len(o.Arena) - off)})
		return
	}
	c.FD(int64(fd))
}

// ID appends a user or group id: -1 for (uid_t)-1, as strace prints it.
func (c *Ctx) ID(id uint32) {
	if id == ^uint32(0) {
		c.Out.Int(-1)
		return
	}
	c.Out.Uint(uint64(id))
}

// Path appends the NUL-terminated path at addr (up to PATH_MAX bytes, not
// cut by -s), or the address when it cannot be read.
func (c *Ctx) Path(addr uint64) { c.str(addr, PathMax) }

// CString appends the NUL-terminated string at addr, cut at the -s limit.
func (c *Ctx) CString(addr uint64) { c.str(addr, c.Opt.StrLimit) }

func (c *Ctx) str(addr uint64, limit int) {
	if addr == 0 {
		c.Out.Addr(0)
		return
	}
	o := c.Out
	off := len(o.Arena)
	// One byte more than the limit tells a string of exactly limit bytes
	// from a longer one.
	s, term, err := c.Mem.ReadString(o.Arena, addr, limit+1)
	if err != nil && !term {
		o.Arena = o.Arena[:off]
		o.Addr(addr)
		return
	}
	n := len(s) - off
	trunc := false
	if n > limit {
		n = limit
		trunc = true
	}
	o.Arena = s[:off+n]
	o.push(Node{Kind: KStr, Off: uint32(off), Len: uint32(n), Trunc: trunc})
}

// Buf appends the n-byte buffer at addr, cut at the -s limit, or the
// address when it cannot be read.
func (c *Ctx) Buf(addr, n uint64) {
	o := c.Out
	limit := uint64(c.Opt.StrLimit)
	take, trunc := n, false
	if take > limit {
		take, trunc = limit, true
	}
	if addr == 0 {
		o.Addr(0)
		return
	}
	off := len(o.Arena)
	o.Arena = append(o.Arena, make([]byte, take)...)
	if take > 0 {
		if got, err := c.Mem.ReadAt(o.Arena[off:], addr); err != nil || uint64(got) != take {
			o.Arena = o.Arena[:off]
			o.Addr(addr)
			return
		}
	}
	o.push(Node{Kind: KStr, Off: uint32(off), Len: uint32(take), Trunc: trunc})
}

// readWord reads one tracee word at addr.
func (c *Ctx) readWord(addr uint64) (uint64, bool) {
	var b [8]byte
	ws := c.Call.Arch.WordSize
	if n, err := c.Mem.ReadAt(b[:ws], addr); err != nil || n != ws {
		return 0, false
	}
	if ws == 4 {
		return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24, true
	}
	return le64(b[:]), true
}

func le64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// fetch reads len(b) bytes of tracee memory at addr into b. When they
// cannot all be read it appends addr instead, as strace prints what it
// cannot fetch, and returns false.
func (c *Ctx) fetch(addr uint64, b []byte) bool {
	if c.Opt.NoDeref {
		c.Out.Addr(addr)
		return false
	}
	if n, err := c.Mem.ReadAt(b, addr); err != nil || n != len(b) {
		c.Out.Addr(addr)
		return false
	}
	return true
}

// maxArray bounds the elements printed under -v, where strace prints them
// all: a huge count over readable memory would otherwise run unbounded.
const maxArray = 1 << 16

// printArray appends n elements of size bytes at addr as strace's
// print_array: NULL, [] for none, the address when the first element is
// unreadable (or -e decode stops at addresses), "..." after -s elements
// (unless -v), "... /* addr */" at an unreadable one. elem appends one
// element from its bytes.
func (c *Ctx) printArray(addr, n uint64, size int, elem func(b []byte)) {
	c.printArrayMax(addr, n, size, maxArray, func(_ uint64, b []byte) { elem(b) })
}

// printArrayMax is printArray with "..." after max elements too, and the
// element's index given to elem.
func (c *Ctx) printArrayMax(addr, n uint64, size int, max uint64, elem func(i uint64, b []byte)) {
	o := c.Out
	if addr == 0 {
		o.Addr(0)
		return
	}
	if n == 0 {
		o.Array()
		o.End()
		return
	}
	sz := uint64(size)
	if end := addr + n*sz; n > ^uint64(0)/sz || end < addr || (c.Call.Arch.WordSize == 4 && end > 1<<32) {
		o.Addr(addr)
		return
	}
	var buf [64]byte
	b := buf[:]
	if size <= len(buf) {
		b = buf[:size]
	} else {
		b = make([]byte, size)
	}
	for i := uint64(0); i < n; i++ {
		cur := addr + i*sz
		if i == 0 {
			if !c.fetch(cur, b) {
				return
			}
			o.Array()
		} else if got, err := c.Mem.ReadAt(b, cur); err != nil || got != size {
			o.Set(moreAt{}, cur)
			break
		}
		if (!c.Opt.Verbose && i >= uint64(c.Opt.StrLimit)) || i >= min(max, maxArray) {
			o.More()
			break
		}
		elem(i, b)
	}
	o.End()
}
