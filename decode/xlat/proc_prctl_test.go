package xlat

import "testing"

// The prctl, capability, waitid, getrusage, signalfd, audit-arch and
// XSAVE sets, against what strace 6.1 printed (the cov_proc_prctl,
// cov_proc_cred, cov_proc_info and cov_signal fixtures, and probes).

func TestPrctlSets(t *testing.T) {
	checkSet(t, PrDumpable, []strCase{
		{1, "SUID_DUMP_USER"},
		{2, "SUID_DUMP_ROOT"},
		{9, "0x9 /* SUID_DUMP_??? */"},
	})
	checkSet(t, Capabilities, []strCase{
		{0, "CAP_CHOWN"},
		{5, "CAP_KILL"},
		{40, "CAP_CHECKPOINT_RESTORE"},
		{41, "0x29 /* CAP_??? */"},
		{1000, "0x3e8 /* CAP_??? */"},
		{^uint64(0), "0xffffffffffffffff /* CAP_??? */"},
	})
	checkSet(t, PrCapAmbient, []strCase{
		{1, "PR_CAP_AMBIENT_IS_SET"},
		{4, "PR_CAP_AMBIENT_CLEAR_ALL"},
		{0x63, "0x63 /* PR_CAP_AMBIENT_??? */"},
	})
	checkSet(t, PrSetMM, []strCase{
		{8, "PR_SET_MM_ARG_START"},
		{15, "PR_SET_MM_MAP_SIZE"},
		{0x63, "0x63 /* PR_SET_MM_??? */"},
	})
	checkSet(t, PrSetVMA, []strCase{
		{0, "PR_SET_VMA_ANON_NAME"},
		{5, "0x5 /* PR_SET_VMA_??? */"},
	})
	checkSet(t, Secbits, []strCase{
		{0, "0"},
		{0x10, "SECBIT_KEEP_CAPS"},
		{0x100, "0x100 /* SECBIT_??? */"},
		{0x101, "SECBIT_NOROOT|0x100"},
	})
	checkSet(t, PrMceKill, []strCase{{1, "PR_MCE_KILL_SET"}, {9, "0x9 /* PR_MCE_KILL_??? */"}})
	checkSet(t, PrMceKillPolicy, []strCase{{1, "PR_MCE_KILL_EARLY"}, {2, "PR_MCE_KILL_DEFAULT"}})
	checkSet(t, PrTsc, []strCase{{1, "PR_TSC_ENABLE"}, {7, "0x7 /* PR_TSC_??? */"}})
	checkSet(t, PrUnalignFlags, []strCase{{3, "PR_UNALIGN_NOPRINT|PR_UNALIGN_SIGBUS"}, {4, "0x4 /* PR_UNALIGN_??? */"}})
	checkSet(t, PrFpMode, []strCase{{3, "PR_FP_MODE_FR|PR_FP_MODE_FRE"}})
	checkSet(t, PrSpecCmds, []strCase{{1, "PR_SPEC_INDIRECT_BRANCH"}, {9, "0x9 /* PR_SPEC_??? */"}})
	checkSet(t, PrSpecGetFlags, []strCase{{0, "PR_SPEC_NOT_AFFECTED"}, {2, "PR_SPEC_ENABLE"}})
	checkSet(t, PrSpecSetFlags, []strCase{{2, "PR_SPEC_ENABLE"}, {8, "PR_SPEC_FORCE_DISABLE"}, {0x40, "0x40 /* PR_SPEC_??? */"}})
}

func TestCapabilitySets(t *testing.T) {
	checkSet(t, CapVersions, []strCase{
		{0x20080522, "_LINUX_CAPABILITY_VERSION_3"},
		{0x19980330, "_LINUX_CAPABILITY_VERSION_1"},
		{0x12345678, "0x12345678 /* _LINUX_CAPABILITY_VERSION_??? */"},
		{0, "0 /* _LINUX_CAPABILITY_VERSION_??? */"},
	})
	tests := []struct {
		lo, hi uint32
		want   string
	}{
		{0, 0, "0"},
		{1, 0, "1<<CAP_CHOWN"},
		{1<<0 | 1<<5, 0, "1<<CAP_CHOWN|1<<CAP_KILL"},
		{0, 1, "1<<CAP_MAC_OVERRIDE"},
		{1, 1 << 8, "1<<CAP_CHOWN|1<<CAP_CHECKPOINT_RESTORE"},
		{0, 1 << 9, "0x200 /* CAP_??? */"},
	}
	for _, tt := range tests {
		if got := string(AppendCapBits(nil, tt.lo, tt.hi)); got != tt.want {
			t.Errorf("AppendCapBits(%#x, %#x) = %q, want %q", tt.lo, tt.hi, got, tt.want)
		}
	}
}

func TestProcessMiscSets(t *testing.T) {
	checkSet(t, WaitidTypes, []strCase{
		{0, "P_ALL"},
		{1, "P_PID"},
		{3, "P_PIDFD"},
		{9, "0x9 /* P_??? */"},
	})
	checkSet(t, RusageWho, []strCase{
		{0, "RUSAGE_SELF"},
		{0xffffffff, "RUSAGE_CHILDREN"},
		{1, "RUSAGE_THREAD"},
		{7, "0x7 /* RUSAGE_??? */"},
	})
	checkSet(t, SfdFlags, []strCase{
		{0, "0"},
		{0x80800, "SFD_CLOEXEC|SFD_NONBLOCK"},
		{0x10, "0x10 /* SFD_??? */"},
	})
	checkSet(t, AuditArches, []strCase{
		{0xc000003e, "AUDIT_ARCH_X86_64"},
		{0x40000003, "AUDIT_ARCH_I386"},
		{0xc00000b7, "AUDIT_ARCH_AARCH64"},
		{0x1234, "0x1234 /* AUDIT_ARCH_??? */"},
	})
	checkSet(t, X86Xfeatures, []strCase{
		{0xe7, "XFEATURE_MASK_FPSSE|XFEATURE_MASK_YMM|XFEATURE_MASK_AVX512"},
		{0x60000, "XFEATURE_MASK_XTILE"},
		{0x1, "XFEATURE_MASK_FP"},
	})
	checkSet(t, X86XfeatureBits, []strCase{
		{18, "XFEATURE_XTILE_DATA"},
		{11, "0xb /* XFEATURE_??? */"},
	})
}
