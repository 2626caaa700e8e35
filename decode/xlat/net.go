package xlat

// Sockets: address families and socket types.

// AddressFamilies is strace's addrfams (socket's domain, sa_family); the
// same numbers on x86 and aarch64. strace 6.1 ends at AF_MCTP (45).
var AddressFamilies = &Set{
	Name:  "addrfams",
	Style: Enum,
	Pairs: []Pair{
		{0, "AF_UNSPEC"},
		{1, "AF_UNIX"},
		{2, "AF_INET"},
		{3, "AF_AX25"},
		{4, "AF_IPX"},
		{5, "AF_APPLETALK"},
		{6, "AF_NETROM"},
		{7, "AF_BRIDGE"},
		{8, "AF_ATMPVC"},
		{9, "AF_X25"},
		{10, "AF_INET6"},
		{11, "AF_ROSE"},
		{12, "AF_DECnet"},
		{13, "AF_NETBEUI"},
		{14, "AF_SECURITY"},
		{15, "AF_KEY"},
		{16, "AF_NETLINK"},
		{17, "AF_PACKET"},
		{18, "AF_ASH"},
		{19, "AF_ECONET"},
		{20, "AF_ATMSVC"},
		{21, "AF_RDS"},
		{22, "AF_SNA"},
		{23, "AF_IRDA"},
		{24, "AF_PPPOX"},
		{25, "AF_WANPIPE"},
		{26, "AF_LLC"},
		{27, "AF_IB"},
		{28, "AF_MPLS"},
		{29, "AF_CAN"},
		{30, "AF_TIPC"},
		{31, "AF_BLUETOOTH"},
		{32, "AF_IUCV"},
		{33, "AF_RXRPC"},
		{34, "AF_ISDN"},
		{35, "AF_PHONET"},
		{36, "AF_IEEE802154"},
		{37, "AF_CAIF"},
		{38, "AF_ALG"},
		{39, "AF_NFC"},
		{40, "AF_VSOCK"},
		{41, "AF_KCM"},
		{42, "AF_QIPCRTR"},
		{43, "AF_SMC"},
		{44, "AF_XDP"},
		{45, "AF_MCTP"},
	},
	Unknown: "AF_???",
}

// SocketTypes is strace's socktypes, the SOCK_TYPE_MASK (0xf) field of
// socket's type (x86 and aarch64; MIPS differs).
var SocketTypes = &Set{
	Name:  "socktypes",
	Style: Enum,
	Pairs: []Pair{
		{1, "SOCK_STREAM"},
		{2, "SOCK_DGRAM"},
		{3, "SOCK_RAW"},
		{4, "SOCK_RDM"},
		{5, "SOCK_SEQPACKET"},
		{6, "SOCK_DCCP"},
		{10, "SOCK_PACKET"},
	},
	Unknown: "SOCK_???",
}

// SocketTypeFlags is strace's sock_type_flags, the flag bits of socket's
// type (they equal O_CLOEXEC and O_NONBLOCK on x86 and aarch64 alike).
var SocketTypeFlags = &Set{
	Name:  "sock_type_flags",
	Style: Flags,
	Pairs: []Pair{
		{0o2000000, "SOCK_CLOEXEC"},
		{0o4000, "SOCK_NONBLOCK"},
	},
	Unknown: "SOCK_???",
}

const sockTypeMask = 0xf

// AppendSocketType appends socket/socketpair's type as strace's
// tprint_sock_type: the type name, then '|' and the flags printed with
// their own /* SOCK_??? */ default. An unknown type is not split off:
// SOCK_STREAM|SOCK_CLOEXEC, SOCK_DGRAM|SOCK_CLOEXEC|SOCK_NONBLOCK,
// SOCK_STREAM|0x100000 /* SOCK_??? */, 0x7f /* SOCK_??? */, 0.
func AppendSocketType(dst []byte, v uint64) []byte {
	v &= 0xffffffff
	if name, ok := SocketTypes.Lookup(v & sockTypeMask); ok {
		dst = append(dst, name...)
		v &^= sockTypeMask
		if v == 0 {
			return dst
		}
		dst = append(dst, '|')
	}
	return SocketTypeFlags.AppendFlags(dst, v)
}
