package xlat

import "strconv"

// Signals: names, sigprocmask, sigaction flags and si_code values.

// signalNames are signals 1-31, the same numbers on x86 and aarch64
// (x86's asm/signal.h and asm-generic/signal.h agree; 31 is SIGSYS).
var signalNames = [...]string{
	1:  "SIGHUP",
	2:  "SIGINT",
	3:  "SIGQUIT",
	4:  "SIGILL",
	5:  "SIGTRAP",
	6:  "SIGABRT",
	7:  "SIGBUS",
	8:  "SIGFPE",
	9:  "SIGKILL",
	10: "SIGUSR1",
	11: "SIGSEGV",
	12: "SIGUSR2",
	13: "SIGPIPE",
	14: "SIGALRM",
	15: "SIGTERM",
	16: "SIGSTKFLT",
	17: "SIGCHLD",
	18: "SIGCONT",
	19: "SIGSTOP",
	20: "SIGTSTP",
	21: "SIGTTIN",
	22: "SIGTTOU",
	23: "SIGURG",
	24: "SIGXCPU",
	25: "SIGXFSZ",
	26: "SIGVTALRM",
	27: "SIGPROF",
	28: "SIGWINCH",
	29: "SIGIO",
	30: "SIGPWR",
	31: "SIGSYS",
}

const (
	// SigRTMin is the kernel's first realtime signal (32 on every
	// arch). strace names it SIGRTMIN even though glibc reserves 32 and
	// 33 and its own SIGRTMIN is 34.
	SigRTMin = 32
	// SigRTMax is the last signal (_NSIG) on x86 and aarch64.
	SigRTMax = 64
)

// SignalName returns a signal's name as strace prints it (printsignal,
// sprintsigname): SIGHUP…SIGSYS for 1-31, SIGRTMIN for 32, SIGRT_1 for 33
// up to SIGRT_32 for 64; any other number (0, negative, above 64) as
// decimal, e.g. kill(1, 0).
func SignalName(n int) string {
	if s, ok := signalName(n); ok {
		return s
	}
	return strconv.Itoa(n)
}

// SignalAbbrev returns the name strace uses inside a signal set, without
// the SIG prefix (HUP, RTMIN, RT_1), and whether n has one.
func SignalAbbrev(n int) (string, bool) {
	s, ok := signalName(n)
	if !ok {
		return "", false
	}
	return s[len("SIG"):], true
}

func signalName(n int) (string, bool) {
	switch {
	case n > 0 && n < len(signalNames):
		return signalNames[n], true
	case n == SigRTMin:
		return "SIGRTMIN", true
	case n > SigRTMin && n <= SigRTMax:
		return "SIGRT_" + strconv.Itoa(n-SigRTMin), true
	}
	return "", false
}

// SigprocmaskHow is strace's sigprocmaskcmds (rt_sigprocmask's how).
var SigprocmaskHow = &Set{
	Name:  "sigprocmaskcmds",
	Style: Enum,
	Pairs: []Pair{
		{0, "SIG_BLOCK"},
		{1, "SIG_UNBLOCK"},
		{2, "SIG_SETMASK"},
	},
	Unknown: "SIG_???",
}

// SaHandlerValues is strace's sa_handler_values; other handlers print as
// addresses. SIG_ERR is -1 in the tracee's word size: compare after sign
// extension (0xffffffff from an i386 tracee is SIG_ERR too).
var SaHandlerValues = &Set{
	Name:  "sa_handler_values",
	Style: Enum,
	Pairs: []Pair{
		{0xffffffffffffffff, "SIG_ERR"},
		{0, "SIG_DFL"},
		{1, "SIG_IGN"},
	},
}

// SigactionFlags is strace's sigact_flags for x86 tracees (sa_flags of
// rt_sigaction). SA_RESTORER comes first; when it is set strace also prints
// the sa_restorer field. strace 6.1 has no SA_UNSUPPORTED (0x400) or
// SA_EXPOSE_TAGBITS (0x800).
var SigactionFlags = &Set{
	Name:  "sigact_flags",
	Style: Flags,
	Pairs: []Pair{
		{0x04000000, "SA_RESTORER"},
		{0x08000000, "SA_ONSTACK"},
		{0x10000000, "SA_RESTART"},
		{0x20000000, "SA_INTERRUPT"},
		{0x40000000, "SA_NODEFER"},
		{0x80000000, "SA_RESETHAND"},
		{0x00000004, "SA_SIGINFO"},
		{0x00000001, "SA_NOCLDSTOP"},
		{0x00000002, "SA_NOCLDWAIT"},
	},
	Unknown: "SA_???",
}

// SigactionFlagsGeneric is SigactionFlags for aarch64 tracees: no
// SA_RESTORER (arm64 defines it only for arm32 compat tasks and its libc
// never sets it), so 0x4000000 prints as hex there.
var SigactionFlagsGeneric = &Set{
	Name:  "sigact_flags",
	Style: Flags,
	Pairs: []Pair{
		{0x08000000, "SA_ONSTACK"},
		{0x10000000, "SA_RESTART"},
		{0x20000000, "SA_INTERRUPT"},
		{0x40000000, "SA_NODEFER"},
		{0x80000000, "SA_RESETHAND"},
		{0x00000004, "SA_SIGINFO"},
		{0x00000001, "SA_NOCLDSTOP"},
		{0x00000002, "SA_NOCLDWAIT"},
	},
	Unknown: "SA_???",
}

// SaRestorer is the SA_RESTORER bit (x86), whose presence adds the
// sa_restorer field to strace's sigaction struct.
const SaRestorer = 0x04000000

// si_code values are ints; the sets hold them as 32-bit two's complement
// (SI_QUEUE, -1, is 0xffffffff), which is also how strace prints an
// unknown one: si_code=0xfffffff8.

// SiCodes is strace's siginfo_codes, the si_code values any signal can
// carry; strace tries them before the per-signal sets.
var SiCodes = &Set{
	Name:  "siginfo_codes",
	Style: Enum,
	Pairs: []Pair{
		{0, "SI_USER"},
		{0x80, "SI_KERNEL"},
		{0xffffffff, "SI_QUEUE"},    // -1
		{0xfffffffe, "SI_TIMER"},    // -2
		{0xfffffffd, "SI_MESGQ"},    // -3
		{0xfffffffc, "SI_ASYNCIO"},  // -4
		{0xfffffffb, "SI_SIGIO"},    // -5
		{0xfffffffa, "SI_TKILL"},    // -6
		{0xfffffff9, "SI_DETHREAD"}, // -7
		{0xffffffc4, "SI_ASYNCNL"},  // -60
	},
}

// SigillCodes is strace's sigill_codes (SIGILL si_code).
var SigillCodes = &Set{
	Name:  "sigill_codes",
	Style: Enum,
	Pairs: []Pair{
		{1, "ILL_ILLOPC"},
		{2, "ILL_ILLOPN"},
		{3, "ILL_ILLADR"},
		{4, "ILL_ILLTRP"},
		{5, "ILL_PRVOPC"},
		{6, "ILL_PRVREG"},
		{7, "ILL_COPROC"},
		{8, "ILL_BADSTK"},
		{9, "ILL_BADIADDR"},
	},
}

// SigfpeCodes is strace's sigfpe_codes (SIGFPE si_code).
var SigfpeCodes = &Set{
	Name:  "sigfpe_codes",
	Style: Enum,
	Pairs: []Pair{
		{1, "FPE_INTDIV"},
		{2, "FPE_INTOVF"},
		{3, "FPE_FLTDIV"},
		{4, "FPE_FLTOVF"},
		{5, "FPE_FLTUND"},
		{6, "FPE_FLTRES"},
		{7, "FPE_FLTINV"},
		{8, "FPE_FLTSUB"},
		{14, "FPE_FLTUNK"},
	},
}

// SigsegvCodes is strace's sigsegv_codes (SIGSEGV si_code).
var SigsegvCodes = &Set{
	Name:  "sigsegv_codes",
	Style: Enum,
	Pairs: []Pair{
		{1, "SEGV_MAPERR"},
		{2, "SEGV_ACCERR"},
		{3, "SEGV_BNDERR"},
		{4, "SEGV_PKUERR"},
		{5, "SEGV_ACCADI"},
		{6, "SEGV_ADIDERR"},
		{7, "SEGV_ADIPERR"},
		{8, "SEGV_MTEAERR"},
		{9, "SEGV_MTESERR"},
	},
}

// SigbusCodes is strace's sigbus_codes (SIGBUS si_code).
var SigbusCodes = &Set{
	Name:  "sigbus_codes",
	Style: Enum,
	Pairs: []Pair{
		{1, "BUS_ADRALN"},
		{2, "BUS_ADRERR"},
		{3, "BUS_OBJERR"},
		{4, "BUS_MCEERR_AR"},
		{5, "BUS_MCEERR_AO"},
	},
}

// SigtrapCodes is strace's sigtrap_codes (SIGTRAP si_code).
var SigtrapCodes = &Set{
	Name:  "sigtrap_codes",
	Style: Enum,
	Pairs: []Pair{
		{1, "TRAP_BRKPT"},
		{2, "TRAP_TRACE"},
		{3, "TRAP_BRANCH"},
		{4, "TRAP_HWBKPT"},
		{5, "TRAP_UNK"},
		{6, "TRAP_PERF"},
	},
}

// SigchldCodes is strace's sigchld_codes (SIGCHLD si_code).
var SigchldCodes = &Set{
	Name:  "sigchld_codes",
	Style: Enum,
	Pairs: []Pair{
		{1, "CLD_EXITED"},
		{2, "CLD_KILLED"},
		{3, "CLD_DUMPED"},
		{4, "CLD_TRAPPED"},
		{5, "CLD_STOPPED"},
		{6, "CLD_CONTINUED"},
	},
}

// SigpollCodes is strace's sigpoll_codes (SIGIO/SIGPOLL si_code).
var SigpollCodes = &Set{
	Name:  "sigpoll_codes",
	Style: Enum,
	Pairs: []Pair{
		{1, "POLL_IN"},
		{2, "POLL_OUT"},
		{3, "POLL_MSG"},
		{4, "POLL_ERR"},
		{5, "POLL_PRI"},
		{6, "POLL_HUP"},
	},
}

// SigsysCodes is strace's sigsys_codes (SIGSYS si_code).
var SigsysCodes = &Set{
	Name:  "sigsys_codes",
	Style: Enum,
	Pairs: []Pair{
		{1, "SYS_SECCOMP"},
		{2, "SYS_USER_DISPATCH"},
	},
}

// SiCodeSet returns the per-signal si_code set strace consults for signo
// after SiCodes, or nil (SIGPROF, SIGUSR1… have none on Linux x86 and
// aarch64).
func SiCodeSet(signo int) *Set {
	switch signo {
	case 4:
		return SigillCodes
	case 8:
		return SigfpeCodes
	case 11:
		return SigsegvCodes
	case 7:
		return SigbusCodes
	case 5:
		return SigtrapCodes
	case 17:
		return SigchldCodes
	case 29:
		return SigpollCodes
	case 31:
		return SigsysCodes
	}
	return nil
}

// SiCodeName returns the name strace's printsiginfo gives si_code for a
// signal: SiCodes first, then the signal's own set.
func SiCodeName(signo int, code int32) (string, bool) {
	v := uint64(uint32(code))
	if n, ok := SiCodes.Lookup(v); ok {
		return n, true
	}
	if set := SiCodeSet(signo); set != nil {
		return set.Lookup(v)
	}
	return "", false
}

// AppendSiCode appends si_code as strace prints it: the name, or the value
// as 32-bit hex with no comment (si_code=0xfffffff8, si_code=0x7).
func AppendSiCode(dst []byte, signo int, code int32) []byte {
	if n, ok := SiCodeName(signo, code); ok {
		return append(dst, n...)
	}
	return appendHex(dst, uint64(uint32(code)))
}

// SfdFlags is strace's sfd_flags, signalfd4's flags (O_CLOEXEC and
// O_NONBLOCK, the same values on x86 and aarch64).
var SfdFlags = &Set{
	Name:  "sfd_flags",
	Style: Flags,
	Pairs: []Pair{
		{0x80000, "SFD_CLOEXEC"},
		{0x800, "SFD_NONBLOCK"},
	},
	Unknown: "SFD_???",
}

// AuditArches is the part of strace's audit_arch that sonde's tracees and
// their neighbours use: SIGSYS's si_arch.
var AuditArches = &Set{
	Name:  "audit_arch",
	Style: Enum,
	Pairs: []Pair{
		{0xc00000b7, "AUDIT_ARCH_AARCH64"},
		{0x40000028, "AUDIT_ARCH_ARM"},
		{0x40000003, "AUDIT_ARCH_I386"},
		{0x80000015, "AUDIT_ARCH_PPC64"},
		{0xc0000015, "AUDIT_ARCH_PPC64LE"},
		{0xc00000f3, "AUDIT_ARCH_RISCV64"},
		{0x80000016, "AUDIT_ARCH_S390X"},
		{0xc000003e, "AUDIT_ARCH_X86_64"},
	},
	Unknown: "AUDIT_ARCH_???",
}
