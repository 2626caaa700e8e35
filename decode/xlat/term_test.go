package xlat

import "testing"

// The terminal sets, as the installed strace 6.1 printed them for the
// cov_tty fixture (a pty's default settings, and changed ones).
func TestTermSets(t *testing.T) {
	checkSet(t, TermIflags, []strCase{{0x500, "ICRNL|IXON"}, {0, "0"}, {0x10000, "0x10000"}})
	checkSet(t, TermLflags, []strCase{
		{0x8a3b, "ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE"}, // strace's order, not the values'
	})
	checkSet(t, TermCflags, []strCase{{0x80000080, "CREAD|CRTSCTS"}})
	checkSet(t, BaudOptions, []strCase{{0xf, "B38400"}, {0xe, "B19200"}, {0x1002, "B115200"}, {0x1000, "BOTHER"}})
	checkSet(t, TcflshOptions, []strCase{{0, "TCIFLUSH"}, {7, "0x7 /* TC??? */"}})
	checkSet(t, ModemFlags, []strCase{{0x6, "TIOCM_DTR|TIOCM_RTS"}, {0x10000, "0x10000 /* TIOCM_??? */"}})
	checkSet(t, TermLineDiscs, []strCase{{0, "N_TTY"}, {99, "0x63 /* N_??? */"}})
	for _, d := range TermOflagDelays {
		if _, ok := d.Set.Lookup(0); !ok {
			t.Errorf("%s: no name for 0 (strace prints NL0, CR0, ...)", d.Set.Name)
		}
	}
	if n, _ := TermOflagDelays[2].Set.Lookup(0x1800); n != "XTABS" {
		t.Errorf("TABDLY 0x1800 is %q, want XTABS (strace's first match)", n)
	}
}
