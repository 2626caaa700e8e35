package tracer

import (
	"encoding/binary"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/sonde-dev/sonde/filter"
	"github.com/sonde-dev/sonde/sysent"
)

// verdict runs the prefilter over one struct seccomp_data. x/net/bpf's VM
// loads words big-endian, so the data is laid out big-endian here to be
// read as the kernel reads its native-endian struct.
func verdict(t *testing.T, vm *bpf.VM, arch, nr uint32) uint32 {
	t.Helper()
	data := make([]byte, 64)
	binary.BigEndian.PutUint32(data[seccompDataNr:], nr)
	binary.BigEndian.PutUint32(data[seccompDataArch:], arch)
	v, err := vm.Run(data)
	if err != nil {
		t.Fatalf("bpf VM: %v", err)
	}
	return uint32(v)
}

func TestPrefilterProgramMatchesTheTraceSet(t *testing.T) {
	tabs := prefilterTables()
	if len(tabs) == 0 {
		t.Skip("no prefilter tables on this architecture")
	}
	for _, expr := range []string{"openat", "%file", "!mmap,mprotect,close", "none", "%process,%signal", "/^stat", "%network", "socket"} {
		set, err := filter.ParseSyscalls(expr)
		if err != nil {
			t.Fatal(err)
		}
		prog, err := prefilterProgram(set)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		ins := make([]bpf.Instruction, len(prog))
		for i, r := range prog {
			ins[i] = r.Disassemble()
		}
		vm, err := bpf.NewVM(ins)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		for _, tab := range tabs {
			var max uint32
			for _, e := range tab.Entries {
				max = maxU32(max, e.Nr)
			}
			traced := 0
			for nr := uint32(0); nr <= max+20; nr++ {
				want := uint32(seccompRetAllow)
				e := tab.Lookup(uint64(nr))
				socketcall := e != nil && e.Name == "socketcall" && set.Has(tab, uint64(tab.ByName("socket").Nr))
				if set.Has(tab, uint64(nr)) || (e != nil && (e.Name == "execve" || e.Name == "execveat")) || socketcall {
					want = seccompRetTrace
					traced++
				}
				if got := verdict(t, vm, tab.AuditArch, nr); got != want {
					t.Errorf("%s: %s syscall %d (%v): verdict %#x, want %#x", expr, tab.Arch, nr, e, got, want)
				}
			}
			if traced == 0 {
				t.Errorf("%s: %s: nothing traced", expr, tab.Arch)
			}
			if tab.AuditArch == sysent.AuditArchX86_64 {
				if got := verdict(t, vm, tab.AuditArch, x32SyscallBit|1); got != seccompRetTrace {
					t.Errorf("%s: x32 syscall: verdict %#x, want trace", expr, got)
				}
			}
		}
		if got := verdict(t, vm, 0x12345678, 1); got != seccompRetTrace {
			t.Errorf("%s: unknown arch: verdict %#x, want trace", expr, got)
		}
	}
}
