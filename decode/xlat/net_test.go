package xlat

import "testing"

func TestAddressFamilies(t *testing.T) {
	checkSet(t, AddressFamilies, []strCase{
		{0, "AF_UNSPEC"},
		{1, "AF_UNIX"},
		{2, "AF_INET"},
		{10, "AF_INET6"},
		{12, "AF_DECnet"},
		{16, "AF_NETLINK"},
		{17, "AF_PACKET"},
		{40, "AF_VSOCK"},
		{45, "AF_MCTP"},
		{46, "0x2e /* AF_??? */"},
	})
}

func TestAppendSocketType(t *testing.T) {
	checkAppend(t, "AppendSocketType", AppendSocketType, []strCase{
		{0, "0"},
		{1, "SOCK_STREAM"},
		{6, "SOCK_DCCP"},
		{7, "0x7 /* SOCK_??? */"},
		{10, "SOCK_PACKET"},
		{0x7f, "0x7f /* SOCK_??? */"},
		{0x80001, "SOCK_STREAM|SOCK_CLOEXEC"},
		{0x801, "SOCK_STREAM|SOCK_NONBLOCK"},
		{0x80802, "SOCK_DGRAM|SOCK_CLOEXEC|SOCK_NONBLOCK"},
		{0x100001, "SOCK_STREAM|0x100000 /* SOCK_??? */"},
	})
}
