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
	registerIoctl(ioctlDecoder{enter: enterBlkpg}, "BLKPG")
	registerIoctl(ioctlDecoder{enter: enterBlkTrace, exit: exitBlkTrace}, "BLKTRACESETUP")
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

// blkpgOps is strace's blkpg_ops.
var blkpgOps = &xlat.Set{
	Name:    "blkpg_ops",
	Style:   xlat.Enum,
	Pairs:   []xlat.Pair{{Val: 1, Name: "BLKPG_ADD_PARTITION"}, {Val: 2, Name: "BLKPG_DEL_PARTITION"}, {Val: 3, Name: "BLKPG_RESIZE_PARTITION"}},
	Unknown: "BLKPG_???",
}

// enterBlkpg decodes BLKPG's struct blkpg_ioctl_arg and the struct
// blkpg_partition its data points to.
func enterBlkpg(c *Ctx, arg uint64) {
	ws := c.Call.Arch.WordSize
	var b [24]byte
	size := 12 + ws
	if ws == 8 {
		size = 24
	}
	if arg == 0 {
		c.Out.Addr(0)
		return
	}
	if !c.fetch(arg, b[:size]) {
		return
	}
	le := binary.LittleEndian
	o := c.Out
	o.Struct()
	o.Field("op")
	o.Set(blkpgOps, uint64(le.Uint32(b[:])))
	o.Field("flags")
	o.Int(int64(int32(le.Uint32(b[4:]))))
	o.Field("datalen")
	o.Int(int64(int32(le.Uint32(b[8:]))))
	o.Field("data")
	data := leUint(b[:], size-ws, ws)
	p := make([]byte, 148)
	if data == 0 {
		o.Addr(0)
	} else if c.fetch(data, p) {
		o.Struct()
		o.Field("start")
		o.Int(int64(le.Uint64(p)))
		o.Field("length")
		o.Int(int64(le.Uint64(p[8:])))
		o.Field("pno")
		o.Int(int64(int32(le.Uint32(p[16:]))))
		o.Field("devname")
		c.cstringField(p[20:84])
		o.Field("volname")
		c.cstringField(p[84:148])
		o.End()
	}
	o.End()
}

// cstringField appends a char array as strace's PRINT_FIELD_CSTRING: up to
// its NUL, cut with "..." when it has none.
func (c *Ctx) cstringField(b []byte) { c.ifName(b) }

// blkTraceLayout are the offsets of struct blk_user_trace_setup's fields
// after name[32]: act_mask, buf_size, buf_nr, start_lba, end_lba, pid, and
// its size.
func (c *Ctx) blkTraceLayout() (off [6]int, size int) {
	if c.Call.Arch.WordSize == 8 {
		return [6]int{32, 36, 40, 48, 56, 64}, 72
	}
	return [6]int{32, 36, 40, 44, 52, 60}, 64
}

// enterBlkTrace checks BLKTRACESETUP's struct can be read: the address
// prints now when it cannot.
func enterBlkTrace(c *Ctx, arg uint64) {
	_, size := c.blkTraceLayout()
	b := make([]byte, size)
	if arg == 0 {
		c.Out.Addr(0)
		c.Call.Saved[3] = ioctlDone
		return
	}
	if !c.fetch(arg, b) {
		c.Call.Saved[3] = ioctlDone
	}
}

// exitBlkTrace prints the struct blk_user_trace_setup, and the name the
// kernel gave the trace when the call succeeded.
func exitBlkTrace(c *Ctx, arg uint64) {
	off, size := c.blkTraceLayout()
	b := make([]byte, size)
	if n, err := c.Mem.ReadAt(b, arg); err != nil || n != size || c.Opt.NoDeref {
		c.Out.Addr(arg)
		return
	}
	le := binary.LittleEndian
	o := c.Out
	o.Struct()
	o.Field("act_mask")
	o.Uint(uint64(le.Uint16(b[off[0]:])))
	o.Field("buf_size")
	o.Uint(uint64(le.Uint32(b[off[1]:])))
	o.Field("buf_nr")
	o.Uint(uint64(le.Uint32(b[off[2]:])))
	o.Field("start_lba")
	o.Uint(le.Uint64(b[off[3]:]))
	o.Field("end_lba")
	o.Uint(le.Uint64(b[off[4]:]))
	o.Field("pid")
	c.PidArg(int64(int32(le.Uint32(b[off[5]:]))))
	if !c.Failed() {
		o.Field("name")
		c.cstringField(b[:32])
	}
	o.End()
}
