package arch

import "testing"

// The register offsets agree with the register names, for every ABI: the
// PC, SP, return, syscall-number and argument offsets name the registers
// the kernel's ABI documents.
func TestRegisterLayouts(t *testing.T) {
	name := func(a *Arch, off int) string {
		if off%a.WordSize != 0 || off/a.WordSize >= len(a.RegNames) {
			return "?"
		}
		return a.RegNames[off/a.WordSize]
	}
	for _, tc := range []struct {
		a               *Arch
		pc, sp, ret, nr string
		args, funcArgs  []string
		regs            int
	}{
		{X86_64, "rip", "rsp", "rax", "orig_rax", []string{"rdi", "rsi", "rdx", "r10", "r8", "r9"}, []string{"rdi", "rsi", "rdx", "rcx", "r8", "r9"}, 27},
		{I386, "eip", "esp", "eax", "orig_eax", []string{"ebx", "ecx", "edx", "esi", "edi", "ebp"}, nil, 17},
		{AArch64, "pc", "sp", "x0", "x8", []string{"x0", "x1", "x2", "x3", "x4", "x5"}, []string{"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7"}, 34},
	} {
		a := tc.a
		if len(a.RegNames) != tc.regs || a.RegsSize != tc.regs*a.WordSize {
			t.Errorf("%s: %d names, %d bytes, want %d registers", a.Name, len(a.RegNames), a.RegsSize, tc.regs)
		}
		for _, c := range []struct{ what, got, want string }{
			{"PC", name(a, a.PC), tc.pc}, {"SP", name(a, a.SP), tc.sp},
			{"Ret", name(a, a.Ret), tc.ret}, {"Nr", name(a, a.Nr), tc.nr},
		} {
			if c.got != c.want {
				t.Errorf("%s: %s is %s, want %s", a.Name, c.what, c.got, c.want)
			}
		}
		for i, want := range tc.args {
			if got := name(a, a.ArgRegs[i]); got != want {
				t.Errorf("%s: syscall argument %d in %s, want %s", a.Name, i, got, want)
			}
		}
		if len(a.FuncArgRegs) != len(tc.funcArgs) {
			t.Errorf("%s: %d function argument registers, want %d", a.Name, len(a.FuncArgRegs), len(tc.funcArgs))
		}
		for i, want := range tc.funcArgs {
			if i < len(a.FuncArgRegs) && name(a, a.FuncArgRegs[i]) != want {
				t.Errorf("%s: function argument %d in %s, want %s", a.Name, i, name(a, a.FuncArgRegs[i]), want)
			}
		}
		if len(a.Breakpoint) == 0 {
			t.Errorf("%s: no breakpoint instruction", a.Name)
		}
		if ByAuditArch(a.AuditArch) != a {
			t.Errorf("%s: ByAuditArch(%#x) does not find it", a.Name, a.AuditArch)
		}
	}
}

func TestWordAccessors(t *testing.T) {
	for _, a := range []*Arch{X86_64, I386, AArch64} {
		b := make([]byte, 24)
		a.PutWord(b, a.WordSize, 0x1122334455667788)
		want := uint64(0x1122334455667788)
		if a.WordSize == 4 {
			want = 0x55667788
		}
		if got := a.Word(b, a.WordSize); got != want {
			t.Errorf("%s: word %#x, want %#x", a.Name, got, want)
		}
		if a.Word(b, 0) != 0 || a.Word(b, 2*a.WordSize) != 0 {
			t.Errorf("%s: PutWord wrote outside its word: % x", a.Name, b)
		}
	}
}

func TestByRegsSize(t *testing.T) {
	for _, a := range All {
		if got := ByRegsSize(a.RegsSize); got != a {
			t.Errorf("ByRegsSize(%d) = %v, want %s", a.RegsSize, got, a.Name)
		}
	}
	if ByRegsSize(0) != nil || ByRegsSize(100) != nil {
		t.Error("ByRegsSize of an unknown size is not nil")
	}
}
