package xlat

// Sockets: protocols, option levels and names, shutdown modes, message
// flags (strace's inet_protocols, netlink_protocols, socketlayers,
// sock_options, sock_ip_options, sock_ipv6_options, sock_tcp_options,
// sock_udp_options, shutdown_modes, msg_flags, ethernet_protocols). The
// values are those of x86 and aarch64 (asm-generic/socket.h).

// InetProtocols is strace's inet_protocols: socket's protocol for AF_INET
// and AF_INET6.
var InetProtocols = &Set{
	Name:  "inet_protocols",
	Style: Enum,
	Pairs: []Pair{
		{0, "IPPROTO_IP"}, {1, "IPPROTO_ICMP"}, {2, "IPPROTO_IGMP"}, {4, "IPPROTO_IPIP"},
		{6, "IPPROTO_TCP"}, {8, "IPPROTO_EGP"}, {12, "IPPROTO_PUP"}, {17, "IPPROTO_UDP"},
		{22, "IPPROTO_IDP"}, {29, "IPPROTO_TP"}, {33, "IPPROTO_DCCP"}, {41, "IPPROTO_IPV6"},
		{43, "IPPROTO_ROUTING"}, {44, "IPPROTO_FRAGMENT"}, {46, "IPPROTO_RSVP"}, {47, "IPPROTO_GRE"},
		{50, "IPPROTO_ESP"}, {51, "IPPROTO_AH"}, {58, "IPPROTO_ICMPV6"}, {59, "IPPROTO_NONE"},
		{60, "IPPROTO_DSTOPTS"}, {92, "IPPROTO_MTP"}, {94, "IPPROTO_BEETPH"}, {98, "IPPROTO_ENCAP"},
		{103, "IPPROTO_PIM"}, {108, "IPPROTO_COMP"}, {115, "IPPROTO_L2TP"}, {132, "IPPROTO_SCTP"},
		{135, "IPPROTO_MH"}, {136, "IPPROTO_UDPLITE"}, {137, "IPPROTO_MPLS"}, {143, "IPPROTO_ETHERNET"},
		{255, "IPPROTO_RAW"}, {256, "IPPROTO_SMC"}, {262, "IPPROTO_MPTCP"},
	},
	Unknown: "IPPROTO_???",
}

// NetlinkProtocols is strace's netlink_protocols: socket's protocol for
// AF_NETLINK.
var NetlinkProtocols = &Set{
	Name:  "netlink_protocols",
	Style: Enum,
	Pairs: []Pair{
		{0, "NETLINK_ROUTE"}, {1, "NETLINK_UNUSED"}, {2, "NETLINK_USERSOCK"}, {3, "NETLINK_FIREWALL"},
		{4, "NETLINK_SOCK_DIAG"}, {5, "NETLINK_NFLOG"}, {6, "NETLINK_XFRM"}, {7, "NETLINK_SELINUX"},
		{8, "NETLINK_ISCSI"}, {9, "NETLINK_AUDIT"}, {10, "NETLINK_FIB_LOOKUP"}, {11, "NETLINK_CONNECTOR"},
		{12, "NETLINK_NETFILTER"}, {13, "NETLINK_IP6_FW"}, {14, "NETLINK_DNRTMSG"}, {15, "NETLINK_KOBJECT_UEVENT"},
		{16, "NETLINK_GENERIC"}, {18, "NETLINK_SCSITRANSPORT"}, {19, "NETLINK_ECRYPTFS"}, {20, "NETLINK_RDMA"},
		{21, "NETLINK_CRYPTO"}, {22, "NETLINK_SMC"},
	},
	Unknown: "NETLINK_???",
}

// SocketLayers is strace's socketlayers: the level of setsockopt and
// getsockopt. Its unknown comment has two question marks, as strace's.
var SocketLayers = &Set{
	Name:  "socketlayers",
	Style: Enum,
	Pairs: []Pair{
		{0, "SOL_IP"}, {1, "SOL_SOCKET"}, {6, "SOL_TCP"}, {17, "SOL_UDP"}, {40, "AF_VSOCK"},
		{41, "SOL_IPV6"}, {58, "SOL_ICMPV6"}, {100, "SOL_CAN_BASE"}, {101, "SOL_CAN_RAW"},
		{132, "SOL_SCTP"}, {136, "SOL_UDPLITE"}, {255, "SOL_RAW"}, {256, "SOL_IPX"}, {257, "SOL_AX25"},
		{258, "SOL_ATALK"}, {259, "SOL_NETROM"}, {260, "SOL_ROSE"}, {261, "SOL_DECNET"}, {262, "SOL_X25"},
		{263, "SOL_PACKET"}, {264, "SOL_ATM"}, {265, "SOL_AAL"}, {266, "SOL_IRDA"}, {267, "SOL_NETBEUI"},
		{268, "SOL_LLC"}, {269, "SOL_DCCP"}, {270, "SOL_NETLINK"}, {271, "SOL_TIPC"}, {272, "SOL_RXRPC"},
		{273, "SOL_PPPOL2TP"}, {274, "SOL_BLUETOOTH"}, {275, "SOL_PNPIPE"}, {276, "SOL_RDS"}, {277, "SOL_IUCV"},
		{278, "SOL_CAIF"}, {279, "SOL_ALG"}, {280, "SOL_NFC"}, {281, "SOL_KCM"}, {282, "SOL_TLS"}, {283, "SOL_XDP"},
	},
	Unknown: "SOL_??",
}

// The socket option levels sonde names the options of.
const (
	SolIP     = 0
	SolSocket = 1
	SolTCP    = 6
	SolUDP    = 17
	SolIPv6   = 41
)

// SockOptions is strace's sock_options, the SOL_SOCKET options common to
// getsockopt and setsockopt.
var SockOptions = &Set{
	Name:  "sock_options",
	Style: Enum,
	Pairs: []Pair{
		{1, "SO_DEBUG"}, {2, "SO_REUSEADDR"}, {3, "SO_TYPE"}, {4, "SO_ERROR"}, {5, "SO_DONTROUTE"},
		{6, "SO_BROADCAST"}, {7, "SO_SNDBUF"}, {8, "SO_RCVBUF"}, {9, "SO_KEEPALIVE"}, {10, "SO_OOBINLINE"},
		{11, "SO_NO_CHECK"}, {12, "SO_PRIORITY"}, {13, "SO_LINGER"}, {14, "SO_BSDCOMPAT"}, {15, "SO_REUSEPORT"},
		{16, "SO_PASSCRED"}, {17, "SO_PEERCRED"}, {18, "SO_RCVLOWAT"}, {19, "SO_SNDLOWAT"},
		{20, "SO_RCVTIMEO_OLD"}, {21, "SO_SNDTIMEO_OLD"}, {22, "SO_SECURITY_AUTHENTICATION"},
		{23, "SO_SECURITY_ENCRYPTION_TRANSPORT"}, {24, "SO_SECURITY_ENCRYPTION_NETWORK"},
		{25, "SO_BINDTODEVICE"}, {27, "SO_DETACH_FILTER"}, {28, "SO_PEERNAME"}, {29, "SO_TIMESTAMP_OLD"},
		{30, "SO_ACCEPTCONN"}, {31, "SO_PEERSEC"}, {32, "SO_SNDBUFFORCE"}, {33, "SO_RCVBUFFORCE"},
		{34, "SO_PASSSEC"}, {35, "SO_TIMESTAMPNS_OLD"}, {36, "SO_MARK"}, {37, "SO_TIMESTAMPING_OLD"},
		{38, "SO_PROTOCOL"}, {39, "SO_DOMAIN"}, {40, "SO_RXQ_OVFL"}, {41, "SO_WIFI_STATUS"},
		{42, "SO_PEEK_OFF"}, {43, "SO_NOFCS"}, {44, "SO_LOCK_FILTER"}, {45, "SO_SELECT_ERR_QUEUE"},
		{46, "SO_BUSY_POLL"}, {47, "SO_MAX_PACING_RATE"}, {48, "SO_BPF_EXTENSIONS"}, {49, "SO_INCOMING_CPU"},
		{50, "SO_ATTACH_BPF"}, {51, "SO_ATTACH_REUSEPORT_CBPF"}, {52, "SO_ATTACH_REUSEPORT_EBPF"},
		{53, "SO_CNX_ADVICE"}, {55, "SO_MEMINFO"}, {56, "SO_INCOMING_NAPI_ID"}, {57, "SO_COOKIE"},
		{59, "SO_PEERGROUPS"}, {60, "SO_ZEROCOPY"}, {61, "SO_TXTIME"}, {62, "SO_BINDTOIFINDEX"},
		{63, "SO_TIMESTAMP_NEW"}, {64, "SO_TIMESTAMPNS_NEW"}, {65, "SO_TIMESTAMPING_NEW"},
		{66, "SO_RCVTIMEO_NEW"}, {67, "SO_SNDTIMEO_NEW"}, {68, "SO_DETACH_REUSEPORT_BPF"},
		{69, "SO_PREFER_BUSY_POLL"}, {70, "SO_BUSY_POLL_BUDGET"}, {71, "SO_NETNS_COOKIE"},
		{72, "SO_BUF_LOCK"}, {73, "SO_RESERVE_MEM"}, {74, "SO_TXREHASH"}, {75, "SO_RCVMARK"},
	},
	Unknown: "SO_???",
}

// GetsockOptions and SetsockOptions are strace's getsock_options and
// setsock_options: the SOL_SOCKET options whose name depends on the call.
var (
	GetsockOptions = &Set{Name: "getsock_options", Style: Enum, Pairs: []Pair{{26, "SO_GET_FILTER"}}, Unknown: "SO_???"}
	SetsockOptions = &Set{Name: "setsock_options", Style: Enum, Pairs: []Pair{{26, "SO_ATTACH_FILTER"}}, Unknown: "SO_???"}
)

// SockIPOptions is strace's sock_ip_options (SOL_IP).
var SockIPOptions = &Set{
	Name:  "sock_ip_options",
	Style: Enum,
	Pairs: []Pair{
		{1, "IP_TOS"}, {2, "IP_TTL"}, {3, "IP_HDRINCL"}, {4, "IP_OPTIONS"}, {5, "IP_ROUTER_ALERT"},
		{6, "IP_RECVOPTS"}, {7, "IP_RETOPTS"}, {8, "IP_PKTINFO"}, {9, "IP_PKTOPTIONS"}, {10, "IP_MTU_DISCOVER"},
		{11, "IP_RECVERR"}, {12, "IP_RECVTTL"}, {13, "IP_RECVTOS"}, {14, "IP_MTU"}, {15, "IP_FREEBIND"},
		{16, "IP_IPSEC_POLICY"}, {17, "IP_XFRM_POLICY"}, {18, "IP_PASSSEC"}, {19, "IP_TRANSPARENT"},
		{20, "IP_ORIGDSTADDR"}, {21, "IP_MINTTL"}, {22, "IP_NODEFRAG"}, {23, "IP_CHECKSUM"},
		{24, "IP_BIND_ADDRESS_NO_PORT"}, {25, "IP_RECVFRAGSIZE"}, {26, "IP_RECVERR_RFC4884"},
		{32, "IP_MULTICAST_IF"}, {33, "IP_MULTICAST_TTL"}, {34, "IP_MULTICAST_LOOP"},
		{35, "IP_ADD_MEMBERSHIP"}, {36, "IP_DROP_MEMBERSHIP"}, {37, "IP_UNBLOCK_SOURCE"},
		{38, "IP_BLOCK_SOURCE"}, {39, "IP_ADD_SOURCE_MEMBERSHIP"}, {40, "IP_DROP_SOURCE_MEMBERSHIP"},
		{41, "IP_MSFILTER"}, {42, "MCAST_JOIN_GROUP"}, {43, "MCAST_BLOCK_SOURCE"},
		{44, "MCAST_UNBLOCK_SOURCE"}, {45, "MCAST_LEAVE_GROUP"}, {46, "MCAST_JOIN_SOURCE_GROUP"},
		{47, "MCAST_LEAVE_SOURCE_GROUP"}, {48, "MCAST_MSFILTER"}, {49, "IP_MULTICAST_ALL"},
		{50, "IP_UNICAST_IF"},
	},
	Unknown: "IP_???",
}

// SockIPv6Options is the part of strace's sock_ipv6_options (SOL_IPV6)
// sonde knows.
var SockIPv6Options = &Set{
	Name:  "sock_ipv6_options",
	Style: Enum,
	Pairs: []Pair{
		{1, "IPV6_ADDRFORM"}, {2, "IPV6_2292PKTINFO"}, {3, "IPV6_2292HOPOPTS"}, {4, "IPV6_2292DSTOPTS"},
		{5, "IPV6_2292RTHDR"}, {6, "IPV6_2292PKTOPTIONS"}, {7, "IPV6_CHECKSUM"}, {8, "IPV6_2292HOPLIMIT"},
		{9, "IPV6_NEXTHOP"}, {10, "IPV6_AUTHHDR"}, {11, "IPV6_FLOWINFO"}, {16, "IPV6_UNICAST_HOPS"},
		{17, "IPV6_MULTICAST_IF"}, {18, "IPV6_MULTICAST_HOPS"}, {19, "IPV6_MULTICAST_LOOP"},
		{20, "IPV6_ADD_MEMBERSHIP"}, {21, "IPV6_DROP_MEMBERSHIP"}, {22, "IPV6_ROUTER_ALERT"},
		{23, "IPV6_MTU_DISCOVER"}, {24, "IPV6_MTU"}, {25, "IPV6_RECVERR"}, {26, "IPV6_V6ONLY"},
		{27, "IPV6_JOIN_ANYCAST"}, {28, "IPV6_LEAVE_ANYCAST"}, {49, "IPV6_RECVPKTINFO"},
		{50, "IPV6_PKTINFO"}, {51, "IPV6_RECVHOPLIMIT"}, {52, "IPV6_HOPLIMIT"},
		{67, "IPV6_TCLASS"},
	},
	Unknown: "IPV6_???",
}

// SockTCPOptions is strace's sock_tcp_options (SOL_TCP).
var SockTCPOptions = &Set{
	Name:  "sock_tcp_options",
	Style: Enum,
	Pairs: []Pair{
		{1, "TCP_NODELAY"}, {2, "TCP_MAXSEG"}, {3, "TCP_CORK"}, {4, "TCP_KEEPIDLE"}, {5, "TCP_KEEPINTVL"},
		{6, "TCP_KEEPCNT"}, {7, "TCP_SYNCNT"}, {8, "TCP_LINGER2"}, {9, "TCP_DEFER_ACCEPT"},
		{10, "TCP_WINDOW_CLAMP"}, {11, "TCP_INFO"}, {12, "TCP_QUICKACK"}, {13, "TCP_CONGESTION"},
		{14, "TCP_MD5SIG"}, {15, "TCP_COOKIE_TRANSACTIONS"}, {16, "TCP_THIN_LINEAR_TIMEOUTS"},
		{17, "TCP_THIN_DUPACK"}, {18, "TCP_USER_TIMEOUT"}, {19, "TCP_REPAIR"}, {20, "TCP_REPAIR_QUEUE"},
		{21, "TCP_QUEUE_SEQ"}, {22, "TCP_REPAIR_OPTIONS"}, {23, "TCP_FASTOPEN"}, {24, "TCP_TIMESTAMP"},
		{25, "TCP_NOTSENT_LOWAT"}, {26, "TCP_CC_INFO"}, {27, "TCP_SAVE_SYN"}, {28, "TCP_SAVED_SYN"},
		{29, "TCP_REPAIR_WINDOW"}, {30, "TCP_FASTOPEN_CONNECT"}, {31, "TCP_ULP"}, {32, "TCP_MD5SIG_EXT"},
		{33, "TCP_FASTOPEN_KEY"}, {34, "TCP_FASTOPEN_NO_COOKIE"}, {35, "TCP_ZEROCOPY_RECEIVE"},
		{36, "TCP_INQ"}, {37, "TCP_TX_DELAY"},
	},
	Unknown: "TCP_???",
}

// SockUDPOptions is strace's sock_udp_options (SOL_UDP).
var SockUDPOptions = &Set{
	Name:  "sock_udp_options",
	Style: Enum,
	Pairs: []Pair{
		{1, "UDP_CORK"}, {100, "UDP_ENCAP"}, {101, "UDP_NO_CHECK6_TX"}, {102, "UDP_NO_CHECK6_RX"},
		{103, "UDP_SEGMENT"}, {104, "UDP_GRO"},
	},
	Unknown: "UDP_???",
}

// ShutdownModes is strace's shutdown_modes.
var ShutdownModes = &Set{
	Name:    "shutdown_modes",
	Style:   Enum,
	Pairs:   []Pair{{0, "SHUT_RD"}, {1, "SHUT_WR"}, {2, "SHUT_RDWR"}},
	Unknown: "SHUT_???",
}

// MsgFlags is strace's msg_flags: the flags of send*, recv*.
var MsgFlags = &Set{
	Name:  "msg_flags",
	Style: Flags,
	Pairs: []Pair{
		{0x1, "MSG_OOB"}, {0x2, "MSG_PEEK"}, {0x4, "MSG_DONTROUTE"}, {0x8, "MSG_CTRUNC"},
		{0x10, "MSG_PROBE"}, {0x20, "MSG_TRUNC"}, {0x40, "MSG_DONTWAIT"}, {0x80, "MSG_EOR"},
		{0x100, "MSG_WAITALL"}, {0x200, "MSG_FIN"}, {0x400, "MSG_SYN"}, {0x800, "MSG_CONFIRM"},
		{0x1000, "MSG_RST"}, {0x2000, "MSG_ERRQUEUE"}, {0x4000, "MSG_NOSIGNAL"}, {0x8000, "MSG_MORE"},
		{0x10000, "MSG_WAITFORONE"}, {0x20000, "MSG_SENDPAGE_NOTLAST"}, {0x40000, "MSG_BATCH"},
		{0x80000, "MSG_NO_SHARED_FRAGS"}, {0x4000000, "MSG_ZEROCOPY"}, {0x20000000, "MSG_FASTOPEN"},
		{0x40000000, "MSG_CMSG_CLOEXEC"}, {0x80000000, "MSG_CMSG_COMPAT"},
	},
	Unknown: "MSG_???",
}

// SockOptionNames returns the set naming the options of level for
// getsockopt (get) or setsockopt, and the set of names specific to that
// call (nil when none); ok is false for a level whose options print as a
// number.
func SockOptionNames(level uint64, get bool) (common, specific *Set, ok bool) {
	switch level {
	case SolSocket:
		if get {
			return SockOptions, GetsockOptions, true
		}
		return SockOptions, SetsockOptions, true
	case SolIP:
		return SockIPOptions, nil, true
	case SolIPv6:
		return SockIPv6Options, nil, true
	case SolTCP:
		return SockTCPOptions, nil, true
	case SolUDP:
		return SockUDPOptions, nil, true
	}
	return nil, nil, false
}
