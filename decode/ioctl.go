package decode

// ioctl: the request by name (xlat.IoctlName, per word size) and, for the
// requests strace 6.1 decodes, the argument as it prints it: socket
// requests (src/sock.c), block device requests (src/block.c), the FIONREAD
// and TIOCOUTQ counts (src/term.c). Other requests print the argument in
// hex, as strace does.

import (
	"encoding/binary"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// ioctlDecoder prints one request's argument: enter at the entry stop,
// exit (when set) at the exit stop. A decoder with neither prints no
// argument at all (BLKRRPART).
type ioctlDecoder struct {
	enter func(c *Ctx, arg uint64)
	exit  func(c *Ctx, arg uint64)
}

// ioctlDecoders are keyed by the request's name, so that a request whose
// number differs between ABIs (BLKGETSIZE64 has size_t in it) has one
// decoder.
var ioctlDecoders = map[string]ioctlDecoder{}

func registerIoctl(d ioctlDecoder, names ...string) {
	for _, n := range names {
		if _, dup := ioctlDecoders[n]; dup {
			panic("decode: ioctl " + n + " registered twice")
		}
		ioctlDecoders[n] = d
	}
}

func init() {
	registerSyscall(&Syscall{Enter: enterIoctl, Exit: exitIoctl}, "ioctl")

	// Arguments printed at the exit stop (the address when the call
	// failed), as strace's printnum_* at exit.
	atExit := func(size int, signed bool) ioctlDecoder {
		return ioctlDecoder{exit: func(c *Ctx, arg uint64) { c.numRef(arg, size, signed, true) }}
	}
	atEntry := func(size int, signed bool) ioctlDecoder {
		return ioctlDecoder{enter: func(c *Ctx, arg uint64) { c.numRef(arg, size, signed, false) }}
	}
	word := func(signed bool) ioctlDecoder {
		return ioctlDecoder{exit: func(c *Ctx, arg uint64) { c.numRef(arg, c.Call.Arch.WordSize, signed, true) }}
	}
	none := ioctlDecoder{}
	value := ioctlDecoder{enter: func(c *Ctx, arg uint64) { c.Out.Uint(arg) }}
	addr := ioctlDecoder{enter: func(c *Ctx, arg uint64) { c.Out.Addr(arg) }}

	registerIoctl(atExit(4, true), "FIONREAD", "TIOCOUTQ")

	registerIoctl(atExit(4, true), "FIOGETOWN", "SIOCATMARK", "SIOCGIFENCAP", "SIOCGPGRP", "SIOCOUTQNSD")
	registerIoctl(atEntry(4, true), "FIOSETOWN", "SIOCSIFENCAP", "SIOCSPGRP")
	registerIoctl(ioctlDecoder{enter: func(c *Ctx, arg uint64) { c.str(arg, ifNameSize) }}, "SIOCBRADDBR", "SIOCBRDELBR")
	registerIoctl(ioctlDecoder{enter: enterIfreqIndex}, "SIOCBRADDIF", "SIOCBRDELIF")
	registerIoctl(ioctlDecoder{enter: enterIfreqSet}, "SIOCADDMULTI", "SIOCDELMULTI", "SIOCSIFADDR",
		"SIOCSIFBRDADDR", "SIOCSIFDSTADDR", "SIOCSIFFLAGS", "SIOCSIFHWADDR", "SIOCSIFHWBROADCAST",
		"SIOCSIFMAP", "SIOCSIFMETRIC", "SIOCSIFMTU", "SIOCSIFNAME", "SIOCSIFNETMASK", "SIOCSIFSLAVE",
		"SIOCSIFTXQLEN")
	registerIoctl(ioctlDecoder{enter: enterIfreqGet, exit: exitIfreqGet}, "SIOCGIFADDR", "SIOCGIFBRDADDR",
		"SIOCGIFDSTADDR", "SIOCGIFFLAGS", "SIOCGIFHWADDR", "SIOCGIFINDEX", "SIOCGIFMAP", "SIOCGIFMETRIC",
		"SIOCGIFMTU", "SIOCGIFNAME", "SIOCGIFNETMASK", "SIOCGIFSLAVE", "SIOCGIFTXQLEN")
	registerIoctl(ioctlDecoder{enter: enterIfconf, exit: exitIfconf}, "SIOCGIFCONF")
	registerIoctl(addr, "SIOCADDDLCI", "SIOCADDRT", "SIOCBONDCHANGEACTIVE", "SIOCBONDENSLAVE",
		"SIOCBONDINFOQUERY", "SIOCBONDRELEASE", "SIOCBONDSETHWADDR", "SIOCBONDSLAVEINFOQUERY", "SIOCDARP",
		"SIOCDELDLCI", "SIOCDELRT", "SIOCDIFADDR", "SIOCDRARP", "SIOCETHTOOL", "SIOCGARP", "SIOCGHWTSTAMP",
		"SIOCGIFBR", "SIOCGIFCOUNT", "SIOCGIFMEM", "SIOCGIFPFLAGS", "SIOCGIFVLAN", "SIOCGMIIPHY",
		"SIOCGMIIREG", "SIOCGRARP", "SIOCGSKNS", "SIOCGSTAMP_OLD", "SIOCGSTAMPNS_OLD", "SIOCRTMSG",
		"SIOCSARP", "SIOCSHWTSTAMP", "SIOCSIFBR", "SIOCSIFLINK", "SIOCSIFMEM", "SIOCSIFPFLAGS",
		"SIOCSIFVLAN", "SIOCSMIIREG", "SIOCSRARP", "SIOCWANDEV")

	registerIoctl(value, "BLKRASET", "BLKFRASET")
	registerIoctl(atExit(2, false), "BLKSECTGET", "BLKROTATIONAL")
	registerIoctl(atExit(4, true), "BLKROGET", "BLKBSZGET", "BLKSSZGET", "BLKALIGNOFF")
	registerIoctl(atEntry(4, true), "BLKROSET", "BLKBSZSET")
	registerIoctl(atExit(4, false), "BLKPBSZGET", "BLKIOMIN", "BLKIOOPT", "BLKDISCARDZEROES", "BLKGETZONESZ", "BLKGETNRZONES")
	registerIoctl(word(true), "BLKRAGET", "BLKFRAGET")
	registerIoctl(word(false), "BLKGETSIZE")
	registerIoctl(atExit(8, false), "BLKGETSIZE64")
	registerIoctl(ioctlDecoder{enter: func(c *Ctx, arg uint64) { c.u64Pair(arg) }}, "BLKDISCARD", "BLKSECDISCARD", "BLKZEROOUT")
	registerIoctl(none, "BLKRRPART", "BLKFLSBUF", "BLKTRACESTART", "BLKTRACESTOP", "BLKTRACETEARDOWN")
}

// ioctlRequest returns the name of the request in flight, "" for one
// strace has no name for.
func (c *Ctx) ioctlRequest() string {
	return xlat.IoctlName(uint64(uint32(c.Call.Args[1])), c.Call.Arch.WordSize)
}

func enterIoctl(c *Ctx) {
	c.FD(int64(c.Int(0)))
	cmd := uint64(uint32(c.Call.Args[1]))
	ws := c.Call.Arch.WordSize
	c.Out.Set(formatterFunc(func(dst []byte, v uint64) []byte { return xlat.AppendIoctlName(dst, v, ws) }), cmd)
	arg := c.Arg(2)
	name := c.ioctlRequest()
	if cmd == xlat.FICLONE {
		c.Out.Int(int64(c.Int(2))) // the source descriptor, as a number
		return
	}
	d, ok := ioctlDecoders[name]
	if !ok {
		c.Out.Hex(arg)
		return
	}
	c.Call.Saved[3] = 0
	if d.enter != nil {
		d.enter(c, arg)
	}
	c.Call.More = d.exit != nil && c.Call.Saved[3] != ioctlDone
}

// ioctlDone in Saved[3] says an entry decoder printed all there is: the
// exit decoder does not run.
const ioctlDone = 1

func exitIoctl(c *Ctx) {
	if d, ok := ioctlDecoders[c.ioctlRequest()]; ok && d.exit != nil {
		d.exit(c, c.Arg(2))
	}
}

// numRef appends the integer of size bytes at addr as strace's printnum_*:
// [N], NULL, or the address when it cannot be read or, at the exit stop
// (exit), the call failed.
func (c *Ctx) numRef(addr uint64, size int, signed, exit bool) {
	o := c.Out
	if addr == 0 {
		o.Addr(0)
		return
	}
	if exit && c.Failed() {
		o.Addr(addr)
		return
	}
	var b [8]byte
	if !c.fetch(addr, b[:size]) {
		return
	}
	v := leUint(b[:], 0, size)
	o.Ref()
	switch {
	case signed && size == 4:
		o.Int(int64(int32(v)))
	case signed && size == 8:
		o.Int(int64(v))
	default:
		o.Uint(v)
	}
	o.End()
}

// u64Pair appends the two uint64_t at addr: [0, 4096].
func (c *Ctx) u64Pair(addr uint64) {
	var b [16]byte
	if addr == 0 {
		c.Out.Addr(0)
		return
	}
	if !c.fetch(addr, b[:]) {
		return
	}
	c.Out.Array()
	c.Out.Uint(binary.LittleEndian.Uint64(b[:]))
	c.Out.Uint(binary.LittleEndian.Uint64(b[8:]))
	c.Out.End()
}
