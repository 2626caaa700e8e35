package xlat

import "testing"

func TestSignalName(t *testing.T) {
	cases := []struct {
		n    int
		want string
	}{
		{0, "0"},
		{1, "SIGHUP"},
		{9, "SIGKILL"},
		{16, "SIGSTKFLT"},
		{17, "SIGCHLD"},
		{29, "SIGIO"},
		{30, "SIGPWR"},
		{31, "SIGSYS"},
		{32, "SIGRTMIN"},
		{33, "SIGRT_1"},
		{34, "SIGRT_2"},
		{64, "SIGRT_32"},
		{65, "65"},
		{128, "128"},
		{-1, "-1"},
		{-2, "-2"},
	}
	for _, c := range cases {
		if got := SignalName(c.n); got != c.want {
			t.Errorf("SignalName(%d) = %q, want %q", c.n, got, c.want)
		}
	}
	for n, want := range map[int]string{1: "HUP", 32: "RTMIN", 33: "RT_1", 19: "STOP"} {
		if got, ok := SignalAbbrev(n); !ok || got != want {
			t.Errorf("SignalAbbrev(%d) = %q, %v; want %q", n, got, ok, want)
		}
	}
	if _, ok := SignalAbbrev(65); ok {
		t.Error("SignalAbbrev(65) has a name")
	}
}

func TestSignalSets(t *testing.T) {
	checkSet(t, SigprocmaskHow, []strCase{
		{0, "SIG_BLOCK"},
		{1, "SIG_UNBLOCK"},
		{2, "SIG_SETMASK"},
		{3, "0x3 /* SIG_??? */"},
	})
	checkSet(t, SaHandlerValues, []strCase{{0, "SIG_DFL"}, {1, "SIG_IGN"}})
	checkSet(t, SigactionFlags, []strCase{
		{0, "0"},
		{1, "SA_NOCLDSTOP"},
		{4, "SA_SIGINFO"},
		{8, "0x8 /* SA_??? */"},
		{0x04000000, "SA_RESTORER"},
		{0x14000000, "SA_RESTORER|SA_RESTART"},
		{0x0c000004, "SA_RESTORER|SA_ONSTACK|SA_SIGINFO"},
		{0xffffffff, "SA_RESTORER|SA_ONSTACK|SA_RESTART|SA_INTERRUPT|SA_NODEFER|SA_RESETHAND|SA_SIGINFO|SA_NOCLDSTOP|SA_NOCLDWAIT|0x3fffff8"},
	})
	checkSet(t, SigactionFlagsGeneric, []strCase{
		{0x10000000, "SA_RESTART"},
		{0x14000000, "SA_RESTART|0x4000000"},
	})
}

func TestSiCode(t *testing.T) {
	cases := []struct {
		signo int
		code  int32
		want  string
	}{
		{1, 0, "SI_USER"},
		{17, 0, "SI_USER"},
		{2, 0x80, "SI_KERNEL"},
		{10, -1, "SI_QUEUE"},
		{14, -2, "SI_TIMER"},
		{29, -5, "SI_SIGIO"},
		{1, -6, "SI_TKILL"},
		{1, -7, "SI_DETHREAD"},
		{1, -8, "0xfffffff8"},
		{1, -60, "SI_ASYNCNL"},
		{1, -59, "0xffffffc5"},
		{1, 1, "0x1"},
		{4, 1, "ILL_ILLOPC"},
		{4, 9, "ILL_BADIADDR"},
		{4, 10, "0xa"},
		{5, 1, "TRAP_BRKPT"},
		{5, 6, "TRAP_PERF"},
		{5, 7, "0x7"},
		{7, 2, "BUS_ADRERR"},
		{7, 5, "BUS_MCEERR_AO"},
		{8, 1, "FPE_INTDIV"},
		{8, 9, "0x9"},
		{8, 14, "FPE_FLTUNK"},
		{11, 1, "SEGV_MAPERR"},
		{11, 2, "SEGV_ACCERR"},
		{11, 9, "SEGV_MTESERR"},
		{17, 1, "CLD_EXITED"},
		{17, 2, "CLD_KILLED"},
		{17, 3, "CLD_DUMPED"},
		{17, 6, "CLD_CONTINUED"},
		{17, 7, "0x7"},
		{29, 1, "POLL_IN"},
		{29, 6, "POLL_HUP"},
		{31, 1, "SYS_SECCOMP"},
		{31, 2, "SYS_USER_DISPATCH"},
		{27, 1, "0x1"},
	}
	for _, c := range cases {
		if got := string(AppendSiCode(nil, c.signo, c.code)); got != c.want {
			t.Errorf("AppendSiCode(%d, %d) = %q, want %q", c.signo, c.code, got, c.want)
		}
	}
}
