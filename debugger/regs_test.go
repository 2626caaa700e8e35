package debugger

import (
	"encoding/binary"
	"testing"

	"github.com/sonde-dev/sonde/arch"
)

// Register access on a recorded aarch64 NT_PRSTATUS (nothing here runs
// arm64): x0..x30, sp, pc, pstate, each its index times 0x101 here.
func TestRegsAArch64Recorded(t *testing.T) {
	r := &Regs{Arch: arch.AArch64, n: 34 * 8}
	for i := 0; i < 34; i++ {
		binary.LittleEndian.PutUint64(r.buf[8*i:], uint64(i)*0x101)
	}
	if got := r.PC(); got != 32*0x101 {
		t.Errorf("PC %#x", got)
	}
	if got := r.SP(); got != 31*0x101 {
		t.Errorf("SP %#x", got)
	}
	if v, err := r.Get("x8"); err != nil || v != 8*0x101 {
		t.Errorf("x8 = %#x %v", v, err)
	}
	if err := r.Set("x0", 42); err != nil {
		t.Fatal(err)
	}
	if v, _ := r.Get("x0"); v != 42 {
		t.Errorf("x0 after Set = %d", v)
	}
	r.SetPC(0x400000)
	if v, _ := r.Get("pc"); v != 0x400000 {
		t.Errorf("pc after SetPC = %#x", v)
	}
	if _, err := r.Get("rip"); err == nil {
		t.Error("aarch64 has no rip, Get succeeded")
	}
	// i386: 32-bit words.
	r32 := &Regs{Arch: arch.I386, n: 17 * 4}
	binary.LittleEndian.PutUint32(r32.buf[12*4:], 0x8048000)
	if r32.PC() != 0x8048000 {
		t.Errorf("i386 PC %#x", r32.PC())
	}
}
