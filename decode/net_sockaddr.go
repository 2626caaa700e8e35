package decode

// Socket addresses of the families beyond IP, UNIX, netlink and packet
// that strace 6.1's print_sockaddr decodes (src/sockaddr.c): vsock,
// XDP, Qualcomm IPC router, MCTP, Bluetooth.

import (
	"encoding/binary"

	"github.com/sonde-dev/sonde/decode/xlat"
)

const (
	afBluetooth = 31
	afVsock     = 40
	afQipcrtr   = 42
	afXDP       = 44
	afMCTP      = 45
)

func init() {
	for fam, p := range map[uint64]sockaddrPrinter{
		afBluetooth: {3, (*Ctx).sockaddrBt},
		afVsock:     {16, (*Ctx).sockaddrVm},
		afQipcrtr:   {12, (*Ctx).sockaddrQrtr},
		afXDP:       {16, (*Ctx).sockaddrXDP},
		afMCTP:      {12, (*Ctx).sockaddrMCTP},
	} {
		sockaddrPrinters[fam] = p
	}
}

// sockaddrVm appends a struct sockaddr_vm.
func (c *Ctx) sockaddrVm(buf []byte, _ int) {
	le := binary.LittleEndian
	o := c.Out
	if r := le.Uint16(buf[2:]); r != 0 {
		o.Field("svm_reserved1")
		o.Hex(uint64(r))
	}
	o.Field("svm_cid")
	o.Set(xlat.VsockCids, uint64(le.Uint32(buf[8:])))
	o.Field("svm_port")
	o.Set(xlat.VsockPorts, uint64(le.Uint32(buf[4:])))
	o.Field("svm_flags")
	o.Set(xlat.VsockFlags, uint64(buf[12]))
	if zero := buf[13:16]; zero[0]|zero[1]|zero[2] != 0 {
		o.Field("svm_zero")
		c.hexBytes(zero)
	}
}

// sockaddrQrtr appends a struct sockaddr_qrtr.
func (c *Ctx) sockaddrQrtr(buf []byte, _ int) {
	le := binary.LittleEndian
	c.Out.Field("sq_node")
	c.Out.Set(xlat.QrtrNodes, uint64(le.Uint32(buf[4:])))
	c.Out.Field("sq_port")
	c.Out.Set(xlat.QrtrPorts, uint64(le.Uint32(buf[8:])))
}

// sockaddrXDP appends a struct sockaddr_xdp: the shared umem descriptor as
// a descriptor with XDP_SHARED_UMEM, else in hex when not zero.
func (c *Ctx) sockaddrXDP(buf []byte, _ int) {
	le := binary.LittleEndian
	o := c.Out
	flags := le.Uint16(buf[2:])
	o.Field("sxdp_flags")
	o.Set(xlat.XDPSockaddrFlags, uint64(flags))
	o.Field("sxdp_ifindex")
	c.ifIndex(le.Uint32(buf[4:]))
	o.Field("sxdp_queue_id")
	o.Uint(uint64(le.Uint32(buf[8:])))
	fd := le.Uint32(buf[12:])
	switch {
	case flags&1 != 0:
		o.Field("sxdp_shared_umem_fd")
		c.FD(int64(int32(fd)))
	case fd != 0:
		o.Field("sxdp_shared_umem_fd")
		o.Hex(uint64(fd))
	}
}

// sockaddrMCTP appends a struct sockaddr_mctp, its padding when not zero.
func (c *Ctx) sockaddrMCTP(buf []byte, _ int) {
	le := binary.LittleEndian
	o := c.Out
	if pad := le.Uint16(buf[2:]); pad != 0 {
		o.Field("__smctp_pad0")
		o.Hex(uint64(pad))
	}
	o.Field("smctp_network")
	o.Set(xlat.MCTPNets, uint64(le.Uint32(buf[4:])))
	o.Field("smctp_addr")
	o.Struct()
	o.Field("s_addr")
	o.Set(xlat.MCTPAddrs, uint64(buf[8]))
	o.End()
	o.Field("smctp_type")
	o.Hex(uint64(buf[9]))
	o.Field("smctp_tag")
	o.Hex(uint64(buf[10]))
	if buf[11] != 0 {
		o.Field("__smctp_pad1")
		o.Hex(uint64(buf[11]))
	}
}

// sockaddrBt appends a Bluetooth address, its kind told by its length as
// strace does: struct sockaddr_hci, _sco, _rc or _l2, else sa_data.
func (c *Ctx) sockaddrBt(buf []byte, n int) {
	le := binary.LittleEndian
	o := c.Out
	mac := func(field string, b []byte) {
		o.Field(field)
		o.TextBytes(appendMAC(nil, b))
	}
	switch n {
	case 4, 6: // sockaddr_hci, without or with hci_channel
		o.Field("hci_dev")
		o.Call("htobs")
		o.Uint(uint64(le.Uint16(buf[2:])))
		o.End()
		if n == 6 {
			o.Field("hci_channel")
			o.Set(xlat.HCIChannels, uint64(le.Uint16(buf[4:])))
		}
	case 8: // sockaddr_sco
		mac("sco_bdaddr", buf[2:8])
	case 10: // sockaddr_rc
		mac("rc_bdaddr", buf[2:8])
		o.Field("rc_channel")
		o.Uint(uint64(buf[8]))
	case 12, 14: // sockaddr_l2, without or with l2_bdaddr_type
		o.Field("l2_psm")
		o.Set(formatterFunc(xlat.AppendL2PSM), uint64(le.Uint16(buf[2:])))
		mac("l2_bdaddr", buf[4:10])
		o.Field("l2_cid")
		o.Set(formatterFunc(xlat.AppendL2CID), uint64(le.Uint16(buf[10:])))
		if n == 14 {
			o.Field("l2_bdaddr_type")
			o.Set(xlat.BDAddrTypes, uint64(buf[12]))
		}
	default:
		o.Field("sa_data")
		o.Bytes(buf[2:n], false)
	}
}
