package decode

// sendmmsg and recvmmsg: arrays of struct mmsghdr, as strace 6.1's
// src/mmsghdr.c prints them.

import (
	"encoding/binary"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// iovMax is IOV_MAX: strace prints at most this many struct mmsghdr.
const iovMax = 1024

func init() {
	registerSyscall(&Syscall{Enter: enterSendmmsg, Exit: exitSendmmsg}, "sendmmsg")
	registerSyscall(&Syscall{Enter: enterRecvmmsg, Exit: exitRecvmmsg, Result: resultRecvmmsg},
		"recvmmsg", "recvmmsg_time64")
}

// mmsghdrSize is sizeof(struct mmsghdr) in the tracee's layout: a struct
// msghdr, msg_len, padding to the word size.
func (c *Ctx) mmsghdrSize() int {
	if c.Call.Arch.WordSize == 8 {
		return 64
	}
	return 32
}

// mmsgvec appends the array of vlen struct mmsghdr at addr as strace's
// decode_mmsgvec: each {msg_hdr={...}, msg_len=N}, msg_len for the first
// withLen elements only; useLen makes msg_len the bytes each element's
// buffers hold (recvmmsg), else every iov_len counts. user holds the
// msg_namelen of each element before the call (recvmmsg) or is nil; it
// also bounds the elements printed. An unreadable first element prints
// the address.
func (c *Ctx) mmsgvec(addr, vlen, withLen uint64, useLen bool, user []int32) {
	o := c.Out
	count := uint64(iovMax)
	if user != nil {
		count = min(count, uint64(len(user)))
	}
	hdr := c.msghdrSize()
	c.printArrayMax(addr, vlen, c.mmsghdrSize(), count, func(i uint64, b []byte) {
		m := c.parseMsghdr(b)
		msgLen := uint64(binary.LittleEndian.Uint32(b[hdr:]))
		data := ^uint64(0)
		if useLen {
			data = msgLen
		}
		var namelen *int32
		if user != nil {
			namelen = &user[i]
		}
		o.Struct()
		o.Field("msg_hdr")
		c.printMsghdr(m, namelen, data)
		if i < withLen {
			o.Field("msg_len")
			o.Uint(msgLen)
		}
		o.End()
	})
}

// enterSendmmsg prints the descriptor; the array prints at exit with the
// msg_len of the messages sent. Without -e verbose= all prints now.
func enterSendmmsg(c *Ctx) {
	c.FD(int64(c.Int(0)))
	if c.Opt.NoDeref {
		c.Out.Addr(c.Arg(1))
		c.Out.Uint(uint64(uint32(c.Call.Args[2])))
		c.Out.Set(xlat.MsgFlags, uint64(uint32(c.Call.Args[3])))
		return
	}
	c.Call.More = true
}

// exitSendmmsg prints the array even when the call failed, as strace does
// (without msg_len then).
func exitSendmmsg(c *Ctx) {
	var sent uint64
	if !c.Failed() {
		sent = uint64(c.Ret())
	}
	vlen := uint64(uint32(c.Call.Args[2]))
	c.mmsgvec(c.Arg(1), vlen, sent, false, nil)
	c.Out.Uint(vlen)
	c.Out.Set(xlat.MsgFlags, uint64(uint32(c.Call.Args[3])))
}

// enterRecvmmsg prints the descriptor and keeps each element's
// msg_namelen and the timeout for the exit; without -e verbose= all
// prints now.
func enterRecvmmsg(c *Ctx) {
	c.FD(int64(c.Int(0)))
	if c.Opt.NoDeref {
		c.Out.Addr(c.Arg(1))
		c.Out.Uint(uint64(uint32(c.Call.Args[2])))
		c.Out.Set(xlat.MsgFlags, uint64(uint32(c.Call.Args[3])))
		c.timespec(c.Arg(4), c.is64Call())
		return
	}
	n := min(uint64(uint32(c.Call.Args[2])), iovMax)
	size := uint64(c.mmsghdrSize())
	user := make([]int32, 0, n)
	var b [64]byte
	for i, addr := uint64(0), c.Arg(1); i < n && addr != 0; i++ {
		cur := addr + i*size
		if cur < addr {
			break
		}
		if got, err := c.Mem.ReadAt(b[:size], cur); err != nil || uint64(got) != size {
			break
		}
		user = append(user, int32(uint32(c.parseMsghdr(b[:size]).namelen)))
	}
	c.Call.Priv = user
	c.Call.Saved[0], c.Call.Saved[1], c.Call.Saved[2] = c.readTimespec(c.Arg(4), c.is64Call())
	c.Call.More = true
}

// exitRecvmmsg prints the messages received (the address when the call
// failed), vlen, flags and the timeout as it was at entry.
func exitRecvmmsg(c *Ctx) {
	if c.Failed() {
		c.Out.Addr(c.Arg(1))
	} else {
		user, _ := c.Call.Priv.([]int32)
		n := uint64(c.Ret())
		c.mmsgvec(c.Arg(1), n, n, true, user)
	}
	c.Out.Uint(uint64(uint32(c.Call.Args[2])))
	c.Out.Set(xlat.MsgFlags, uint64(uint32(c.Call.Args[3])))
	c.savedTimespec(c.Arg(4))
}

// resultRecvmmsg comments the result: Timeout for none received, else the
// time left in the timeout.
func resultRecvmmsg(c *Ctx) {
	switch {
	case c.Failed():
	case c.Ret() == 0:
		c.Call.Note = timeoutNote
	case !c.Opt.NoDeref && c.Call.Args[4] != 0:
		c.Call.Note = textNote(c.appendTimeAt([]byte("left "), c.Arg(4), c.is64Call(), false))
	}
}
