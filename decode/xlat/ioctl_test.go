package xlat

import "testing"

func TestAppendIoctlCmd(t *testing.T) {
	checkAppend(t, "AppendIoctlCmd", AppendIoctlCmd, []strCase{
		{0x5401, "TCGETS"},
		{0x5402, "SNDCTL_TMR_START or TCSETS"},
		{0x5403, "SNDCTL_TMR_STOP or TCSETSW"},
		{0x5404, "SNDCTL_TMR_CONTINUE or TCSETSF"},
		{0x540f, "TIOCGPGRP"},
		{0x5410, "TIOCSPGRP"},
		{0x5413, "TIOCGWINSZ"},
		{0x5414, "TIOCSWINSZ"},
		{0x541b, "FIONREAD"},
		{0x5421, "FIONBIO"},
		{0x5450, "FIONCLEX"},
		{0x5451, "FIOCLEX"},
		{0x5460, "FIOQSIZE"},
		{0x80045430, "TIOCGPTN"},
		{0x802c542a, "TCGETS2"},
		{0x100005401, "TCGETS"},
		{0x5426, "_IOC(_IOC_NONE, 0x54, 0x26, 0)"},
		{0x80085433, "_IOC(_IOC_READ, 0x54, 0x33, 0x8)"},
		{0x40085435, "_IOC(_IOC_WRITE, 0x54, 0x35, 0x8)"},
		{0xc0085433, "_IOC(_IOC_READ|_IOC_WRITE, 0x54, 0x33, 0x8)"},
		{0x1234, "_IOC(_IOC_NONE, 0x12, 0x34, 0)"},
		{0, "_IOC(_IOC_NONE, 0, 0, 0)"},
		{0xffffffff, "_IOC(_IOC_READ|_IOC_WRITE, 0xff, 0xff, 0x3fff)"},
		{0x40000000, "_IOC(_IOC_WRITE, 0, 0, 0)"},
		{0x8000aa01, "_IOC(_IOC_READ, 0xaa, 0x1, 0)"},
	})
}
