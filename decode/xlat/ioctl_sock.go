package xlat

// Socket (type 0x89, linux/sockios.h) and block device (type 0x12,
// linux/fs.h) ioctl requests, named as strace 6.1 prints them (every
// number checked against the installed binary on x86_64 and i386).

// SockIoctls are strace's 0x89 requests.
var SockIoctls = &Set{
	Name:  "ioctl_sock",
	Style: Enum,
	Pairs: []Pair{
		{0x8901, "FIOSETOWN"},
		{0x8902, "SIOCSPGRP"},
		{0x8903, "FIOGETOWN"},
		{0x8904, "SIOCGPGRP"},
		{0x8905, "SIOCATMARK"},
		{0x8906, "SIOCGSTAMP_OLD"},
		{0x8907, "SIOCGSTAMPNS_OLD"},
		{0x890b, "SIOCADDRT"},
		{0x890c, "SIOCDELRT"},
		{0x890d, "SIOCRTMSG"},
		{0x8910, "SIOCGIFNAME"},
		{0x8911, "SIOCSIFLINK"},
		{0x8912, "SIOCGIFCONF"},
		{0x8913, "SIOCGIFFLAGS"},
		{0x8914, "SIOCSIFFLAGS"},
		{0x8915, "SIOCGIFADDR"},
		{0x8916, "SIOCSIFADDR"},
		{0x8917, "SIOCGIFDSTADDR"},
		{0x8918, "SIOCSIFDSTADDR"},
		{0x8919, "SIOCGIFBRDADDR"},
		{0x891a, "SIOCSIFBRDADDR"},
		{0x891b, "SIOCGIFNETMASK"},
		{0x891c, "SIOCSIFNETMASK"},
		{0x891d, "SIOCGIFMETRIC"},
		{0x891e, "SIOCSIFMETRIC"},
		{0x891f, "SIOCGIFMEM"},
		{0x8920, "SIOCSIFMEM"},
		{0x8921, "SIOCGIFMTU"},
		{0x8922, "SIOCSIFMTU"},
		{0x8923, "SIOCSIFNAME"},
		{0x8924, "SIOCSIFHWADDR"},
		{0x8925, "SIOCGIFENCAP"},
		{0x8926, "SIOCSIFENCAP"},
		{0x8927, "SIOCGIFHWADDR"},
		{0x8929, "SIOCGIFSLAVE"},
		{0x8930, "SIOCSIFSLAVE"},
		{0x8931, "SIOCADDMULTI"},
		{0x8932, "SIOCDELMULTI"},
		{0x8933, "SIOCGIFINDEX"},
		{0x8934, "SIOCSIFPFLAGS"},
		{0x8935, "SIOCGIFPFLAGS"},
		{0x8936, "SIOCDIFADDR"},
		{0x8937, "SIOCSIFHWBROADCAST"},
		{0x8938, "SIOCGIFCOUNT"},
		{0x8940, "SIOCGIFBR"},
		{0x8941, "SIOCSIFBR"},
		{0x8942, "SIOCGIFTXQLEN"},
		{0x8943, "SIOCSIFTXQLEN"},
		{0x8946, "SIOCETHTOOL"},
		{0x8947, "SIOCGMIIPHY"},
		{0x8948, "SIOCGMIIREG"},
		{0x8949, "SIOCSMIIREG"},
		{0x894a, "SIOCWANDEV"},
		{0x894b, "SIOCOUTQNSD"},
		{0x894c, "SIOCGSKNS"},
		{0x8953, "SIOCDARP"},
		{0x8954, "SIOCGARP"},
		{0x8955, "SIOCSARP"},
		{0x8960, "SIOCDRARP"},
		{0x8961, "SIOCGRARP"},
		{0x8962, "SIOCSRARP"},
		{0x8970, "SIOCGIFMAP"},
		{0x8971, "SIOCSIFMAP"},
		{0x8980, "SIOCADDDLCI"},
		{0x8981, "SIOCDELDLCI"},
		{0x8982, "SIOCGIFVLAN"},
		{0x8983, "SIOCSIFVLAN"},
		{0x8990, "SIOCBONDENSLAVE"},
		{0x8991, "SIOCBONDRELEASE"},
		{0x8992, "SIOCBONDSETHWADDR"},
		{0x8993, "SIOCBONDSLAVEINFOQUERY"},
		{0x8994, "SIOCBONDINFOQUERY"},
		{0x8995, "SIOCBONDCHANGEACTIVE"},
		{0x89a0, "SIOCBRADDBR"},
		{0x89a1, "SIOCBRDELBR"},
		{0x89a2, "SIOCBRADDIF"},
		{0x89a3, "SIOCBRDELIF"},
		{0x89b0, "SIOCSHWTSTAMP"},
		{0x89b1, "SIOCGHWTSTAMP"},
		{0x89e0, "SIOCPROTOPRIVATE"},
		{0x89f0, "SIOCDEVPRIVATE"},
	},
}

// BlockIoctls are strace's 0x12 requests whose numbers are the same on
// every ABI.
var BlockIoctls = &Set{
	Name:  "ioctl_block",
	Style: Enum,
	Pairs: []Pair{
		{0x125d, "BLKROSET"},
		{0x125e, "BLKROGET"},
		{0x125f, "BLKRRPART"},
		{0x1260, "BLKGETSIZE"},
		{0x1261, "BLKFLSBUF"},
		{0x1262, "BLKRASET"},
		{0x1263, "BLKRAGET"},
		{0x1264, "BLKFRASET"},
		{0x1265, "BLKFRAGET"},
		{0x1266, "BLKSECTSET"},
		{0x1267, "BLKSECTGET"},
		{0x1268, "BLKSSZGET"},
		{0x1269, "BLKPG"},
		{0x1274, "BLKTRACESTART"},
		{0x1275, "BLKTRACESTOP"},
		{0x1276, "BLKTRACETEARDOWN"},
		{0x1277, "BLKDISCARD"},
		{0x1278, "BLKIOMIN"},
		{0x1279, "BLKIOOPT"},
		{0x127a, "BLKALIGNOFF"},
		{0x127b, "BLKPBSZGET"},
		{0x127c, "BLKDISCARDZEROES"},
		{0x127d, "BLKSECDISCARD"},
		{0x127e, "BLKROTATIONAL"},
		{0x127f, "BLKZEROOUT"},
		{0x80081280, "BLKGETDISKSEQ"},
		{0xc0101282, "BLKREPORTZONE"},
		{0x40101283, "BLKRESETZONE"},
		{0x80041284, "BLKGETZONESZ"},
		{0x80041285, "BLKGETNRZONES"},
		{0x40101286, "BLKOPENZONE"},
		{0x40101287, "BLKCLOSEZONE"},
		{0x40101288, "BLKFINISHZONE"},
	},
}

// BlockIoctls64 and BlockIoctls32 are the 0x12 requests whose argument
// size (size_t, struct blk_user_trace_setup) is in the number, for 64-bit
// and 32-bit tracees.
var (
	BlockIoctls64 = &Set{
		Name:  "ioctl_block64",
		Style: Enum,
		Pairs: []Pair{
			{0x80081270, "BLKBSZGET"}, {0x40081271, "BLKBSZSET"}, {0x80081272, "BLKGETSIZE64"}, {0xc0481273, "BLKTRACESETUP"},
		},
	}
	BlockIoctls32 = &Set{
		Name:  "ioctl_block32",
		Style: Enum,
		Pairs: []Pair{
			{0x80041270, "BLKBSZGET"}, {0x40041271, "BLKBSZSET"}, {0x80041272, "BLKGETSIZE64"}, {0xc0401273, "BLKTRACESETUP"},
		},
	}
)

// IoctlName returns strace's name of request cmd for a tracee of the
// given word size (4 or 8), or "" when strace has none and prints the
// _IOC form.
func IoctlName(cmd uint64, wordSize int) string {
	cmd &= 0xffffffff
	sized := BlockIoctls64
	if wordSize == 4 {
		sized = BlockIoctls32
	}
	for _, s := range []*Set{TerminalIoctls, FileIoctls, SockIoctls, BlockIoctls, sized} {
		if n, ok := s.Lookup(cmd); ok {
			return n
		}
	}
	return ""
}

// AppendIoctlName appends request cmd as strace prints it for a tracee of
// the given word size: its name, else the _IOC form.
func AppendIoctlName(dst []byte, cmd uint64, wordSize int) []byte {
	if n := IoctlName(cmd, wordSize); n != "" {
		return append(dst, n...)
	}
	return AppendIoctlIOC(dst, cmd)
}
