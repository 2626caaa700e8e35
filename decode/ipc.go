package decode

// System V IPC: semget, semop, semtimedop, semctl, msgget, msgsnd, msgrcv,
// msgctl, shmget, shmat, shmdt, shmctl, direct or through i386's ipc
// multiplexer (Call.Indirect), and the multiplexer itself for calls it has
// no subcall for; strace 6.1's src/ipc*.c, the *ctl calls' structures
// included (IPC_STAT, IPC_SET, the *_INFO ones).

import (
	"encoding/binary"
	"slices"
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
		addr := c.Arg(3)
		if c.Call.Indirect {
			// The multiplexer passes a pointer to the union semun.
			v, ok := c.readWord(addr)
			if addr == 0 || !ok || c.Opt.NoDeref {
				c.Out.Addr(addr)
				return
			}
			addr = v
		}
		switch cmd := ipcCmd(c.Call.Args[2]); cmd {
		case ipcSet:
			c.ipcDS('S', addr, cmd, false, c.Call.Indirect)
		case ipcStat, semStat, semStatAny, ipcInfo, semInfo:
			c.Call.Saved[0] = addr
			c.Call.More = true
		default:
			if c.Call.Indirect {
				c.Out.Ref()
				c.Out.Addr(addr)
				c.Out.End()
			} else {
				c.Out.Addr(addr)
			}
		}
	}, Exit: func(c *Ctx) {
		switch cmd := ipcCmd(c.Call.Args[2]); cmd {
		case ipcInfo, semInfo:
			c.ipcInfoStruct('S', c.Call.Saved[0], c.Call.Indirect)
		default:
			c.ipcDS('S', c.Call.Saved[0], cmd, true, c.Call.Indirect)
		}
	}}, "semctl")
	for _, k := range []struct {
		name       string
		set        *xlat.Set
		kind       byte
		stat, info []uint64
		infoKind   func(cmd uint64) byte
	}{
		{"msgctl", xlat.MsgctlCmds, 'm', []uint64{ipcStat, 11, 13}, []uint64{ipcInfo, 12},
			func(uint64) byte { return 'm' }},
		{"shmctl", xlat.ShmctlCmds, 's', []uint64{ipcStat, 13, 15}, []uint64{ipcInfo, 14},
			func(cmd uint64) byte {
				if cmd == ipcInfo {
					return 'i'
				}
				return 'I'
			}},
	} {
		registerSyscall(&Syscall{Enter: func(c *Ctx) {
			c.Out.Int(int64(c.Int(0)))
			c.Out.Set(ctl(k.set), uint64(uint32(c.Call.Args[1])))
			cmd := ipcCmd(c.Call.Args[1])
			switch {
			case cmd == ipcSet:
				c.ipcDS(k.kind, c.Arg(2), cmd, false, false)
			case slices.Contains(k.stat, cmd) || slices.Contains(k.info, cmd):
				c.Call.More = true
			default:
				c.Out.Addr(c.Arg(2))
			}
		}, Exit: func(c *Ctx) {
			cmd := ipcCmd(c.Call.Args[1])
			if slices.Contains(k.info, cmd) {
				c.ipcInfoStruct(k.infoKind(cmd), c.Arg(2), false)
				return
			}
			c.ipcDS(k.kind, c.Arg(2), cmd, true, false)
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
	c.printArray(addr, n, 6, func(b []byte) {
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

// ipcLayout is where the fields of a *id_ds structure are in one ABI:
// struct ipc_perm first, then the rest at the offsets given.
type ipcLayout struct {
	perm int // sizeof(struct ipc_perm)
	// offsets after the perm of: msqid_ds stime rtime ctime qnum qbytes
	// lspid lrpid; shmid_ds segsz atime dtime ctime cpid lpid nattch;
	// semid_ds otime ctime nsems
	msg, shm []int
	sem      []int
}

var (
	// x86_64's struct semid64_ds has padding after each time.
	ipcLayoutX86_64 = ipcLayout{perm: 48,
		msg: []int{48, 56, 64, 80, 88, 96, 100}, shm: []int{48, 56, 64, 72, 80, 84, 88}, sem: []int{48, 64, 80}}
	ipcLayout64 = ipcLayout{perm: 48,
		msg: []int{48, 56, 64, 80, 88, 96, 100}, shm: []int{48, 56, 64, 72, 80, 84, 88}, sem: []int{48, 56, 64}}
	ipcLayout32 = ipcLayout{perm: 36,
		msg: []int{36, 44, 52, 64, 68, 72, 76}, shm: []int{36, 40, 48, 56, 64, 68, 72}, sem: []int{36, 44, 52}}
)

func (c *Ctx) ipcLayout() *ipcLayout {
	switch {
	case c.Call.Arch.Name == "x86_64":
		return &ipcLayoutX86_64
	case c.Call.Arch.WordSize == 8:
		return &ipcLayout64
	}
	return &ipcLayout32
}

// ipcCmd returns a *ctl command without IPC_64.
func ipcCmd(v uint64) uint64 { return uint64(uint32(v)) &^ xlat.IPC64 }

// The *ctl commands with structures.
const (
	ipcSet     = 1
	ipcStat    = 2
	ipcInfo    = 3
	semStat    = 18
	semInfo    = 19
	semStatAny = 20
)

// ipcPerm appends a struct ipc_perm: {uid=0, gid=0, mode=0600, key=4660,
// cuid=0, cgid=0}, the last three left out for IPC_SET.
func (c *Ctx) ipcPerm(b []byte, set bool) {
	le := binary.LittleEndian
	o := c.Out
	o.Struct()
	o.Field("uid")
	c.ID(le.Uint32(b[4:]))
	o.Field("gid")
	c.ID(le.Uint32(b[8:]))
	o.Field("mode")
	o.Set(numericMode, uint64(le.Uint16(b[20:])))
	if !set {
		o.Field("key")
		o.Uint(uint64(le.Uint32(b)))
		o.Field("cuid")
		c.ID(le.Uint32(b[12:]))
		o.Field("cgid")
		c.ID(le.Uint32(b[16:]))
	}
	o.End()
}

// readIPCStruct reads size bytes at addr for a *ctl structure, or appends
// the address (in brackets when bracket) and reports false: unreadable, or
// the call failed (at the exit stop).
func (c *Ctx) readIPCStruct(addr uint64, size int, exit, bracket bool) ([]byte, bool) {
	b := make([]byte, size)
	ok := addr != 0 && !c.Opt.NoDeref && !(exit && c.Failed())
	if ok {
		n, err := c.Mem.ReadAt(b, addr)
		ok = err == nil && n == size
	}
	if !ok {
		if bracket {
			c.Out.Ref()
			c.Out.Addr(addr)
			c.Out.End()
		} else {
			c.Out.Addr(addr)
		}
		return nil, false
	}
	return b, true
}

// word reads the tracee's unsigned long at off.
func (c *Ctx) word(b []byte, off int) uint64 { return leUint(b, off, c.Call.Arch.WordSize) }

// ipcDS appends a msqid_ds, shmid_ds or semid_ds (kind 'm', 's', 'S') as
// strace's print_*id_ds; IPC_SET shows the fields it sets only.
func (c *Ctx) ipcDS(kind byte, addr uint64, cmd uint64, exit, bracket bool) {
	l := c.ipcLayout()
	var size int
	switch kind {
	case 'm':
		size = l.msg[6] + 4
	case 's':
		size = l.shm[6] + c.Call.Arch.WordSize
	default:
		size = l.sem[2] + c.Call.Arch.WordSize
	}
	b, ok := c.readIPCStruct(addr, size, exit, bracket)
	if !ok {
		return
	}
	le := binary.LittleEndian
	o := c.Out
	set := cmd == ipcSet
	o.Struct()
	switch kind {
	case 'm':
		o.Field("msg_perm")
		c.ipcPerm(b, set)
		if !set {
			for i, f := range []string{"msg_stime", "msg_rtime", "msg_ctime", "msg_qnum"} {
				o.Field(f)
				o.Uint(c.word(b, l.msg[i]))
			}
		}
		o.Field("msg_qbytes")
		o.Uint(c.word(b, l.msg[4]))
		if !set {
			o.Field("msg_lspid")
			o.Int(int64(int32(le.Uint32(b[l.msg[5]:]))))
			o.Field("msg_lrpid")
			o.Int(int64(int32(le.Uint32(b[l.msg[6]:]))))
		}
	case 's':
		o.Field("shm_perm")
		c.ipcPerm(b, set)
		if !set {
			o.Field("shm_segsz")
			o.Uint(c.word(b, l.shm[0]))
			o.Field("shm_cpid")
			c.PidArg(int64(int32(le.Uint32(b[l.shm[4]:]))))
			o.Field("shm_lpid")
			c.PidArg(int64(int32(le.Uint32(b[l.shm[5]:]))))
			o.Field("shm_nattch")
			o.Uint(c.word(b, l.shm[6]))
			for i, f := range []string{"shm_atime", "shm_dtime", "shm_ctime"} {
				o.Field(f)
				o.Uint(c.word(b, l.shm[1+i]))
			}
		}
	default:
		o.Field("sem_perm")
		c.ipcPerm(b, set)
		if !set {
			for i, f := range []string{"sem_otime", "sem_ctime", "sem_nsems"} {
				o.Field(f)
				o.Uint(c.word(b, l.sem[i]))
			}
		}
	}
	o.End()
}

// ipcInfoStruct appends struct msginfo, seminfo, shminfo or shm_info
// (kind 'm', 'S', 'i', 'I') at the exit stop.
func (c *Ctx) ipcInfoStruct(kind byte, addr uint64, bracket bool) {
	ws := c.Call.Arch.WordSize
	var size int
	switch kind {
	case 'm':
		size = 32
	case 'S':
		size = 40
	case 'i':
		size = 5 * ws
	default:
		size = 6 * ws
	}
	b, ok := c.readIPCStruct(addr, size, true, bracket)
	if !ok {
		return
	}
	le := binary.LittleEndian
	o := c.Out
	ints := func(names ...string) {
		for i, f := range names {
			o.Field(f)
			o.Int(int64(int32(le.Uint32(b[4*i:]))))
		}
	}
	o.Struct()
	switch kind {
	case 'm':
		ints("msgpool", "msgmap", "msgmax", "msgmnb", "msgmni", "msgssz", "msgtql")
		o.Field("msgseg")
		o.Uint(uint64(le.Uint16(b[28:])))
	case 'S':
		ints("semmap", "semmni", "semmns", "semmnu", "semmsl", "semopm", "semume", "semusz", "semvmx", "semaem")
	case 'i':
		for i, f := range []string{"shmmax", "shmmin", "shmmni", "shmseg", "shmall"} {
			o.Field(f)
			o.Uint(c.word(b, i*ws))
		}
	default:
		ints("used_ids")
		for i, f := range []string{"shm_tot", "shm_rss", "shm_swp", "swap_attempts", "swap_successes"} {
			o.Field(f)
			o.Uint(c.word(b, (i+1)*ws))
		}
	}
	o.End()
}
