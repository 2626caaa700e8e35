package tracer

import (
	"encoding/binary"
	"fmt"
	"runtime"

	"golang.org/x/net/bpf"

	"github.com/sonde-dev/sonde/filter"
	"github.com/sonde-dev/sonde/sysent"
)

// The seccomp-bpf prefilter: when only some syscalls are traced and sonde
// launches the program, the program runs under a seccomp filter that returns
// SECCOMP_RET_TRACE for the traced syscalls (and execve, which the tracer
// must always see) and SECCOMP_RET_ALLOW for every other one. Tracees are
// then resumed with PTRACE_CONT instead of PTRACE_SYSCALL, so a syscall
// that is not traced never stops the program.
//
// On Linux 4.8 and later the seccomp stop comes after the syscall-entry
// stop; a task resumed with PTRACE_CONT gets only the seccomp stop, which
// the tracer takes as the entry, and resumes with PTRACE_SYSCALL to see the
// exit. A filtered task with no tracer would get ENOSYS from every traced
// syscall (the kernel's answer to SECCOMP_RET_TRACE when nobody listens), so
// filtered tasks' children and threads are always followed: without -f they
// are traced silently, never printed.

// seccomp_data offsets and return values (linux/seccomp.h).
const (
	seccompDataNr   = 0
	seccompDataArch = 4
	seccompRetAllow = 0x7fff0000
	seccompRetTrace = 0x7ff00000
	x32SyscallBit   = 0x40000000
)

// prefilterTables are the syscall tables a program launched on this host
// can use: x86_64 and i386 on amd64, aarch64 on arm64.
func prefilterTables() []*sysent.Table {
	switch runtime.GOARCH {
	case "amd64":
		return []*sysent.Table{sysent.ForAuditArch(sysent.AuditArchX86_64), sysent.ForAuditArch(sysent.AuditArchI386)}
	case "arm64":
		return []*sysent.Table{sysent.ForAuditArch(sysent.AuditArchAArch64)}
	}
	return nil
}

// nrRange is an inclusive range of syscall numbers.
type nrRange struct{ lo, hi uint32 }

// tracedRanges lists the numbers of tab's syscalls that set traces, with
// execve and execveat always in, as sorted ranges. Numbers past the table's
// end are traced when set holds unknown numbers (a negated set does).
func tracedRanges(tab *sysent.Table, set *filter.Syscalls) []nrRange {
	var max uint32
	for _, e := range tab.Entries {
		max = maxU32(max, e.Nr)
	}
	always := map[uint32]bool{}
	for _, name := range []string{"execve", "execveat"} {
		if e := tab.ByName(name); e != nil {
			always[e.Nr] = true
		}
	}
	// i386's socketcall multiplexer makes the socket calls: stop at it when
	// any of them is traced (the tracer then names the subcall).
	if sc := tab.ByName("socketcall"); sc != nil {
		for call := range socketcallSubcalls {
			if nr, ok := socketcallNr(tab, call); ok && set.Has(tab, nr) {
				always[sc.Nr] = true
				break
			}
		}
	}
	// Likewise i386's ipc multiplexer and the System V IPC calls.
	if ipc := tab.ByName("ipc"); ipc != nil {
		for call := range ipcSubcalls {
			if nr, ok := ipcNr(tab, call); ok && set.Has(tab, nr) {
				always[ipc.Nr] = true
				break
			}
		}
	}
	var out []nrRange
	add := func(nr uint32) {
		if n := len(out); n > 0 && out[n-1].hi+1 == nr {
			out[n-1].hi = nr
			return
		}
		out = append(out, nrRange{nr, nr})
	}
	end := max + 1
	for nr := uint32(0); nr < end; nr++ {
		if always[nr] || set.Has(tab, uint64(nr)) {
			add(nr)
		}
	}
	if set.Has(tab, uint64(end)) {
		add(end)
		out[len(out)-1].hi = x32SyscallBit - 1
	}
	return out
}

func maxU32(a, b uint32) uint32 {
	if a > b {
		return a
	}
	return b
}

// prefilterProgram assembles the filter for set: per architecture, a chain
// of range tests over sorted ranges with only short forward jumps; any
// other architecture (and x32 on x86_64) is traced.
func prefilterProgram(set *filter.Syscalls) ([]bpf.RawInstruction, error) {
	tabs := prefilterTables()
	if len(tabs) == 0 {
		return nil, fmt.Errorf("seccomp prefilter: no syscall table for %s", runtime.GOARCH)
	}
	var sections [][]bpf.Instruction
	for _, tab := range tabs {
		var sec []bpf.Instruction
		sec = append(sec, bpf.LoadAbsolute{Off: seccompDataNr, Size: 4})
		if tab.AuditArch == sysent.AuditArchX86_64 {
			sec = append(sec,
				bpf.JumpIf{Cond: bpf.JumpGreaterOrEqual, Val: x32SyscallBit, SkipFalse: 1},
				bpf.RetConstant{Val: seccompRetTrace})
		}
		for _, r := range tracedRanges(tab, set) {
			// nr < lo: below every range left, allow; nr <= hi: trace.
			sec = append(sec,
				bpf.JumpIf{Cond: bpf.JumpGreaterOrEqual, Val: r.lo, SkipTrue: 1},
				bpf.RetConstant{Val: seccompRetAllow},
				bpf.JumpIf{Cond: bpf.JumpGreaterThan, Val: r.hi, SkipTrue: 1},
				bpf.RetConstant{Val: seccompRetTrace})
		}
		sec = append(sec, bpf.RetConstant{Val: seccompRetAllow})
		sections = append(sections, sec)
	}
	// Dispatch: load the arch, then per table "jeq arch; ja section".
	prog := []bpf.Instruction{bpf.LoadAbsolute{Off: seccompDataArch, Size: 4}}
	head := 1 + 2*len(tabs) + 1 // the dispatch and the unknown-arch return
	start := head
	for i, tab := range tabs {
		here := len(prog) + 1 // the ja after this jeq
		prog = append(prog,
			bpf.JumpIf{Cond: bpf.JumpEqual, Val: tab.AuditArch, SkipFalse: 1},
			bpf.Jump{Skip: uint32(start - here - 1)})
		start += len(sections[i])
	}
	prog = append(prog, bpf.RetConstant{Val: seccompRetTrace})
	for _, sec := range sections {
		prog = append(prog, sec...)
	}
	if len(prog) > 4096 {
		return nil, fmt.Errorf("seccomp prefilter: %d instructions, more than the kernel's 4096", len(prog))
	}
	return bpf.Assemble(prog)
}

// encodePrefilter renders a program as the launch stubs take it: the
// instructions as struct sock_filter in the host's byte order.
func encodePrefilter(prog []bpf.RawInstruction) []byte {
	b := make([]byte, 0, 8*len(prog))
	for _, ins := range prog {
		b = binary.NativeEndian.AppendUint16(b, ins.Op)
		b = append(b, ins.Jt, ins.Jf)
		b = binary.NativeEndian.AppendUint32(b, ins.K)
	}
	return b
}
