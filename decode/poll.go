package decode

import (
	"encoding/binary"
	"strconv"
	"strings"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// Descriptor polling: poll, ppoll, select, pselect6 and the epoll calls, as
// strace 6.1 prints them (src/poll.c, src/desc.c, src/epoll.c).

// textNote is a result comment computed at the exit stop: poll's
// "([{fd=3, revents=POLLIN}])", select's "(in [3], left {...})".
type textNote []byte

func (n textNote) Append(dst []byte, _ uint64) []byte { return append(dst, n...) }

// timeoutNote is the comment of a poll or select that returned 0.
var timeoutNote = textNote("Timeout")

// is64Call reports whether the call in flight is a time64 variant
// (ppoll_time64, timer_settime64, ...), whose time structures have 64-bit
// fields on every architecture.
func (c *Ctx) is64Call() bool {
	return c.Call.Entry != nil && strings.HasSuffix(c.Call.Entry.Name, "64")
}

// pollfds appends poll's struct pollfd array: [{fd=3, events=POLLIN}].
func (c *Ctx) pollfds(addr, n uint64) {
	o := c.Out
	c.printArray(addr, n, 8, func(b []byte) {
		fd := int32(binary.LittleEndian.Uint32(b))
		o.Struct()
		o.Field("fd")
		c.FD(int64(fd))
		if fd >= 0 {
			o.Field("events")
			o.Set(xlat.PollFlags, uint64(binary.LittleEndian.Uint16(b[4:])))
		}
		o.End()
	})
}

// appendTimeAt appends the struct timespec (or timeval, usec) at addr as
// strace's sprint_timespec does for a result comment, or its address when
// unreadable.
func (c *Ctx) appendTimeAt(dst []byte, addr uint64, is64, usec bool) []byte {
	sec, frac, state := c.readTimespec(addr, is64)
	if c.Opt.NoDeref && state != tsNull {
		state = tsUnread
	}
	switch state {
	case tsNull:
		return append(dst, "NULL"...)
	case tsUnread:
		dst = append(dst, "0x"...)
		return strconv.AppendUint(dst, addr, 16)
	}
	dst = append(dst, "{tv_sec="...)
	dst = strconv.AppendInt(dst, int64(sec), 10)
	if usec {
		dst = append(dst, ", tv_usec="...)
	} else {
		dst = append(dst, ", tv_nsec="...)
	}
	dst = strconv.AppendInt(dst, int64(frac), 10)
	return append(dst, '}')
}

// pollResult sets poll's and ppoll's result comment: the descriptors with
// events, then for ppoll (ts != 0) the time left.
func (c *Ctx) pollResult(ts uint64) {
	if c.Failed() {
		return
	}
	if c.Ret() == 0 {
		c.Call.Note = timeoutNote
		return
	}
	start, n := c.Arg(0), uint64(uint32(c.Call.Args[1]))
	var out []byte
	if !c.Opt.NoDeref && start != 0 && n != 0 && start+8*n > start {
		printed := 0
		var b [8]byte
		for i := uint64(0); i < n && i < maxArray; i++ {
			cur := start + 8*i
			sep := func() {
				if len(out) == 0 {
					out = append(out, '[')
				} else {
					out = append(out, ", "...)
				}
			}
			if got, err := c.Mem.ReadAt(b[:], cur); err != nil || got != 8 {
				sep()
				out = append(out, "0x"...)
				out = strconv.AppendUint(out, cur, 16)
				break
			}
			rev := binary.LittleEndian.Uint16(b[6:])
			if rev == 0 {
				continue
			}
			sep()
			if !c.Opt.Verbose && printed+1 > c.Opt.StrLimit {
				out = append(out, "..."...)
				break
			}
			out = append(out, "{fd="...)
			out = strconv.AppendInt(out, int64(int32(binary.LittleEndian.Uint32(b[:]))), 10)
			out = append(out, ", revents="...)
			out = xlat.PollFlags.AppendFlags(out, uint64(rev))
			out = append(out, '}')
			printed++
		}
		if len(out) > 0 {
			out = append(out, ']')
		}
	}
	if ts != 0 {
		if len(out) > 0 {
			out = append(out, ", "...)
		}
		out = append(out, "left "...)
		out = c.appendTimeAt(out, ts, c.is64Call(), false)
	}
	if len(out) > 0 {
		c.Call.Note = textNote(out)
	}
}

// fdSetSize is the bytes of one select fd_set strace reads for nfds: whole
// words covering nfds bits, nfds clamped to [0, 1<<20].
func (c *Ctx) fdSetSize(nfds int32) (int, int) {
	n := int(nfds)
	if n < 0 {
		n = 0
	}
	if n > 1<<20 {
		n = 1 << 20
	}
	ws := c.Call.Arch.WordSize
	return ((n+7)/8 + ws - 1) &^ (ws - 1), n
}

// appendFDBits appends the descriptors set in fds below n, space
// separated, each with what it refers to under -y.
func (c *Ctx) appendFDBits(dst, fds []byte, n int) []byte {
	first := true
	for j := 0; j < n; j++ {
		if fds[j/8]&(1<<(j%8)) == 0 {
			continue
		}
		if !first {
			dst = append(dst, ' ')
		}
		first = false
		dst = strconv.AppendInt(dst, int64(j), 10)
		if c.Opt.DecodeFDs && c.Proc != nil {
			m := len(dst)
			dst = c.Proc.FDInfo(c.Pid, j, append(dst, '<'))
			if len(dst) == m+1 {
				dst = dst[:m]
			} else {
				dst = append(dst, '>')
			}
		}
	}
	return dst
}

// selectEnter appends select's nfds and fd sets at entry (args: nfds,
// readfds, writefds, exceptfds).
func (c *Ctx) selectEnter(args *[5]uint64) {
	o := c.Out
	o.Int(int64(int32(args[0])))
	size, n := c.fdSetSize(int32(args[0]))
	var fds []byte
	if !c.Opt.NoDeref && size > 0 {
		fds = make([]byte, size)
	}
	for i := 1; i <= 3; i++ {
		addr := args[i]
		if fds == nil {
			o.Addr(addr)
			continue
		}
		if !c.fetch(addr, fds) {
			continue
		}
		b := append(make([]byte, 0, 16), '[')
		b = c.appendFDBits(b, fds, n)
		o.TextBytes(append(b, ']'))
	}
}

// selectResult sets select's result comment: the ready descriptors of
// each set and the time left in the timeout at args[4].
func (c *Ctx) selectResult(args *[5]uint64, is64, usec bool) {
	if c.Failed() {
		return
	}
	ready := c.Ret()
	if ready == 0 {
		c.Call.Note = timeoutNote
		return
	}
	size, n := c.fdSetSize(int32(args[0]))
	var out []byte
	sep := ""
	fds := make([]byte, size)
	for i := 0; i < 3 && ready > 0 && size > 0; i++ {
		addr := args[i+1]
		if addr == 0 {
			continue
		}
		if got, err := c.Mem.ReadAt(fds, addr); err != nil || got != size {
			continue
		}
		first := true
		for j := 0; j < n && ready > 0; j++ {
			if fds[j/8]&(1<<(j%8)) == 0 {
				continue
			}
			if first {
				out = append(out, sep...)
				out = append(out, [...]string{"in", "out", "except"}[i]...)
				out = append(out, " ["...)
				first = false
				sep = ", "
			} else {
				out = append(out, ' ')
			}
			out = strconv.AppendInt(out, int64(j), 10)
			ready--
		}
		if len(out) > 0 {
			out = append(out, ']')
		}
	}
	if args[4] != 0 {
		out = append(out, sep...)
		out = append(out, "left "...)
		out = c.appendTimeAt(out, args[4], is64, usec)
	}
	c.Call.Note = textNote(out)
}

// selectArgs returns select's five arguments: the registers, or for i386's
// old select the array its one argument points to (ok false when
// unreadable).
func (c *Ctx) selectArgs() (args [5]uint64, ok bool) {
	if c.Call.Entry != nil && len(c.Call.Entry.Args) > 0 && c.Call.Entry.Args[0] == "old_select_args" {
		for i := range args {
			v, ok := c.readWord(c.Arg(0) + uint64(i*c.Call.Arch.WordSize))
			if !ok {
				return args, false
			}
			args[i] = v
		}
		return args, true
	}
	for i := range args {
		args[i] = c.Arg(i)
	}
	return args, true
}

// timeval appends a native struct timeval: {tv_sec=1, tv_usec=0}.
func (c *Ctx) timeval(addr uint64) {
	var b [16]byte
	size := 16
	if c.Call.Arch.WordSize == 4 {
		size = 8
	}
	if addr == 0 {
		c.Out.Addr(0)
		return
	}
	if !c.fetch(addr, b[:size]) {
		return
	}
	c.timevalFields(b[:size], "tv_usec")
}

// timevalFields appends a struct timeval or timespec from its bytes (two
// native longs or two 64-bit fields by len(b)).
func (c *Ctx) timevalFields(b []byte, frac string) {
	o := c.Out
	var sec, f int64
	if len(b) == 8 {
		sec, f = int64(int32(binary.LittleEndian.Uint32(b))), int64(int32(binary.LittleEndian.Uint32(b[4:])))
	} else {
		sec, f = int64(binary.LittleEndian.Uint64(b)), int64(binary.LittleEndian.Uint64(b[8:]))
	}
	o.Struct()
	o.Field("tv_sec")
	o.Int(sec)
	o.Field(frac)
	o.Int(f)
	o.End()
}

// kernelSigset appends pselect6's sixth argument, a {sigset_t *, size_t}
// pair: {sigmask=[USR1], sigsetsize=8}.
func (c *Ctx) kernelSigset(addr uint64) {
	ws := c.Call.Arch.WordSize
	var b [16]byte
	if addr == 0 {
		c.Out.Addr(0)
		return
	}
	if !c.fetch(addr, b[:2*ws]) {
		return
	}
	var p, n uint64
	if ws == 4 {
		p, n = uint64(binary.LittleEndian.Uint32(b[:])), uint64(binary.LittleEndian.Uint32(b[4:]))
	} else {
		p, n = binary.LittleEndian.Uint64(b[:]), binary.LittleEndian.Uint64(b[8:])
	}
	o := c.Out
	o.Struct()
	o.Field("sigmask")
	c.sigset(p, n)
	o.Field("sigsetsize")
	o.Uint(n)
	o.End()
}

// epollEvent appends a struct epoll_event from its bytes (packed on x86:
// data at offset 4; at 8 elsewhere).
func (c *Ctx) epollEvent(b []byte) {
	o := c.Out
	off := c.epollDataOff()
	data := binary.LittleEndian.Uint64(b[off:])
	o.Struct()
	o.Field("events")
	o.Set(xlat.EpollEvents, uint64(binary.LittleEndian.Uint32(b)))
	o.Field("data")
	o.Struct()
	o.Field("u32")
	o.Uint(data & 0xffffffff)
	o.Field("u64")
	o.Uint(data)
	o.End()
	o.End()
}

func (c *Ctx) epollDataOff() int {
	if n := c.Call.Arch.Name; n == "x86_64" || n == "i386" {
		return 4
	}
	return 8
}

func init() {
	// poll(fds, nfds, timeout) and ppoll(fds, nfds, tmo_p, sigmask,
	// sigsetsize): everything at entry, the ready descriptors in the
	// result's comment.
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) {
			c.pollfds(c.Arg(0), uint64(uint32(c.Call.Args[1])))
			c.Out.Uint(uint64(uint32(c.Call.Args[1])))
			c.Out.Int(int64(c.Int(2)))
		},
		Result: func(c *Ctx) { c.pollResult(0) },
	}, "poll")
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) {
			c.pollfds(c.Arg(0), uint64(uint32(c.Call.Args[1])))
			c.Out.Uint(uint64(uint32(c.Call.Args[1])))
			c.timespec(c.Arg(2), c.is64Call())
			c.sigset(c.Arg(3), c.Arg(4))
			c.Out.Uint(c.Arg(4))
		},
		Result: func(c *Ctx) { c.pollResult(c.Arg(2)) },
	}, "ppoll", "ppoll_time64")

	// select(nfds, readfds, writefds, exceptfds, timeout), i386's old
	// select through its argument array, and pselect6 with a timespec and
	// a sigmask pair.
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) {
			args, ok := c.selectArgs()
			if !ok {
				c.Out.Addr(c.Arg(0))
				return
			}
			c.selectEnter(&args)
			c.timeval(args[4])
		},
		Result: func(c *Ctx) {
			if args, ok := c.selectArgs(); ok {
				c.selectResult(&args, false, true)
			}
		},
	}, "select", "_newselect")
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) {
			args, _ := c.selectArgs()
			c.selectEnter(&args)
			c.timespec(args[4], c.is64Call())
			c.kernelSigset(c.Arg(5))
		},
		Result: func(c *Ctx) {
			args, _ := c.selectArgs()
			c.selectResult(&args, c.is64Call(), false)
		},
	}, "pselect6", "pselect6_time64")

	// epoll_create(size) prints its size as an int; epoll_create1 has its
	// signature.
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) {
			c.Out.Int(int64(c.Int(0)))
			c.Call.Ret = RetFD
		},
	}, "epoll_create")

	// epoll_ctl(epfd, op, fd, event): the event is not read for
	// EPOLL_CTL_DEL.
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		c.FD(int64(c.Int(0)))
		op := uint64(uint32(c.Call.Args[1]))
		c.Out.Set(xlat.EpollCtlOps, op)
		c.FD(int64(c.Int(2)))
		addr := c.Arg(3)
		var b [16]byte
		size := c.epollDataOff() + 8
		if op == 2 {
			c.Out.Addr(addr)
		} else if c.fetch(addr, b[:size]) {
			c.epollEvent(b[:size])
		}
	}}, "epoll_ctl")

	// epoll_wait(epfd, events, maxevents, timeout) and epoll_pwait{,2}:
	// all but epfd print at exit, the events up to the result.
	epollWait := func(kind int) *Syscall {
		return &Syscall{
			Enter: func(c *Ctx) {
				c.FD(int64(c.Int(0)))
				c.Call.More = true
			},
			Exit: func(c *Ctx) {
				o := c.Out
				if c.Failed() {
					o.Addr(c.Arg(1))
				} else {
					c.printArray(c.Arg(1), uint64(c.Ret()), c.epollDataOff()+8, c.epollEvent)
				}
				o.Int(int64(c.Int(2)))
				if kind == 2 {
					c.timespec(c.Arg(3), true)
				} else {
					o.Int(int64(c.Int(3)))
				}
				if kind > 0 {
					c.sigset(c.Arg(4), c.Arg(5))
					o.Uint(c.Arg(5))
				}
			},
		}
	}
	registerSyscall(epollWait(0), "epoll_wait")
	registerSyscall(epollWait(1), "epoll_pwait")
	registerSyscall(epollWait(2), "epoll_pwait2")
}
