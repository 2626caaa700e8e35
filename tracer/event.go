package tracer

import (
	"time"

	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/stack"
	"github.com/sonde-dev/sonde/sysent"
)

// EventKind says what happened to a task.
type EventKind uint8

// The event kinds.
const (
	// SyscallEnter: a task entered a syscall; Args holds the arguments
	// printed at entry and More says the exit prints more.
	SyscallEnter EventKind = iota + 1
	// SyscallExit: the syscall returned; Args holds the arguments printed at
	// exit, Rval/IsError the result.
	SyscallExit
	// Signal: a signal is about to be delivered; Sig and Args (the siginfo).
	Signal
	// GroupStop: the task stopped (SIGSTOP, SIGTSTP...); Sig.
	GroupStop
	// Exiting: the task is about to exit (PTRACE_EVENT_EXIT); a syscall
	// it was in will never return.
	Exiting
	// Exec: a thread other than the leader execed and took the leader's
	// pid: Pid is the leader's, OldPid the thread's former id. The leader's
	// own record is gone without an exit.
	Exec
	// Attached: the task was attached: by Attach (Threads says how many
	// threads of its process were), or as a new child or thread of a
	// traced task under Follow (Threads 0).
	Attached
	// Detached: the task was let go, running (or stopped, if it was in a
	// group-stop); a syscall it was in is not followed to its end.
	Detached
	// Exited: the task exited with Status.
	Exited
	// Killed: the task was killed by Sig; Core says a core was dumped.
	Killed
	// Personality: the task now makes syscalls of another architecture
	// (Arch): after an execve of a program of the other ABI, or an
	// int $0x80 from a 64-bit program. Reported at the execve's exit, or
	// at the first syscall entry seen in the new mode, whether that
	// syscall is traced or not, as strace prints "[ Process PID=N runs in
	// 32 bit mode. ]".
	Personality
)

// Event is one thing the tracer saw, fully decoded: renderers need nothing
// else (no tracee memory, no registers).
type Event struct {
	Kind EventKind
	// Injected: the result of this SyscallExit was set by -e inject= or
	// -e fault=; the kernel skipped the call.
	Injected bool
	// InjectedArgs: poke_enter=/poke_exit= wrote into the memory of the
	// call's arguments; strace's (INJECTED: args).
	InjectedArgs bool
	// Stack is the thread's user-space stack at a SyscallExit or a Signal,
	// with Config.StackTrace (-k); innermost frame first.
	Stack []stack.Frame
	// Delayed: -e inject=...:delay_enter=/delay_exit= held the task in
	// this call; strace's (DELAYED).
	Delayed bool
	Pid     int // the thread (task) id
	Tgid    int // its process (thread group) id
	// Comm is the task's command name, filled when -Y (DecodePids=comm)
	// asks for it.
	Comm []byte
	Time time.Time

	// Syscall events.
	Arch  *arch.Arch
	Entry *sysent.Entry // nil when the number has no name
	// Nr is the syscall's number, the multiplexer's for a call i386's
	// socketcall or ipc makes (what -n shows). Order sorts calls as
	// strace's table does: a multiplexer's calls after every syscall, by
	// their call number (socketcall's first).
	Nr    uint64
	Order uint64
	// RawArgs are the argument registers (SyscallEnter, SyscallExit).
	RawArgs [6]uint64
	IP      uint64 // SyscallEnter: the instruction pointer (-i)
	// Duration is the time the syscall took (SyscallExit, -T); SysTime the
	// system CPU time its process spent meanwhile (-c).
	Duration, SysTime time.Duration
	More              bool // SyscallEnter: arguments follow at exit
	// SepAtExit: the ", " before the exit arguments belongs to the exit
	// part (decode.Call.SepAtExit).
	SepAtExit bool
	Ret       decode.RetKind   // SyscallExit
	Note      decode.Formatter // SyscallExit: a comment on the result (decode.Call.Note)
	// RetDeco is what -y or -Y shows about a descriptor or pid result.
	RetDeco []byte
	// Dump is the data the call read or wrote, when -e read= or -e write=
	// names its descriptor; DumpSegs the sizes of its iovec buffers, nil
	// for a single buffer.
	Dump     []byte
	DumpSegs []int
	NoteVal  uint64
	Rval     int64 // SyscallExit, as the tracee's C long
	IsError  bool  // SyscallExit: Rval is -errno

	// Signal, GroupStop, Killed.
	Sig int
	// Exited.
	Status int
	// Exec: the former id of the thread that execed.
	OldPid int
	// Attached: how many threads were attached.
	Threads int
	// Killed.
	Core bool

	// Args is the decoded arguments (syscalls) or siginfo (Signal).
	Args decode.Out
}

// Name returns the syscall's name as strace prints it: its table name, or
// syscall_0x1a9 for a number the table does not know.
func (e *Event) Name() string {
	if e.Entry != nil {
		return e.Entry.Name
	}
	return "syscall_0x" + hex(e.Nr)
}

func hex(v uint64) string {
	const digits = "0123456789abcdef"
	var b [16]byte
	i := len(b)
	for {
		i--
		b[i] = digits[v&15]
		v >>= 4
		if v == 0 {
			break
		}
	}
	return string(b[i:])
}

// Sink receives events in the order they happened. The event is valid only
// during the call: a sink that keeps it must copy it.
type Sink interface {
	Event(ev *Event)
}

// Flusher is implemented by sinks that buffer. The tracer calls Flush
// before it blocks waiting for tracees, so output is never held back while
// the traced program runs.
type Flusher interface {
	Flush() error
}
