package xlat

import "testing"

func TestRlimit(t *testing.T) {
	checkSet(t, RlimitResources, []strCase{
		{0, "RLIMIT_CPU"},
		{3, "RLIMIT_STACK"},
		{7, "RLIMIT_NOFILE"},
		{9, "RLIMIT_AS"},
		{15, "RLIMIT_RTTIME"},
		{16, "0x10 /* RLIMIT_??? */"},
		{0xffffffff, "0xffffffff /* RLIMIT_??? */"},
	})
	checkAppend(t, "AppendRlim64", AppendRlim64, []strCase{
		{Rlim64Infinity, "RLIM64_INFINITY"},
		{8388608, "8192*1024"},
		{2048, "2*1024"},
		{1024, "1024"},
		{1025, "1025"},
		{1536, "1536"},
		{0, "0"},
		{0x7fffffffffffffff, "9223372036854775807"},
	})
}

func TestArchPrctl(t *testing.T) {
	checkSet(t, ArchPrctlCodes, []strCase{
		{0x1001, "ARCH_SET_GS"},
		{0x1002, "ARCH_SET_FS"},
		{0x1003, "ARCH_GET_FS"},
		{0x1011, "ARCH_GET_CPUID"},
		{0x1023, "ARCH_REQ_XCOMP_PERM"},
		{0x2002, "ARCH_MAP_VDSO_32"},
		{0x1005, "0x1005 /* ARCH_??? */"},
		{0x4001, "0x4001 /* ARCH_??? */"},
		{0, "0 /* ARCH_??? */"},
	})
}

func TestGetrandomFlags(t *testing.T) {
	checkSet(t, GetrandomFlags, []strCase{
		{0, "0"},
		{1, "GRND_NONBLOCK"},
		{3, "GRND_NONBLOCK|GRND_RANDOM"},
		{8, "0x8 /* GRND_??? */"},
		{0xffffffff, "GRND_NONBLOCK|GRND_RANDOM|GRND_INSECURE|0xfffffff8"},
	})
}

// TestFutexWaitvFlags: as the installed strace 6.1 printed a probe's
// struct futex_waitv flags.
func TestFutexWaitvFlags(t *testing.T) {
	checkSet(t, FutexWaitvFlags, []strCase{
		{0, "0"},
		{0x2, "FUTEX_32"},
		{0x82, "FUTEX_32|FUTEX_PRIVATE_FLAG"},
		{0x3, "FUTEX_32|0x1"},
		{0x45da2000, "0x45da2000 /* FUTEX_??? */"},
		{0x97a6fb69 | 0x80, "FUTEX_PRIVATE_FLAG|0x97a6fb69"},
	})
}

func TestFutex(t *testing.T) {
	checkAppend(t, "AppendFutexOp", AppendFutexOp, []strCase{
		{0, "FUTEX_WAIT"},
		{1, "FUTEX_WAKE"},
		{13, "FUTEX_LOCK_PI2"},
		{14, "0xe /* FUTEX_??? */"},
		{128, "FUTEX_WAIT_PRIVATE"},
		{129, "FUTEX_WAKE_PRIVATE"},
		{130, "FUTEX_FD|FUTEX_PRIVATE_FLAG"},
		{137, "FUTEX_WAIT_BITSET_PRIVATE"},
		{0x8e, "0x8e /* FUTEX_??? */"},
		{256, "FUTEX_WAIT|FUTEX_CLOCK_REALTIME"},
		{257, "0x101 /* FUTEX_??? */"},
		{384, "FUTEX_WAIT_PRIVATE|FUTEX_CLOCK_REALTIME"},
		{385, "0x181 /* FUTEX_??? */"},
		{265, "FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME"},
		{393, "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME"},
		{0x10b, "FUTEX_WAIT_REQUEUE_PI|FUTEX_CLOCK_REALTIME"},
		{0x18b, "FUTEX_WAIT_REQUEUE_PI_PRIVATE|FUTEX_CLOCK_REALTIME"},
		{0x18a, "0x18a /* FUTEX_??? */"},
		{0xffffffffffffffff, "0xffffffff /* FUTEX_??? */"},
		{0x80000000, "0x80000000 /* FUTEX_??? */"},
	})
	val3 := func(dst []byte, v uint64) []byte { return AppendFutexWakeOpVal3(dst, uint32(v)) }
	checkAppend(t, "AppendFutexWakeOpVal3", val3, []strCase{
		{0, "FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_EQ<<24|0"},
		{0xffffffff, "FUTEX_OP_OPARG_SHIFT<<28|0x7<<28 /* FUTEX_OP_??? */|0xfff<<12|0xf<<24 /* FUTEX_OP_CMP_??? */|0xfff"},
		{0x12345678, "FUTEX_OP_ADD<<28|0x345<<12|FUTEX_OP_CMP_LT<<24|0x678"},
		{0x8fffffff, "FUTEX_OP_OPARG_SHIFT<<28|FUTEX_OP_SET<<28|0xfff<<12|0xf<<24 /* FUTEX_OP_CMP_??? */|0xfff"},
		{0x1000001, "FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_NE<<24|0x1"},
	})
}

func TestCloneFlags(t *testing.T) {
	checkAppend(t, "AppendCloneFlags", AppendCloneFlags, []strCase{
		{0x11, "SIGCHLD"},
		{0, "0"},
		{0x1200011, "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD"},
		{0x3d0f00, "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID"},
		{0x20211, "CLONE_FS|CLONE_NEWNS|SIGCHLD"},
		{0x20240, "CLONE_FS|CLONE_NEWNS|SIGRT_32"},
		{0x202ff, "CLONE_FS|CLONE_NEWNS|255"},
		{0x420200, "CLONE_FS|CLONE_NEWNS|0x400000"},
		{0x100020200, "CLONE_FS|CLONE_NEWNS|0x100000000"},
		{0x400011, "0x400000 /* CLONE_??? */|SIGCHLD"},
		{0xffffffffffffffff, "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_PIDFD|CLONE_PTRACE|CLONE_VFORK|CLONE_PARENT|CLONE_THREAD|CLONE_NEWNS|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID|CLONE_UNTRACED|CLONE_CHILD_SETTID|CLONE_NEWCGROUP|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWNET|CLONE_IO|0xffffffff00400000|255"},
	})
	checkAppend(t, "AppendClone3Flags", AppendClone3Flags, []strCase{
		{0x200a0, "CLONE_NEWNS|CLONE_NEWTIME|0x20"},
		{0x380020380, "CLONE_VM|CLONE_FS|CLONE_NEWNS|CLONE_IO|CLONE_NEWTIME|CLONE_CLEAR_SIGHAND|CLONE_INTO_CGROUP"},
		{0x400000000, "0x400000000 /* CLONE_??? */"},
	})
	checkSet(t, UnshareFlags, []strCase{
		{0x100, "CLONE_VM"},
		{0x1, "0x1 /* CLONE_??? */"},
		{0x7fffffff, "CLONE_NEWTIME|CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_NEWNS|CLONE_SYSVSEM|CLONE_NEWCGROUP|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWNET|0x1f8f07f"},
	})
}

func TestWaitOptions(t *testing.T) {
	checkSet(t, WaitOptions, []strCase{
		{0, "0"},
		{1, "WNOHANG"},
		{2, "WSTOPPED"},
		{3, "WNOHANG|WSTOPPED"},
		{0x40000000, "__WALL"},
		{0x10, "0x10 /* W??? */"},
		{0xffffffff, "WNOHANG|WEXITED|WSTOPPED|WCONTINUED|WNOWAIT|__WCLONE|__WALL|__WNOTHREAD|0x1efffff0"},
	})
}

func TestPrctlOptions(t *testing.T) {
	checkSet(t, PrctlOptions, []strCase{
		{0, "0 /* PR_??? */"},
		{1, "PR_SET_PDEATHSIG"},
		{15, "PR_SET_NAME"},
		{17, "0x11 /* PR_??? */"},
		{22, "PR_SET_SECCOMP"},
		{38, "PR_SET_NO_NEW_PRIVS"},
		{48, "0x30 /* PR_??? */"},
		{64, "PR_SME_GET_VL"},
		{65, "0x41 /* PR_??? */"},
		{0x59616d61, "PR_SET_PTRACER"},
		{0x53564d41, "PR_SET_VMA"},
		{1000, "0x3e8 /* PR_??? */"},
	})
}

func TestPersonality(t *testing.T) {
	checkAppend(t, "AppendPersonality", AppendPersonality, []strCase{
		{0, "PER_LINUX"},
		{1, "0x1 /* PER_??? */"},
		{6, "PER_BSD"},
		{8, "PER_LINUX32"},
		{0x10, "PER_HPUX"},
		{0x40000, "PER_LINUX|ADDR_NO_RANDOMIZE"},
		{0x10000, "PER_LINUX|0x10000"},
		{0x800000, "PER_LINUX|ADDR_LIMIT_32BIT"},
		{0xffffffff, "0xffffffff"},
		{0x0fffffff, "PER_MASK|UNAME26|ADDR_NO_RANDOMIZE|FDPIC_FUNCPTRS|MMAP_PAGE_ZERO|ADDR_COMPAT_LAYOUT|READ_IMPLIES_EXEC|ADDR_LIMIT_32BIT|SHORT_INODE|WHOLE_SECONDS|STICKY_TIMEOUTS|ADDR_LIMIT_3GB|0x1ff00"},
		{0x7fffffff, "PER_MASK|UNAME26|ADDR_NO_RANDOMIZE|FDPIC_FUNCPTRS|MMAP_PAGE_ZERO|ADDR_COMPAT_LAYOUT|READ_IMPLIES_EXEC|ADDR_LIMIT_32BIT|SHORT_INODE|WHOLE_SECONDS|STICKY_TIMEOUTS|ADDR_LIMIT_3GB|0x7001ff00"},
	})
}

func TestSchedAndPriority(t *testing.T) {
	checkSet(t, SchedPolicies, []strCase{
		{0, "SCHED_OTHER"},
		{6, "SCHED_DEADLINE"},
		{7, "0x7 /* SCHED_??? */"},
		{0x40000000, "0x40000000 /* SCHED_??? */"},
	})
	checkSet(t, PriorityWhich, []strCase{{0, "PRIO_PROCESS"}, {2, "PRIO_USER"}, {3, "0x3 /* PRIO_??? */"}})
}

func TestSeccomp(t *testing.T) {
	checkSet(t, SeccompOps, []strCase{
		{0, "SECCOMP_SET_MODE_STRICT"},
		{1, "SECCOMP_SET_MODE_FILTER"},
		{3, "SECCOMP_GET_NOTIF_SIZES"},
		{4, "0x4 /* SECCOMP_SET_MODE_??? */"},
	})
	checkSet(t, SeccompFilterFlags, []strCase{
		{1, "SECCOMP_FILTER_FLAG_TSYNC"},
		{0x40, "0x40 /* SECCOMP_FILTER_FLAG_??? */"},
		{0xffffffff, "SECCOMP_FILTER_FLAG_TSYNC|SECCOMP_FILTER_FLAG_LOG|SECCOMP_FILTER_FLAG_SPEC_ALLOW|SECCOMP_FILTER_FLAG_NEW_LISTENER|SECCOMP_FILTER_FLAG_TSYNC_ESRCH|SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV|0xffffffc0"},
	})
	checkSet(t, SeccompModes, []strCase{
		{0, "SECCOMP_MODE_DISABLED"},
		{2, "SECCOMP_MODE_FILTER"},
		{3, "0x3 /* SECCOMP_MODE_??? */"},
	})
}

func TestPtraceRequests(t *testing.T) {
	checkSet(t, PtraceRequests, []strCase{
		{0, "PTRACE_TRACEME"},
		{3, "PTRACE_PEEKUSER"},
		{0xa, "0xa /* PTRACE_??? */"},
		{0xc, "PTRACE_GETREGS"},
		{0x10, "PTRACE_ATTACH"},
		{0x12, "PTRACE_GETFPXREGS"},
		{0x14, "0x14 /* PTRACE_??? */"},
		{0x15, "PTRACE_OLDSETOPTIONS"},
		{0x18, "PTRACE_SYSCALL"},
		{0x1d, "0x1d /* PTRACE_??? */"},
		{0x1e, "PTRACE_ARCH_PRCTL"},
		{0x21, "PTRACE_SINGLEBLOCK"},
		{0x22, "0x22 /* PTRACE_??? */"},
		{0x4206, "PTRACE_SEIZE"},
		{0x420e, "PTRACE_GET_SYSCALL_INFO"},
		{0x420f, "PTRACE_GET_RSEQ_CONFIGURATION"},
		{0x4210, "0x4210 /* PTRACE_??? */"},
	})
	checkSet(t, PtraceRequestsGeneric, []strCase{
		{0x18, "PTRACE_SYSCALL"},
		{0x21, "PTRACE_PEEKMTETAGS"},
		{0x12, "0x12 /* PTRACE_??? */"},
		{0x1e, "PTRACE_SETHBPREGS"},
	})
}
