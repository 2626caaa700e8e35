package decode

// System V IPC: semget, semop, semtimedop, semctl, msgget, msgsnd, msgrcv,
// msgctl, shmget, shmat, shmdt, shmctl, direct or through i386's ipc
// multiplexer (Call.Indirect), and the multiplexer itself for calls it has
// no subcall for; strace 6.1's src/ipc*.c. The *ctl calls' structures
// (IPC_STAT, IPC_SET, *_INFO) print as addresses.

import (
	"encoding/binary"
	"strconv"

	"github.com/sonde-dev/sonde/decode/xlat"
)

func init() {
	key := func(c *Ctx, i int) {
		k := uint64(uint32(c.Call.Args[i]))
		if k == 0 {
			c.Out.Sym("IPC_PRIVATE", 0)
			return
		}
		c.Out.Hex(k)
	}
	getFlags := func(set *xlat.Set) Formatter {
		return formatterFunc(func(dst []byte, v uint64) []byte { return xlat.AppendIPCGetFlags(dst, set, v) })
	}
	ctl := func(set *xlat.Set) Formatter {
		return formatterFunc(func(dst []byte, v uint64) []byte { return xlat.AppendIPCCtl(dst, set, v) })
	}
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		key(c, 0)
		c.Out.Int(int64(c.Int(1)))
		c.Out.Set(getFlags(xlat.IPCResourceFlags), uint64(uint32(c.Call.Args[2])))
	}}, "semget")
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		key(c, 0)
		c.Out.Set(getFlags(xlat.IPCResourceFlags), uint64(uint32(c.Call.Args[1])))
	}}, "msgget")
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		key(c, 0)
		c.Out.Uint(c.Arg(1))
		c.Out.Set(formatterFunc(xlat.AppendShmgetFlags), uint64(uint32(c.Call.Args[2])))
	}}, "shmget")
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		c.Out.Int(int64(c.Int(0)))
		c.sembufs(c.Arg(1), uint64(uint32(c.Call.Args[2])))
		if c.Call.Entry != nil && c.Call.Entry.Name != "semop" {
			c.timespec(c.Arg(3), c.is64Call())
		}
	}}, "semop", "semtimedop", "semtimedop_time64")
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		c.Out.Int(int64(c.Int(0)))
		c.Out.Int(int64(c.Int(1)))
		c.Out.Set(ctl(xlat.SemctlCmds), uint64(uint32(c.Call.Args[2])))
		arg := c.Arg(3)
		if !c.Call.Indirect {
			c.Out.Addr(arg)
			return
		}
		// The multiplexer passes a pointer to the union semun.
		v, ok := c.readWord(arg)
		if arg == 0 || !ok || c.Opt.NoDeref {
			c.Out.Addr(arg)
			return
		}
		c.Out.Ref()
		c.Out.Addr(v)
		c.Out.End()
	}}, "semctl")
	for _, k := range []struct {
		name string
		set  *xlat.Set
	}{{"msgctl", xlat.MsgctlCmds}, {"shmctl", xlat.ShmctlCmds}} {
		registerSyscall(&Syscall{Enter: func(c *Ctx) {
			c.Out.Int(int64(c.Int(0)))
			c.Out.Set(ctl(k.set), uint64(uint32(c.Call.Args[1])))
			c.Out.Addr(c.Arg(2))
		}}, k.name)
	}
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		c.Out.Int(int64(c.Int(0)))
		c.msgbuf(c.Arg(1), c.Arg(2))
		c.Out.Uint(c.Arg(2))
		c.Out.Set(xlat.IPCMsgFlags, uint64(uint32(c.Call.Args[3])))
	}}, "msgsnd")
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		c.Out.Int(int64(c.Int(0)))
		c.Call.More = true
	}, Exit: exitMsgrcv}, "msgrcv")
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		c.Call.Ret = RetHex
		c.Out.Int(int64(c.Int(0)))
		c.Out.Addr(c.Arg(1))
		c.Out.Set(xlat.ShmFlags, uint64(uint32(c.Call.Args[2])))
	}, Result: resultShmat}, "shmat")
	registerSyscall(&Syscall{Enter: func(c *Ctx) { c.Out.Addr(c.Arg(0)) }}, "shmdt")
	registerSyscall(&Syscall{Enter: enterIPC}, "ipc")
}

// sembufs appends semop's array of struct sembuf.
func (c *Ctx) sembufs(addr, n uint64) {
	o := c.Out
	c.structArray(addr, n, 6, func(b []byte) {
		le := binary.LittleEndian
		o.Struct()
		o.Field("sem_num")
		o.Uint(uint64(le.Uint16(b)))
		o.Field("sem_op")
		o.Int(int64(int16(le.Uint16(b[2:]))))
		o.Field("sem_flg")
		o.Set(xlat.SemopFlags, uint64(le.Uint16(b[4:])))
		o.End()
	})
	o.Uint(n)
}

// msgbuf appends a struct msgbuf of count bytes of text: {mtype=1,
// mtext="hi"}, or its address when unreadable.
func (c *Ctx) msgbuf(addr, count uint64) {
	ws := c.Call.Arch.WordSize
	var b [8]byte
	if addr == 0 {
		c.Out.Addr(0)
		return
	}
	if !c.fetch(addr, b[:ws]) {
		return
	}
	c.Out.Struct()
	c.Out.Field("mtype")
	c.Out.Int(c.Call.Arch.SignedWord(leUint(b[:], 0, ws)))
	c.Out.Field("mtext")
	c.strn(addr+uint64(ws), count)
	c.Out.End()
}

// exitMsgrcv prints what msgrcv received (the buffer's address when it
// failed), msgsz, msgtyp and msgflg; through the multiplexer's old
// calling convention (version 0) msgp and msgtyp come from the
// struct ipc_kludge its ptr points to.
func exitMsgrcv(c *Ctx) {
	o := c.Out
	msgp, msgsz, msgtyp := c.Arg(1), c.Arg(2), c.Call.Arch.SignedWord(c.Call.Args[3])
	if c.Call.Indirect && c.Call.IPCArgs[0]>>16 == 0 {
		ws := c.Call.Arch.WordSize
		var b [16]byte
		// strace reads the kludge only for a call that succeeded.
		if n, err := c.Mem.ReadAt(b[:2*ws], msgp); err != nil || n != 2*ws || c.Opt.NoDeref || c.Failed() {
			o.Addr(msgp)
			o.Uint(msgsz)
			o.Set(xlat.IPCMsgFlags, uint64(uint32(c.Call.Args[4])))
			return
		}
		msgp, msgtyp = leUint(b[:], 0, ws), c.Call.Arch.SignedWord(leUint(b[:], ws, ws))
	}
	if c.Failed() {
		o.Addr(msgp)
	} else {
		c.msgbuf(msgp, msgsz)
	}
	o.Uint(msgsz)
	o.Int(msgtyp)
	o.Set(xlat.IPCMsgFlags, uint64(uint32(c.Call.Args[4])))
}

// resultShmat: through the multiplexer the address attached is not the
// result (0) but the word the kernel stored at the call's third argument.
func resultShmat(c *Ctx) {
	c.Call.Ret = RetHex
	if !c.Call.Indirect || c.Failed() {
		return
	}
	if v, ok := c.readWord(c.Call.Arch.Mask(c.Call.IPCArgs[3])); ok {
		c.Call.Rval = int64(v)
	}
}

// enterIPC prints the multiplexer for a call it has no subcall for:
// VERSION<<16|CALL (the call by name or number), the rest in hex.
func enterIPC(c *Ctx) {
	call := uint64(uint32(c.Call.Args[0]))
	c.Out.Set(formatterFunc(func(dst []byte, v uint64) []byte {
		if ver := v >> 16; ver != 0 {
			dst = strconv.AppendUint(dst, ver, 10)
			dst = append(dst, "<<16|"...)
		}
		if n, ok := xlat.IPCCalls.Lookup(v & 0xffff); ok {
			return append(dst, n...)
		}
		return strconv.AppendUint(dst, v&0xffff, 10)
	}), call)
	n := 6
	if c.Call.Entry != nil {
		n = int(c.Call.Entry.Nargs)
	}
	for i := 1; i < n; i++ {
		c.Out.Hex(c.Arg(i))
	}
}
