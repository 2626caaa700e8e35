package xlat

// ioctl request numbers.

// TerminalIoctls holds the tty and FIO* requests of asm-generic/ioctls.h,
// which x86 and aarch64 share, named as strace 6.1 prints them. Where two
// of strace's ioctl tables hold the same number it prints both, joined by
// " or " (0x5402 is also the OSS sequencer's SNDCTL_TMR_START), and these
// names keep that. Unknown is empty: strace prints an unknown request
// with _IOC(...), see AppendIoctlCmd.
var TerminalIoctls = &Set{
	Name:  "ioctl_terminal",
	Style: Enum,
	Pairs: []Pair{
		{0x5401, "TCGETS"},
		{0x5402, "SNDCTL_TMR_START or TCSETS"},
		{0x5403, "SNDCTL_TMR_STOP or TCSETSW"},
		{0x5404, "SNDCTL_TMR_CONTINUE or TCSETSF"},
		{0x5405, "TCGETA"},
		{0x5406, "TCSETA"},
		{0x5407, "TCSETAW"},
		{0x5408, "TCSETAF"},
		{0x5409, "TCSBRK"},
		{0x540a, "TCXONC"},
		{0x540b, "TCFLSH"},
		{0x540c, "TIOCEXCL"},
		{0x540d, "TIOCNXCL"},
		{0x540e, "TIOCSCTTY"},
		{0x540f, "TIOCGPGRP"},
		{0x5410, "TIOCSPGRP"},
		{0x5411, "TIOCOUTQ"},
		{0x5412, "TIOCSTI"},
		{0x5413, "TIOCGWINSZ"},
		{0x5414, "TIOCSWINSZ"},
		{0x5415, "TIOCMGET"},
		{0x5416, "TIOCMBIS"},
		{0x5417, "TIOCMBIC"},
		{0x5418, "TIOCMSET"},
		{0x5419, "TIOCGSOFTCAR"},
		{0x541a, "TIOCSSOFTCAR"},
		{0x541b, "FIONREAD"},
		{0x541c, "TIOCLINUX"},
		{0x541d, "TIOCCONS"},
		{0x541e, "TIOCGSERIAL"},
		{0x541f, "TIOCSSERIAL"},
		{0x5420, "TIOCPKT"},
		{0x5421, "FIONBIO"},
		{0x5422, "TIOCNOTTY"},
		{0x5423, "TIOCSETD"},
		{0x5424, "TIOCGETD"},
		{0x5425, "TCSBRKP"},
		{0x5427, "TIOCSBRK"},
		{0x5428, "TIOCCBRK"},
		{0x5429, "TIOCGSID"},
		{0x542e, "TIOCGRS485"},
		{0x542f, "TIOCSRS485"},
		{0x5432, "TCGETX"},
		{0x5433, "TCSETX"},
		{0x5434, "TCSETXF"},
		{0x5435, "TCSETXW"},
		{0x5437, "TIOCVHANGUP"},
		{0x5441, "TIOCGPTPEER"},
		{0x5450, "FIONCLEX"},
		{0x5451, "FIOCLEX"},
		{0x5452, "FIOASYNC"},
		{0x5453, "TIOCSERCONFIG"},
		{0x5454, "TIOCSERGWILD"},
		{0x5455, "TIOCSERSWILD"},
		{0x5456, "TIOCGLCKTRMIOS"},
		{0x5457, "TIOCSLCKTRMIOS"},
		{0x5458, "TIOCSERGSTRUCT"},
		{0x5459, "TIOCSERGETLSR"},
		{0x545a, "TIOCSERGETMULTI"},
		{0x545b, "TIOCSERSETMULTI"},
		{0x545c, "TIOCMIWAIT"},
		{0x545d, "TIOCGICOUNT"},
		{0x5460, "FIOQSIZE"},
		{0x802c542a, "TCGETS2"},
		{0x402c542b, "TCSETS2"},
		{0x402c542c, "TCSETSW2"},
		{0x402c542d, "TCSETSF2"},
		{0x80045430, "TIOCGPTN"},
		{0x40045431, "TIOCSPTLCK"},
		{0x80045432, "TIOCGDEV"},
		{0x40045436, "TIOCSIG"},
		{0x80045438, "TIOCGPKT"},
		{0x80045439, "TIOCGPTLCK"},
		{0x80045440, "TIOCGEXCL"},
	},
}

// FileIoctls holds the file-system requests of linux/fs.h that programs
// (cp, coreutils) make on any file, named as strace 6.1 prints them (each
// checked against the binary): the number FICLONE shares with btrfs's older
// name prints as both.
var FileIoctls = &Set{
	Name:  "ioctl_file",
	Style: Enum,
	Pairs: []Pair{
		{0x40049409, "BTRFS_IOC_CLONE or FICLONE"},
	},
}

// FICLONE's request number: its argument is the source descriptor.
const FICLONE = 0x40049409

// AppendIoctlCmd appends an ioctl request of a 64-bit tracee as strace
// prints it: its name (AppendIoctlName), else the _IOC form. Only the low
// 32 bits count (the request is an unsigned int).
func AppendIoctlCmd(dst []byte, cmd uint64) []byte { return AppendIoctlName(dst, cmd, 8) }

var ioctlDirs = [4]string{"_IOC_NONE", "_IOC_WRITE", "_IOC_READ", "_IOC_READ|_IOC_WRITE"}

// AppendIoctlIOC appends a request in strace's decomposed form for unknown
// requests, _IOC(dir, type, nr, size) with the generic layout x86 and
// aarch64 share (nr bits 0-7, type 8-15, size 16-29, dir 30-31; dir 1 is
// write): _IOC(_IOC_NONE, 0x54, 0x26, 0), _IOC(_IOC_READ, 0x54, 0x33, 0x8),
// _IOC(_IOC_READ|_IOC_WRITE, 0xff, 0xff, 0x3fff).
func AppendIoctlIOC(dst []byte, cmd uint64) []byte {
	cmd &= 0xffffffff
	dst = append(dst, "_IOC("...)
	dst = append(dst, ioctlDirs[cmd>>30]...)
	dst = append(dst, ", "...)
	dst = appendHex(dst, (cmd>>8)&0xff)
	dst = append(dst, ", "...)
	dst = appendHex(dst, cmd&0xff)
	dst = append(dst, ", "...)
	dst = appendHex(dst, (cmd>>16)&0x3fff)
	return append(dst, ')')
}
