package decode

import (
	"encoding/binary"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// fcntl and fcntl64: every command with its third argument, as strace's
// src/fcntl.c prints them.

func init() {
	registerSyscall(&Syscall{
		Enter:  func(c *Ctx) { c.fcntlEnter(false) },
		Exit:   func(c *Ctx) { c.fcntlExit(false) },
		Result: func(c *Ctx) { c.Call.NoteVal = uint64(c.Ret()) },
	}, "fcntl")
	registerSyscall(&Syscall{
		Enter:  func(c *Ctx) { c.fcntlEnter(true) },
		Exit:   func(c *Ctx) { c.fcntlExit(true) },
		Result: func(c *Ctx) { c.Call.NoteVal = uint64(c.Ret()) },
	}, "fcntl64")
}

// fcntl commands.
const (
	fDupFD        = 0
	fGetFD        = 1
	fSetFD        = 2
	fGetFL        = 3
	fSetFL        = 4
	fGetLK        = 5
	fSetLK        = 6
	fSetLKW       = 7
	fSetOwn       = 8
	fGetOwn       = 9
	fSetSig       = 10
	fGetSig       = 11
	fGetLK64      = 12
	fSetLK64      = 13
	fSetLKW64     = 14
	fSetOwnEx     = 15
	fGetOwnEx     = 16
	fOFDGetLK     = 36
	fOFDSetLK     = 37
	fOFDSetLKW    = 38
	fSetLease     = 1024
	fGetLease     = 1025
	fNotify       = 1026
	fDupFDCloexec = 1030
	fSetPipeSz    = 1031
	fGetPipeSz    = 1032
	fAddSeals     = 1033
	fGetSeals     = 1034
)

// flockKind says which struct flock a command passes.
type flockKind uint8

const (
	flockNative flockKind = iota // struct flock: the tracee's off_t
	flock64                      // struct flock64
)

// fcntlEnter prints fd, cmd and, for the commands whose argument is an
// input, the argument; it sets c.Call.More for those printed at exit.
func (c *Ctx) fcntlEnter(is64 bool) {
	o := c.Out
	c.FD(int64(c.Int(0)))
	cmd := uint64(uint32(c.Call.Args[1]))
	o.Set(xlat.FcntlCmds, cmd)
	arg := c.Arg(2)
	if is64 {
		switch cmd {
		case fSetLK64, fSetLKW64:
			c.flock(arg, flock64, false)
			return
		case fGetLK64:
			c.Call.More, c.Call.SepAtExit = true, true
			return
		}
	}
	switch cmd {
	case fSetFD:
		o.Set(xlat.FdFlags, arg)
	case fSetOwn:
		c.PidArg(int64(int32(arg)))
	case fSetPipeSz:
		o.Int(int64(arg))
	case fDupFD, fDupFDCloexec:
		c.Call.Ret = RetFD
		o.Int(int64(arg))
	case fSetFL:
		o.Set(c.openFlags(), arg)
	case fSetLK, fSetLKW:
		c.flock(arg, flockNative, false)
	case fOFDSetLK, fOFDSetLKW:
		c.flock(arg, flock64, false)
	case fSetOwnEx:
		c.fOwnerEx(arg)
	case fNotify:
		o.Set(xlat.NotifyFlags, arg)
	case fSetLease:
		o.Set(xlat.LockTypes, arg)
	case fAddSeals:
		o.Set(xlat.FSeals, arg)
	case fSetSig:
		o.Set(SignalFormatter, uint64(uint32(arg)))
	case fGetOwn:
		c.Call.Ret = RetPid
	case fGetPipeSz:
	case fGetFD:
		c.Call.Ret, c.Call.Note = RetHex, fdFlagsNote
	case fGetFL:
		c.Call.Ret, c.Call.Note = RetHex, openFlagsNote{c.openFlags()}
	case fGetLK, fOFDGetLK, fGetOwnEx:
		c.Call.More, c.Call.SepAtExit = true, true
	case fGetLease:
		c.Call.Ret, c.Call.Note = RetHex, leaseNote{}
	case fGetSeals:
		c.Call.Ret, c.Call.Note = RetHex, sealsNote{}
	case fGetSig:
		c.Call.Note = sigNote{}
	default:
		o.Hex(arg)
	}
}

// fcntlExit prints the output argument of F_GETLK, F_OFD_GETLK,
// F_GETOWN_EX and fcntl64's F_GETLK64.
func (c *Ctx) fcntlExit(is64 bool) {
	arg := c.Arg(2)
	switch cmd := uint64(uint32(c.Call.Args[1])); {
	case is64 && cmd == fGetLK64, cmd == fOFDGetLK:
		c.flock(arg, flock64, true)
	case cmd == fGetLK:
		c.flock(arg, flockNative, true)
	case cmd == fGetOwnEx:
		if c.Failed() {
			c.Out.Addr(arg)
			return
		}
		c.fOwnerEx(arg)
	}
}

// flock appends a struct flock or flock64: {l_type=F_WRLCK,
// l_whence=SEEK_SET, l_start=0, l_len=5}, with l_pid for the get commands
// (printed at exit, as the address when the call failed).
func (c *Ctx) flock(addr uint64, k flockKind, get bool) {
	o := c.Out
	if addr == 0 {
		o.Addr(0)
		return
	}
	if get && c.Failed() {
		o.Addr(addr)
		return
	}
	// Offsets of l_start, l_len, l_pid and the size: x86_64 and aarch64
	// have one 64-bit layout; i386's flock has 32-bit offsets, its flock64
	// 64-bit ones packed to 4 bytes.
	start, length, pid, size, w := 8, 16, 24, 32, 8
	if c.Call.Arch.WordSize == 4 {
		if k == flockNative {
			start, length, pid, size, w = 4, 8, 12, 16, 4
		} else {
			start, length, pid, size, w = 4, 12, 20, 24, 8
		}
	}
	var b [32]byte
	if !c.fetch(addr, b[:size]) {
		return
	}
	le := binary.LittleEndian
	o.Struct()
	o.Field("l_type")
	o.Set(xlat.LockTypes, uint64(le.Uint16(b[0:])))
	o.Field("l_whence")
	o.Set(xlat.SeekWhence, uint64(le.Uint16(b[2:])))
	o.Field("l_start")
	o.Int(leInt(b[:], start, w))
	o.Field("l_len")
	o.Int(leInt(b[:], length, w))
	if get {
		o.Field("l_pid")
		c.PidArg(int64(int32(le.Uint32(b[pid:]))))
	}
	o.End()
}

// fOwnerEx appends a struct f_owner_ex: {type=F_OWNER_PID, pid=0}.
func (c *Ctx) fOwnerEx(addr uint64) {
	var b [8]byte
	if addr == 0 {
		c.Out.Addr(0)
		return
	}
	if !c.fetch(addr, b[:]) {
		return
	}
	o := c.Out
	o.Struct()
	o.Field("type")
	o.Set(xlat.FOwnerTypes, uint64(binary.LittleEndian.Uint32(b[0:])))
	o.Field("pid")
	c.PidArg(int64(int32(binary.LittleEndian.Uint32(b[4:]))))
	o.End()
}

// fdFlagsNote names F_GETFD's result, "flags FD_CLOEXEC", and nothing for
// 0 (strace prints a plain "= 0" then).
var fdFlagsNote = formatterFunc(func(dst []byte, v uint64) []byte {
	if v == 0 {
		return dst
	}
	return xlat.FdFlags.AppendFlags(append(dst, "flags "...), v)
})

// openFlagsNote names F_GETFL's result: "flags O_RDWR|O_LARGEFILE".
type openFlagsNote struct{ f Formatter }

func (n openFlagsNote) Append(dst []byte, v uint64) []byte {
	return n.f.Append(append(dst, "flags "...), v)
}

// leaseNote names F_GETLEASE's result, F_UNLCK, or nothing for a value the
// table lacks.
type leaseNote struct{}

func (leaseNote) Append(dst []byte, v uint64) []byte {
	if name, ok := xlat.LockTypes.Lookup(v); ok {
		return append(dst, name...)
	}
	return dst
}

// sealsNote names F_GET_SEALS's result: "seals F_SEAL_SEAL|F_SEAL_WRITE";
// nothing for 0.
type sealsNote struct{}

func (sealsNote) Append(dst []byte, v uint64) []byte {
	if v == 0 {
		return dst
	}
	return xlat.AppendFlagsBare(append(dst, "seals "...), xlat.FSeals, v)
}

// sigNote names F_GETSIG's result: "SIGUSR1"; nothing for 0.
type sigNote struct{}

func (sigNote) Append(dst []byte, v uint64) []byte {
	if v == 0 {
		return dst
	}
	return append(dst, xlat.SignalName(int(int32(v)))...)
}
