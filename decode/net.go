package decode

// Sockets: socket addresses (connect, bind, accept, getsockname, sendto,
// recvfrom), socket and socketpair, socket options, shutdown; strace's
// src/net.c and src/sockaddr.c.

import (
	"encoding/binary"
	"net"
	"net/netip"
	"strconv"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// The address families sonde prints the socket address of; the others
// print their sa_data bytes.
const (
	afUnix    = 1
	afInet    = 2
	afInet6   = 10
	afNetlink = 16
	afPacket  = 17

	sockaddrMax  = 128 // sizeof(struct sockaddr_storage): strace reads no more
	sockaddrUnSz = 110 // sizeof(struct sockaddr_un)
	sin6MinLen   = 24  // offsetof(struct sockaddr_in6, sin6_scope_id)
)

func init() {
	registerSyscall(&Syscall{Enter: enterSockaddrCall}, "connect", "bind")
	registerSyscall(&Syscall{Enter: enterSockname, Exit: exitSockname}, "getsockname", "getpeername", "accept", "accept4")
	registerSyscall(&Syscall{Enter: enterSocket}, "socket")
	registerSyscall(&Syscall{Enter: enterSocketpair, Exit: exitSocketpair}, "socketpair")
	registerSyscall(&Syscall{Enter: enterSendto}, "sendto")
	registerSyscall(&Syscall{Enter: enterRecvfrom, Exit: exitRecvfrom}, "recvfrom")
	registerSyscall(&Syscall{Enter: enterSetsockopt}, "setsockopt")
	registerSyscall(&Syscall{Enter: enterGetsockopt, Exit: exitGetsockopt}, "getsockopt")
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		c.FD(int64(c.Int(0)))
		c.Out.Set(xlat.ShutdownModes, uint64(uint32(c.Call.Args[1])))
	}}, "shutdown")
}

// readInt32 reads the C int at addr without printing anything.
func (c *Ctx) readInt32(addr uint64) (int32, bool) {
	if addr == 0 || c.Opt.NoDeref {
		return 0, false
	}
	var b [4]byte
	if n, err := c.Mem.ReadAt(b[:], addr); err != nil || n != 4 {
		return 0, false
	}
	return int32(binary.LittleEndian.Uint32(b[:])), true
}

// intRef appends [N] read from addr (strace's printnum_int), or the
// address when it cannot be read.
func (c *Ctx) intRef(addr uint64) {
	if addr == 0 {
		c.Out.Addr(0)
		return
	}
	var b [4]byte
	if !c.fetch(addr, b[:]) {
		return
	}
	c.Out.Ref()
	c.Out.Int(int64(int32(binary.LittleEndian.Uint32(b[:]))))
	c.Out.End()
}

// sockaddr appends the socket address of n bytes at addr as strace's
// decode_sockaddr: the address itself when n < 2 or it cannot be read.
func (c *Ctx) sockaddr(addr uint64, n int32) {
	if n < 2 {
		c.Out.Addr(addr)
		return
	}
	if n > sockaddrMax {
		n = sockaddrMax
	}
	var buf [sockaddrMax + 1]byte // zero past n, as strace pads it
	if !c.fetch(addr, buf[:n]) {
		return
	}
	c.printSockaddr(buf[:], int(n))
}

// sockaddrPrinter prints the fields of one family's socket address after
// sa_family, for addresses of at least minLen bytes; shorter ones, and
// families without a printer, print their sa_data bytes.
type sockaddrPrinter struct {
	minLen int
	print  func(c *Ctx, buf []byte, n int)
}

// sockaddrPrinters are the families of strace's sa_printers sonde decodes.
var sockaddrPrinters = map[uint64]sockaddrPrinter{
	afUnix:    {3, (*Ctx).sockaddrUn},
	afInet:    {16, (*Ctx).sockaddrIn},
	afInet6:   {sin6MinLen, (*Ctx).sockaddrIn6},
	afNetlink: {12, (*Ctx).sockaddrNl},
	afPacket:  {20, (*Ctx).sockaddrLl},
}

// printSockaddr appends the n-byte socket address in buf (zero-padded to
// sockaddrMax+1 bytes) as strace's print_sockaddr.
func (c *Ctx) printSockaddr(buf []byte, n int) {
	o := c.Out
	fam := uint64(binary.LittleEndian.Uint16(buf))
	o.Struct()
	o.Field("sa_family")
	o.Set(xlat.AddressFamilies, fam)
	if n > 2 {
		if p, ok := sockaddrPrinters[fam]; ok && n >= p.minLen {
			p.print(c, buf, n)
		} else {
			o.Field("sa_data")
			o.Bytes(buf[2:n], false)
		}
	}
	o.End()
}

// sockaddrIn appends sin_port and sin_addr.
func (c *Ctx) sockaddrIn(buf []byte, _ int) {
	c.Out.Field("sin_port")
	netPort(c.Out, buf[2:4])
	c.Out.Field("sin_addr")
	c.inetAddr(buf[4:8])
}

// sockaddrNl appends nl_pad (when not zero), nl_pid and nl_groups.
func (c *Ctx) sockaddrNl(buf []byte, _ int) {
	o := c.Out
	if pad := binary.LittleEndian.Uint16(buf[2:]); pad != 0 {
		o.Field("nl_pad")
		o.Hex(uint64(pad))
	}
	o.Field("nl_pid")
	c.PidArg(int64(int32(binary.LittleEndian.Uint32(buf[4:]))))
	o.Field("nl_groups")
	o.TextBytes(appendHex08(nil, binary.LittleEndian.Uint32(buf[8:])))
}

// sockaddrLl appends the fields of a struct sockaddr_ll (AF_PACKET): the
// protocol in htons(), the interface by name, sll_addr's first sll_halen
// bytes (those past the address's n bytes as "...").
func (c *Ctx) sockaddrLl(buf []byte, n int) {
	o := c.Out
	o.Field("sll_protocol")
	o.Call("htons")
	o.Set(xlat.EthernetProtocols, uint64(binary.BigEndian.Uint16(buf[2:])))
	o.End()
	o.Field("sll_ifindex")
	c.ifIndex(binary.LittleEndian.Uint32(buf[4:]))
	o.Field("sll_hatype")
	o.Set(xlat.ARPHardwareTypes, uint64(binary.LittleEndian.Uint16(buf[8:])))
	o.Field("sll_pkttype")
	o.Set(xlat.PacketTypes, uint64(buf[10]))
	halen := int(buf[11])
	o.Field("sll_halen")
	o.Uint(uint64(halen))
	if halen == 0 {
		return
	}
	const addrOff = 12 // offsetof(struct sockaddr_ll, sll_addr)
	o.Field("sll_addr")
	o.Array()
	for i := 0; i < halen; i++ {
		if i >= n-addrOff || addrOff+i >= len(buf) {
			o.More()
			break
		}
		o.Set(hexByte, uint64(buf[addrOff+i]))
	}
	o.End()
}

// netPort appends a port in network byte order: htons(80).
func netPort(o *Out, b []byte) {
	o.Call("htons")
	o.Uint(uint64(binary.BigEndian.Uint16(b)))
	o.End()
}

// sockaddrUn appends sun_path: the path up to its NUL, or @ and every byte
// of an abstract name.
func (c *Ctx) sockaddrUn(buf []byte, n int) {
	o := c.Out
	if n > sockaddrUnSz {
		n = sockaddrUnSz
	}
	pathLen := n - 2
	o.Field("sun_path")
	if buf[2] != 0 {
		p := buf[2 : 2+pathLen+1]
		for i, b := range p {
			if b == 0 {
				p = p[:i]
				break
			}
		}
		o.Bytes(p, false)
		return
	}
	o.TextBytes(appendCQuoted(append(make([]byte, 0, 4*pathLen+3), '@'), buf[3:2+pathLen]))
}

// sockaddrIn6 appends the fields of a struct sockaddr_in6 after sa_family.
func (c *Ctx) sockaddrIn6(buf []byte, n int) {
	o := c.Out
	o.Field("sin6_port")
	netPort(o, buf[2:4])
	o.Field("sin6_flowinfo")
	o.Call("htonl")
	o.Uint(uint64(binary.BigEndian.Uint32(buf[4:8])))
	o.End()
	o.Call("inet_pton")
	o.Text("AF_INET6")
	var a [16]byte
	copy(a[:], buf[8:24])
	o.Bytes(appendIPv6(nil, a), false)
	o.Text("&sin6_addr")
	o.End()
	if n <= sin6MinLen {
		return
	}
	scope := binary.LittleEndian.Uint32(buf[24:])
	o.Field("sin6_scope_id")
	linkLocal := a[0] == 0xfe && a[1]&0xc0 == 0x80
	mcLinkLocal := a[0] == 0xff && a[1]&0x0f == 0x02
	if linkLocal || mcLinkLocal {
		c.ifIndex(scope)
		return
	}
	o.Uint(uint64(scope))
}

// ifIndex appends an interface index as strace's PRINT_FIELD_IFINDEX:
// if_nametoindex("lo") when the index names an interface of this host.
func (c *Ctx) ifIndex(idx uint32) {
	if idx != 0 {
		if ifc, err := net.InterfaceByIndex(int(idx)); err == nil && ifc.Name != "" {
			c.Out.Call("if_nametoindex")
			c.Out.Bytes([]byte(ifc.Name), false)
			c.Out.End()
			return
		}
	}
	c.Out.Uint(uint64(idx))
}

// appendIPv6 appends an IPv6 address as glibc's inet_ntop prints it (an
// IPv4-compatible address keeps its dotted tail: ::1.2.3.4).
func appendIPv6(dst []byte, a [16]byte) []byte {
	compat := a[12] != 0 || a[13] != 0
	for _, b := range a[:12] {
		if b != 0 {
			compat = false
			break
		}
	}
	if compat {
		dst = append(dst, "::"...)
		return netip.AddrFrom4([4]byte{a[12], a[13], a[14], a[15]}).AppendTo(dst)
	}
	return netip.AddrFrom16(a).AppendTo(dst)
}

// appendHex08 appends v as C's %#08x: 00000000, 0x000001, 0xffffffff.
func appendHex08(dst []byte, v uint32) []byte { return appendHexPad(dst, uint64(v), 8) }

// appendHexPad appends v as C's %#0*x with the width given: zero-padded to
// width characters, 0x counted in and left out for zero (00, 0x1, 0xff).
func appendHexPad(dst []byte, v uint64, width int) []byte {
	var tmp [16]byte
	h := strconv.AppendUint(tmp[:0], v, 16)
	if v != 0 {
		dst = append(dst, "0x"...)
		width -= 2
	}
	for i := len(h); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, h...)
}

// hexByte prints a byte as strace's PRINT_VAL_0X (%#0*x, twice its size
// wide): 00, 0x1, 0xff.
var hexByte = formatterFunc(func(dst []byte, v uint64) []byte { return appendHexPad(dst, v, 2) })

// appendCQuoted appends b in double quotes as strace's default string
// quoting does: C escapes, octal for other unprintable bytes.
func appendCQuoted(dst, b []byte) []byte {
	dst = append(dst, '"')
	for i, ch := range b {
		switch ch {
		case '"', '\\':
			dst = append(dst, '\\', ch)
		case '\f':
			dst = append(dst, `\f`...)
		case '\n':
			dst = append(dst, `\n`...)
		case '\r':
			dst = append(dst, `\r`...)
		case '\t':
			dst = append(dst, `\t`...)
		case '\v':
			dst = append(dst, `\v`...)
		default:
			if ch >= ' ' && ch < 0x7f {
				dst = append(dst, ch)
				continue
			}
			dst = append(dst, '\\')
			nextOct := i+1 < len(b) && b[i+1] >= '0' && b[i+1] <= '7'
			if nextOct || ch >= 0o100 {
				dst = append(dst, '0'+ch>>6)
			}
			if nextOct || ch >= 0o10 {
				dst = append(dst, '0'+(ch>>3)&7)
			}
			dst = append(dst, '0'+ch&7)
		}
	}
	return append(dst, '"')
}

// enterSockaddrCall decodes connect and bind: fd, address, length.
func enterSockaddrCall(c *Ctx) {
	c.FD(int64(c.Int(0)))
	n := c.Int(2)
	c.sockaddr(c.Arg(1), n)
	c.Out.Int(int64(n))
}

// enterSockname decodes the entry of getsockname, getpeername, accept and
// accept4: the address and its length print at exit when the length can
// be read, else both as addresses now (strace's decode_sockname).
func enterSockname(c *Ctx) {
	accept := c.Call.Entry != nil && (c.Call.Entry.Name == "accept" || c.Call.Entry.Name == "accept4")
	if accept {
		c.Call.Ret = RetFD
	}
	c.FD(int64(c.Int(0)))
	if c.Call.Args[1] != 0 {
		if ulen, ok := c.readInt32(c.Arg(2)); ok {
			c.Call.Saved[0] = uint64(uint32(ulen))
			c.Call.More = true
			return
		}
	}
	c.Out.Addr(c.Arg(1))
	c.Out.Addr(c.Arg(2))
	if c.Call.Entry != nil && c.Call.Entry.Name == "accept4" {
		c.Out.Set(xlat.SocketTypeFlags, uint64(uint32(c.Call.Args[3])))
	}
}

func exitSockname(c *Ctx) {
	c.addrAndLen(1, 2, int32(uint32(c.Call.Saved[0])))
	if c.Call.Entry != nil && c.Call.Entry.Name == "accept4" {
		c.Out.Set(xlat.SocketTypeFlags, uint64(uint32(c.Call.Args[3])))
	}
}

// addrAndLen appends an output socket address (argument a) and its
// value-result length (argument l) at exit, ulen being the length before
// the call: [ulen => rlen], or [rlen] when unchanged.
func (c *Ctx) addrAndLen(a, l int, ulen int32) {
	o := c.Out
	rlen, ok := c.readInt32(c.Arg(l))
	if c.Failed() || !ok {
		o.Addr(c.Arg(a))
		o.Ref()
		o.Int(int64(ulen))
		o.End()
		return
	}
	c.sockaddr(c.Arg(a), min(ulen, rlen))
	o.Ref()
	if ulen != rlen {
		o.Int(int64(ulen))
		o.Changed()
	}
	o.Int(int64(rlen))
	o.End()
}

// socketDomain and socketType append socket's first two arguments.
func (c *Ctx) socketDomainType() {
	c.Out.Set(xlat.AddressFamilies, uint64(uint32(c.Call.Args[0])))
	c.Out.Set(formatterFunc(xlat.AppendSocketType), uint64(uint32(c.Call.Args[1])))
}

// enterSocket decodes socket: the protocol prints by the domain.
func enterSocket(c *Ctx) {
	c.Call.Ret = RetFD
	c.socketDomainType()
	c.socketProto(c.Call.Args[0], c.Call.Args[2])
}

// socketProto appends a socket's protocol as its domain names it:
// IPPROTO_* for AF_INET/AF_INET6, NETLINK_* for AF_NETLINK,
// htons(ETH_P_*) for AF_PACKET, else the number. It is also the decoder of
// the socket_proto argument kind (the domain two arguments before).
func (c *Ctx) socketProto(domain, protocol uint64) {
	o := c.Out
	proto := uint64(uint32(protocol))
	switch domain & 0xffffffff {
	case afInet, afInet6:
		o.Set(xlat.InetProtocols, proto)
	case afNetlink:
		o.Set(xlat.NetlinkProtocols, proto)
	case afPacket:
		o.Call("htons")
		p := uint16(proto)
		o.Set(xlat.EthernetProtocols, uint64(p>>8|p<<8))
		o.End()
	default:
		o.Uint(proto)
	}
}

func enterSocketpair(c *Ctx) {
	c.socketDomainType()
	c.Out.Uint(uint64(uint32(c.Call.Args[2])))
	c.Call.More = true
}

func exitSocketpair(c *Ctx) {
	if d, ok := argKinds["fdpair_out"]; ok {
		d.Fn(c, 3)
		return
	}
	c.Out.Addr(c.Arg(3))
}

// enterSendto decodes sendto: everything prints at entry.
func enterSendto(c *Ctx) {
	c.FD(int64(c.Int(0)))
	c.Buf(c.Arg(1), c.Arg(2))
	c.Out.Uint(c.Arg(2))
	c.Out.Set(xlat.MsgFlags, uint64(uint32(c.Call.Args[3])))
	if c.Call.Entry != nil && c.Call.Entry.Nargs == 4 {
		return // i386 socketcall's send(fd, buf, len, flags)
	}
	n := c.Int(5)
	c.sockaddr(c.Arg(4), n)
	c.Out.Int(int64(n))
}

func enterRecvfrom(c *Ctx) {
	c.FD(int64(c.Int(0)))
	c.Call.Saved[0] = 0
	if c.Call.Args[4] != 0 {
		if ulen, ok := c.readInt32(c.Arg(5)); ok {
			c.Call.Saved[0] = uint64(uint32(ulen))
		}
	}
	c.Call.More = true
}

func exitRecvfrom(c *Ctx) {
	o := c.Out
	if c.Failed() {
		o.Addr(c.Arg(1))
	} else {
		c.Buf(c.Arg(1), min(uint64(c.Ret()), c.Arg(2)))
	}
	o.Uint(c.Arg(2))
	o.Set(xlat.MsgFlags, uint64(uint32(c.Call.Args[3])))
	if c.Call.Entry != nil && c.Call.Entry.Nargs == 4 {
		return // i386 socketcall's recv(fd, buf, len, flags)
	}
	if c.Call.Args[4] == 0 {
		o.Addr(c.Arg(4))
		o.Addr(c.Arg(5))
		return
	}
	if _, ok := c.readInt32(c.Arg(5)); !ok {
		o.Addr(c.Arg(4))
		o.Addr(c.Arg(5))
		return
	}
	c.addrAndLen(4, 5, int32(uint32(c.Call.Saved[0])))
}

// sockoptLevelName appends setsockopt/getsockopt's fd, level and option
// name.
func (c *Ctx) sockoptLevelName(get bool) {
	c.FD(int64(c.Int(0)))
	level := uint64(uint32(c.Call.Args[1]))
	name := uint64(uint32(c.Call.Args[2]))
	c.Out.Set(xlat.SocketLayers, level)
	common, specific, ok := xlat.SockOptionNames(level, get)
	switch {
	case !ok:
		c.Out.Uint(name)
	case specific != nil:
		if _, found := common.Lookup(name); !found {
			if _, found := specific.Lookup(name); found {
				c.Out.Set(specific, name)
				return
			}
		}
		c.Out.Set(common, name)
	default:
		c.Out.Set(common, name)
	}
}

const (
	soError    = 4
	soLinger   = 13
	soPeercred = 17
	solNetlink = 270
)

func enterSetsockopt(c *Ctx) {
	c.sockoptLevelName(false)
	o := c.Out
	level, name := uint32(c.Call.Args[1]), uint32(c.Call.Args[2])
	addr, n := c.Arg(3), c.Int(4)
	switch {
	case addr != 0 && !c.Opt.NoDeref && level == xlat.SolSocket && name == soLinger:
		if n < 8 {
			o.Addr(addr)
		} else {
			c.intFields(addr, 8, "l_onoff", "l_linger")
		}
	case addr != 0 && !c.Opt.NoDeref && level == solNetlink:
		if n < 4 {
			o.Addr(addr)
		} else {
			c.intRef(addr)
		}
	case c.Opt.NoDeref:
		o.Addr(addr)
	case n == 4:
		c.intRef(addr)
	default:
		c.Buf(addr, uint64(int64(n)))
	}
	o.Int(int64(n))
}

// intFields appends a struct of C ints named by names, of which the first
// size bytes are printed (strace's MAYBE_PRINT_FIELD_LEN).
func (c *Ctx) intFields(addr uint64, size int, names ...string) {
	var b [16]byte
	if size > 4*len(names) {
		size = 4 * len(names)
	}
	if !c.fetch(addr, b[:size]) {
		return
	}
	c.Out.Struct()
	for i, name := range names {
		if 4*i+4 > size {
			break
		}
		c.Out.Field(name)
		c.Out.Int(int64(int32(binary.LittleEndian.Uint32(b[4*i:]))))
	}
	c.Out.End()
}

func enterGetsockopt(c *Ctx) {
	c.sockoptLevelName(true)
	if ulen, ok := c.readInt32(c.Arg(4)); ok {
		c.Call.Saved[0] = uint64(uint32(ulen))
		c.Call.More = true
		return
	}
	c.Out.Addr(c.Arg(3))
	c.Out.Addr(c.Arg(4))
}

func exitGetsockopt(c *Ctx) {
	o := c.Out
	ulen := int32(uint32(c.Call.Saved[0]))
	rlen, ok := c.readInt32(c.Arg(4))
	if c.Failed() || !ok {
		o.Addr(c.Arg(3))
		o.Ref()
		o.Int(int64(ulen))
		o.End()
		return
	}
	c.getsockoptValue(ulen, rlen)
	o.Ref()
	if ulen != rlen {
		o.Int(int64(ulen))
		o.Changed()
	}
	o.Int(int64(rlen))
	o.End()
}

// getsockoptValue appends getsockopt's option value (strace's
// print_getsockopt) for the common options.
func (c *Ctx) getsockoptValue(ulen, rlen int32) {
	o := c.Out
	addr := c.Arg(3)
	level, name := uint32(c.Call.Args[1]), uint32(c.Call.Args[2])
	if ulen <= 0 || rlen <= 0 || c.Opt.NoDeref {
		o.Addr(addr)
		return
	}
	if addr != 0 {
		switch {
		case level == xlat.SolSocket && name == soLinger:
			c.intFields(addr, int(min(rlen, 8)), "l_onoff", "l_linger")
			return
		case level == xlat.SolSocket && name == soPeercred:
			c.ucred(addr, int(min(rlen, 12)))
			return
		case level == xlat.SolSocket && name == soError:
			var b [4]byte
			n := int(min(rlen, 4))
			if !c.fetch(addr, b[:n]) {
				return
			}
			o.Ref()
			if e := uint64(binary.LittleEndian.Uint32(b[:])); e == 0 {
				o.Uint(0)
			} else if s, ok := xlat.ErrnoName(e); ok {
				o.Sym(s, e)
			} else {
				o.Uint(e)
			}
			o.End()
			return
		case level == solNetlink:
			c.intRef(addr)
			return
		}
	}
	if rlen == 4 {
		c.intRef(addr)
		return
	}
	c.Buf(addr, uint64(rlen))
}

// ucred appends a struct ucred ({pid=1, uid=0, gid=0}) of which size bytes
// were returned.
func (c *Ctx) ucred(addr uint64, size int) {
	var b [12]byte
	if !c.fetch(addr, b[:size]) {
		return
	}
	o := c.Out
	o.Struct()
	if size >= 4 {
		o.Field("pid")
		c.PidArg(int64(int32(binary.LittleEndian.Uint32(b[:]))))
	}
	if size >= 8 {
		o.Field("uid")
		c.ID(binary.LittleEndian.Uint32(b[4:]))
	}
	if size >= 12 {
		o.Field("gid")
		c.ID(binary.LittleEndian.Uint32(b[8:]))
	}
	o.End()
}

func init() {
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		c.FD(int64(c.Int(0)))
		c.msghdr(c.Arg(1), nil, ^uint64(0))
		c.Out.Set(xlat.MsgFlags, uint64(uint32(c.Call.Args[2])))
	}}, "sendmsg")
	registerSyscall(&Syscall{Enter: enterRecvmsg, Exit: exitRecvmsg}, "recvmsg")
}

// msghdr is a struct msghdr read from the tracee.
type msghdr struct {
	name, namelen, iov, iovlen, control, controllen, flags uint64
}

// readMsghdr reads the struct msghdr at addr in the tracee's layout.
func (c *Ctx) readMsghdr(addr uint64) (msghdr, bool) {
	if addr == 0 || c.Opt.NoDeref {
		return msghdr{}, false
	}
	var b [56]byte
	size := c.msghdrSize()
	if n, err := c.Mem.ReadAt(b[:size], addr); err != nil || n != size {
		return msghdr{}, false
	}
	return c.parseMsghdr(b[:size]), true
}

// msghdrSize is sizeof(struct msghdr) in the tracee's layout.
func (c *Ctx) msghdrSize() int {
	if c.Call.Arch.WordSize == 8 {
		return 56
	}
	return 28
}

// parseMsghdr decodes a struct msghdr of msghdrSize bytes.
func (c *Ctx) parseMsghdr(b []byte) msghdr {
	le := binary.LittleEndian
	if c.Call.Arch.WordSize == 8 {
		return msghdr{le.Uint64(b[0:]), uint64(le.Uint32(b[8:])), le.Uint64(b[16:]), le.Uint64(b[24:]),
			le.Uint64(b[32:]), le.Uint64(b[40:]), uint64(le.Uint32(b[48:]))}
	}
	var w [7]uint64
	for i := range w {
		w[i] = uint64(le.Uint32(b[4*i:]))
	}
	return msghdr{w[0], w[1], w[2], w[3], w[4], w[5], w[6]}
}

// msghdr appends the struct msghdr at addr as strace's decode_msghdr;
// user is the msg_namelen before the call (recvmsg) or nil, data the bytes
// the buffers hold (^0: each its iov_len).
func (c *Ctx) msghdr(addr uint64, user *int32, data uint64) {
	m, ok := c.readMsghdr(addr)
	if !ok {
		c.Out.Addr(addr)
		return
	}
	c.printMsghdr(m, user, data)
}

// printMsghdr appends a struct msghdr read from the tracee; user and data
// as for msghdr.
func (c *Ctx) printMsghdr(m msghdr, user *int32, data uint64) {
	o := c.Out
	namelen := int32(uint32(m.namelen))
	if user != nil && namelen > *user {
		namelen = *user
	}
	o.Struct()
	o.Field("msg_name")
	c.sockaddr(m.name, namelen)
	o.Field("msg_namelen")
	if user != nil && *user != int32(uint32(m.namelen)) {
		o.Int(int64(*user))
		o.Changed()
	}
	o.Int(int64(int32(uint32(m.namelen))))
	o.Field("msg_iov")
	c.iovecs(m.iov, m.iovlen, data, true)
	o.Field("msg_iovlen")
	o.Uint(m.iovlen)
	if m.controllen != 0 {
		o.Field("msg_control")
		c.cmsgs(m.control, m.controllen)
	}
	o.Field("msg_controllen")
	o.Uint(m.controllen)
	o.Field("msg_flags")
	o.Set(xlat.MsgFlags, uint64(uint32(m.flags)))
	o.End()
}

func enterRecvmsg(c *Ctx) {
	c.FD(int64(c.Int(0)))
	if m, ok := c.readMsghdr(c.Arg(1)); ok {
		c.Call.Saved[0] = uint64(uint32(m.namelen))
		c.Call.More = true
		return
	}
	c.Out.Addr(c.Arg(1))
	c.Out.Set(xlat.MsgFlags, uint64(uint32(c.Call.Args[2])))
}

func exitRecvmsg(c *Ctx) {
	o := c.Out
	user := int32(uint32(c.Call.Saved[0]))
	if c.Failed() {
		o.Struct()
		o.Field("msg_namelen")
		o.Int(int64(user))
		o.End()
	} else {
		c.msghdr(c.Arg(1), &user, uint64(c.Ret()))
	}
	o.Set(xlat.MsgFlags, uint64(uint32(c.Call.Args[2])))
}
