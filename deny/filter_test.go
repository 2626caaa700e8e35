package deny

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/sysent"
)

// seccompData is struct seccomp_data as the filter sees it. The x/net/bpf
// VM loads words big-endian, the kernel native-endian: writing the fields
// big-endian gives the VM the values the kernel's loads would.
func seccompData(nr int32, auditArch uint32) []byte {
	b := make([]byte, 64)
	binary.BigEndian.PutUint32(b[0:], uint32(nr))
	binary.BigEndian.PutUint32(b[4:], auditArch)
	return b
}

func run(t *testing.T, f *Filter, nr int32, auditArch uint32) uint32 {
	t.Helper()
	vm, err := bpf.NewVM(f.Prog)
	if err != nil {
		t.Fatalf("NewVM: %v", err)
	}
	v, err := vm.Run(seccompData(nr, auditArch))
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return uint32(v)
}

func allABIs(t *testing.T) []ABI {
	t.Helper()
	var out []ABI
	for _, goarch := range []string{"amd64", "arm64"} {
		a, err := ABIsFor(goarch)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, a...)
	}
	return out
}

func TestConstants(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want uint64
	}{
		{"SECCOMP_RET_ALLOW", retAllow, unix.SECCOMP_RET_ALLOW},
		{"SECCOMP_RET_ERRNO", retErrno, unix.SECCOMP_RET_ERRNO},
		{"EPERM", errnoEPERM, uint64(unix.EPERM)},
		{"AUDIT_ARCH_X86_64", AuditArchX86_64, unix.AUDIT_ARCH_X86_64},
		{"AUDIT_ARCH_I386", AuditArchI386, unix.AUDIT_ARCH_I386},
		{"AUDIT_ARCH_AARCH64", AuditArchAArch64, unix.AUDIT_ARCH_AARCH64},
		{"AUDIT_ARCH_ARM", AuditArchARM, unix.AUDIT_ARCH_ARM},
		{"arch.X86_64", AuditArchX86_64, uint64(arch.X86_64.AuditArch)},
		{"arch.I386", AuditArchI386, uint64(arch.I386.AuditArch)},
		{"arch.AArch64", AuditArchAArch64, uint64(arch.AArch64.AuditArch)},
	} {
		if c.got != c.want {
			t.Errorf("%s = %#x, want %#x", c.name, c.got, c.want)
		}
	}
}

// TestNumbersMatchSysent checks the table's numbers against sonde's
// generated syscall tables, for the ABIs they cover.
func TestNumbersMatchSysent(t *testing.T) {
	for _, a := range allABIs(t) {
		table := sysent.ForAuditArch(a.AuditArch)
		if a.Name == "x32" || a.Name == "arm" || table == nil {
			continue
		}
		if len(a.Denied) != len(DeniedSyscalls()) {
			t.Errorf("%s denies %d calls, want %d", a.Name, len(a.Denied), len(DeniedSyscalls()))
		}
		for _, s := range a.Denied {
			e := table.ByName(s.Name)
			if e == nil || e.Nr != s.Nr {
				t.Errorf("%s %s = %d, sysent says %+v", a.Name, s.Name, s.Nr, e)
			}
		}
	}
}

func TestFilterDecisions(t *testing.T) {
	f, err := NewFilter(allABIs(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("filter:\n%s", f)
	const eperm = retErrno | errnoEPERM
	tests := []struct {
		name string
		arch uint32
		nr   int32
		want uint32
	}{
		{"x86_64 ptrace", AuditArchX86_64, 101, eperm},
		{"x86_64 process_vm_readv", AuditArchX86_64, 310, eperm},
		{"x86_64 process_vm_writev", AuditArchX86_64, 311, eperm},
		{"x86_64 pidfd_getfd", AuditArchX86_64, 438, eperm},
		{"x86_64 read", AuditArchX86_64, 0, retAllow},
		{"x86_64 msync (26, i386's ptrace)", AuditArchX86_64, 26, retAllow},
		{"x86_64 process_vm_readv-1", AuditArchX86_64, 309, retAllow},
		{"i386 ptrace (int $0x80 from anywhere)", AuditArchI386, 26, eperm},
		{"i386 process_vm_readv", AuditArchI386, 347, eperm},
		{"i386 process_vm_writev", AuditArchI386, 348, eperm},
		{"i386 pidfd_getfd", AuditArchI386, 438, eperm},
		{"i386 ioperm (101, x86_64's ptrace)", AuditArchI386, 101, retAllow},
		{"i386 exit", AuditArchI386, 1, retAllow},
		{"x32 ptrace", AuditArchX86_64, X32SyscallBit | 521, eperm},
		{"x32 process_vm_readv", AuditArchX86_64, X32SyscallBit | 539, eperm},
		{"x32 process_vm_writev", AuditArchX86_64, X32SyscallBit | 540, eperm},
		{"x32 pidfd_getfd", AuditArchX86_64, X32SyscallBit | 438, eperm},
		{"x32 read", AuditArchX86_64, X32SyscallBit | 0, retAllow},
		{"aarch64 ptrace", AuditArchAArch64, 117, eperm},
		{"aarch64 process_vm_readv", AuditArchAArch64, 270, eperm},
		{"aarch64 process_vm_writev", AuditArchAArch64, 271, eperm},
		{"aarch64 pidfd_getfd", AuditArchAArch64, 438, eperm},
		{"aarch64 openat", AuditArchAArch64, 56, retAllow},
		{"arm ptrace", AuditArchARM, 26, eperm},
		{"arm process_vm_readv", AuditArchARM, 376, eperm},
		{"arm process_vm_writev", AuditArchARM, 377, eperm},
		{"arm pidfd_getfd", AuditArchARM, 438, eperm},
		{"unknown arch: allowed, never killed", 0x12345678, 101, retAllow},
		{"negative nr", AuditArchX86_64, -1, retAllow},
	}
	for _, tt := range tests {
		if got := run(t, f, tt.nr, tt.arch); got != tt.want {
			t.Errorf("%s: %#x, want %#x", tt.name, got, tt.want)
		}
	}
}

// TestHostFilter: the filter for amd64 covers x86_64, x32 and i386, and is
// small.
func TestHostFilter(t *testing.T) {
	abis, err := ABIsFor("amd64")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range abis {
		names = append(names, a.Name)
	}
	if got := strings.Join(names, ","); got != "x86_64,i386,x32" {
		t.Errorf("amd64 ABIs %s, want x86_64,i386,x32", got)
	}
	f, err := NewFilter(abis)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := f.Raw()
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) != len(f.Prog) || len(raw) > 32 {
		t.Errorf("%d raw instructions for %d, want the same and at most 32", len(raw), len(f.Prog))
	}
	// The first instruction loads the arch: BPF_LD|BPF_W|BPF_ABS, k=4.
	if raw[0].Code != 0x20 || raw[0].K != 4 {
		t.Errorf("first instruction %+v, want ld [4]", raw[0])
	}
	if got := run(t, f, 101, AuditArchAArch64); got != retAllow {
		t.Errorf("amd64 filter on aarch64 ptrace: %#x, want allow", got)
	}
	if s := f.String(); !strings.Contains(s, "jeq #0x40000003") || !strings.Contains(s, "ret #0x50001") {
		t.Errorf("disassembly lacks the i386 check or the EPERM return:\n%s", s)
	}
}

func TestABIsFor(t *testing.T) {
	if _, err := ABIsFor("mips64"); !errors.Is(err, ErrUnsupportedArch) {
		t.Errorf("ABIsFor(mips64) = %v, want ErrUnsupportedArch", err)
	}
	a, _ := ABIsFor("arm64")
	if len(a) != 2 || a[0].Name != "aarch64" || a[1].Name != "arm" {
		t.Errorf("arm64 ABIs %+v", a)
	}
	a[0].Denied[0].Nr = 0 // a copy: the table stays intact
	b, _ := ABIsFor("arm64")
	if b[0].Denied[0].Nr != 117 {
		t.Error("ABIsFor returned the table itself")
	}
	if _, err := NewFilter(nil); err == nil {
		t.Error("NewFilter(nil) succeeded")
	}
}
