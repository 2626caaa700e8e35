package sysent

// Subcall is a call a multiplexer makes that strace shows under a name no
// syscall of the table has: i386 socketcall's send and recv (sendto and
// recvfrom without an address), i386 ipc's semop and semtimedop (with a
// 32-bit timespec: i386 has only semtimedop_time64). Nr is a pseudo number past every real one
// (strace's SYS_socket_subcall + call), so that a syscall set can hold the
// subcall alone: strace's -e trace=send selects send but not sendto, and
// trace=sendto not send. As is the syscall whose row (classes, argument
// kinds) the subcall borrows.
type Subcall struct {
	Name string
	Nr   uint64
	As   string
}

// SubcallBase is the first pseudo number of subcalls; socketcall's call
// number is added to it, ipc's to SubcallBase+IPCSubcallBase.
const (
	SubcallBase    = 0xffff0000
	IPCSubcallBase = 0x100
)

// socketSubcalls are socketcall's calls without a syscall of their own.
var socketSubcalls = []Subcall{
	{Name: "send", Nr: SubcallBase + 9, As: "sendto"},
	{Name: "recv", Nr: SubcallBase + 10, As: "recvfrom"},
}

// ipcSubcalls are ipc's calls without a syscall of their own.
var ipcSubcalls = []Subcall{
	{Name: "semop", Nr: SubcallBase + IPCSubcallBase + 1, As: "semtimedop_time64"},
	{Name: "semtimedop", Nr: SubcallBase + IPCSubcallBase + 4, As: "semtimedop_time64"},
}

// Subcalls returns the table's subcalls without a syscall number: those
// of socketcall and ipc where the table has them, else none.
func (t *Table) Subcalls() []Subcall {
	var out []Subcall
	if t.ByName("socketcall") != nil {
		out = append(out, socketSubcalls...)
	}
	if e := t.ByName("ipc"); e != nil && t.ByName("semop") == nil {
		out = append(out, ipcSubcalls...)
	}
	return out
}

// SubcallByName returns the subcall of the table named name.
func (t *Table) SubcallByName(name string) (Subcall, bool) {
	for _, s := range t.Subcalls() {
		if s.Name == name {
			return s, true
		}
	}
	return Subcall{}, false
}
