package decode

// msg_control: the control messages of sendmsg, recvmsg, sendmmsg and
// recvmmsg, as strace 6.1's decode_msg_control (src/msghdr.c) prints them.

import (
	"encoding/binary"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// The socket levels whose control messages have names.
const (
	solIP     = 0
	solSocket = 1
)

// cmsgPrinter decodes the data of one kind of control message, printed
// only when the message holds at least minLen bytes of data.
type cmsgPrinter struct {
	minLen int
	print  func(c *Ctx, data []byte)
}

type cmsgKey struct{ level, typ uint32 }

// cmsgPrinters are strace's cmsg_socket_printers and cmsg_ip_printers.
var cmsgPrinters = map[cmsgKey]cmsgPrinter{
	{solSocket, 1}:  {4, cmsgRights},       // SCM_RIGHTS
	{solSocket, 2}:  {12, cmsgCreds},       // SCM_CREDENTIALS
	{solSocket, 3}:  {1, cmsgQuoted},       // SCM_SECURITY
	{solSocket, 29}: {1, cmsgTimevalOld},   // SO_TIMESTAMP_OLD
	{solSocket, 35}: {1, cmsgTimespecOld},  // SO_TIMESTAMPNS_OLD
	{solSocket, 37}: {1, cmsgTimespecsOld}, // SO_TIMESTAMPING_OLD
	{solSocket, 63}: {1, cmsgTimeval64},    // SO_TIMESTAMP_NEW
	{solSocket, 64}: {1, cmsgTimespec64},   // SO_TIMESTAMPNS_NEW
	{solSocket, 65}: {1, cmsgTimespecs64},  // SO_TIMESTAMPING_NEW
	{solIP, 8}:      {12, cmsgPktinfo},     // IP_PKTINFO
	{solIP, 2}:      {4, cmsgUints},        // IP_TTL
	{solIP, 1}:      {1, cmsgXint8s},       // IP_TOS
	{solIP, 6}:      {1, cmsgXint8s},       // IP_RECVOPTS
	{solIP, 7}:      {1, cmsgXint8s},       // IP_RETOPTS
	{solIP, 11}:     {32, cmsgRecverr},     // IP_RECVERR
	{solIP, 20}:     {16, cmsgOrigDst},     // IP_ORIGDSTADDR
	{solIP, 23}:     {4, cmsgUints},        // IP_CHECKSUM
	{solIP, 3}:      {1, cmsgQuoted},       // SCM_SECURITY
}

// optmemMax is how much of a control buffer strace reads: the host's
// net.core.optmem_max rounded up to 8, or 8*(2*IOV_MAX+512) when that
// cannot be read.
var optmemMax = sync.OnceValue(func() uint64 {
	b, err := os.ReadFile("/proc/sys/net/core/optmem_max")
	if err == nil {
		if v, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && v > 0 {
			return (uint64(v) + 7) &^ 7
		}
	}
	return 8 * (2*iovMax + 512)
})

// cmsgs appends msg_control's messages: [{cmsg_len=20,
// cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[5]}, ...]. A
// buffer shorter than one header, or unreadable, prints its address; bytes
// left after the last whole message print as "... /* address */".
func (c *Ctx) cmsgs(addr, length uint64) {
	o := c.Out
	ws := uint64(c.Call.Arch.WordSize)
	hdr := ws + 8 // cmsg_len (size_t), cmsg_level, cmsg_type
	controlLen := min(length, optmemMax())
	if addr == 0 || c.Opt.NoDeref || controlLen < hdr {
		o.Addr(addr)
		return
	}
	buf := make([]byte, controlLen)
	if got, err := c.Mem.ReadAt(buf, addr); err != nil || uint64(got) != controlLen {
		o.Addr(addr)
		return
	}
	le := binary.LittleEndian
	left := controlLen
	o.Array()
	for off := uint64(0); left >= hdr; {
		var clen uint64
		if ws == 8 {
			clen = le.Uint64(buf[off:])
		} else {
			clen = uint64(le.Uint32(buf[off:]))
		}
		level := le.Uint32(buf[off+ws:])
		typ := le.Uint32(buf[off+ws+4:])
		o.Struct()
		o.Field("cmsg_len")
		o.Uint(clen)
		o.Field("cmsg_level")
		o.Set(xlat.SocketLayers, uint64(level))
		o.Field("cmsg_type")
		n := min(clen, left)
		var data []byte
		if n > hdr {
			data = buf[off+hdr : off+n]
		}
		switch level {
		case solSocket:
			o.Set(xlat.SCMTypes, uint64(typ))
		case solIP:
			o.Set(xlat.IPCmsgTypes, uint64(typ))
		default:
			o.Hex(uint64(typ))
		}
		if p, ok := cmsgPrinters[cmsgKey{level, typ}]; ok && len(data) >= p.minLen {
			o.Field("cmsg_data")
			p.print(c, data)
		}
		o.End()
		if n < hdr {
			left -= hdr
			break
		}
		step := (clen + ws - 1) &^ (ws - 1)
		if step >= left || step < clen {
			left = 0
			break
		}
		off += step
		left -= step
	}
	switch {
	case left > 0:
		o.Set(moreAt{}, addr+controlLen-left)
	case controlLen < length:
		o.More()
	}
	o.End()
}

// cmsgArray appends the elements of data, size bytes each, as strace's
// print_local_array: at most -s of them unless -v.
func (c *Ctx) cmsgArray(data []byte, size int, elem func(b []byte)) {
	o := c.Out
	o.Array()
	for i := 0; i+size <= len(data); i += size {
		if !c.Opt.Verbose && i/size >= c.Opt.StrLimit {
			o.More()
			break
		}
		elem(data[i : i+size])
	}
	o.End()
}

func cmsgRights(c *Ctx, data []byte) {
	c.cmsgArray(data, 4, func(b []byte) { c.FD(int64(int32(binary.LittleEndian.Uint32(b)))) })
}

func cmsgCreds(c *Ctx, data []byte) {
	le := binary.LittleEndian
	o := c.Out
	o.Struct()
	o.Field("pid")
	c.PidArg(int64(int32(le.Uint32(data[0:]))))
	o.Field("uid")
	c.ID(le.Uint32(data[4:]))
	o.Field("gid")
	c.ID(le.Uint32(data[8:]))
	o.End()
}

func cmsgQuoted(c *Ctx, data []byte) { c.Out.Bytes(data, false) }

func cmsgUints(c *Ctx, data []byte) {
	c.cmsgArray(data, 4, func(b []byte) { c.Out.Uint(uint64(binary.LittleEndian.Uint32(b))) })
}

func cmsgXint8s(c *Ctx, data []byte) {
	c.cmsgArray(data, 1, func(b []byte) { c.Out.Hex(uint64(b[0])) })
}

// cmsgTime appends a struct timeval or timespec of two fields of width
// bytes each, or ??? when data is shorter (strace's *_data_size printers).
func (c *Ctx) cmsgTime(data []byte, width int, frac string) {
	o := c.Out
	if len(data) < 2*width {
		o.Unread()
		return
	}
	o.Struct()
	o.Field("tv_sec")
	if width == 8 {
		o.Int(int64(binary.LittleEndian.Uint64(data)))
		o.Field(frac)
		o.Uint(binary.LittleEndian.Uint64(data[8:]))
	} else {
		o.Int(int64(int32(binary.LittleEndian.Uint32(data))))
		o.Field(frac)
		o.Uint(uint64(binary.LittleEndian.Uint32(data[4:])))
	}
	o.End()
}

// cmsgTimes appends the three struct timespec of SO_TIMESTAMPING, or ???
// when data holds fewer.
func (c *Ctx) cmsgTimes(data []byte, width int) {
	if len(data) < 3*2*width {
		c.Out.Unread()
		return
	}
	c.Out.Array()
	for i := range 3 {
		c.cmsgTime(data[2*width*i:], width, "tv_nsec")
	}
	c.Out.End()
}

// wordWidth is the width of the tracee's long: the fields of its
// struct timeval and timespec.
func (c *Ctx) wordWidth() int { return c.Call.Arch.WordSize }

func cmsgTimevalOld(c *Ctx, data []byte)   { c.cmsgTime(data, c.wordWidth(), "tv_usec") }
func cmsgTimespecOld(c *Ctx, data []byte)  { c.cmsgTime(data, c.wordWidth(), "tv_nsec") }
func cmsgTimespecsOld(c *Ctx, data []byte) { c.cmsgTimes(data, c.wordWidth()) }
func cmsgTimeval64(c *Ctx, data []byte)    { c.cmsgTime(data, 8, "tv_usec") }
func cmsgTimespec64(c *Ctx, data []byte)   { c.cmsgTime(data, 8, "tv_nsec") }
func cmsgTimespecs64(c *Ctx, data []byte)  { c.cmsgTimes(data, 8) }

// inetAddr appends 4 bytes of an IPv4 address: inet_addr("127.0.0.1").
func (c *Ctx) inetAddr(b []byte) {
	c.Out.Call("inet_addr")
	c.Out.Bytes(netip.AddrFrom4([4]byte(b[:4])).AppendTo(nil), false)
	c.Out.End()
}

// cmsgPktinfo appends a struct in_pktinfo.
func cmsgPktinfo(c *Ctx, data []byte) {
	o := c.Out
	o.Struct()
	o.Field("ipi_ifindex")
	c.ifIndex(binary.LittleEndian.Uint32(data))
	o.Field("ipi_spec_dst")
	c.inetAddr(data[4:8])
	o.Field("ipi_addr")
	c.inetAddr(data[8:12])
	o.End()
}

// cmsgRecverr appends a struct sock_extended_err and the offender's
// struct sockaddr_in after it.
func cmsgRecverr(c *Ctx, data []byte) {
	le := binary.LittleEndian
	o := c.Out
	o.Struct()
	o.Field("ee_errno")
	o.Uint(uint64(le.Uint32(data)))
	o.Field("ee_origin")
	o.Uint(uint64(data[4]))
	o.Field("ee_type")
	o.Uint(uint64(data[5]))
	o.Field("ee_code")
	o.Uint(uint64(data[6]))
	o.Field("ee_info")
	o.Uint(uint64(le.Uint32(data[8:])))
	o.Field("ee_data")
	o.Uint(uint64(le.Uint32(data[12:])))
	o.Field("offender")
	var sa [sockaddrMax + 1]byte
	copy(sa[:], data[16:32])
	c.printSockaddr(sa[:], 16)
	o.End()
}

// cmsgOrigDst appends the socket address of IP_ORIGDSTADDR.
func cmsgOrigDst(c *Ctx, data []byte) {
	var sa [sockaddrMax + 1]byte
	n := copy(sa[:sockaddrMax], data)
	c.printSockaddr(sa[:], n)
}
