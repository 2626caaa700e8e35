package decode_test

import (
	"encoding/binary"
	"testing"

	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/sysent"
)

// The expected texts are strace 6.1's (testdata/fixtures/cov_ioctl.c, and
// the block requests on a loop device).
func TestIoctlDecode(t *testing.T) {
	ifreq64 := make([]byte, 40)
	copy(ifreq64, "lo")
	copy(ifreq64[16:], []byte{0x49, 0x80}) // IFF_UP|IFF_LOOPBACK|IFF_RUNNING|IFF_DYNAMIC
	hw := make([]byte, 40)
	copy(hw, "eth0")
	copy(hw[16:], []byte{1, 0, 2, 0, 0, 0xaa, 0xbb, 0xcc, 0xdd})
	mem := fakeMem{
		0x1000: ifreq64,
		0x2000: netLE32(512),
		0x3000: binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, 1048576), 4096),
		0x4000: hw,
	}
	tests := []struct {
		a           *arch.Arch
		tab         *sysent.Table
		rval        int64
		args        []uint64
		enter, exit string
	}{
		{arch.X86_64, sysent.X86_64, 0, []uint64{3, 0x8913, 0x1000}, `3, SIOCGIFFLAGS`, `{ifr_name="lo", ifr_flags=IFF_UP|IFF_LOOPBACK|IFF_RUNNING|IFF_DYNAMIC}`},
		{arch.X86_64, sysent.X86_64, -19, []uint64{3, 0x8913, 0x1000}, `3, SIOCGIFFLAGS`, `{ifr_name="lo"}`},
		{arch.X86_64, sysent.X86_64, -14, []uint64{3, 0x8913, 1}, `3, SIOCGIFFLAGS, 0x1`, ``},
		{arch.X86_64, sysent.X86_64, -9, []uint64{3, 0x8914, 0x1000}, `3, SIOCSIFFLAGS, {ifr_name="lo", ifr_flags=IFF_UP|IFF_LOOPBACK|IFF_RUNNING|IFF_DYNAMIC}`, ``},
		{arch.X86_64, sysent.X86_64, 0, []uint64{3, 0x8927, 0x4000}, `3, SIOCGIFHWADDR`, `{ifr_name="eth0", ifr_hwaddr={sa_family=ARPHRD_ETHER, sa_data=02:00:00:aa:bb:cc}}`},
		{arch.X86_64, sysent.X86_64, 0, []uint64{3, 0x541b, 0x2000}, `3, FIONREAD`, `[512]`},
		{arch.X86_64, sysent.X86_64, -25, []uint64{3, 0x8905, 0x2000}, `3, SIOCATMARK`, `0x2000`},
		{arch.X86_64, sysent.X86_64, 0, []uint64{3, 0x80081272, 0x3000}, `3, BLKGETSIZE64`, `[1048576]`},
		{arch.I386, sysent.I386, 0, []uint64{3, 0x80041272, 0x3000}, `3, BLKGETSIZE64`, `[1048576]`},
		{arch.I386, sysent.I386, 0, []uint64{3, 0x80081272, 0x3000}, `3, _IOC(_IOC_READ, 0x12, 0x72, 0x8), 0x3000`, ``},
		{arch.X86_64, sysent.X86_64, 0, []uint64{3, 0x1277, 0x3000}, `3, BLKDISCARD, [1048576, 4096]`, ``},
		{arch.X86_64, sysent.X86_64, -22, []uint64{3, 0x125f, 0}, `3, BLKRRPART`, ``},
		{arch.X86_64, sysent.X86_64, 0, []uint64{3, 0x1262, 256}, `3, BLKRASET, 256`, ``},
		{arch.X86_64, sysent.X86_64, 0, []uint64{3, 0x127e, 0x2000}, `3, BLKROTATIONAL`, `[512]`},
		{arch.X86_64, sysent.X86_64, -25, []uint64{3, 0x1269, 1}, `3, BLKPG, 0x1`, ``},
		{arch.I386, sysent.I386, -25, []uint64{3, 0xc0401273, 1}, `3, BLKTRACESETUP, 0x1`, ``},
		{arch.X86_64, sysent.X86_64, -25, []uint64{3, 0x12ff, 0}, `3, _IOC(_IOC_NONE, 0x12, 0xff, 0), 0`, ``},
	}
	for _, tt := range tests {
		enter, exit, _ := run(t, tt.a, tt.tab, "ioctl", mem, decode.DefaultOptions, tt.rval, tt.args...)
		if enter != tt.enter || exit != tt.exit {
			t.Errorf("%s ioctl%#x:\n got  enter %s\n      exit %s\n want enter %s\n      exit %s", tt.a.Name, tt.args, enter, exit, tt.enter, tt.exit)
		}
	}
}
