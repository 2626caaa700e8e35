package decode

import "github.com/sonde-dev/sonde/decode/xlat"

// Descriptors: flock, close_range, inotify, memfd_create, eventfd2 (dup3
// and pipe2 print their flags through the oflags kind of file.go).

func init() {
	setArg("flock_op", xlat.FlockOps, false)
	setArg("close_range_flags", xlat.CloseRangeFlags, false)
	setArg("inotify_flags", xlat.InotifyInitFlags, false)
	setArg("inotify_mask", xlat.InotifyMask, false)
	setArg("memfd_flags", formatterFunc(xlat.AppendMemfdFlags), true)
	setArg("eventfd_flags", xlat.EventfdFlags, false)

	// memfd_create(name, flags): the name is cut at -s and at
	// MFD_NAME_MAX_LEN+1 bytes.
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		c.Call.Ret = RetFD
		c.memfdName(c.Arg(0))
		c.Out.Set(formatterFunc(xlat.AppendMemfdFlags), uint64(uint32(c.Call.Args[1])))
	}}, "memfd_create")
}

// memfdNameMax is the longest memfd name strace reads: MFD_NAME_MAX_LEN
// (255 - len("memfd:")) plus the NUL.
const memfdNameMax = 255 - 6 + 1

// memfdName appends memfd_create's name as strace's printstr_ex with a
// length of memfdNameMax: cut at -s, or, when -s is longer, at
// memfdNameMax bytes with "..." unless a NUL ends the string before.
func (c *Ctx) memfdName(addr uint64) {
	if addr == 0 || c.Opt.StrLimit < memfdNameMax {
		c.CString(addr)
		return
	}
	o := c.Out
	off := len(o.Arena)
	s, term, err := c.Mem.ReadString(o.Arena, addr, memfdNameMax)
	if err != nil && !term {
		o.Arena = o.Arena[:off]
		o.Addr(addr)
		return
	}
	o.Arena = s
	o.push(Node{Kind: KStr, Off: uint32(off), Len: uint32(len(s) - off), Trunc: !term})
}
