package tracer

import (
	"encoding/binary"
	"sync"

	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/sysent"
)

// socketcallSubcalls are the calls of i386's socketcall multiplexer
// (linux/net.h SYS_SOCKET ...), by number: the name of the direct syscall
// that does the same (i386 has them since Linux 4.3) and how many argument
// words the call reads. send and recv have no direct syscall: they are
// shown as strace shows them, sendto and recvfrom cut to four arguments
// (socketcallEntry).
var socketcallSubcalls = [...]struct {
	name  string
	nargs int
}{
	1: {"socket", 3}, 2: {"bind", 3}, 3: {"connect", 3}, 4: {"listen", 2},
	5: {"accept", 3}, 6: {"getsockname", 3}, 7: {"getpeername", 3},
	8: {"socketpair", 4}, 9: {"sendto", 4}, 10: {"recvfrom", 4}, 11: {"sendto", 6}, 12: {"recvfrom", 6},
	13: {"shutdown", 2}, 14: {"setsockopt", 5}, 15: {"getsockopt", 5},
	16: {"sendmsg", 3}, 17: {"recvmsg", 3}, 18: {"accept4", 4},
	19: {"recvmmsg", 5}, 20: {"sendmmsg", 4},
}

// socketcall turns an i386 socketcall(CALL, ARGS) into the call it makes,
// as strace shows it: the subcall's name, its arguments read from the
// array ARGS points to, and its number in the table, so -e trace= names
// and classes (%network) select it. When the array cannot be read the call
// stays socketcall.
func (t *Tracer) socketcall(pid int, c *decode.Call) {
	call := uint32(c.Args[0])
	if call >= uint32(len(socketcallSubcalls)) || socketcallSubcalls[call].name == "" {
		return
	}
	sub := socketcallSubcalls[call]
	e := socketcallEntry(c.Table, call, sub.name)
	if e == nil {
		return
	}
	var words [6 * 4]byte
	t.mem.reset(pid)
	if n, err := t.mem.ReadAt(words[:4*sub.nargs], c.Arch.Mask(c.Args[1])); err != nil || n != 4*sub.nargs {
		return
	}
	var args [6]uint64
	for i := 0; i < sub.nargs; i++ {
		args[i] = uint64(binary.LittleEndian.Uint32(words[4*i:]))
	}
	c.MuxNr, c.MuxCall = c.Nr, uint64(call)
	c.Entry, c.Nr, c.Args = e, uint64(e.Nr), args
}

// sendRecv holds the send and recv entries made for each table: sendto's
// and recvfrom's, named send and recv and cut to (fd, buf, len, flags).
var sendRecv sync.Map // [2]any{*sysent.Table, call} → *sysent.Entry

// socketcallEntry returns the entry a subcall is shown as.
func socketcallEntry(tab *sysent.Table, call uint32, name string) *sysent.Entry {
	e := tab.ByName(name)
	if e == nil || (call != 9 && call != 10) {
		return e
	}
	key := [2]any{tab, call}
	if v, ok := sendRecv.Load(key); ok {
		return v.(*sysent.Entry)
	}
	cut := *e
	cut.Name, cut.Nargs = "send", 4
	if call == 10 {
		cut.Name = "recv"
	}
	if len(cut.Args) > 4 {
		cut.Args = cut.Args[:4]
	}
	if len(cut.ArgNames) > 4 {
		cut.ArgNames = cut.ArgNames[:4]
	}
	v, _ := sendRecv.LoadOrStore(key, &cut)
	return v.(*sysent.Entry)
}

// selNr is the number syscall sets (-e trace=, raw=, inject=, ...) know
// the call in flight by: a subcall's pseudo number (socketcall's send and
// recv, ipc's semop and semtimedop: sysent.Subcall), else its syscall
// number.
func selNr(c *decode.Call) uint64 {
	// Only a multiplexer's call can be a subcall: the others skip the
	// lookup, which is on every stop's path.
	if c.MuxNr != 0 && c.Entry != nil && c.Table != nil {
		if sub, ok := c.Table.SubcallByName(c.Entry.Name); ok {
			return sub.Nr
		}
	}
	return c.Nr
}

// shownNr is the number -n shows for the call in flight: a multiplexer's
// for the calls it makes, as strace shows it.
func shownNr(c *decode.Call) uint64 {
	if c.MuxNr != 0 {
		return c.MuxNr
	}
	return c.Nr
}

// orderNr is where the call in flight sorts in -c's table: its number, or
// for a multiplexer's call a place after every syscall, socketcall's calls
// before ipc's, each by call number, as strace's subcall table entries.
func orderNr(c *decode.Call) uint64 {
	if c.MuxNr == 0 {
		return c.Nr
	}
	if c.Indirect {
		return sysent.SubcallBase + sysent.IPCSubcallBase + c.MuxCall
	}
	return sysent.SubcallBase + c.MuxCall
}

// socketcallNr is the number syscall sets know socketcall's call by.
func socketcallNr(tab *sysent.Table, call int) (uint64, bool) {
	switch call {
	case 9, 10:
		name := "send"
		if call == 10 {
			name = "recv"
		}
		sub, ok := tab.SubcallByName(name)
		return sub.Nr, ok
	}
	if socketcallSubcalls[call].name == "" {
		return 0, false
	}
	e := tab.ByName(socketcallSubcalls[call].name)
	if e == nil {
		return 0, false
	}
	return uint64(e.Nr), true
}
