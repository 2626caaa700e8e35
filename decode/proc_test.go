package decode_test

import (
	"encoding/binary"
	"testing"

	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/output"
	"github.com/sonde-dev/sonde/sysent"
)

// Decoders of processes, memory and signals (issue #4), each case's text
// as strace 6.1 printed it for the same call in a C program (the
// testdata/fixtures/cov_proc*, cov_mem and cov_signal fixtures).

// words packs little-endian words of size ws.
func words(ws int, vs ...uint64) []byte {
	b := make([]byte, ws*len(vs))
	for i, v := range vs {
		if ws == 4 {
			binary.LittleEndian.PutUint32(b[4*i:], uint32(v))
		} else {
			binary.LittleEndian.PutUint64(b[8*i:], v)
		}
	}
	return b
}

// u16s packs little-endian 16-bit values.
func u16s(vs ...uint16) []byte {
	b := make([]byte, 2*len(vs))
	for i, v := range vs {
		binary.LittleEndian.PutUint16(b[2*i:], v)
	}
	return b
}

// siginfo64 builds a 128-byte siginfo_t in the 64-bit layout: signo, errno,
// code, then the union's 32-bit words from offset 16.
func siginfo64(signo, errno, code int32, union ...uint32) []byte {
	b := make([]byte, 128)
	binary.LittleEndian.PutUint32(b[0:], uint32(signo))
	binary.LittleEndian.PutUint32(b[4:], uint32(errno))
	binary.LittleEndian.PutUint32(b[8:], uint32(code))
	for i, v := range union {
		binary.LittleEndian.PutUint32(b[16+4*i:], v)
	}
	return b
}

// siginfo32 builds an i386 siginfo_t: the union from offset 12.
func siginfo32(signo, errno, code int32, union ...uint32) []byte {
	b := make([]byte, 128)
	binary.LittleEndian.PutUint32(b[0:], uint32(signo))
	binary.LittleEndian.PutUint32(b[4:], uint32(errno))
	binary.LittleEndian.PutUint32(b[8:], uint32(code))
	for i, v := range union {
		binary.LittleEndian.PutUint32(b[12+4*i:], v)
	}
	return b
}

type procCase struct {
	name        string
	opt         decode.Options
	rval        int64
	args        []uint64
	enter, exit string
	note        string // the result comment, "" for none
	hex         bool   // the result prints in hex
}

func runProcCases(t *testing.T, a *arch.Arch, tab *sysent.Table, mem fakeMem, tests []procCase) {
	t.Helper()
	for _, tt := range tests {
		enter, exit, call := run(t, a, tab, tt.name, mem, tt.opt, tt.rval, tt.args...)
		if enter != tt.enter || exit != tt.exit {
			t.Errorf("%s %s%#x:\n got  enter %s\n      exit %s\n want enter %s\n      exit %s", a.Name, tt.name, tt.args, enter, exit, tt.enter, tt.exit)
		}
		note := ""
		if call.Note != nil && !call.IsError {
			note = string(call.Note.Append(nil, call.NoteVal))
		}
		if note != tt.note {
			t.Errorf("%s %s%#x: note %q, want %q", a.Name, tt.name, tt.args, note, tt.note)
		}
		if hex := call.Ret == decode.RetHex; hex != tt.hex {
			t.Errorf("%s %s%#x: hex result %v, want %v", a.Name, tt.name, tt.args, hex, tt.hex)
		}
	}
}

func TestProcessDecodersX86_64(t *testing.T) {
	opt := decode.DefaultOptions
	verbose := decode.Options{StrLimit: 32, Verbose: true}
	neg := func(v int64) uint64 { return uint64(v) }
	argv := words(8, 0x1000, 0x1010, 0)
	capHdr := words(4, 0x20080522, 0)
	capData := words(4, 1, 3, 0, 1, 0, 0) // lo: eff, perm, inh; hi: eff, perm, inh
	uts := make([]byte, 6*65)
	for i, s := range []string{"Linux", "vm", "6.1.0", "#1 SMP", "x86_64", "(none)"} {
		copy(uts[65*i:], s)
	}
	mem := fakeMem{
		0x1000:  cstr("/etc/passwd"),
		0x1010:  cstr("-l"),
		0x1100:  cstr("cov-prctl"),
		0x1200:  cstr("a-name-longer-than-sixteen"),
		0x5000:  words(4, 3<<8),
		0x7000:  argv,
		0x9000:  words(8, 1, 0x9100),
		0x9100:  []byte{6, 0, 0, 0, 0, 0, 0xff, 0x7f},
		0xa000:  capHdr,
		0xa100:  capData,
		0xb000:  siginfo64(17, 0, 1, 42, 0, 3, 0, 0, 0, 0, 0),
		0xb100:  siginfo64(10, 0, -6, 42, 0),
		0xc000:  words(8, 3),
		0xd000:  words(8, 1<<9),
		0xd100:  words(8, 0, 0),
		0xe000:  []byte{1, 0, 1},
		0xf000:  words(4, 0, 4),
		0x10000: uts,
		0x11000: words(8, 0x7f00),
		0x12000: words(8, 9),
		0x13000: make([]byte, 128),
	}
	runProcCases(t, arch.X86_64, sysent.X86_64, mem, []procCase{
		// prctl's options and their arguments.
		{name: "prctl", opt: opt, args: []uint64{15, 0x1100, 0, 0, 0}, enter: `PR_SET_NAME, "cov-prctl"`},
		{name: "prctl", opt: opt, args: []uint64{15, 0x1200, 0, 0, 0}, enter: `PR_SET_NAME, "a-name-longer-t"...`},
		{name: "prctl", opt: opt, rval: -14, args: []uint64{15, 1, 0, 0, 0}, enter: `PR_SET_NAME, 0x1`},
		{name: "prctl", opt: opt, args: []uint64{16, 0x1100, 0, 0, 0}, enter: `PR_GET_NAME`, exit: `"cov-prctl"`},
		{name: "prctl", opt: opt, rval: -14, args: []uint64{16, 0x1100, 0, 0, 0}, enter: `PR_GET_NAME`, exit: `0x1100`},
		{name: "prctl", opt: opt, args: []uint64{1, 9, 0, 0, 0}, enter: `PR_SET_PDEATHSIG, SIGKILL`},
		{name: "prctl", opt: opt, args: []uint64{1, 200, 0, 0, 0}, enter: `PR_SET_PDEATHSIG, 200`},
		{name: "prctl", opt: opt, args: []uint64{2, 0x12000, 0, 0, 0}, enter: `PR_GET_PDEATHSIG`, exit: `[SIGKILL]`},
		{name: "prctl", opt: opt, args: []uint64{4, 1, 0, 0, 0}, enter: `PR_SET_DUMPABLE, SUID_DUMP_USER`},
		{name: "prctl", opt: opt, rval: 1, args: []uint64{3, 0, 0, 0, 0}, enter: `PR_GET_DUMPABLE`, note: "SUID_DUMP_USER"},
		{name: "prctl", opt: opt, args: []uint64{38, 1, 0, 0, 0}, enter: `PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0`},
		{name: "prctl", opt: opt, rval: 1, args: []uint64{39, 0, 0, 0, 0}, enter: `PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0`},
		{name: "prctl", opt: opt, args: []uint64{22, 2, 0x9000, 0, 0}, enter: `PR_SET_SECCOMP, SECCOMP_MODE_FILTER, {len=1, filter=0x9100}`},
		{name: "prctl", opt: verbose, args: []uint64{22, 2, 0x9000, 0, 0}, enter: `PR_SET_SECCOMP, SECCOMP_MODE_FILTER, {len=1, filter=[BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_ALLOW)]}`},
		{name: "prctl", opt: opt, args: []uint64{22, 7, 0, 0, 0}, enter: `PR_SET_SECCOMP, 0x7 /* SECCOMP_MODE_??? */, 0, 0, 0`},
		{name: "prctl", opt: opt, args: []uint64{23, 0, 0, 0, 0}, enter: `PR_CAPBSET_READ, CAP_CHOWN`},
		{name: "prctl", opt: opt, args: []uint64{23, neg(-1), 0, 0, 0}, enter: `PR_CAPBSET_READ, 0xffffffffffffffff /* CAP_??? */`},
		{name: "prctl", opt: opt, args: []uint64{47, 1, 0, 0, 0}, enter: `PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_CHOWN, 0, 0`},
		{name: "prctl", opt: opt, args: []uint64{47, 4, 0, 0, 0}, enter: `PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0`},
		{name: "prctl", opt: opt, args: []uint64{36, 1, 0, 0, 0}, enter: `PR_SET_CHILD_SUBREAPER, 1`},
		{name: "prctl", opt: opt, args: []uint64{37, 0x12000, 0, 0, 0}, enter: `PR_GET_CHILD_SUBREAPER`, exit: `[9]`},
		{name: "prctl", opt: opt, args: []uint64{29, neg(-5), 0, 0, 0}, enter: `PR_SET_TIMERSLACK, -5`},
		{name: "prctl", opt: opt, rval: 50000, args: []uint64{30, 0, 0, 0, 0}, enter: `PR_GET_TIMERSLACK`},
		{name: "prctl", opt: opt, args: []uint64{0x53564d41, 0, 0x7f00, 4096, 0x1010}, enter: `PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x7f00, 4096, "-l"`},
		{name: "prctl", opt: opt, args: []uint64{0x53564d41, 5, 0x7f00, 4096, 0}, enter: `PR_SET_VMA, 0x5 /* PR_SET_VMA_??? */, 0x7f00, 0x1000, 0`},
		{name: "prctl", opt: opt, args: []uint64{35, 8, 1, 0, 0}, enter: `PR_SET_MM, PR_SET_MM_ARG_START, 0x1, 0, 0`},
		{name: "prctl", opt: opt, rval: 0x10, args: []uint64{27, 0, 0, 0, 0}, enter: `PR_GET_SECUREBITS`, note: "SECBIT_KEEP_CAPS", hex: true},
		{name: "prctl", opt: opt, args: []uint64{27, 0, 0, 0, 0}, enter: `PR_GET_SECUREBITS`},
		{name: "prctl", opt: opt, args: []uint64{28, 0x101, 0, 0, 0}, enter: `PR_SET_SECUREBITS, SECBIT_NOROOT|0x100`},
		{name: "prctl", opt: opt, args: []uint64{0x59616d61, neg(-1), 0, 0, 0}, enter: `PR_SET_PTRACER, PR_SET_PTRACER_ANY`},
		{name: "prctl", opt: opt, args: []uint64{0x59616d61, 1234, 0, 0, 0}, enter: `PR_SET_PTRACER, 1234`},
		{name: "prctl", opt: opt, rval: 2, args: []uint64{34, 0, 0, 0, 0}, enter: `PR_MCE_KILL_GET, 0, 0, 0, 0`, note: "PR_MCE_KILL_DEFAULT"},
		{name: "prctl", opt: opt, rval: 2, args: []uint64{52, 0, 0, 0, 0}, enter: `PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS`, note: "PR_SPEC_ENABLE", hex: true},
		{name: "prctl", opt: opt, args: []uint64{40, 0x11000, 0, 0, 0}, enter: `PR_GET_TID_ADDRESS`, exit: `[0x7f00]`},
		{name: "prctl", opt: opt, args: []uint64{55, 0x7fff9, 1, 2, 3}, enter: `PR_SET_TAGGED_ADDR_CTRL, PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_NONE|0xffff<<PR_MTE_TAG_SHIFT, 0x1, 0x2, 0x3`},
		{name: "prctl", opt: opt, args: []uint64{50, 0x60040, 0, 0, 0}, enter: `PR_SVE_SET_VL, PR_SVE_SET_VL_ONEXEC|PR_SVE_VL_INHERIT|0x40`},
		{name: "prctl", opt: opt, args: []uint64{62, 0, 123, 1, 0x12000}, enter: `PR_SCHED_CORE, PR_SCHED_CORE_GET, 123, 0x1 /* PIDTYPE_TGID */`, exit: `[0x9]`},
		{name: "prctl", opt: opt, args: []uint64{0xdead, 1, 2, 3, 4}, enter: `0xdead /* PR_??? */, 0x1, 0x2, 0x3, 0x4`},

		// Credentials.
		{name: "capget", opt: opt, args: []uint64{0xa000, 0xa100}, enter: `{version=_LINUX_CAPABILITY_VERSION_3, pid=0}`,
			exit: `{effective=1<<CAP_CHOWN|1<<CAP_MAC_OVERRIDE, permitted=1<<CAP_CHOWN|1<<CAP_DAC_OVERRIDE, inheritable=0}`},
		{name: "capget", opt: opt, rval: -22, args: []uint64{0xa000, 0xa100}, enter: `{version=_LINUX_CAPABILITY_VERSION_3, pid=0}`, exit: `0xa100`},
		{name: "capget", opt: opt, args: []uint64{0xa000, 0}, enter: `{version=_LINUX_CAPABILITY_VERSION_3, pid=0}`, exit: `NULL`},
		{name: "capget", opt: opt, rval: -14, args: []uint64{1, 0xa100}, enter: `0x1`, exit: `0xa100`},
		{name: "capset", opt: opt, args: []uint64{0xa000, 1}, enter: `{version=_LINUX_CAPABILITY_VERSION_3, pid=0}, 0x1`},
		{name: "getresuid", opt: opt, args: []uint64{0xf000, 0xf000, 0xf004}, exit: `[0], [0], [4]`},
		{name: "getresuid", opt: opt, rval: -14, args: []uint64{1, 0xf000, 0xf004}, exit: `0x1, 0xf000, 0xf004`},
		{name: "getgroups", opt: opt, rval: 2, args: []uint64{64, 0xf000}, enter: `64`, exit: `[0, 4]`},
		{name: "getgroups", opt: opt, args: []uint64{0, 0}, enter: `0`, exit: `NULL`},
		{name: "getgroups", opt: opt, args: []uint64{64, 1}, enter: `64`, exit: `[]`},
		{name: "setgroups", opt: opt, args: []uint64{2, 0xf000}, enter: `2, [0, 4]`},
		{name: "setgroups", opt: opt, rval: -22, args: []uint64{100000, 0xf000}, enter: `100000, 0xf000`},
		{name: "setuid", opt: opt, args: []uint64{0xffffffff}, enter: `-1`},
		{name: "setresuid", opt: opt, args: []uint64{0xffffffff, 0, 0xffff}, enter: `-1, 0, 65535`},

		// Processes.
		{name: "wait4", opt: opt, args: []uint64{42, 0x5000, 1, 0x6000}, enter: `42`, exit: `0x5000, WNOHANG, 0x6000`},
		{name: "waitid", opt: opt, args: []uint64{1, 42, 0xb000, 4, 0}, enter: `P_PID, 42`,
			exit: `{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=42, si_uid=0, si_status=3, si_utime=0, si_stime=0}, WEXITED, NULL`},
		{name: "waitid", opt: opt, rval: -22, args: []uint64{0, 0, 0xb000, 0, 0x6000}, enter: `P_ALL, 0`, exit: `0xb000, 0, 0x6000`},
		{name: "waitid", opt: opt, args: []uint64{1, 42, 0x13000, 5, 0}, enter: `P_PID, 42`, exit: `{}, WNOHANG|WEXITED, NULL`},
		{name: "execveat", opt: opt, args: []uint64{neg(-100), 0x1000, 0x7000, 0x7000, 0x1000},
			enter: `AT_FDCWD, "/etc/passwd", ["/etc/passwd", "-l"], 0x7000 /* 2 vars */, AT_EMPTY_PATH`},
		{name: "execve", opt: verbose, args: []uint64{0x1000, 0x7000, 0x7000}, enter: `"/etc/passwd", ["/etc/passwd", "-l"], ["/etc/passwd", "-l"]`},
		{name: "execve", opt: opt, rval: -14, args: []uint64{0x1000, 1, 0}, enter: `"/etc/passwd", 0x1, NULL`},
		{name: "sched_getaffinity", opt: opt, rval: 8, args: []uint64{0, 128, 0xc000}, enter: `0, 128`, exit: `[0 1]`},
		{name: "sched_setaffinity", opt: opt, args: []uint64{0, 256, 0xc000}, enter: `0, 256, 0xc000`},
		{name: "sched_getaffinity", opt: opt, rval: -22, args: []uint64{0, 1, 0xc000}, enter: `0, 1`, exit: `0xc000`},
		{name: "getrusage", opt: opt, rval: -22, args: []uint64{7, 0xc000}, enter: `0x7 /* RUSAGE_??? */`, exit: `0xc000`},
		{name: "uname", opt: opt, args: []uint64{0x10000}, exit: `{sysname="Linux", nodename="vm", ...}`},
		{name: "uname", opt: verbose, args: []uint64{0x10000},
			exit: `{sysname="Linux", nodename="vm", release="6.1.0", version="#1 SMP", machine="x86_64", domainname="(none)"}`},
		{name: "personality", opt: opt, rval: 0x40000, args: []uint64{0xffffffff}, enter: `0xffffffff`, note: "PER_LINUX|ADDR_NO_RANDOMIZE", hex: true},
		{name: "personality", opt: opt, rval: 0x42, args: []uint64{0x42}, enter: `0x42 /* PER_??? */`, note: "0x42 /* PER_??? */", hex: true},
		{name: "arch_prctl", opt: opt, args: []uint64{0x1003, 0x11000}, enter: `ARCH_GET_FS`, exit: `[0x7f00]`},
		{name: "arch_prctl", opt: opt, rval: 1, args: []uint64{0x1011, 5}, enter: `ARCH_GET_CPUID`},
		{name: "arch_prctl", opt: opt, args: []uint64{0x1002, 0x7f00}, enter: `ARCH_SET_FS, 0x7f00`},
		{name: "arch_prctl", opt: opt, rval: -95, args: []uint64{0x1023, 18}, enter: `ARCH_REQ_XCOMP_PERM, 0x12 /* XFEATURE_XTILE_DATA */`},
		{name: "get_robust_list", opt: opt, args: []uint64{0, 0x11000, 0xc000}, enter: `0`, exit: `[0x7f00], [3]`},

		// Memory.
		{name: "mremap", opt: opt, rval: 0x2000, args: []uint64{0x1000, 4096, 8192, 3, 0x2000}, enter: `0x1000, 4096, 8192, MREMAP_MAYMOVE|MREMAP_FIXED, 0x2000`, hex: true},
		{name: "mremap", opt: opt, rval: 0x2000, args: []uint64{0x1000, 4096, 8192, 5, 0x2000}, enter: `0x1000, 4096, 8192, MREMAP_MAYMOVE|MREMAP_DONTUNMAP`, hex: true},
		{name: "mremap", opt: opt, rval: -22, args: []uint64{0x1000, 4096, 4096, 0x80, 0}, enter: `0x1000, 4096, 4096, 0x80 /* MREMAP_??? */`, hex: true},
		{name: "mincore", opt: opt, args: []uint64{0x1000, 3*4096 - 1, 0xe000}, enter: `0x1000, 12287`, exit: `[1, 0, 1]`},
		{name: "mincore", opt: decode.Options{StrLimit: 2}, args: []uint64{0x1000, 3 * 4096, 0xe000}, enter: `0x1000, 12288`, exit: `[1, 0, ...]`},
		{name: "mincore", opt: opt, args: []uint64{0x1000, 4 * 4096, 0xe000}, enter: `0x1000, 16384`, exit: `0xe000`},
		{name: "msync", opt: opt, args: []uint64{0x1000, 4096, 5}, enter: `0x1000, 4096, MS_SYNC|MS_ASYNC`},
		{name: "mlock2", opt: opt, args: []uint64{0x1000, 4096, 0x10}, enter: `0x1000, 4096, 0x10 /* MLOCK_??? */`},
		{name: "mlockall", opt: opt, args: []uint64{7}, enter: `MCL_CURRENT|MCL_FUTURE|MCL_ONFAULT`},

		// Signals.
		{name: "rt_sigtimedwait", opt: opt, rval: 10, args: []uint64{0xd000, 0xb100, 0xd100, 8}, enter: `[USR1]`,
			exit: `{si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=42, si_uid=0}, {tv_sec=0, tv_nsec=0}, 8`, note: "SIGUSR1"},
		{name: "rt_sigtimedwait", opt: opt, rval: -11, args: []uint64{0xd000, 0xb100, 0xd100, 8}, enter: `[USR1]`, exit: `0xb100, {tv_sec=0, tv_nsec=0}, 8`},
		{name: "rt_sigtimedwait", opt: opt, rval: 10, args: []uint64{0xd000, 0, 0, 8}, enter: `[USR1], NULL, NULL, 8`, note: "SIGUSR1"},
		{name: "rt_sigqueueinfo", opt: opt, args: []uint64{42, 10, 0xb100}, enter: `42, SIGUSR1, {si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=42, si_uid=0}`},
		{name: "signalfd4", opt: opt, rval: 3, args: []uint64{neg(-1), 0xd000, 8, 0x80800}, enter: `-1, [USR1], 8, SFD_CLOEXEC|SFD_NONBLOCK`},
		{name: "signalfd", opt: opt, rval: -22, args: []uint64{neg(-1), 0xd000, 4}, enter: `-1, 0xd000, 4`},
	})
}

func TestProcessDecodersI386(t *testing.T) {
	opt := decode.DefaultOptions
	neg := func(v int64) uint64 { return uint64(uint32(v)) }
	sysinfo := words(4, 2373, 1, 2, 3, 100, 50, 4, 5, 0, 0, 153, 0, 0, 4096, 0, 0) // 64 bytes with the padding
	mem := fakeMem{
		0x1000: u16s(0xffff, 0, 4),
		0x2000: words(4, 0, 4096, 3, 0x22, 0xffffffff, 0),
		0x3000: siginfo32(17, 0, 1, 42, 0, 3, 17, 0),
		0x3200: siginfo32(12, 0, -1, 42, 0, 0x1234),
		0x4000: sysinfo,
		0x5000: words(4, 0, 0, 14, 0),
		0x6000: words(4, 0x3000, 4, 0, 0x3000+0x80),
	}
	runProcCases(t, arch.I386, sysent.I386, mem, []procCase{
		// The 16-bit originals: 0xffff is -1.
		{name: "setuid", opt: opt, args: []uint64{0xffff}, enter: `-1`},
		{name: "setuid", opt: opt, args: []uint64{0xffffffff}, enter: `-1`},
		{name: "setuid32", opt: opt, args: []uint64{0xffff}, enter: `65535`},
		{name: "setreuid", opt: opt, args: []uint64{0xffff, 0x1234}, enter: `-1, 4660`},
		{name: "getresuid", opt: opt, args: []uint64{0x1000, 0x1002, 0x1004}, exit: `[-1], [0], [4]`},
		{name: "getgroups", opt: opt, rval: 2, args: []uint64{64, 0x1002}, enter: `64`, exit: `[0, 4]`},
		{name: "getgroups32", opt: opt, rval: 1, args: []uint64{64, 0x1000}, enter: `64`, exit: `[65535]`},
		// i386's old mmap reads its arguments from memory.
		{name: "mmap", opt: opt, rval: 0x7000, args: []uint64{0x2000}, enter: `NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0`, hex: true},
		{name: "mmap", opt: opt, rval: -14, args: []uint64{1}, enter: `0x1`, hex: true},
		{name: "mmap2", opt: opt, rval: 0x7000, args: []uint64{0, 4096, 1, 2, 3, 1}, enter: `NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0x1000`, hex: true},
		// The i386 siginfo layout, clock_t with its comment in seconds.
		{name: "waitid", opt: opt, args: []uint64{0, 0, 0x3000, 4, 0}, enter: `P_ALL, 0`,
			exit: `{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=42, si_uid=0, si_status=3, si_utime=17 /* 0.17 s */, si_stime=0}, WEXITED, NULL`},
		{name: "rt_sigqueueinfo", opt: opt, args: []uint64{42, 12, 0x3200}, enter: `42, SIGUSR2, {si_signo=SIGUSR2, si_code=SI_QUEUE, si_pid=42, si_uid=0, si_int=4660, si_ptr=0x1234}`},
		{name: "sysinfo", opt: opt, args: []uint64{0x4000},
			exit: `{uptime=2373, loads=[1, 2, 3], totalram=100, freeram=50, sharedram=4, bufferram=5, totalswap=0, freeswap=0, procs=153, totalhigh=0, freehigh=0, mem_unit=4096}`},
		{name: "times", opt: opt, rval: 1000, args: []uint64{0x5000}, exit: `{tms_utime=0, tms_stime=0, tms_cutime=14 /* 0.14 s */, tms_cstime=0}`},
		// PRINT_VAL_D of a zero-extended 32-bit word.
		{name: "prctl", opt: opt, args: []uint64{29, neg(-5), 0, 0, 0}, enter: `PR_SET_TIMERSLACK, 4294967291`},
		{name: "prctl", opt: opt, args: []uint64{22, 2, 0x6000, 0, 0}, enter: `PR_SET_SECCOMP, SECCOMP_MODE_FILTER, {len=12288, filter=0x4}`},
		// A sigset of one word is enough on i386.
		{name: "signalfd", opt: opt, rval: 3, args: []uint64{neg(-1), 0x5000 + 8, 4}, enter: `-1, [INT QUIT ILL], 4`},
	})
}

func TestSiginfoSignalLines(t *testing.T) {
	sys := siginfo64(31, 42, 1, 0x401000, 0, 110, 0xc000003e)
	sysI386 := siginfo64(31, 0, 2, 0x8049000, 0, 172, 0x40000003)
	tests := []struct {
		raw  []byte
		want string
	}{
		{sys, "{si_signo=SIGSYS, si_code=SYS_SECCOMP, si_errno=ENOMSG, si_call_addr=0x401000, si_syscall=__NR_getppid, si_arch=AUDIT_ARCH_X86_64}"},
		{sysI386, "{si_signo=SIGSYS, si_code=SYS_USER_DISPATCH, si_call_addr=0x8049000, si_syscall=__NR_prctl, si_arch=AUDIT_ARCH_I386}"},
		{siginfo64(31, 0, 1, 0, 0, 9999, 0x1234), "{si_signo=SIGSYS, si_code=SYS_SECCOMP, si_call_addr=NULL, si_syscall=9999, si_arch=0x1234 /* AUDIT_ARCH_??? */}"},
		{siginfo64(11, 0, 0x80), "{si_signo=SIGSEGV, si_code=SI_KERNEL, si_addr=NULL}"},
		{siginfo64(11, 0, 1, 0x1000, 0), "{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x1000}"},
		{siginfo64(7, 0, 2, 0x2000, 0), "{si_signo=SIGBUS, si_code=BUS_ADRERR, si_addr=0x2000}"},
		{siginfo64(10, 0, 7, 1, 2), "{si_signo=SIGUSR1, si_code=0x7, si_pid=1, si_uid=2}"},
		{siginfo64(12, 2, -1, 42, 0, 7, 0), "{si_signo=SIGUSR2, si_code=SI_QUEUE, si_errno=ENOENT, si_pid=42, si_uid=0, si_int=7, si_ptr=0x7}"},
		{siginfo64(17, 0, 2, 42, 0, 9, 0, 17, 0, 0, 0), "{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=42, si_uid=0, si_status=SIGKILL, si_utime=17 /* 0.17 s */, si_stime=0}"},
		{siginfo64(17, 0, 1, 42, 0, 0, 0, 105, 0, 3, 0), "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=42, si_uid=0, si_status=0, si_utime=105 /* 1.05 s */, si_stime=3 /* 0.03 s */}"},
	}
	for _, tt := range tests {
		var out decode.Out
		decode.Siginfo(&out, tt.raw)
		if got := string(output.AppendArgs(nil, &out, output.QuoteDefault)); got != tt.want {
			t.Errorf("siginfo:\n got  %s\n want %s", got, tt.want)
		}
	}
}

// TestProcessDecodersAArch64 checks the layouts aarch64 shares with x86_64
// (64-bit siginfo, 32-bit gids without a 32 suffix) against the kernel
// headers; no aarch64 strace was run.
func TestProcessDecodersAArch64(t *testing.T) {
	opt := decode.DefaultOptions
	mem := fakeMem{
		0x1000: words(4, 0xffff, 4),
		0x2000: siginfo64(17, 0, 1, 42, 0, 3, 0, 0, 0, 0, 0),
	}
	runProcCases(t, arch.AArch64, sysent.AArch64, mem, []procCase{
		{name: "setuid", opt: opt, args: []uint64{0xffff}, enter: `65535`},
		{name: "getgroups", opt: opt, rval: 2, args: []uint64{64, 0x1000}, enter: `64`, exit: `[65535, 4]`},
		{name: "waitid", opt: opt, args: []uint64{1, 42, 0x2000, 4, 0}, enter: `P_PID, 42`,
			exit: `{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=42, si_uid=0, si_status=3, si_utime=0, si_stime=0}, WEXITED, NULL`},
		{name: "mmap", opt: opt, rval: 0x7000, args: []uint64{0, 4096, 3, 0x22, ^uint64(0), 0}, enter: `NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0`, hex: true},
	})
}
