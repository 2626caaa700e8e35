package decode

// struct ifreq and struct ifconf of the socket ioctls (strace's
// src/sock.c).

import (
	"encoding/binary"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// ifNameSize is IFNAMSIZ.
const ifNameSize = 16

// ifreqSize is sizeof(struct ifreq): the name and a union whose largest
// member is struct ifmap (two unsigned longs and more).
func (c *Ctx) ifreqSize() int {
	if c.Call.Arch.WordSize == 8 {
		return 40
	}
	return 32
}

// readIfreq reads the struct ifreq at addr.
func (c *Ctx) readIfreq(addr uint64) ([]byte, bool) {
	b := make([]byte, c.ifreqSize())
	if addr == 0 || c.Opt.NoDeref {
		return nil, false
	}
	if n, err := c.Mem.ReadAt(b, addr); err != nil || n != len(b) {
		return nil, false
	}
	return b, true
}

// ifName appends a NUL-terminated name of at most IFNAMSIZ bytes, cut with
// "..." when it has no NUL (strace's PRINT_FIELD_CSTRING).
func (c *Ctx) ifName(b []byte) {
	for i, ch := range b {
		if ch == 0 {
			c.Out.Bytes(b[:i], false)
			return
		}
	}
	c.Out.Bytes(b, true)
}

// enterIfreqIndex decodes SIOCBRADDIF: {ifr_ifindex=if_nametoindex(...)}.
func enterIfreqIndex(c *Ctx, arg uint64) {
	b, ok := c.readIfreq(arg)
	if !ok {
		c.Out.Addr(arg)
		return
	}
	c.Out.Struct()
	c.Out.Field("ifr_ifindex")
	c.ifIndex(binary.LittleEndian.Uint32(b[ifNameSize:]))
	c.Out.End()
}

// enterIfreqSet decodes the SIOCSIF* requests: {ifr_name="eth0", the
// member the request sets}.
func enterIfreqSet(c *Ctx, arg uint64) {
	b, ok := c.readIfreq(arg)
	if !ok {
		c.Out.Addr(arg)
		return
	}
	c.Out.Struct()
	c.Out.Field("ifr_name")
	c.ifName(b[:ifNameSize])
	c.ifreqMember(b)
	c.Out.End()
}

// enterIfreqGet reads the struct ifreq of a SIOCGIF* request, keeping the
// name (or SIOCGIFNAME's index) it carries in for the exit; an unreadable
// one prints as its address and ends the decoding.
func enterIfreqGet(c *Ctx, arg uint64) {
	b, ok := c.readIfreq(arg)
	if !ok {
		c.Out.Addr(arg)
		c.Call.Saved[3] = ioctlDone
		return
	}
	c.Call.Saved[0] = binary.LittleEndian.Uint64(b)
	c.Call.Saved[1] = binary.LittleEndian.Uint64(b[8:])
	c.Call.Saved[2] = uint64(binary.LittleEndian.Uint32(b[ifNameSize:]))
}

// exitIfreqGet prints {ifr_name="lo" (ifr_ifindex=1 for SIOCGIFNAME) as it
// was at entry, then the member the kernel filled in unless the call
// failed.
func exitIfreqGet(c *Ctx, arg uint64) {
	o := c.Out
	o.Struct()
	if c.ioctlRequest() == "SIOCGIFNAME" {
		o.Field("ifr_ifindex")
		o.Int(int64(int32(uint32(c.Call.Saved[2]))))
	} else {
		var name [ifNameSize]byte
		binary.LittleEndian.PutUint64(name[:], c.Call.Saved[0])
		binary.LittleEndian.PutUint64(name[8:], c.Call.Saved[1])
		o.Field("ifr_name")
		c.ifName(name[:])
	}
	if !c.Failed() {
		if b, ok := c.readIfreq(arg); ok {
			c.ifreqMember(b)
		}
	}
	o.End()
}

// ifreqMember appends the member of struct ifreq the request in flight
// reads or writes (strace's print_ifreq).
func (c *Ctx) ifreqMember(b []byte) {
	o := c.Out
	u := b[ifNameSize:]
	le := binary.LittleEndian
	sockaddr := func(field string) {
		o.Field(field)
		var sa [sockaddrMax + 1]byte
		copy(sa[:16], u)
		c.printSockaddr(sa[:], 16)
	}
	i32 := func(field string) {
		o.Field(field)
		o.Int(int64(int32(le.Uint32(u))))
	}
	switch c.ioctlRequest() {
	case "SIOCSIFADDR", "SIOCGIFADDR":
		sockaddr("ifr_addr")
	case "SIOCSIFDSTADDR", "SIOCGIFDSTADDR":
		sockaddr("ifr_dstaddr")
	case "SIOCSIFBRDADDR", "SIOCGIFBRDADDR":
		sockaddr("ifr_broadaddr")
	case "SIOCSIFNETMASK", "SIOCGIFNETMASK":
		sockaddr("ifr_netmask")
	case "SIOCADDMULTI", "SIOCDELMULTI", "SIOCGIFHWADDR", "SIOCSIFHWADDR", "SIOCSIFHWBROADCAST":
		o.Field("ifr_hwaddr")
		c.hwSockaddr(u[:16])
	case "SIOCSIFFLAGS", "SIOCGIFFLAGS":
		o.Field("ifr_flags")
		o.Set(xlat.IfFlags, uint64(le.Uint16(u)))
	case "SIOCGIFINDEX":
		i32("ifr_ifindex")
	case "SIOCSIFMETRIC", "SIOCGIFMETRIC":
		i32("ifr_metric")
	case "SIOCSIFMTU", "SIOCGIFMTU":
		i32("ifr_mtu")
	case "SIOCSIFSLAVE", "SIOCGIFSLAVE":
		o.Field("ifr_slave")
		c.ifName(u[:ifNameSize])
	case "SIOCSIFNAME":
		o.Field("ifr_newname")
		c.ifName(u[:ifNameSize])
	case "SIOCGIFNAME":
		o.Field("ifr_name")
		c.ifName(b[:ifNameSize])
	case "SIOCSIFTXQLEN", "SIOCGIFTXQLEN":
		i32("ifr_qlen")
	case "SIOCSIFMAP", "SIOCGIFMAP":
		o.Field("ifr_map")
		c.ifmap(u)
	}
}

// ifmap appends a struct ifmap, every field in hex.
func (c *Ctx) ifmap(u []byte) {
	o := c.Out
	ws := c.Call.Arch.WordSize
	o.Struct()
	o.Field("mem_start")
	o.Hex(leUint(u, 0, ws))
	o.Field("mem_end")
	o.Hex(leUint(u, ws, ws))
	o.Field("base_addr")
	o.Hex(uint64(binary.LittleEndian.Uint16(u[2*ws:])))
	o.Field("irq")
	o.Hex(uint64(u[2*ws+2]))
	o.Field("dma")
	o.Hex(uint64(u[2*ws+3]))
	o.Field("port")
	o.Hex(uint64(u[2*ws+4]))
	o.End()
}

// hwSockaddr appends ifr_hwaddr: the ARPHRD_* type and as many bytes of
// sa_data as the type's addresses have, as 00:11:22 (strace's
// print_hwaddr).
func (c *Ctx) hwSockaddr(sa []byte) {
	o := c.Out
	typ := binary.LittleEndian.Uint16(sa)
	o.Struct()
	o.Field("sa_family")
	o.Set(xlat.ARPHardwareTypes, uint64(typ))
	o.Field("sa_data")
	n := min(len(sa)-2, xlat.HWAddrLen(typ))
	o.TextBytes(appendMAC(nil, sa[2:2+n]))
	o.End()
}

// appendMAC appends bytes as %02x joined by colons.
func appendMAC(dst, b []byte) []byte {
	const hex = "0123456789abcdef"
	for i, x := range b {
		if i > 0 {
			dst = append(dst, ':')
		}
		dst = append(dst, hex[x>>4], hex[x&15])
	}
	return dst
}

// ifconf is a struct ifconf.
type ifconf struct {
	len int32
	buf uint64
}

func (c *Ctx) readIfconf(addr uint64) (ifconf, bool) {
	var b [16]byte
	size := 8
	if c.Call.Arch.WordSize == 8 {
		size = 16
	}
	if addr == 0 || c.Opt.NoDeref {
		return ifconf{}, false
	}
	if n, err := c.Mem.ReadAt(b[:size], addr); err != nil || n != size {
		return ifconf{}, false
	}
	ws := c.Call.Arch.WordSize
	return ifconf{int32(binary.LittleEndian.Uint32(b[:])), leUint(b[:], ws, ws)}, true
}

// enterIfconf keeps SIOCGIFCONF's struct ifconf for the exit, or prints
// the address of an unreadable one.
func enterIfconf(c *Ctx, arg uint64) {
	ifc, ok := c.readIfconf(arg)
	if !ok {
		c.Out.Addr(arg)
		c.Call.Saved[3] = ioctlDone
		return
	}
	c.Call.Saved[0], c.Call.Saved[1] = uint64(uint32(ifc.len)), ifc.buf
}

// ifcLen appends ifc_len with strace's comment when it is a whole number
// of struct ifreq: 80 /* 2 * sizeof(struct ifreq) */.
func (c *Ctx) ifcLen(n int32) {
	c.Out.Int(int64(n))
	size := uint32(c.ifreqSize())
	if k := uint32(n) / size; n > 0 && k*size == uint32(n) {
		c.Out.Count(uint64(k), "* sizeof(struct ifreq)")
	}
}

// exitIfconf prints SIOCGIFCONF's struct ifconf as strace's decode_ifconf:
// the length in and out, and the interfaces the kernel wrote (or the
// buffer's address when it only asked for the length or failed).
func exitIfconf(c *Ctx, arg uint64) {
	o := c.Out
	in := ifconf{int32(uint32(c.Call.Saved[0])), c.Call.Saved[1]}
	o.Struct()
	o.Field("ifc_len")
	if in.buf != 0 {
		c.ifcLen(in.len)
	}
	out, ok := c.readIfconf(arg)
	if !ok {
		if in.buf == 0 {
			c.ifcLen(in.len)
		}
		o.Field("ifc_buf")
		o.Addr(in.buf)
		o.End()
		return
	}
	if in.buf != 0 && in.len != out.len {
		o.Changed()
	}
	if in.buf == 0 || in.len != out.len {
		c.ifcLen(out.len)
	}
	o.Field("ifc_buf")
	if in.buf == 0 || c.Failed() {
		o.Addr(in.buf)
		if in.buf != out.buf {
			o.Changed()
			o.Addr(out.buf)
		}
		o.End()
		return
	}
	size := c.ifreqSize()
	n := uint64(uint32(out.len)) / uint64(size)
	c.printArray(out.buf, n, size, func(b []byte) {
		o.Struct()
		o.Field("ifr_name")
		c.ifName(b[:ifNameSize])
		o.Field("ifr_addr")
		var sa [sockaddrMax + 1]byte
		copy(sa[:16], b[ifNameSize:])
		c.printSockaddr(sa[:], 16)
		o.End()
	})
	o.End()
}
