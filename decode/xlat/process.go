package xlat

import "strconv"

// Processes: rlimits, arch_prctl, getrandom, futex, clone, wait, prctl,
// personality, scheduling, seccomp, ptrace, priorities.

// RlimitResources is strace's resources (getrlimit, setrlimit, prlimit64);
// x86 and aarch64 share asm-generic/resource.h.
var RlimitResources = &Set{
	Name:  "resources",
	Style: Enum,
	Pairs: []Pair{
		{0, "RLIMIT_CPU"},
		{1, "RLIMIT_FSIZE"},
		{2, "RLIMIT_DATA"},
		{3, "RLIMIT_STACK"},
		{4, "RLIMIT_CORE"},
		{5, "RLIMIT_RSS"},
		{6, "RLIMIT_NPROC"},
		{7, "RLIMIT_NOFILE"},
		{8, "RLIMIT_MEMLOCK"},
		{9, "RLIMIT_AS"},
		{10, "RLIMIT_LOCKS"},
		{11, "RLIMIT_SIGPENDING"},
		{12, "RLIMIT_MSGQUEUE"},
		{13, "RLIMIT_NICE"},
		{14, "RLIMIT_RTPRIO"},
		{15, "RLIMIT_RTTIME"},
	},
	Unknown: "RLIMIT_???",
}

// Rlim64Infinity is RLIM64_INFINITY, the unlimited value of a 64-bit
// rlimit.
const Rlim64Infinity = ^uint64(0)

// AppendRlim64 appends a 64-bit rlimit value as strace's sprint_rlim64:
// RLIM64_INFINITY, N*1024 for a multiple of 1024 above 1024, else decimal:
// 8192*1024, 1024, 1536.
func AppendRlim64(dst []byte, v uint64) []byte {
	switch {
	case v == Rlim64Infinity:
		return append(dst, "RLIM64_INFINITY"...)
	case v > 1024 && v%1024 == 0:
		dst = strconv.AppendUint(dst, v/1024, 10)
		return append(dst, "*1024"...)
	}
	return strconv.AppendUint(dst, v, 10)
}

// ArchPrctlCodes is strace's archvals, arch_prctl's code; arch_prctl
// exists on x86 only.
var ArchPrctlCodes = &Set{
	Name:  "archvals",
	Style: Enum,
	Pairs: []Pair{
		{0x1001, "ARCH_SET_GS"},
		{0x1002, "ARCH_SET_FS"},
		{0x1003, "ARCH_GET_FS"},
		{0x1004, "ARCH_GET_GS"},
		{0x1011, "ARCH_GET_CPUID"},
		{0x1012, "ARCH_SET_CPUID"},
		{0x1021, "ARCH_GET_XCOMP_SUPP"},
		{0x1022, "ARCH_GET_XCOMP_PERM"},
		{0x1023, "ARCH_REQ_XCOMP_PERM"},
		{0x1024, "ARCH_GET_XCOMP_GUEST_PERM"},
		{0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"},
		{0x2001, "ARCH_MAP_VDSO_X32"},
		{0x2002, "ARCH_MAP_VDSO_32"},
		{0x2003, "ARCH_MAP_VDSO_64"},
	},
	Unknown: "ARCH_???",
}

// GetrandomFlags is strace's getrandom_flags.
var GetrandomFlags = &Set{
	Name:  "getrandom_flags",
	Style: Flags,
	Pairs: []Pair{
		{1, "GRND_NONBLOCK"},
		{2, "GRND_RANDOM"},
		{4, "GRND_INSECURE"},
	},
	Unknown: "GRND_???",
}

// Futex op bits.
const (
	FutexPrivateFlag   = 128
	FutexClockRealtime = 256
	// FutexCmdMask selects the command strace switches on to pick the
	// arguments it prints (op & 127).
	FutexCmdMask = 127
)

// FutexOps is strace's futexops: an enum of whole op values, including the
// _PRIVATE variants and the FUTEX_CLOCK_REALTIME combinations the kernel
// accepts, so FUTEX_FD|FUTEX_PRIVATE_FLAG and FUTEX_WAIT|FUTEX_CLOCK_REALTIME
// are names while FUTEX_WAKE|FUTEX_CLOCK_REALTIME prints as 0x101 /*
// FUTEX_??? */.
var FutexOps = &Set{
	Name:  "futexops",
	Style: Enum,
	Pairs: []Pair{
		{0, "FUTEX_WAIT"},
		{1, "FUTEX_WAKE"},
		{2, "FUTEX_FD"},
		{3, "FUTEX_REQUEUE"},
		{4, "FUTEX_CMP_REQUEUE"},
		{5, "FUTEX_WAKE_OP"},
		{6, "FUTEX_LOCK_PI"},
		{7, "FUTEX_UNLOCK_PI"},
		{8, "FUTEX_TRYLOCK_PI"},
		{9, "FUTEX_WAIT_BITSET"},
		{10, "FUTEX_WAKE_BITSET"},
		{11, "FUTEX_WAIT_REQUEUE_PI"},
		{12, "FUTEX_CMP_REQUEUE_PI"},
		{13, "FUTEX_LOCK_PI2"},
		{128 | 0, "FUTEX_WAIT_PRIVATE"},
		{128 | 1, "FUTEX_WAKE_PRIVATE"},
		{128 | 2, "FUTEX_FD|FUTEX_PRIVATE_FLAG"},
		{128 | 3, "FUTEX_REQUEUE_PRIVATE"},
		{128 | 4, "FUTEX_CMP_REQUEUE_PRIVATE"},
		{128 | 5, "FUTEX_WAKE_OP_PRIVATE"},
		{128 | 6, "FUTEX_LOCK_PI_PRIVATE"},
		{128 | 7, "FUTEX_UNLOCK_PI_PRIVATE"},
		{128 | 8, "FUTEX_TRYLOCK_PI_PRIVATE"},
		{128 | 9, "FUTEX_WAIT_BITSET_PRIVATE"},
		{128 | 10, "FUTEX_WAKE_BITSET_PRIVATE"},
		{128 | 11, "FUTEX_WAIT_REQUEUE_PI_PRIVATE"},
		{128 | 12, "FUTEX_CMP_REQUEUE_PI_PRIVATE"},
		{128 | 13, "FUTEX_LOCK_PI2_PRIVATE"},
		{256 | 0, "FUTEX_WAIT|FUTEX_CLOCK_REALTIME"},
		{256 | 128 | 0, "FUTEX_WAIT_PRIVATE|FUTEX_CLOCK_REALTIME"},
		{256 | 9, "FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME"},
		{256 | 128 | 9, "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME"},
		{256 | 11, "FUTEX_WAIT_REQUEUE_PI|FUTEX_CLOCK_REALTIME"},
		{256 | 128 | 11, "FUTEX_WAIT_REQUEUE_PI_PRIVATE|FUTEX_CLOCK_REALTIME"},
	},
	Unknown: "FUTEX_???",
}

// FutexWaitvFlags is struct futex_waitv's flags as the installed strace 6.1
// names them (FUTEX_32 is FUTEX2_SIZE_U32).
var FutexWaitvFlags = &Set{
	Name:  "futex_waitv_flags",
	Style: Flags,
	Pairs: []Pair{
		{0x2, "FUTEX_32"},
		{0x80, "FUTEX_PRIVATE_FLAG"},
	},
	Unknown: "FUTEX_???",
}

// AppendFutexOp appends futex's op argument as strace does: the whole
// 32-bit value looked up in FutexOps (FUTEX_WAIT_PRIVATE,
// FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME), else hex with a
// comment: 0x8e /* FUTEX_??? */, 0xffffffff /* FUTEX_??? */ for -1.
func AppendFutexOp(dst []byte, op uint64) []byte {
	return FutexOps.AppendEnum(dst, op&0xffffffff)
}

// FutexWakeOps is strace's futexwakeops, the op field of FUTEX_WAKE_OP's
// val3.
var FutexWakeOps = &Set{
	Name:  "futexwakeops",
	Style: Enum,
	Pairs: []Pair{
		{0, "FUTEX_OP_SET"},
		{1, "FUTEX_OP_ADD"},
		{2, "FUTEX_OP_OR"},
		{3, "FUTEX_OP_ANDN"},
		{4, "FUTEX_OP_XOR"},
	},
}

// FutexWakeCmps is strace's futexwakecmps, the cmp field of FUTEX_WAKE_OP's
// val3.
var FutexWakeCmps = &Set{
	Name:  "futexwakecmps",
	Style: Enum,
	Pairs: []Pair{
		{0, "FUTEX_OP_CMP_EQ"},
		{1, "FUTEX_OP_CMP_NE"},
		{2, "FUTEX_OP_CMP_LT"},
		{3, "FUTEX_OP_CMP_LE"},
		{4, "FUTEX_OP_CMP_GT"},
		{5, "FUTEX_OP_CMP_GE"},
	},
}

// FutexBitsetMatchAny is val3 of FUTEX_WAIT_BITSET/FUTEX_WAKE_BITSET that
// strace prints as FUTEX_BITSET_MATCH_ANY (other values as hex, 0 as 0).
const FutexBitsetMatchAny = 0xffffffff

// AppendFutexWakeOpVal3 appends FUTEX_WAKE_OP's val3 as strace does:
// [FUTEX_OP_OPARG_SHIFT<<28|]OP<<28|OPARG<<12|CMP<<24|CMPARG, unknown op
// and cmp in hex with a comment:
// FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_EQ<<24|0,
// FUTEX_OP_ADD<<28|0x345<<12|FUTEX_OP_CMP_LT<<24|0x678.
func AppendFutexWakeOpVal3(dst []byte, val3 uint32) []byte {
	v := uint64(val3)
	if (v>>28)&8 != 0 {
		dst = append(dst, "FUTEX_OP_OPARG_SHIFT<<28|"...)
	}
	op := (v >> 28) & 7
	if n, ok := FutexWakeOps.Lookup(op); ok {
		dst = append(dst, n...)
		dst = append(dst, "<<28"...)
	} else {
		dst = appendHex(dst, op)
		dst = append(dst, "<<28 /* FUTEX_OP_??? */"...)
	}
	dst = append(dst, '|')
	dst = appendHex(dst, (v>>12)&0xfff)
	dst = append(dst, "<<12|"...)
	cmp := (v >> 24) & 0xf
	if n, ok := FutexWakeCmps.Lookup(cmp); ok {
		dst = append(dst, n...)
		dst = append(dst, "<<24"...)
	} else {
		dst = appendHex(dst, cmp)
		dst = append(dst, "<<24 /* FUTEX_OP_CMP_??? */"...)
	}
	dst = append(dst, '|')
	return appendHex(dst, v&0xfff)
}

// CloneFlags is strace's clone_flags (x86 and aarch64 share them). clone's
// low byte (CSIGNAL) is the exit signal, not flags: print clone's flags
// argument with AppendCloneFlags. strace 6.1 does not name CLONE_DETACHED
// (0x400000).
var CloneFlags = &Set{
	Name:  "clone_flags",
	Style: Flags,
	Pairs: []Pair{
		{0x00000100, "CLONE_VM"},
		{0x00000200, "CLONE_FS"},
		{0x00000400, "CLONE_FILES"},
		{0x00000800, "CLONE_SIGHAND"},
		{0x00001000, "CLONE_PIDFD"},
		{0x00002000, "CLONE_PTRACE"},
		{0x00004000, "CLONE_VFORK"},
		{0x00008000, "CLONE_PARENT"},
		{0x00010000, "CLONE_THREAD"},
		{0x00020000, "CLONE_NEWNS"},
		{0x00040000, "CLONE_SYSVSEM"},
		{0x00080000, "CLONE_SETTLS"},
		{0x00100000, "CLONE_PARENT_SETTID"},
		{0x00200000, "CLONE_CHILD_CLEARTID"},
		{0x00800000, "CLONE_UNTRACED"},
		{0x01000000, "CLONE_CHILD_SETTID"},
		{0x02000000, "CLONE_NEWCGROUP"},
		{0x04000000, "CLONE_NEWUTS"},
		{0x08000000, "CLONE_NEWIPC"},
		{0x10000000, "CLONE_NEWUSER"},
		{0x20000000, "CLONE_NEWPID"},
		{0x40000000, "CLONE_NEWNET"},
		{0x80000000, "CLONE_IO"},
	},
	Unknown: "CLONE_???",
}

// Clone3Flags are the flags clone3's struct adds to CloneFlags, printed
// after them (strace's clone3_flags and CLONE_NEWTIME, which clone(2)
// cannot take since it sits in CSIGNAL).
var Clone3Flags = &Set{
	Name:  "clone3_flags",
	Style: Flags,
	Pairs: []Pair{
		{0x80, "CLONE_NEWTIME"},
		{0x100000000, "CLONE_CLEAR_SIGHAND"},
		{0x200000000, "CLONE_INTO_CGROUP"},
	},
	Unknown: "CLONE_???",
}

var clone3AllFlags = &Set{
	Name:    "clone_flags+clone3_flags",
	Style:   Flags,
	Pairs:   append(append([]Pair(nil), CloneFlags.Pairs...), Clone3Flags.Pairs...),
	Unknown: "CLONE_???",
}

// cloneCSignal is CSIGNAL, the exit-signal byte of clone's flags.
const cloneCSignal = 0xff

// AppendCloneFlags appends clone(2)'s flags argument as strace does: the
// CloneFlags names (leftover bits in hex, with /* CLONE_??? */ only when
// nothing is named), then |SIGNAL for a nonzero exit signal (decimal when
// unnamed); just the signal (or 0) when no flag bit is set:
// CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID,
// CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, SIGCHLD.
func AppendCloneFlags(dst []byte, v uint64) []byte {
	sig := int(v & cloneCSignal)
	flags := v &^ cloneCSignal
	if flags == 0 {
		return append(dst, SignalName(sig)...)
	}
	dst = CloneFlags.AppendFlags(dst, flags)
	if sig != 0 {
		dst = append(dst, '|')
		dst = append(dst, SignalName(sig)...)
	}
	return dst
}

// AppendClone3Flags appends clone_args.flags as strace prints it for
// clone3: CloneFlags then Clone3Flags, leftover hex, /* CLONE_??? */ when
// nothing is named.
func AppendClone3Flags(dst []byte, v uint64) []byte {
	return clone3AllFlags.AppendFlags(dst, v)
}

// UnshareFlags is strace's unshare_flags (unshare; CLONE_NEWTIME first).
var UnshareFlags = &Set{
	Name:  "unshare_flags",
	Style: Flags,
	Pairs: []Pair{
		{0x00000080, "CLONE_NEWTIME"},
		{0x00000100, "CLONE_VM"},
		{0x00000200, "CLONE_FS"},
		{0x00000400, "CLONE_FILES"},
		{0x00000800, "CLONE_SIGHAND"},
		{0x00010000, "CLONE_THREAD"},
		{0x00020000, "CLONE_NEWNS"},
		{0x00040000, "CLONE_SYSVSEM"},
		{0x02000000, "CLONE_NEWCGROUP"},
		{0x04000000, "CLONE_NEWUTS"},
		{0x08000000, "CLONE_NEWIPC"},
		{0x10000000, "CLONE_NEWUSER"},
		{0x20000000, "CLONE_NEWPID"},
		{0x40000000, "CLONE_NEWNET"},
	},
	Unknown: "CLONE_???",
}

// WaitOptions is strace's wait4_options (wait4; 2 is printed WSTOPPED,
// strace has no WUNTRACED).
var WaitOptions = &Set{
	Name:  "wait4_options",
	Style: Flags,
	Pairs: []Pair{
		{0x1, "WNOHANG"},
		{0x4, "WEXITED"},
		{0x2, "WSTOPPED"},
		{0x8, "WCONTINUED"},
		{0x01000000, "WNOWAIT"},
		{0x80000000, "__WCLONE"},
		{0x40000000, "__WALL"},
		{0x20000000, "__WNOTHREAD"},
	},
	Unknown: "W???",
}

// PrctlOptions is strace's prctl_options. strace 6.1 ends at
// PR_SME_GET_VL (64): PR_SET_MDWE (65) and later print as hex.
var PrctlOptions = &Set{
	Name:  "prctl_options",
	Style: Enum,
	Pairs: []Pair{
		{1, "PR_SET_PDEATHSIG"},
		{2, "PR_GET_PDEATHSIG"},
		{3, "PR_GET_DUMPABLE"},
		{4, "PR_SET_DUMPABLE"},
		{5, "PR_GET_UNALIGN"},
		{6, "PR_SET_UNALIGN"},
		{7, "PR_GET_KEEPCAPS"},
		{8, "PR_SET_KEEPCAPS"},
		{9, "PR_GET_FPEMU"},
		{10, "PR_SET_FPEMU"},
		{11, "PR_GET_FPEXC"},
		{12, "PR_SET_FPEXC"},
		{13, "PR_GET_TIMING"},
		{14, "PR_SET_TIMING"},
		{15, "PR_SET_NAME"},
		{16, "PR_GET_NAME"},
		{19, "PR_GET_ENDIAN"},
		{20, "PR_SET_ENDIAN"},
		{21, "PR_GET_SECCOMP"},
		{22, "PR_SET_SECCOMP"},
		{23, "PR_CAPBSET_READ"},
		{24, "PR_CAPBSET_DROP"},
		{25, "PR_GET_TSC"},
		{26, "PR_SET_TSC"},
		{27, "PR_GET_SECUREBITS"},
		{28, "PR_SET_SECUREBITS"},
		{29, "PR_SET_TIMERSLACK"},
		{30, "PR_GET_TIMERSLACK"},
		{31, "PR_TASK_PERF_EVENTS_DISABLE"},
		{32, "PR_TASK_PERF_EVENTS_ENABLE"},
		{33, "PR_MCE_KILL"},
		{34, "PR_MCE_KILL_GET"},
		{35, "PR_SET_MM"},
		{36, "PR_SET_CHILD_SUBREAPER"},
		{37, "PR_GET_CHILD_SUBREAPER"},
		{38, "PR_SET_NO_NEW_PRIVS"},
		{39, "PR_GET_NO_NEW_PRIVS"},
		{40, "PR_GET_TID_ADDRESS"},
		{41, "PR_SET_THP_DISABLE"},
		{42, "PR_GET_THP_DISABLE"},
		{43, "PR_MPX_ENABLE_MANAGEMENT"},
		{44, "PR_MPX_DISABLE_MANAGEMENT"},
		{45, "PR_SET_FP_MODE"},
		{46, "PR_GET_FP_MODE"},
		{47, "PR_CAP_AMBIENT"},
		{50, "PR_SVE_SET_VL"},
		{51, "PR_SVE_GET_VL"},
		{52, "PR_GET_SPECULATION_CTRL"},
		{53, "PR_SET_SPECULATION_CTRL"},
		{54, "PR_PAC_RESET_KEYS"},
		{55, "PR_SET_TAGGED_ADDR_CTRL"},
		{56, "PR_GET_TAGGED_ADDR_CTRL"},
		{57, "PR_SET_IO_FLUSHER"},
		{58, "PR_GET_IO_FLUSHER"},
		{59, "PR_SET_SYSCALL_USER_DISPATCH"},
		{60, "PR_PAC_SET_ENABLED_KEYS"},
		{61, "PR_PAC_GET_ENABLED_KEYS"},
		{62, "PR_SCHED_CORE"},
		{63, "PR_SME_SET_VL"},
		{64, "PR_SME_GET_VL"},
		{0x53564d41, "PR_SET_VMA"},
		{0x59616d61, "PR_SET_PTRACER"},
	},
	Unknown: "PR_???",
}

// PersonalityTypes is the part of strace's personality_types that can
// match: strace looks up persona&PER_MASK, so entries whose value has flag
// bits (PER_SVR4, PER_LINUX_32BIT…) never print.
var PersonalityTypes = &Set{
	Name:  "personality_types",
	Style: Enum,
	Pairs: []Pair{
		{0x00, "PER_LINUX"},
		{0x06, "PER_BSD"},
		{0x08, "PER_LINUX32"},
		{0x0c, "PER_RISCOS"},
		{0x0f, "PER_OSF4"},
		{0x10, "PER_HPUX"},
		{0xff, "PER_MASK"},
	},
	Unknown: "PER_???",
}

// PersonalityFlags is strace's personality_flags.
var PersonalityFlags = &Set{
	Name:  "personality_flags",
	Style: Flags,
	Pairs: []Pair{
		{0x0020000, "UNAME26"},
		{0x0040000, "ADDR_NO_RANDOMIZE"},
		{0x0080000, "FDPIC_FUNCPTRS"},
		{0x0100000, "MMAP_PAGE_ZERO"},
		{0x0200000, "ADDR_COMPAT_LAYOUT"},
		{0x0400000, "READ_IMPLIES_EXEC"},
		{0x0800000, "ADDR_LIMIT_32BIT"},
		{0x1000000, "SHORT_INODE"},
		{0x2000000, "WHOLE_SECONDS"},
		{0x4000000, "STICKY_TIMEOUTS"},
		{0x8000000, "ADDR_LIMIT_3GB"},
	},
}

// AppendPersonality appends personality's persona as strace does: the
// query value 0xffffffff as hex, else the PER_MASK type (0x1 /* PER_???
// */ when unknown), then |flags with leftover bits in hex and no comment:
// PER_LINUX, PER_LINUX|ADDR_NO_RANDOMIZE, PER_LINUX|0x10000.
func AppendPersonality(dst []byte, v uint64) []byte {
	v &= 0xffffffff
	if v == 0xffffffff {
		return append(dst, "0xffffffff"...)
	}
	dst = PersonalityTypes.AppendEnum(dst, v&0xff)
	if rest := v &^ 0xff; rest != 0 {
		dst = append(dst, '|')
		dst = PersonalityFlags.appendFlags(dst, rest, "")
	}
	return dst
}

// SchedPolicies is strace's schedulers (sched_setscheduler's policy).
// SCHED_RESET_ON_FORK is not composed: 0x40000000 prints as
// 0x40000000 /* SCHED_??? */.
var SchedPolicies = &Set{
	Name:  "schedulers",
	Style: Enum,
	Pairs: []Pair{
		{0, "SCHED_OTHER"},
		{1, "SCHED_FIFO"},
		{2, "SCHED_RR"},
		{3, "SCHED_BATCH"},
		{4, "SCHED_ISO"},
		{5, "SCHED_IDLE"},
		{6, "SCHED_DEADLINE"},
	},
	Unknown: "SCHED_???",
}

// PriorityWhich is strace's priorities (getpriority/setpriority's which).
var PriorityWhich = &Set{
	Name:  "priorities",
	Style: Enum,
	Pairs: []Pair{
		{0, "PRIO_PROCESS"},
		{1, "PRIO_PGRP"},
		{2, "PRIO_USER"},
	},
	Unknown: "PRIO_???",
}

// SeccompOps is strace's seccomp_ops, seccomp(2)'s operation.
var SeccompOps = &Set{
	Name:  "seccomp_ops",
	Style: Enum,
	Pairs: []Pair{
		{0, "SECCOMP_SET_MODE_STRICT"},
		{1, "SECCOMP_SET_MODE_FILTER"},
		{2, "SECCOMP_GET_ACTION_AVAIL"},
		{3, "SECCOMP_GET_NOTIF_SIZES"},
	},
	Unknown: "SECCOMP_SET_MODE_???",
}

// SeccompFilterFlags is strace's seccomp_filter_flags, the flags of
// SECCOMP_SET_MODE_FILTER.
var SeccompFilterFlags = &Set{
	Name:  "seccomp_filter_flags",
	Style: Flags,
	Pairs: []Pair{
		{1, "SECCOMP_FILTER_FLAG_TSYNC"},
		{2, "SECCOMP_FILTER_FLAG_LOG"},
		{4, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"},
		{8, "SECCOMP_FILTER_FLAG_NEW_LISTENER"},
		{16, "SECCOMP_FILTER_FLAG_TSYNC_ESRCH"},
		{32, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"},
	},
	Unknown: "SECCOMP_FILTER_FLAG_???",
}

// SeccompModes is strace's seccomp_mode, prctl(PR_SET_SECCOMP)'s mode and
// PR_GET_SECCOMP's result.
var SeccompModes = &Set{
	Name:  "seccomp_mode",
	Style: Enum,
	Pairs: []Pair{
		{0, "SECCOMP_MODE_DISABLED"},
		{1, "SECCOMP_MODE_STRICT"},
		{2, "SECCOMP_MODE_FILTER"},
	},
	Unknown: "SECCOMP_MODE_???",
}

// ptraceCommon are the requests every arch shares (linux/ptrace.h).
var ptraceCommon = []Pair{
	{0, "PTRACE_TRACEME"},
	{1, "PTRACE_PEEKTEXT"},
	{2, "PTRACE_PEEKDATA"},
	{3, "PTRACE_PEEKUSER"},
	{4, "PTRACE_POKETEXT"},
	{5, "PTRACE_POKEDATA"},
	{6, "PTRACE_POKEUSER"},
	{7, "PTRACE_CONT"},
	{8, "PTRACE_KILL"},
	{9, "PTRACE_SINGLESTEP"},
	{0x10, "PTRACE_ATTACH"},
	{0x11, "PTRACE_DETACH"},
	{0x18, "PTRACE_SYSCALL"},
	{0x4200, "PTRACE_SETOPTIONS"},
	{0x4201, "PTRACE_GETEVENTMSG"},
	{0x4202, "PTRACE_GETSIGINFO"},
	{0x4203, "PTRACE_SETSIGINFO"},
	{0x4204, "PTRACE_GETREGSET"},
	{0x4205, "PTRACE_SETREGSET"},
	{0x4206, "PTRACE_SEIZE"},
	{0x4207, "PTRACE_INTERRUPT"},
	{0x4208, "PTRACE_LISTEN"},
	{0x4209, "PTRACE_PEEKSIGINFO"},
	{0x420a, "PTRACE_GETSIGMASK"},
	{0x420b, "PTRACE_SETSIGMASK"},
	{0x420c, "PTRACE_SECCOMP_GET_FILTER"},
	{0x420d, "PTRACE_SECCOMP_GET_METADATA"},
	{0x420e, "PTRACE_GET_SYSCALL_INFO"},
	{0x420f, "PTRACE_GET_RSEQ_CONFIGURATION"},
}

// PtraceRequests is strace's ptrace_cmds for x86 tracees (PEEKUSR is
// printed PTRACE_PEEKUSER, POKEUSR PTRACE_POKEUSER).
var PtraceRequests = &Set{
	Name:  "ptrace_cmds",
	Style: Enum,
	Pairs: append(append([]Pair(nil), ptraceCommon...),
		Pair{0xc, "PTRACE_GETREGS"},
		Pair{0xd, "PTRACE_SETREGS"},
		Pair{0xe, "PTRACE_GETFPREGS"},
		Pair{0xf, "PTRACE_SETFPREGS"},
		Pair{0x12, "PTRACE_GETFPXREGS"},
		Pair{0x13, "PTRACE_SETFPXREGS"},
		Pair{0x15, "PTRACE_OLDSETOPTIONS"},
		Pair{0x19, "PTRACE_GET_THREAD_AREA"},
		Pair{0x1a, "PTRACE_SET_THREAD_AREA"},
		Pair{0x1e, "PTRACE_ARCH_PRCTL"},
		Pair{0x1f, "PTRACE_SYSEMU"},
		Pair{0x20, "PTRACE_SYSEMU_SINGLESTEP"},
		Pair{0x21, "PTRACE_SINGLEBLOCK"},
	),
	Unknown: "PTRACE_???",
}

// PtraceRequestsGeneric is ptrace_cmds for aarch64 tracees, from strace's
// ptrace_cmds.in conditions for __aarch64__ (not checked against an
// aarch64 strace binary): 0x21/0x22 are the MTE tag requests there, not
// PTRACE_SINGLEBLOCK.
var PtraceRequestsGeneric = &Set{
	Name:  "ptrace_cmds",
	Style: Enum,
	Pairs: append(append([]Pair(nil), ptraceCommon...),
		Pair{0xc, "PTRACE_GETREGS"},
		Pair{0xd, "PTRACE_SETREGS"},
		Pair{0xe, "PTRACE_GETFPREGS"},
		Pair{0xf, "PTRACE_SETFPREGS"},
		Pair{0x16, "PTRACE_GET_THREAD_AREA"},
		Pair{0x17, "PTRACE_SET_SYSCALL"},
		Pair{0x1b, "PTRACE_GETVFPREGS"},
		Pair{0x1c, "PTRACE_SETVFPREGS"},
		Pair{0x1d, "PTRACE_GETHBPREGS"},
		Pair{0x1e, "PTRACE_SETHBPREGS"},
		Pair{0x1f, "PTRACE_SYSEMU"},
		Pair{0x20, "PTRACE_SYSEMU_SINGLESTEP"},
		Pair{0x21, "PTRACE_PEEKMTETAGS"},
		Pair{0x22, "PTRACE_POKEMTETAGS"},
	),
	Unknown: "PTRACE_???",
}
