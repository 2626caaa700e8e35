package arch

import "encoding/binary"

// Arch describes one tracee architecture: the facts a decoder or a register
// accessor needs, as data. Every descriptor is compiled on every host: the
// tracee's architecture comes from the stop (PTRACE_GET_SYSCALL_INFO's arch
// field), never from GOARCH.
type Arch struct {
	Name      string // strace's name: "x86_64", "i386", "aarch64"
	AuditArch uint32 // AUDIT_ARCH_* (linux/audit.h)
	WordSize  int    // bytes in a long and a pointer
	// Generic is true for architectures whose flag values and structure
	// layouts are those of include/uapi/asm-generic (aarch64), false for x86.
	Generic bool

	// The NT_PRSTATUS register set as PTRACE_GETREGSET returns it.
	RegsSize int
	PC, SP   int // byte offsets of the instruction and stack pointers
	Ret      int // byte offset of the syscall return value register
	Nr       int // byte offset of the register holding the syscall number on entry
	ArgRegs  [6]int
	// RegNames names the NT_PRSTATUS registers in order, one word each.
	RegNames []string
	// FuncArgRegs are the byte offsets of the registers holding a C
	// function's first integer arguments at its first instruction; nil
	// where they are on the stack (i386's cdecl: [sp+4], [sp+8] ...).
	FuncArgRegs []int
	// Breakpoint is the software breakpoint instruction (int3, brk #0);
	// BreakpointPCAdvance is how far past it the PC is when it traps.
	Breakpoint          []byte
	BreakpointPCAdvance int
}

// The supported architectures.
var (
	X86_64 = &Arch{
		Name: "x86_64", AuditArch: 0xc000003e, WordSize: 8,
		// struct user_regs_struct: r15 r14 r13 r12 rbp rbx r11 r10 r9 r8 rax rcx
		// rdx rsi rdi orig_rax rip cs eflags rsp ss fs_base gs_base ds es fs gs.
		RegsSize: 27 * 8, PC: 16 * 8, SP: 19 * 8, Ret: 10 * 8, Nr: 15 * 8,
		ArgRegs: [6]int{14 * 8, 13 * 8, 12 * 8, 7 * 8, 9 * 8, 8 * 8}, // rdi rsi rdx r10 r8 r9
		RegNames: []string{"r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx",
			"rdx", "rsi", "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs"},
		FuncArgRegs: []int{14 * 8, 13 * 8, 12 * 8, 11 * 8, 9 * 8, 8 * 8}, // rdi rsi rdx rcx r8 r9
		Breakpoint:  []byte{0xcc}, BreakpointPCAdvance: 1,
	}
	I386 = &Arch{
		Name: "i386", AuditArch: 0x40000003, WordSize: 4,
		// struct user_regs_struct (i386): ebx ecx edx esi edi ebp eax xds xes xfs
		// xgs orig_eax eip xcs eflags esp xss.
		RegsSize: 17 * 4, PC: 12 * 4, SP: 15 * 4, Ret: 6 * 4, Nr: 11 * 4,
		ArgRegs: [6]int{0, 1 * 4, 2 * 4, 3 * 4, 4 * 4, 5 * 4}, // ebx ecx edx esi edi ebp
		RegNames: []string{"ebx", "ecx", "edx", "esi", "edi", "ebp", "eax", "xds", "xes", "xfs", "xgs",
			"orig_eax", "eip", "xcs", "eflags", "esp", "xss"},
		Breakpoint: []byte{0xcc}, BreakpointPCAdvance: 1,
	}
	AArch64 = &Arch{
		Name: "aarch64", AuditArch: 0xc00000b7, WordSize: 8, Generic: true,
		// struct user_pt_regs: x0..x30, sp, pc, pstate. The syscall number is in
		// x8 (orig_x0 is not in this regset).
		RegsSize: 34 * 8, PC: 32 * 8, SP: 31 * 8, Ret: 0, Nr: 8 * 8,
		ArgRegs: [6]int{0, 8, 16, 24, 32, 40},
		RegNames: []string{"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
			"x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30", "sp", "pc", "pstate"},
		FuncArgRegs: []int{0, 8, 16, 24, 32, 40, 48, 56}, // x0-x7
		Breakpoint:  []byte{0x00, 0x00, 0x20, 0xd4},      // brk #0
	}
)

// All lists the supported architectures.
var All = []*Arch{X86_64, I386, AArch64}

// ByAuditArch returns the architecture whose AUDIT_ARCH value is a, or nil.
func ByAuditArch(a uint32) *Arch {
	for _, x := range All {
		if x.AuditArch == a {
			return x
		}
	}
	return nil
}

// ByRegsSize returns the architecture whose NT_PRSTATUS register set is n
// bytes long, or nil. The kernel gives a stopped thread's registers in the
// layout of the mode it runs in, at any stop; AUDIT_ARCH from
// PTRACE_GET_SYSCALL_INFO is the compat one only inside a syscall (an
// i386 thread interrupted in user space reports AUDIT_ARCH_X86_64).
func ByRegsSize(n int) *Arch {
	for _, x := range All {
		if x.RegsSize == n {
			return x
		}
	}
	return nil
}

// Mask truncates v to the architecture's word size.
func (a *Arch) Mask(v uint64) uint64 {
	if a.WordSize == 4 {
		return v & 0xffffffff
	}
	return v
}

// Word reads the word at byte offset off of a register set (or any
// tracee memory) in the architecture's size; every architecture here is
// little-endian.
func (a *Arch) Word(b []byte, off int) uint64 {
	if a.WordSize == 4 {
		return uint64(binary.LittleEndian.Uint32(b[off:]))
	}
	return binary.LittleEndian.Uint64(b[off:])
}

// PutWord writes v as the word at byte offset off of b.
func (a *Arch) PutWord(b []byte, off int, v uint64) {
	if a.WordSize == 4 {
		binary.LittleEndian.PutUint32(b[off:], uint32(v))
		return
	}
	binary.LittleEndian.PutUint64(b[off:], v)
}

// SignedWord sign-extends v from the architecture's word size.
func (a *Arch) SignedWord(v uint64) int64 {
	if a.WordSize == 4 {
		return int64(int32(v))
	}
	return int64(v)
}
