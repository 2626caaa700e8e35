package decode

import (
	"encoding/binary"
	"math/bits"
	"strconv"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// Signals: signal numbers, sets, rt_sigaction, rt_sigprocmask.

const nsig = 64

// sigsetFormatter prints a 64-signal mask as strace's sprintsigmask does:
// [HUP INT], or the complement ~[RTMIN RT_1] when at least half the bits
// are set. Names drop the SIG prefix; realtime signals are RTMIN and RT_n.
type sigsetFormatter struct{}

func (f sigsetFormatter) Append(dst []byte, mask uint64) []byte {
	return f.appendSet(dst, mask, false, false)
}

// AppendRaw prints the set with signal numbers, as -X raw does: ~[32 33].
func (f sigsetFormatter) AppendRaw(dst []byte, mask uint64) []byte {
	return f.appendSet(dst, mask, true, false)
}

// AppendVerbose names each number, as -X verbose does: ~[32 /* RTMIN */].
func (f sigsetFormatter) AppendVerbose(dst []byte, mask uint64) []byte {
	return f.appendSet(dst, mask, true, true)
}

func (sigsetFormatter) appendSet(dst []byte, mask uint64, raw, verbose bool) []byte {
	if bits.OnesCount64(mask) >= nsig/2 {
		dst = append(dst, '~')
		mask = ^mask
	}
	dst = append(dst, '[')
	first := true
	for mask != 0 {
		i := bits.TrailingZeros64(mask)
		mask &^= 1 << i
		sig := i + 1
		if !first {
			dst = append(dst, ' ')
		}
		first = false
		if raw {
			dst = strconv.AppendInt(dst, int64(sig), 10)
			if !verbose {
				continue
			}
			dst = append(dst, " /* "...)
		}
		if name := signalName(sig); len(name) > 3 && sig <= 32 {
			dst = append(dst, name[3:]...)
		} else if sig > 32 {
			dst = append(dst, "RT_"...)
			dst = strconv.AppendInt(dst, int64(sig-32), 10)
		} else {
			dst = strconv.AppendInt(dst, int64(sig), 10)
		}
		if verbose {
			dst = append(dst, " */"...)
		}
	}
	return append(dst, ']')
}

// SigsetFormatter prints a signal mask.
var SigsetFormatter Formatter = sigsetFormatter{}

// sigset appends the sigset_t at addr (size bytes, at most 8 are read), or
// NULL, or the address when unreadable.
func (c *Ctx) sigset(addr, size uint64) {
	if addr == 0 {
		c.Out.Addr(0)
		return
	}
	// strace's print_sigset_addr_len: at least a word, at most NSIG/8.
	if size > 8 || size < uint64(c.Call.Arch.WordSize) {
		c.Out.Addr(addr)
		return
	}
	var b [8]byte
	if !c.fetch(addr, b[:size]) {
		return
	}
	c.Out.Set(SigsetFormatter, binary.LittleEndian.Uint64(b[:]))
}

func init() {
	registerArg("signo", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Set(SignalFormatter, uint64(uint32(c.Int(i)))) }})
	// The size of a sigset is the argument after the last sigset (the
	// rt_sig* calls' sigsetsize); 8 when the signature has none.
	registerArg("sigset_in", ArgDecoder{Fn: func(c *Ctx, i int) { c.sigset(c.Arg(i), c.sigsetSize(i)) }})
	registerArg("sigset_out", outArg(func(c *Ctx, i int) { c.sigset(c.Arg(i), c.sigsetSize(i)) }))
	registerArg("sigaction_in", ArgDecoder{Fn: func(c *Ctx, i int) { c.sigaction(c.Arg(i)) }})
	registerArg("sigaction_out", outArg(func(c *Ctx, i int) { c.sigaction(c.Arg(i)) }))
}

// sigsetSize finds the sigsetsize argument of an rt_sig* call: the first
// "size" argument after i.
func (c *Ctx) sigsetSize(i int) uint64 {
	if e := c.Call.Entry; e != nil {
		for j := i + 1; j < len(e.Args); j++ {
			if e.Args[j] == "size" {
				return c.Arg(j)
			}
		}
	}
	return 8
}

const saRestorer = 0x04000000

// sigaction appends a struct sigaction as rt_sigaction(2) takes it:
// {sa_handler=SIG_DFL, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0x...}.
func (c *Ctx) sigaction(addr uint64) {
	o := c.Out
	if addr == 0 {
		o.Addr(0)
		return
	}
	ws := c.Call.Arch.WordSize
	var b [32]byte
	size := 3*ws + 8
	if !c.fetch(addr, b[:size]) {
		return
	}
	word := func(off int) uint64 {
		if ws == 4 {
			return uint64(binary.LittleEndian.Uint32(b[off:]))
		}
		return binary.LittleEndian.Uint64(b[off:])
	}
	handler, flags, restorer := word(0), word(ws), word(2*ws)
	mask := binary.LittleEndian.Uint64(b[3*ws:])
	o.Struct()
	o.Field("sa_handler")
	switch sw := c.Call.Arch.SignedWord(handler); sw {
	case 0, 1, -1:
		// SIG_DFL, SIG_IGN, SIG_ERR: by name, or -X raw's hex.
		o.Set(xlat.SaHandlerValues, uint64(sw))
	default:
		o.Addr(handler)
	}
	o.Field("sa_mask")
	o.Set(SigsetFormatter, mask)
	o.Field("sa_flags")
	o.Set(sigactionFlags(c), flags)
	if flags&saRestorer != 0 {
		o.Field("sa_restorer")
		o.Addr(restorer)
	}
	o.End()
}

func sigactionFlags(c *Ctx) Formatter {
	if c.Generic() {
		return xlat.SigactionFlagsGeneric
	}
	return xlat.SigactionFlags
}

// Where the blocked-signal mask of the frame rt_sigreturn restores sits,
// relative to the stack pointer at its entry (struct rt_sigframe, after the
// return address was popped, then uc.uc_sigmask).
var sigreturnMaskOffset = map[string]uint64{
	"x86_64":  8 + 8 + 24 + 256,                  // uc_flags, uc_link, uc_stack, uc_mcontext
	"i386":    4 + 4 + 4 + 128 + 4 + 4 + 12 + 88, // sig, pinfo, puc, info; uc_flags, uc_link, uc_stack, uc_mcontext
	"aarch64": 128 + 8 + 8 + 24,                  // info; uc_flags, uc_link, uc_stack
}

func init() {
	// rt_sigreturn(): strace shows the mask the frame restores: {mask=[]}.
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		off, ok := sigreturnMaskOffset[c.Call.Arch.Name]
		if !ok {
			return
		}
		o := c.Out
		var b [8]byte
		addr := c.Call.Arch.Mask(c.Call.SP + off)
		if !c.fetch(addr, b[:]) {
			return
		}
		o.Struct()
		o.Field("mask")
		o.Set(SigsetFormatter, binary.LittleEndian.Uint64(b[:]))
		o.End()
	}}, "rt_sigreturn")
}

func init() {
	// sigreturn() of i386: the frame's struct sigcontext is at the stack
	// pointer; the mask is its oldmask (the low 32 signals) and the
	// extramask word after the fpstate (the high 32).
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		if c.Call.Arch.Name != "i386" {
			return
		}
		const oldmask, extramask = 20 * 4, (20 + 1 + 1 + 156) * 4
		o := c.Out
		sp := c.Call.Arch.Mask(c.Call.SP)
		var lo, hi [4]byte
		if n, err := c.Mem.ReadAt(lo[:], sp+oldmask); err != nil || n != 4 {
			o.Addr(sp)
			return
		}
		if n, err := c.Mem.ReadAt(hi[:], sp+extramask); err != nil || n != 4 {
			o.Addr(sp)
			return
		}
		o.Struct()
		o.Field("mask")
		o.Set(SigsetFormatter, uint64(binary.LittleEndian.Uint32(lo[:]))|uint64(binary.LittleEndian.Uint32(hi[:]))<<32)
		o.End()
	}}, "sigreturn")
}
