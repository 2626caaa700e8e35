package xlat

import "strconv"

// Sets of the socket address families beyond IP, UNIX, netlink and packet,
// as strace 6.1 knows them (checked against the installed binary).

// Sets without an Unknown comment print unknown values as bare hex, as
// strace's printxval with a NULL default does.
var (
	VsockCids = &Set{Name: "vsock_cids", Style: Enum, Pairs: []Pair{
		{0xffffffff, "VMADDR_CID_ANY"}, {0, "VMADDR_CID_HYPERVISOR"}, {1, "VMADDR_CID_LOCAL"}, {2, "VMADDR_CID_HOST"}}}
	VsockPorts = &Set{Name: "vsock_ports", Style: Enum, Pairs: []Pair{{0xffffffff, "VMADDR_PORT_ANY"}}}
	VsockFlags = &Set{Name: "vsock_flags", Style: Flags, Pairs: []Pair{{1, "VMADDR_FLAG_TO_HOST"}},
		Unknown: "VMADDR_FLAG_???"}
	QrtrNodes = &Set{Name: "qipcrtr_nodes", Style: Enum, Pairs: []Pair{{0xffffffff, "QRTR_NODE_BCAST"}}}
	QrtrPorts = &Set{Name: "qipcrtr_ports", Style: Enum, Pairs: []Pair{{0xfffffffe, "QRTR_PORT_CTRL"}}}
	// XDPSockaddrFlags has no XDP_USE_SG: strace 6.1 predates it.
	XDPSockaddrFlags = &Set{Name: "xdp_sockaddr_flags", Style: Flags, Pairs: []Pair{
		{1, "XDP_SHARED_UMEM"}, {2, "XDP_COPY"}, {4, "XDP_ZEROCOPY"}, {8, "XDP_USE_NEED_WAKEUP"}}, Unknown: "XDP_???"}
	MCTPNets    = &Set{Name: "mctp_nets", Style: Enum, Pairs: []Pair{{0, "MCTP_NET_ANY"}}}
	MCTPAddrs   = &Set{Name: "mctp_addrs", Style: Enum, Pairs: []Pair{{0, "MCTP_ADDR_NULL"}, {0xff, "MCTP_ADDR_ANY"}}}
	HCIChannels = &Set{Name: "hci_channels", Style: Enum, Pairs: []Pair{
		{0, "HCI_CHANNEL_RAW"}, {1, "HCI_CHANNEL_USER"}, {2, "HCI_CHANNEL_MONITOR"}, {3, "HCI_CHANNEL_CONTROL"},
		{4, "HCI_CHANNEL_LOGGING"}}, Unknown: "HCI_CHANNEL_???"}
	BDAddrTypes = &Set{Name: "bdaddr_types", Style: Enum, Pairs: []Pair{
		{0, "BDADDR_BREDR"}, {1, "BDADDR_LE_PUBLIC"}, {2, "BDADDR_LE_RANDOM"}}, Unknown: "BDADDR_???"}
	BluetoothL2PSM = &Set{Name: "bluetooth_l2_psm", Style: Enum, Pairs: []Pair{
		{0x0001, "L2CAP_PSM_SDP"}, {0x0003, "L2CAP_PSM_RFCOMM"}, {0x0021, "L2CAP_PSM_3DSP"}, {0x0023, "L2CAP_PSM_IPSP"},
		{0x0080, "L2CAP_PSM_LE_DYN_START"}, {0x00ff, "L2CAP_PSM_LE_DYN_END"}, {0x1001, "L2CAP_PSM_DYN_START"},
		{0x10ff, "L2CAP_PSM_AUTO_END"}, {0xffff, "L2CAP_PSM_DYN_END"}}}
	BluetoothL2CID = &Set{Name: "bluetooth_l2_cid", Style: Enum, Pairs: []Pair{
		{0x0001, "L2CAP_CID_SIGNALING"}, {0x0002, "L2CAP_CID_CONN_LESS"}, {0x0003, "L2CAP_CID_A2MP"}, {0x0004, "L2CAP_CID_ATT"},
		{0x0005, "L2CAP_CID_LE_SIGNALING"}, {0x0006, "L2CAP_CID_SMP"}, {0x0007, "L2CAP_CID_SMP_BREDR"},
		{0x0040, "L2CAP_CID_DYN_START"}, {0x007f, "L2CAP_CID_LE_DYN_END"}, {0xffff, "L2CAP_CID_DYN_END"}}}
)

// AppendL2PSM appends an L2CAP PSM as strace's print_bluetooth_l2_psm,
// inside htobs(): its name, a dynamic range's start plus an offset, or the
// number with an L2CAP_PSM_??? comment.
func AppendL2PSM(dst []byte, psm uint64) []byte {
	return appendL2(dst, psm, BluetoothL2PSM, []l2Range{{0x80, 0xff, "L2CAP_PSM_LE_DYN_START"}, {0x1001, 0xffff, "L2CAP_PSM_DYN_START"}}, "L2CAP_PSM_???")
}

// AppendL2CID appends an L2CAP CID as strace's print_bluetooth_l2_cid.
func AppendL2CID(dst []byte, cid uint64) []byte {
	return appendL2(dst, cid, BluetoothL2CID, []l2Range{{0x40, 0xffff, "L2CAP_CID_DYN_START"}}, "L2CAP_CID_???")
}

type l2Range struct {
	lo, hi uint64
	name   string
}

func appendL2(dst []byte, v uint64, set *Set, ranges []l2Range, unknown string) []byte {
	dst = append(dst, "htobs("...)
	if n, ok := set.Lookup(v); ok {
		return append(append(dst, n...), ')')
	}
	for _, r := range ranges {
		if v >= r.lo && v <= r.hi {
			dst = append(dst, r.name...)
			dst = append(dst, '+')
			return append(strconv.AppendUint(dst, v-r.lo, 10), ')')
		}
	}
	dst = appendUnknown(appendHex(dst, v), unknown)
	return append(dst, ')')
}
