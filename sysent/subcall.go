package sysent

// Subcall is a call a multiplexer makes that strace shows under a name no
// syscall of the table has: i386 socketcall's send and recv (sendto and
// recvfrom without an address). Nr is a pseudo number past every real one
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
// number is added to it.
const SubcallBase = 0xffff0000

// socketSubcalls are socketcall's calls without a syscall of their own.
var socketSubcalls = []Subcall{
	{Name: "send", Nr: SubcallBase + 9, As: "sendto"},
	{Name: "recv", Nr: SubcallBase + 10, As: "recvfrom"},
}

// Subcalls returns the table's subcalls without a syscall number: those
// of socketcall where the table has socketcall, else none.
func (t *Table) Subcalls() []Subcall {
	if t.ByName("socketcall") == nil {
		return nil
	}
	return socketSubcalls
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
