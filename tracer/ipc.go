package tracer

import (
	"sync"

	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/sysent"
)

// ipcSubcalls are the calls of i386's ipc multiplexer (linux/ipc.h SEMOP
// ...), by number: the name strace shows and, for each argument of the
// subcall's direct syscall, which of the multiplexer's arguments (call,
// first, second, third, ptr, fifth) holds it.
var ipcSubcalls = [...]struct {
	name string
	args []int
}{
	1: {"semop", []int{1, 4, 2}}, 2: {"semget", []int{1, 2, 3}}, 3: {"semctl", []int{1, 2, 3, 4}},
	4:  {"semtimedop", []int{1, 4, 2, 5}},
	11: {"msgsnd", []int{1, 4, 2, 3}}, 12: {"msgrcv", []int{1, 4, 2, 5, 3}}, 13: {"msgget", []int{1, 2}},
	14: {"msgctl", []int{1, 2, 4}},
	21: {"shmat", []int{1, 4, 2}}, 22: {"shmdt", []int{4}}, 23: {"shmget", []int{1, 2, 3}},
	24: {"shmctl", []int{1, 2, 4}},
}

// ipc turns an i386 ipc(CALL, ...) into the call it makes, as strace shows
// it: the subcall's name and table entry (a made one for semop and
// semtimedop, which i386 has no syscall for), its arguments in the direct
// syscall's order, Indirect set for the decoders that read the
// multiplexer's own arguments. A call number ipc does not know stays ipc.
func (t *Tracer) ipc(c *decode.Call) {
	call := uint32(c.Args[0]) & 0xffff
	if call >= uint32(len(ipcSubcalls)) || ipcSubcalls[call].name == "" {
		return
	}
	sub := ipcSubcalls[call]
	e := ipcEntry(c.Table, sub.name)
	if e == nil {
		return
	}
	var args [6]uint64
	for i, from := range sub.args {
		args[i] = c.Args[from]
	}
	c.Indirect, c.IPCArgs, c.MuxNr, c.MuxCall = true, c.Args, c.Nr, uint64(call)
	c.Entry, c.Nr, c.Args = e, uint64(e.Nr), args
}

// ipcMade holds the semop and semtimedop entries made for each table.
var ipcMade sync.Map // [2]any{*sysent.Table, name} → *sysent.Entry

// ipcEntry returns the entry a subcall is shown as: the table's own, or
// for semop and semtimedop one made from semtimedop_time64's row.
func ipcEntry(tab *sysent.Table, name string) *sysent.Entry {
	if e := tab.ByName(name); e != nil {
		return e
	}
	if name != "semop" && name != "semtimedop" {
		return nil
	}
	key := [2]any{tab, name}
	if v, ok := ipcMade.Load(key); ok {
		return v.(*sysent.Entry)
	}
	base := tab.ByName("semtimedop_time64")
	if base == nil {
		return nil
	}
	made := *base
	made.Name = name
	made.Args = append([]sysent.Arg(nil), base.Args...)
	if name == "semop" {
		made.Nargs = 3
		made.Args = made.Args[:3]
		made.ArgNames = made.ArgNames[:3]
	} else {
		made.Args[3] = sysent.ArgTimespecIn
	}
	if sub, ok := tab.SubcallByName(name); ok {
		made.Nr = uint32(sub.Nr)
	}
	v, _ := ipcMade.LoadOrStore(key, &made)
	return v.(*sysent.Entry)
}

// ipcNr is the number syscall sets know ipc's call by.
func ipcNr(tab *sysent.Table, call int) (uint64, bool) {
	if ipcSubcalls[call].name == "" {
		return 0, false
	}
	if sub, ok := tab.SubcallByName(ipcSubcalls[call].name); ok {
		return sub.Nr, true
	}
	if e := tab.ByName(ipcSubcalls[call].name); e != nil {
		return uint64(e.Nr), true
	}
	return 0, false
}
