package xlat

// prctl(2)'s option arguments and results, and the capability sets
// prctl and capget/capset share (linux/prctl.h, linux/capability.h,
// linux/securebits.h; the same on x86 and asm-generic).

// PrDumpable is strace's pr_dumpable: PR_SET_DUMPABLE's argument and
// PR_GET_DUMPABLE's result.
var PrDumpable = &Set{
	Name:  "pr_dumpable",
	Style: Enum,
	Pairs: []Pair{
		{0, "SUID_DUMP_DISABLE"},
		{1, "SUID_DUMP_USER"},
		{2, "SUID_DUMP_ROOT"},
	},
	Unknown: "SUID_DUMP_???",
}

// capNames are the capabilities 0-40 (CAP_LAST_CAP of strace 6.1 is
// CAP_CHECKPOINT_RESTORE).
var capNames = [...]string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
	"CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
	"CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
	"CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
	"CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
}

// CapabilityName returns the name of capability bit (CAP_SYS_PTRACE for
// 19), and false for a bit newer than this table.
func CapabilityName(bit int) (string, bool) {
	if bit >= 0 && bit < len(capNames) {
		return capNames[bit], true
	}
	return "", false
}

func capPairs() []Pair {
	p := make([]Pair, len(capNames))
	for i, n := range capNames {
		p[i] = Pair{uint64(i), n}
	}
	return p
}

func capMaskPairs(from, to int) []Pair {
	var p []Pair
	for i := from; i < to; i++ {
		p = append(p, Pair{1 << uint(i-from), "1<<" + capNames[i]})
	}
	return p
}

// Capabilities is strace's cap: a capability number (PR_CAPBSET_READ,
// PR_CAPBSET_DROP, PR_CAP_AMBIENT).
var Capabilities = &Set{Name: "cap", Style: Enum, Pairs: capPairs(), Unknown: "CAP_???"}

// CapMask0 is strace's cap_mask0: the low word of a capability set as
// capget/capset print it, 1<<CAP_CHOWN|1<<CAP_KILL.
var CapMask0 = &Set{Name: "cap_mask0", Style: Flags, Pairs: capMaskPairs(0, 32), Unknown: "CAP_???"}

// CapMask1 is strace's cap_mask1: the high word (capabilities 32 and up),
// each printed 1<<CAP_NAME though its bit in the word is CAP_NAME-32.
var CapMask1 = &Set{Name: "cap_mask1", Style: Flags, Pairs: capMaskPairs(32, len(capNames)), Unknown: "CAP_???"}

// AppendCapBits appends a capability set split over two 32-bit words as
// strace's print_cap_bits does: the low word (also when both are zero),
// then '|' and the high word when it is nonzero.
func AppendCapBits(dst []byte, lo, hi uint32) []byte {
	if lo != 0 || hi == 0 {
		dst = CapMask0.AppendFlags(dst, uint64(lo))
	}
	if hi != 0 {
		if lo != 0 {
			dst = append(dst, '|')
		}
		dst = CapMask1.AppendFlags(dst, uint64(hi))
	}
	return dst
}

// CapVersions is strace's cap_version, the version of capget/capset's
// header.
var CapVersions = &Set{
	Name:  "cap_version",
	Style: Enum,
	Pairs: []Pair{
		{0x19980330, "_LINUX_CAPABILITY_VERSION_1"},
		{0x20071026, "_LINUX_CAPABILITY_VERSION_2"},
		{0x20080522, "_LINUX_CAPABILITY_VERSION_3"},
	},
	Unknown: "_LINUX_CAPABILITY_VERSION_???",
}

// PrCapAmbient is strace's pr_cap_ambient, PR_CAP_AMBIENT's operation.
var PrCapAmbient = &Set{
	Name:  "pr_cap_ambient",
	Style: Enum,
	Pairs: []Pair{
		{1, "PR_CAP_AMBIENT_IS_SET"},
		{2, "PR_CAP_AMBIENT_RAISE"},
		{3, "PR_CAP_AMBIENT_LOWER"},
		{4, "PR_CAP_AMBIENT_CLEAR_ALL"},
	},
	Unknown: "PR_CAP_AMBIENT_???",
}

// PrSetMM is strace's pr_set_mm, PR_SET_MM's field.
var PrSetMM = &Set{
	Name:  "pr_set_mm",
	Style: Enum,
	Pairs: []Pair{
		{1, "PR_SET_MM_START_CODE"},
		{2, "PR_SET_MM_END_CODE"},
		{3, "PR_SET_MM_START_DATA"},
		{4, "PR_SET_MM_END_DATA"},
		{5, "PR_SET_MM_START_STACK"},
		{6, "PR_SET_MM_START_BRK"},
		{7, "PR_SET_MM_BRK"},
		{8, "PR_SET_MM_ARG_START"},
		{9, "PR_SET_MM_ARG_END"},
		{10, "PR_SET_MM_ENV_START"},
		{11, "PR_SET_MM_ENV_END"},
		{12, "PR_SET_MM_AUXV"},
		{13, "PR_SET_MM_EXE_FILE"},
		{14, "PR_SET_MM_MAP"},
		{15, "PR_SET_MM_MAP_SIZE"},
	},
	Unknown: "PR_SET_MM_???",
}

// PrSetVMA is strace's pr_set_vma, PR_SET_VMA's attribute.
var PrSetVMA = &Set{
	Name:    "pr_set_vma",
	Style:   Enum,
	Pairs:   []Pair{{0, "PR_SET_VMA_ANON_NAME"}},
	Unknown: "PR_SET_VMA_???",
}

// Secbits is strace's secbits (PR_SET_SECUREBITS, PR_GET_SECUREBITS).
var Secbits = &Set{
	Name:  "secbits",
	Style: Flags,
	Pairs: []Pair{
		{1 << 0, "SECBIT_NOROOT"},
		{1 << 1, "SECBIT_NOROOT_LOCKED"},
		{1 << 2, "SECBIT_NO_SETUID_FIXUP"},
		{1 << 3, "SECBIT_NO_SETUID_FIXUP_LOCKED"},
		{1 << 4, "SECBIT_KEEP_CAPS"},
		{1 << 5, "SECBIT_KEEP_CAPS_LOCKED"},
		{1 << 6, "SECBIT_NO_CAP_AMBIENT_RAISE"},
		{1 << 7, "SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED"},
	},
	Unknown: "SECBIT_???",
}

// PrMceKill is strace's pr_mce_kill, PR_MCE_KILL's operation.
var PrMceKill = &Set{
	Name:    "pr_mce_kill",
	Style:   Enum,
	Pairs:   []Pair{{0, "PR_MCE_KILL_CLEAR"}, {1, "PR_MCE_KILL_SET"}},
	Unknown: "PR_MCE_KILL_???",
}

// PrMceKillPolicy is strace's pr_mce_kill_policy (PR_MCE_KILL_SET's policy,
// PR_MCE_KILL_GET's result).
var PrMceKillPolicy = &Set{
	Name:    "pr_mce_kill_policy",
	Style:   Enum,
	Pairs:   []Pair{{0, "PR_MCE_KILL_LATE"}, {1, "PR_MCE_KILL_EARLY"}, {2, "PR_MCE_KILL_DEFAULT"}},
	Unknown: "PR_MCE_KILL_???",
}

// PrTsc is strace's pr_tsc (PR_SET_TSC, PR_GET_TSC).
var PrTsc = &Set{
	Name:    "pr_tsc",
	Style:   Enum,
	Pairs:   []Pair{{1, "PR_TSC_ENABLE"}, {2, "PR_TSC_SIGSEGV"}},
	Unknown: "PR_TSC_???",
}

// PrUnalignFlags is strace's pr_unalign_flags (PR_SET_UNALIGN,
// PR_GET_UNALIGN).
var PrUnalignFlags = &Set{
	Name:    "pr_unalign_flags",
	Style:   Flags,
	Pairs:   []Pair{{1, "PR_UNALIGN_NOPRINT"}, {2, "PR_UNALIGN_SIGBUS"}},
	Unknown: "PR_UNALIGN_???",
}

// PrFpMode is strace's pr_fp_mode (PR_SET_FP_MODE, PR_GET_FP_MODE).
var PrFpMode = &Set{
	Name:    "pr_fp_mode",
	Style:   Flags,
	Pairs:   []Pair{{1, "PR_FP_MODE_FR"}, {2, "PR_FP_MODE_FRE"}},
	Unknown: "PR_FP_MODE_???",
}

// PrSpecCmds is strace's pr_spec_cmds, the speculation misfeature of
// PR_GET_SPECULATION_CTRL and PR_SET_SPECULATION_CTRL.
var PrSpecCmds = &Set{
	Name:  "pr_spec_cmds",
	Style: Enum,
	Pairs: []Pair{
		{0, "PR_SPEC_STORE_BYPASS"},
		{1, "PR_SPEC_INDIRECT_BRANCH"},
		{2, "PR_SPEC_L1D_FLUSH"},
	},
	Unknown: "PR_SPEC_???",
}

// PrSpecGetFlags is strace's pr_spec_get_store_bypass_flags,
// PR_GET_SPECULATION_CTRL's result.
var PrSpecGetFlags = &Set{
	Name:  "pr_spec_get_store_bypass_flags",
	Style: Flags,
	Pairs: []Pair{
		{0, "PR_SPEC_NOT_AFFECTED"},
		{1 << 0, "PR_SPEC_PRCTL"},
		{1 << 1, "PR_SPEC_ENABLE"},
		{1 << 2, "PR_SPEC_DISABLE"},
		{1 << 3, "PR_SPEC_FORCE_DISABLE"},
		{1 << 4, "PR_SPEC_DISABLE_NOEXEC"},
	},
	Unknown: "PR_SPEC_???",
}

// PrSpecSetFlags is strace's pr_spec_set_store_bypass_flags,
// PR_SET_SPECULATION_CTRL's control value.
var PrSpecSetFlags = &Set{
	Name:  "pr_spec_set_store_bypass_flags",
	Style: Enum,
	Pairs: []Pair{
		{1 << 1, "PR_SPEC_ENABLE"},
		{1 << 2, "PR_SPEC_DISABLE"},
		{1 << 3, "PR_SPEC_FORCE_DISABLE"},
		{1 << 4, "PR_SPEC_DISABLE_NOEXEC"},
	},
	Unknown: "PR_SPEC_???",
}
