package deny

import (
	"errors"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// deniedNames are the system calls deny makes fail with EPERM.
var deniedNames = [...]string{"ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd"}

// DeniedSyscalls returns the names of the system calls deny makes fail with
// EPERM: every way to read or write another process's memory or registers,
// or take its file descriptors, that seccomp can see (writing
// /proc/PID/mem is a plain write(2) to a file: see Options.ProcMem).
func DeniedSyscalls() []string { return append([]string(nil), deniedNames[:]...) }

// Syscall is one denied system call on one ABI.
type Syscall struct {
	Name string
	// Nr is the number as seccomp_data.nr carries it: for x32, with
	// __X32_SYSCALL_BIT set.
	Nr uint32
}

// ABI is one system-call ABI a filter must cover: how the kernel tells it
// apart (the AUDIT_ARCH value in seccomp_data.arch; x32 shares x86_64's and
// sets __X32_SYSCALL_BIT in the number instead) and the numbers of the
// denied calls in it.
type ABI struct {
	Name      string // "x86_64", "i386", "x32", "aarch64", "arm"
	AuditArch uint32 // AUDIT_ARCH_* (linux/audit.h)
	SCMPArch  string // libseccomp's name, as OCI and Docker profiles spell it
	Denied    []Syscall
}

// X32SyscallBit is __X32_SYSCALL_BIT: x32 system calls enter through the
// x86_64 entry point (AUDIT_ARCH_X86_64) with this bit set in the number.
const X32SyscallBit = 0x40000000

// The AUDIT_ARCH values (linux/audit.h): EM_* | __AUDIT_ARCH_64BIT
// (0x80000000) | __AUDIT_ARCH_LE (0x40000000).
const (
	AuditArchX86_64  = 0xc000003e
	AuditArchI386    = 0x40000003
	AuditArchAArch64 = 0xc00000b7
	AuditArchARM     = 0x40000028
)

// abis is the table every filter is built from: the numbers are those of
// the kernel's syscall tables (arch/x86/entry/syscalls/syscall_64.tbl and
// syscall_32.tbl, include/uapi/asm-generic/unistd.h, arch/arm/tools/syscall.tbl).
// x32 has its own ptrace and process_vm_* entries (512 and up, taking
// compat structures); the x86_64 numbers with the x32 bit set are ENOSYS.
var abis = map[string]ABI{
	"x86_64": {Name: "x86_64", AuditArch: AuditArchX86_64, SCMPArch: "SCMP_ARCH_X86_64", Denied: []Syscall{
		{"ptrace", 101}, {"process_vm_readv", 310}, {"process_vm_writev", 311}, {"pidfd_getfd", 438}}},
	"i386": {Name: "i386", AuditArch: AuditArchI386, SCMPArch: "SCMP_ARCH_X86", Denied: []Syscall{
		{"ptrace", 26}, {"process_vm_readv", 347}, {"process_vm_writev", 348}, {"pidfd_getfd", 438}}},
	"x32": {Name: "x32", AuditArch: AuditArchX86_64, SCMPArch: "SCMP_ARCH_X32", Denied: []Syscall{
		{"ptrace", X32SyscallBit | 521}, {"process_vm_readv", X32SyscallBit | 539},
		{"process_vm_writev", X32SyscallBit | 540}, {"pidfd_getfd", X32SyscallBit | 438}}},
	"aarch64": {Name: "aarch64", AuditArch: AuditArchAArch64, SCMPArch: "SCMP_ARCH_AARCH64", Denied: []Syscall{
		{"ptrace", 117}, {"process_vm_readv", 270}, {"process_vm_writev", 271}, {"pidfd_getfd", 438}}},
	"arm": {Name: "arm", AuditArch: AuditArchARM, SCMPArch: "SCMP_ARCH_ARM", Denied: []Syscall{
		{"ptrace", 26}, {"process_vm_readv", 376}, {"process_vm_writev", 377}, {"pidfd_getfd", 438}}},
}

// hostABIs lists, per GOARCH, the ABIs a process started by sonde can use
// on that kernel: a filter is inherited across execve, and the program
// exec'd may be of any ABI the kernel runs, so a 64-bit kernel's 32-bit
// compat ABI must be closed too.
var hostABIs = map[string][]string{
	"amd64": {"x86_64", "i386", "x32"},
	"386":   {"x86_64", "i386", "x32"},
	"arm64": {"aarch64", "arm"},
	"arm":   {"aarch64", "arm"},
}

// ErrUnsupportedArch is returned for a GOARCH deny has no syscall numbers
// for.
var ErrUnsupportedArch = errors.New("no seccomp syscall table for this architecture")

// ABIsFor returns the ABIs a filter must cover on a kernel running GOARCH
// goarch programs: for amd64 (and 386) x86_64, i386 and x32; for arm64 (and
// arm) aarch64 and arm.
func ABIsFor(goarch string) ([]ABI, error) {
	names, ok := hostABIs[goarch]
	if !ok {
		return nil, fmt.Errorf("GOARCH %s: %w", goarch, ErrUnsupportedArch)
	}
	out := make([]ABI, 0, len(names))
	for _, n := range names {
		a := abis[n]
		a.Denied = append([]Syscall(nil), a.Denied...)
		out = append(out, a)
	}
	return out, nil
}

// HostABIs is ABIsFor(runtime.GOARCH).
func HostABIs() ([]ABI, error) { return ABIsFor(runtime.GOARCH) }

// The seccomp return values (linux/seccomp.h) and struct seccomp_data's
// field offsets.
const (
	retAllow    = 0x7fff0000 // SECCOMP_RET_ALLOW
	retErrno    = 0x00050000 // SECCOMP_RET_ERRNO; the low 16 bits are the errno
	errnoEPERM  = 1
	offsetNr    = 0    // int nr
	offsetArch  = 4    // __u32 arch
	maxBPFInsns = 4096 // BPF_MAXINSNS
)

// Filter is a seccomp program that makes DeniedSyscalls fail with EPERM on
// every ABI it covers and allows everything else, including every system
// call of an ABI it does not know: it kills nothing.
type Filter struct {
	ABIs []ABI
	// Prog is the program; Comments[i] says what Prog[i] does.
	Prog     []bpf.Instruction
	Comments []string
}

// NewFilter builds the filter for abis. Its shape, for each AUDIT_ARCH in
// turn (x86_64 and x32 share one):
//
//	ld [4]                     ; seccomp_data.arch
//	jeq #ARCH, 0, NEXT         ; not this arch: try the next one
//	ld [0]                     ; seccomp_data.nr
//	jeq #NR, DENY, 0           ; one per denied number
//	ret #SECCOMP_RET_ALLOW
//	NEXT: ...
//	ret #SECCOMP_RET_ALLOW     ; an arch the filter does not know
//	DENY: ret #SECCOMP_RET_ERRNO|EPERM
//
// The arch is checked before the number because a number means nothing
// without it: 26 is ptrace on i386 but msync on x86_64, and a 64-bit
// process may enter the i386 table with int $0x80, which is why a filter that
// checks only the native arch lets an i386 ptrace through.
func NewFilter(abis []ABI) (*Filter, error) {
	if len(abis) == 0 {
		return nil, errors.New("build seccomp filter: no ABI")
	}
	type group struct {
		arch  uint32
		names []string
		nrs   []Syscall
	}
	var groups []*group
	byArch := map[uint32]*group{}
	for _, a := range abis {
		g := byArch[a.AuditArch]
		if g == nil {
			g = &group{arch: a.AuditArch}
			byArch[a.AuditArch] = g
			groups = append(groups, g)
		}
		g.names = append(g.names, a.Name)
		for _, s := range a.Denied {
			dup := false
			for _, have := range g.nrs {
				dup = dup || have.Nr == s.Nr
			}
			if !dup {
				g.nrs = append(g.nrs, s)
			}
		}
	}
	n := 1 // ld arch
	for _, g := range groups {
		n += 3 + len(g.nrs) // jeq arch, ld nr, the jeqs, ret allow
	}
	deny := n + 1 // after the final ret allow
	if deny+1 > maxBPFInsns || deny > 255 {
		return nil, fmt.Errorf("build seccomp filter: %d instructions: too many for 8-bit jumps", deny+1)
	}
	f := &Filter{ABIs: abis}
	emit := func(ins bpf.Instruction, comment string) {
		f.Prog = append(f.Prog, ins)
		f.Comments = append(f.Comments, comment)
	}
	emit(bpf.LoadAbsolute{Off: offsetArch, Size: 4}, "A = seccomp_data.arch")
	for _, g := range groups {
		emit(bpf.JumpIf{Cond: bpf.JumpEqual, Val: g.arch, SkipFalse: uint8(len(g.nrs) + 2)},
			fmt.Sprintf("AUDIT_ARCH %#x (%s)?", g.arch, strings.Join(g.names, ", ")))
		emit(bpf.LoadAbsolute{Off: offsetNr, Size: 4}, "A = seccomp_data.nr")
		for _, s := range g.nrs {
			here := len(f.Prog)
			emit(bpf.JumpIf{Cond: bpf.JumpEqual, Val: s.Nr, SkipTrue: uint8(deny - here - 1)}, s.Name+" "+nrNote(s.Nr))
		}
		emit(bpf.RetConstant{Val: retAllow}, "allow")
	}
	emit(bpf.RetConstant{Val: retAllow}, "another arch: allow")
	emit(bpf.RetConstant{Val: retErrno | errnoEPERM}, "fail with EPERM")
	return f, nil
}

// nrNote is a syscall number as the tables write it: 101, or for x32
// __X32_SYSCALL_BIT|521.
func nrNote(nr uint32) string {
	if nr&X32SyscallBit != 0 {
		return fmt.Sprintf("__X32_SYSCALL_BIT|%d", nr&^X32SyscallBit)
	}
	return fmt.Sprint(nr)
}

// Raw assembles the program for seccomp(2).
func (f *Filter) Raw() ([]unix.SockFilter, error) {
	raw, err := bpf.Assemble(f.Prog)
	if err != nil {
		return nil, fmt.Errorf("assemble seccomp filter: %w", err)
	}
	out := make([]unix.SockFilter, len(raw))
	for i, r := range raw {
		out[i] = unix.SockFilter{Code: r.Op, Jt: r.Jt, Jf: r.Jf, K: r.K}
	}
	return out, nil
}

// String disassembles the program, one instruction a line with its index,
// jump targets as absolute indexes, and what it is for.
func (f *Filter) String() string {
	var b strings.Builder
	for i, ins := range f.Prog {
		var text string
		switch in := ins.(type) {
		case bpf.LoadAbsolute:
			text = fmt.Sprintf("ld [%d]", in.Off)
		case bpf.JumpIf:
			text = fmt.Sprintf("jeq #%#x, %d, %d", in.Val, i+1+int(in.SkipTrue), i+1+int(in.SkipFalse))
		case bpf.RetConstant:
			text = fmt.Sprintf("ret #%#x", in.Val)
		default:
			text = fmt.Sprint(ins)
		}
		fmt.Fprintf(&b, "%3d: %-32s ; %s\n", i, text, f.Comments[i])
	}
	return b.String()
}
