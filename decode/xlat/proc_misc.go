package xlat

// Processes: waitid's id types, getrusage's who, signalfd's flags.

// WaitidTypes is strace's waitid_types, waitid's idtype.
var WaitidTypes = &Set{
	Name:  "waitid_types",
	Style: Enum,
	Pairs: []Pair{
		{0, "P_ALL"},
		{1, "P_PID"},
		{2, "P_PGID"},
		{3, "P_PIDFD"},
	},
	Unknown: "P_???",
}

// RusageWho is strace's usage_who, getrusage's who, as a 32-bit int:
// RUSAGE_CHILDREN is -1 (0xffffffff), RUSAGE_BOTH -2.
var RusageWho = &Set{
	Name:  "usage_who",
	Style: Enum,
	Pairs: []Pair{
		{0, "RUSAGE_SELF"},
		{0xffffffff, "RUSAGE_CHILDREN"},
		{0xfffffffe, "RUSAGE_BOTH"},
		{1, "RUSAGE_THREAD"},
	},
	Unknown: "RUSAGE_???",
}

// X86Xfeatures is strace's x86_xfeatures, the XSAVE feature masks of
// arch_prctl's ARCH_GET_XCOMP_* results, the composite masks first.
var X86Xfeatures = &Set{
	Name:  "x86_xfeatures",
	Style: Flags,
	Pairs: []Pair{
		{0x3, "XFEATURE_MASK_FPSSE"},
		{1 << 0, "XFEATURE_MASK_FP"},
		{1 << 1, "XFEATURE_MASK_SSE"},
		{1 << 2, "XFEATURE_MASK_YMM"},
		{1 << 3, "XFEATURE_MASK_BNDREGS"},
		{1 << 4, "XFEATURE_MASK_BNDCSR"},
		{0xe0, "XFEATURE_MASK_AVX512"},
		{1 << 5, "XFEATURE_MASK_OPMASK"},
		{1 << 6, "XFEATURE_MASK_ZMM_Hi256"},
		{1 << 7, "XFEATURE_MASK_Hi16_ZMM"},
		{1 << 8, "XFEATURE_MASK_PT"},
		{1 << 9, "XFEATURE_MASK_PKRU"},
		{1 << 10, "XFEATURE_MASK_PASID"},
		{1 << 15, "XFEATURE_MASK_LBR"},
		{0x60000, "XFEATURE_MASK_XTILE"},
		{1 << 17, "XFEATURE_MASK_XTILE_CFG"},
		{1 << 18, "XFEATURE_MASK_XTILE_DATA"},
	},
	Unknown: "XFEATURE_MASK_???",
}

// X86XfeatureBits is strace's x86_xfeature_bits, the feature number of
// ARCH_REQ_XCOMP_PERM.
var X86XfeatureBits = &Set{
	Name:  "x86_xfeature_bits",
	Style: Enum,
	Pairs: []Pair{
		{0, "XFEATURE_FP"},
		{1, "XFEATURE_SSE"},
		{2, "XFEATURE_YMM"},
		{3, "XFEATURE_BNDREGS"},
		{4, "XFEATURE_BNDCSR"},
		{5, "XFEATURE_OPMASK"},
		{6, "XFEATURE_ZMM_Hi256"},
		{7, "XFEATURE_Hi16_ZMM"},
		{8, "XFEATURE_PT_UNIMPLEMENTED_SO_FAR"},
		{9, "XFEATURE_PKRU"},
		{10, "XFEATURE_PASID"},
		{15, "XFEATURE_LBR"},
		{17, "XFEATURE_XTILE_CFG"},
		{18, "XFEATURE_XTILE_DATA"},
	},
	Unknown: "XFEATURE_???",
}
