package monitor

import (
	"github.com/sonde-dev/sonde/sysent"
)

// Call is the kind of system call a record comes from. Its value is what
// the BPF programs store; the names are the JSON "call" field.
type Call uint32

// The watched calls. The open calls are kept in the kernel only when they
// open a path under /proc/ for writing; userspace keeps those that name a
// process's mem file.
const (
	CallPtrace          Call = 1
	CallProcessVMReadv  Call = 2
	CallProcessVMWritev Call = 3
	CallPidfdGetfd      Call = 4
	CallOpen            Call = 5 // path in argument 0, flags in 1
	CallOpenat          Call = 6 // path in argument 1, flags in 2
	CallOpenat2         Call = 7 // path in argument 1, struct open_how (flags first) in 2
	firstOpenCall            = CallOpen
)

var callNames = map[Call]string{
	CallPtrace:          "ptrace",
	CallProcessVMReadv:  "process_vm_readv",
	CallProcessVMWritev: "process_vm_writev",
	CallPidfdGetfd:      "pidfd_getfd",
	CallOpen:            "open",
	CallOpenat:          "openat",
	CallOpenat2:         "openat2",
}

// String returns the system call's name ("ptrace", "openat").
func (c Call) String() string {
	if s, ok := callNames[c]; ok {
		return s
	}
	return "call?"
}

// watchedCalls are looked up by name in each ABI's syscall table, so the
// numbers come from sysent, never from a second hand-written table.
var watchedCalls = []Call{CallPtrace, CallProcessVMReadv, CallProcessVMWritev, CallPidfdGetfd,
	CallOpen, CallOpenat, CallOpenat2}

// hostABI describes, as data, how the programs read a system call on one
// kernel architecture (the GOARCH sonde is built for): the native syscall
// table, the compat one if the kernel has a second ABI, and where each
// argument is in struct pt_regs.
type hostABI struct {
	native, compat *sysent.Table
	// nativeArgs and compatArgs name the struct pt_regs members holding
	// arguments 0-5; regsArray instead names an array member whose
	// element i is argument i (arm64's regs[]).
	nativeArgs, compatArgs []string
	regsArray              string
	// The offsets to use when the kernel has no BTF (the x86_64 layout,
	// which has not changed since Linux 4.x); nil where there is none.
	nativeOffs, compatOffs []int32
	// compatStatus: a task is in a compat system call when
	// task_struct.thread_info.status has TS_COMPAT (x86).
	compatStatus bool
	// statusOff is thread_info.status's offset in task_struct without BTF.
	statusOff int32
	// nativeFuncs and compatFuncs are the prefixes of the kernel's
	// syscall functions (the fentry tier's attach points), in the order
	// tried: __x64_sys_ptrace, __ia32_compat_sys_ptrace.
	nativeFuncs, compatFuncs []string
}

// tsCompat is x86's TS_COMPAT (arch/x86/include/asm/thread_info.h): set in
// thread_info.status while a task runs a 32-bit system call, whether it
// came from an i386 program or from `int $0x80` in a 64-bit one.
const tsCompat = 0x0002

var hostABIs = map[string]hostABI{
	"amd64": {
		native:       sysent.ForAuditArch(sysent.AuditArchX86_64),
		compat:       sysent.ForAuditArch(sysent.AuditArchI386),
		nativeArgs:   []string{"di", "si", "dx", "r10", "r8", "r9"},
		compatArgs:   []string{"bx", "cx", "dx", "si", "di", "bp"},
		nativeOffs:   []int32{112, 104, 96, 56, 72, 64},
		compatOffs:   []int32{40, 88, 96, 104, 112, 32},
		compatStatus: true,
		statusOff:    16,
		nativeFuncs:  []string{"__x64_sys_"},
		compatFuncs:  []string{"__ia32_compat_sys_", "__ia32_sys_"},
	},
	"386": {
		native:      sysent.ForAuditArch(sysent.AuditArchI386),
		nativeArgs:  []string{"bx", "cx", "dx", "si", "di", "bp"},
		nativeFuncs: []string{"__ia32_sys_"},
	},
	"arm64": {
		native:      sysent.ForAuditArch(sysent.AuditArchAArch64),
		regsArray:   "regs",
		nativeFuncs: []string{"__arm64_sys_"},
	},
}

// abiNative and abiCompat are the values of a record's abi field.
const (
	abiNative = 0
	abiCompat = 1
)

// watchKey is the key of the BPF "watched" map: the syscall number, and
// abiCompat in the upper half for a compat call.
func watchKey(abi uint32, nr uint32) uint64 { return uint64(abi)<<32 | uint64(nr) }

// watchedNumbers returns the watched map's contents for h: every watched
// call the ABI's table has, keyed by watchKey.
func (h hostABI) watchedNumbers() map[uint64]Call {
	m := map[uint64]Call{}
	for i, t := range []*sysent.Table{h.native, h.compat} {
		if t == nil {
			continue
		}
		for _, c := range watchedCalls {
			if e := t.ByName(c.String()); e != nil {
				m[watchKey(uint32(i), e.Nr)] = c
			}
		}
	}
	return m
}

// table returns the syscall table of a record's abi field.
func (h hostABI) table(abi uint32) *sysent.Table {
	if abi == abiCompat && h.compat != nil {
		return h.compat
	}
	return h.native
}
