package decode

import (
	"errors"

	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/sysent"
)

// Mem is the tracee memory a decoder may read. The tracer implements it over
// process_vm_readv; tests implement it over a byte slice.
type Mem interface {
	// ReadAt reads len(p) bytes at addr. It returns the bytes read and an
	// error when fewer than len(p) could be read.
	ReadAt(p []byte, addr uint64) (int, error)
	// ReadString appends to dst the bytes at addr up to the first NUL or
	// max bytes, whichever comes first. terminated reports a NUL was found.
	ReadString(dst []byte, addr uint64, max int) (s []byte, terminated bool, err error)
}

// Proc looks up what -y and -Y show: the object behind a descriptor of the
// stopped task (AT_FDCWD, -100: its working directory), a process's command
// name. Each appends to dst and returns it unchanged when there is nothing
// to show.
type Proc interface {
	FDInfo(pid, fd int, dst []byte) []byte
	Comm(pid int, dst []byte) []byte
}

// ErrFault is returned by Mem implementations for an unreadable address.
var ErrFault = errors.New("bad tracee address")

// PathMax is the longest path strace prints (PATH_MAX).
const PathMax = 4096

// Options are the user's choices that change what is read or decoded (not
// how it is printed: that belongs to the renderers).
type Options struct {
	StrLimit int  // -s: bytes of a string, elements of an array (default 32)
	Verbose  bool // -v (abbrev=none): print structures unabbreviated
	// NoDeref (the call is not in -e verbose=) prints pointers to
	// structures and arrays as addresses, without reading them.
	NoDeref bool
	// DecodeFDs (-y) looks up what each descriptor refers to;
	// DecodePids (-Y) each pid's command name. Both need Ctx.Proc.
	DecodeFDs, DecodePids bool
}

// DefaultOptions are strace's defaults.
var DefaultOptions = Options{StrLimit: 32}

// RetKind says how a return value prints.
type RetKind uint8

// The return kinds.
const (
	RetDec  RetKind = iota // signed decimal
	RetHex                 // an address or flags: 0x...
	RetOct                 // octal (umask)
	RetNone                // never returns: "?"
	RetFD                  // a file descriptor (decorated under -y)
	RetUdec                // unsigned decimal
	RetPid                 // a process id (decorated under -Y)
)

// Call is one syscall in flight for one task, kept from its entry stop to
// its exit stop.
type Call struct {
	Arch  *arch.Arch
	Table *sysent.Table
	Entry *sysent.Entry // nil for a number the table does not know
	Nr    uint64
	Args  [6]uint64
	SP    uint64 // the stack pointer at entry
	// Raw (-e raw=) prints the arguments undecoded, in hex, and the result
	// in hex.
	Raw bool
	// Indirect is set for a call made through i386's ipc multiplexer:
	// Args are then the subcall's in its direct syscall's order and
	// IPCArgs the multiplexer's own (call, first, second, third, ptr,
	// fifth), which some decoders still read (msgrcv's ipc_kludge,
	// shmat's result, semctl's union semun pointer).
	Indirect bool
	IPCArgs  [6]uint64
	// MuxNr is the number of the multiplexer (i386's socketcall or ipc)
	// that made the call, 0 for a direct call: strace's -n shows it.
	// MuxCall is the multiplexer's call number (socketcall's SYS_SEND...,
	// ipc's SEMOP...).
	MuxNr, MuxCall uint64
	// Prev is the syscall the task entered before this one, when known:
	// restart_syscall names the call it resumes.
	Prev *sysent.Entry

	// Set at the exit stop.
	Rval    int64
	IsError bool // Rval is -errno

	// Decoder state between entry and exit.
	Saved [4]uint64
	// Priv is decoder state between entry and exit that Saved cannot hold
	// (recvmmsg's msg_namelen of every element); Enter clears it.
	Priv any
	// More is set by the entry phase when the exit phase prints arguments.
	More bool
	// SepAtExit moves the ", " between the entry and exit arguments from
	// the end of the entry part to the start of the exit part, for the
	// decoders strace writes that way (clone): an interrupted line then
	// reads "clone(..., flags=SIGCHLD <unfinished ...>".
	SepAtExit bool
	// Ret is how the return value prints. Note, when set, adds a comment
	// after it, Note printing NoteVal: "= 0x1 (flags FD_CLOEXEC)",
	// "= 0 (entry_number=12)"; a Note that prints nothing adds nothing.
	Ret     RetKind
	Note    Formatter
	NoteVal uint64

	dec *Syscall
}

// Ctx is what a decoder sees at one stop.
type Ctx struct {
	Mem  Mem
	Proc Proc // nil: no -y/-Y lookups
	Pid  int  // the stopped task
	Opt  *Options
	Call *Call
	Out  *Out
}

// Arg returns argument i truncated to the tracee's word size.
func (c *Ctx) Arg(i int) uint64 { return c.Call.Arch.Mask(c.Call.Args[i]) }

// Int returns argument i as a C int.
func (c *Ctx) Int(i int) int32 { return int32(c.Call.Args[i]) }

// Long returns argument i as a C long.
func (c *Ctx) Long(i int) int64 { return c.Call.Arch.SignedWord(c.Call.Args[i]) }

// Failed reports whether the call failed (exit phase only).
func (c *Ctx) Failed() bool { return c.Call.IsError }

// Ret returns the return value as the tracee's C long (exit phase only).
func (c *Ctx) Ret() int64 { return c.Call.Arch.SignedWord(uint64(c.Call.Rval)) }

// Generic reports whether the tracee uses the asm-generic ABI (aarch64).
func (c *Ctx) Generic() bool { return c.Call.Arch.Generic }
