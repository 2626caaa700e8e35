package tracer

import (
	"testing"

	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/sysent"
)

// TestIPCSubcall: i386's ipc(CALL, first, second, third, ptr, fifth)
// becomes the subcall with its direct syscall's arguments, as strace's
// decode_ipc_subcall shows it; semop and semtimedop get made entries with
// pseudo numbers; unknown calls stay ipc.
func TestIPCSubcall(t *testing.T) {
	tab := sysent.I386
	ipc := tab.ByName("ipc")
	tests := []struct {
		args [6]uint64
		name string
		want [6]uint64
	}{
		{[6]uint64{1, 5, 2, 0, 0x1000, 0}, "semop", [6]uint64{5, 0x1000, 2}},
		{[6]uint64{4, 5, 2, 0, 0x1000, 0x2000}, "semtimedop", [6]uint64{5, 0x1000, 2, 0x2000}},
		{[6]uint64{2, 0, 1, 0o600, 0, 0}, "semget", [6]uint64{0, 1, 0o600}},
		{[6]uint64{12 | 1<<16, 3, 8, 0o4000, 0x1000, 7}, "msgrcv", [6]uint64{3, 0x1000, 8, 7, 0o4000}},
		{[6]uint64{21, 3, 0o10000, 0x3000, 0x4000, 0}, "shmat", [6]uint64{3, 0x4000, 0o10000}},
		{[6]uint64{22, 0, 0, 0, 0x4000, 0}, "shmdt", [6]uint64{0x4000}},
		{[6]uint64{99, 1, 2, 3, 4, 5}, "ipc", [6]uint64{99, 1, 2, 3, 4, 5}},
	}
	for _, tt := range tests {
		c := &decode.Call{Arch: arch.I386, Table: tab, Entry: ipc, Nr: uint64(ipc.Nr), Args: tt.args}
		(&Tracer{}).ipc(c)
		if c.Entry.Name != tt.name || c.Args != tt.want {
			t.Errorf("ipc%v: %s%v, want %s%v", tt.args, c.Entry.Name, c.Args, tt.name, tt.want)
		}
		if tt.name == "ipc" {
			continue
		}
		if shownNr(c) != uint64(ipc.Nr) {
			t.Errorf("ipc%v: -n shows %d, want ipc's %d", tt.args, shownNr(c), ipc.Nr)
		}
		if !c.Indirect || c.IPCArgs != tt.args {
			t.Errorf("ipc%v: Indirect %v IPCArgs %v", tt.args, c.Indirect, c.IPCArgs)
		}
		if sub, ok := tab.SubcallByName(tt.name); ok && selNr(c) != sub.Nr {
			t.Errorf("ipc%v: selected as %#x, want the pseudo number %#x", tt.args, selNr(c), sub.Nr)
		}
	}
}
