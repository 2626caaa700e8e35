package xlat

import "testing"

func TestSocketSets(t *testing.T) {
	checkSet(t, InetProtocols, []strCase{{0, "IPPROTO_IP"}, {6, "IPPROTO_TCP"}, {17, "IPPROTO_UDP"}, {132, "IPPROTO_SCTP"}, {262, "IPPROTO_MPTCP"}, {144, "0x90 /* IPPROTO_??? */"}})
	checkSet(t, NetlinkProtocols, []strCase{{0, "NETLINK_ROUTE"}, {4, "NETLINK_SOCK_DIAG"}, {16, "NETLINK_GENERIC"}, {17, "0x11 /* NETLINK_??? */"}})
	checkSet(t, SocketLayers, []strCase{{0, "SOL_IP"}, {1, "SOL_SOCKET"}, {6, "SOL_TCP"}, {41, "SOL_IPV6"}, {270, "SOL_NETLINK"}, {12345, "0x3039 /* SOL_?? */"}})
	checkSet(t, SockOptions, []strCase{{2, "SO_REUSEADDR"}, {3, "SO_TYPE"}, {13, "SO_LINGER"}, {25, "SO_BINDTODEVICE"}, {75, "SO_RCVMARK"}, {999, "0x3e7 /* SO_??? */"}})
	checkSet(t, SockTCPOptions, []strCase{{1, "TCP_NODELAY"}, {2, "TCP_MAXSEG"}, {37, "TCP_TX_DELAY"}})
	checkSet(t, SockIPOptions, []strCase{{2, "IP_TTL"}, {50, "IP_UNICAST_IF"}})
	checkSet(t, SockIPv6Options, []strCase{{26, "IPV6_V6ONLY"}})
	checkSet(t, ShutdownModes, []strCase{{0, "SHUT_RD"}, {1, "SHUT_WR"}, {2, "SHUT_RDWR"}, {7, "0x7 /* SHUT_??? */"}})
	checkSet(t, MsgFlags, []strCase{{0, "0"}, {0x40, "MSG_DONTWAIT"}, {0x4040, "MSG_DONTWAIT|MSG_NOSIGNAL"}, {0x1000000, "0x1000000 /* MSG_??? */"}})
	checkSet(t, EthernetProtocols, []strCase{{3, "ETH_P_ALL"}, {0x800, "ETH_P_IP"}})
}

func TestSockOptionNames(t *testing.T) {
	if _, s, ok := SockOptionNames(SolSocket, true); !ok || s != GetsockOptions {
		t.Errorf("SOL_SOCKET getsockopt: got %v %v", s, ok)
	}
	if _, s, ok := SockOptionNames(SolSocket, false); !ok || s != SetsockOptions {
		t.Errorf("SOL_SOCKET setsockopt: got %v %v", s, ok)
	}
	if _, _, ok := SockOptionNames(270, true); ok {
		t.Error("SOL_NETLINK options have no names in sonde")
	}
}
