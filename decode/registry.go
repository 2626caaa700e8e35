package decode

import (
	"fmt"
	"sync"

	"github.com/sonde-dev/sonde/sysent"
)

// ArgDecoder decodes one kind of argument.
type ArgDecoder struct {
	// Exit is true for output arguments, printed at the exit stop.
	Exit bool
	// Fn appends argument i of c.Call to c.Out.
	Fn func(c *Ctx, i int)
}

// Syscall decodes one syscall where a signature is not enough.
type Syscall struct {
	// Enter appends the arguments printed at the entry stop and sets
	// c.Call.More when Exit will append more.
	Enter func(c *Ctx)
	// Exit appends the arguments printed at the exit stop; it runs only
	// when Enter set c.Call.More.
	Exit func(c *Ctx)
	// Result runs at every exit stop, after Exit, to say how the result
	// prints (c.Call.Ret, Note, NoteVal). Nil for most syscalls.
	Result func(c *Ctx)
}

// The registries are filled by init functions of this package and read-only
// afterwards.
var (
	argKinds = map[sysent.Arg]ArgDecoder{}
	retKinds = map[sysent.Arg]RetKind{
		"": RetDec, "hex": RetHex, "oct": RetOct, "none": RetNone, "fd": RetFD, "pid": RetPid, "uint": RetUdec,
	}
	syscalls = map[string]*Syscall{}
)

func registerArg(kind sysent.Arg, d ArgDecoder) {
	if _, dup := argKinds[kind]; dup {
		panic(fmt.Sprintf("decode: argument kind %q registered twice", kind))
	}
	argKinds[kind] = d
}

func registerSyscall(s *Syscall, names ...string) {
	for _, name := range names {
		if _, dup := syscalls[name]; dup {
			panic(fmt.Sprintf("decode: syscall %q registered twice", name))
		}
		syscalls[name] = s
	}
}

// HasArgKind reports whether a decoder exists for kind.
func HasArgKind(kind sysent.Arg) bool {
	_, ok := argKinds[kind]
	return ok
}

// decoders caches the decoder of every syscall number, per table.
var decoders sync.Map // *sysent.Table → []*Syscall

func decoderFor(t *sysent.Table, nr uint64, e *sysent.Entry) *Syscall {
	v, ok := decoders.Load(t)
	if !ok {
		v, _ = decoders.LoadOrStore(t, buildDecoders(t))
	}
	byNr := v.([]*Syscall)
	switch {
	case e == nil:
		return unknownSyscall
	case nr >= uint64(len(byNr)):
		// An entry the tracer made for a multiplexer's subcall with a
		// pseudo number (sysent.Subcall): decoded by its name.
		if s := syscalls[e.Name]; s != nil {
			return s
		}
		return fromSignature(e)
	}
	return byNr[nr]
}

func buildDecoders(t *sysent.Table) []*Syscall {
	var max uint32
	for _, e := range t.Entries {
		if e.Nr > max {
			max = e.Nr
		}
	}
	out := make([]*Syscall, max+1)
	for i := range t.Entries {
		e := &t.Entries[i]
		if s := syscalls[e.Name]; s != nil {
			out[e.Nr] = s
		} else {
			out[e.Nr] = fromSignature(e)
		}
	}
	return out
}

// hexArg prints an argument the way strace prints one it does not decode.
func hexArg(c *Ctx, i int) { c.Out.Hex(c.Arg(i)) }

// rawSyscall prints a syscall's argument registers and result in hex, as
// strace's -e raw= does.
var rawSyscall = &Syscall{
	Enter: func(c *Ctx) {
		n := 6
		if c.Call.Entry != nil {
			n = int(c.Call.Entry.Nargs)
		}
		for i := 0; i < n; i++ {
			hexArg(c, i)
		}
	},
	Result: func(c *Ctx) { c.Call.Ret = RetHex },
}

// unknownSyscall prints six arguments in hex, as strace prints a number it
// has no name for.
var unknownSyscall = &Syscall{Enter: func(c *Ctx) {
	for i := 0; i < 6; i++ {
		hexArg(c, i)
	}
}}

// fromSignature builds the decoder of a syscall from its argument kinds:
// input arguments print at entry up to the first output argument, the rest
// at exit. A syscall without a signature prints its arguments in hex.
func fromSignature(e *sysent.Entry) *Syscall {
	n := int(e.Nargs)
	fns := make([]ArgDecoder, n)
	for i := 0; i < n; i++ {
		fns[i] = ArgDecoder{Fn: hexArg}
		if i < len(e.Args) {
			if d, ok := argKinds[e.Args[i]]; ok {
				fns[i] = d
			}
		}
	}
	split := n
	for i, d := range fns {
		if d.Exit {
			split = i
			break
		}
	}
	ret := retKinds[e.Ret]
	s := &Syscall{Enter: func(c *Ctx) {
		c.Call.Ret = ret
		for i := 0; i < split; i++ {
			fns[i].Fn(c, i)
		}
		c.Call.More = split < n
	}}
	if split < n {
		s.Exit = func(c *Ctx) {
			for i := split; i < n; i++ {
				fns[i].Fn(c, i)
			}
		}
	}
	return s
}

// Enter decodes the entry stop of c.Call into c.Out.
func Enter(c *Ctx) {
	call := c.Call
	call.More, call.SepAtExit = false, false
	call.Ret, call.Note = RetDec, nil
	call.Priv = nil
	call.dec = decoderFor(call.Table, call.Nr, call.Entry)
	if call.Raw {
		call.dec = rawSyscall
	}
	call.dec.Enter(c)
}

// Exit decodes the exit stop of c.Call into c.Out. Enter must have run for
// the same call.
func Exit(c *Ctx) {
	d := c.Call.dec
	if d == nil {
		return
	}
	if c.Call.More && d.Exit != nil {
		d.Exit(c)
	}
	if d.Result != nil {
		d.Result(c)
	}
}

// outArg is the decoder of an output argument: printed at exit by fn, or as
// its address when the call failed (the kernel wrote nothing), as strace
// prints it.
func outArg(fn func(c *Ctx, i int)) ArgDecoder {
	return ArgDecoder{Exit: true, Fn: func(c *Ctx, i int) {
		if c.Failed() {
			c.Out.Addr(c.Arg(i))
			return
		}
		fn(c, i)
	}}
}
