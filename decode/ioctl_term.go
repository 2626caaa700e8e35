package decode

// The terminal ioctls as strace 6.1's src/term.c prints their arguments:
// struct termios, termios2 and termio (the kernel's layouts, not libc's),
// struct winsize, modem flags, and the integer arguments, by value or
// through a pointer.

import (
	"encoding/binary"
	"strconv"

	"github.com/sonde-dev/sonde/decode/xlat"
)

func init() {
	termios := func(size, wide int) func(c *Ctx, arg uint64) {
		return func(c *Ctx, arg uint64) { c.termios(arg, size, wide) }
	}
	atExit := func(f func(c *Ctx, arg uint64)) ioctlDecoder {
		return ioctlDecoder{exit: func(c *Ctx, arg uint64) {
			if c.Failed() {
				c.Out.Addr(arg)
				return
			}
			f(c, arg)
		}}
	}
	atEntry := func(f func(c *Ctx, arg uint64)) ioctlDecoder { return ioctlDecoder{enter: f} }

	// struct termios: 4 flag words, c_line, c_cc[19]; termios2 adds the
	// two speeds; the old struct termio has 16-bit flags and c_cc[8].
	registerIoctl(atExit(termios(36, 4)), "TCGETS", "TIOCGLCKTRMIOS")
	registerIoctl(atEntry(termios(36, 4)), "SNDCTL_TMR_START or TCSETS", "SNDCTL_TMR_STOP or TCSETSW",
		"SNDCTL_TMR_CONTINUE or TCSETSF", "TIOCSLCKTRMIOS")
	registerIoctl(atExit(termios(44, 4)), "TCGETS2")
	registerIoctl(atEntry(termios(44, 4)), "TCSETS2", "TCSETSW2", "TCSETSF2")
	registerIoctl(atExit(termios(17, 2)), "TCGETA")
	registerIoctl(atEntry(termios(17, 2)), "TCSETA", "TCSETAW", "TCSETAF")

	registerIoctl(atExit((*Ctx).winsize), "TIOCGWINSZ")
	registerIoctl(atEntry((*Ctx).winsize), "TIOCSWINSZ")

	registerIoctl(atEntry(func(c *Ctx, arg uint64) { c.Out.Set(xlat.TcxoncOptions, arg) }), "TCXONC")
	registerIoctl(atEntry(func(c *Ctx, arg uint64) { c.Out.Set(xlat.TcflshOptions, arg) }), "TCFLSH")
	registerIoctl(atEntry(func(c *Ctx, arg uint64) { c.Out.Int(int64(int32(arg))) }), "TCSBRK", "TCSBRKP", "TIOCSCTTY")

	registerIoctl(atExit((*Ctx).modemFlags), "TIOCMGET")
	registerIoctl(atEntry((*Ctx).modemFlags), "TIOCMBIS", "TIOCMBIC", "TIOCMSET")

	// printnum_int: [N] at exit for the getters, at entry for the setters.
	registerIoctl(ioctlDecoder{exit: func(c *Ctx, arg uint64) { c.numRef(arg, 4, true, true) }},
		"TIOCGPGRP", "TIOCGSID", "TIOCGETD", "TIOCGSOFTCAR", "TIOCGPTN", "TIOCGEXCL", "TIOCGDEV")
	registerIoctl(ioctlDecoder{enter: func(c *Ctx, arg uint64) { c.numRef(arg, 4, true, false) }},
		"TIOCSPGRP", "TIOCSETD", "FIONBIO", "FIOASYNC", "TIOCPKT", "TIOCSSOFTCAR", "TIOCSPTLCK")

	registerIoctl(atEntry(func(c *Ctx, arg uint64) { c.strn(arg, 1) }), "TIOCSTI")

	// No argument at all.
	registerIoctl(ioctlDecoder{}, "TIOCSBRK", "TIOCCBRK", "TIOCCONS", "TIOCNOTTY", "TIOCEXCL",
		"TIOCNXCL", "FIOCLEX", "FIONCLEX", "TIOCVHANGUP", "TIOCSSERIAL")
}

// termios appends the struct at addr: size bytes whose four flag words are
// wide bytes each (4 for termios and termios2, 2 for termio), then c_line
// and c_cc, and for termios2 (44 bytes) the two speeds. Without -v, "..."
// stands for everything after the flags.
func (c *Ctx) termios(addr uint64, size, wide int) {
	var b [44]byte
	if !c.fetch(addr, b[:size]) {
		return
	}
	o := c.Out
	flag := func(i int) uint64 {
		if wide == 2 {
			return uint64(binary.LittleEndian.Uint16(b[2*i:]))
		}
		return uint64(binary.LittleEndian.Uint32(b[4*i:]))
	}
	o.Struct()
	o.Field("c_iflag")
	o.Set(xlat.TermIflags, flag(0))
	o.Field("c_oflag")
	o.Set(formatterFunc(appendTermOflag), flag(1))
	o.Field("c_cflag")
	o.Set(formatterFunc(appendTermCflag), flag(2))
	o.Field("c_lflag")
	o.Set(xlat.TermLflags, flag(3))
	if !c.Opt.Verbose {
		o.More()
		o.End()
		return
	}
	line := 4 * wide
	o.Field("c_line")
	o.Set(xlat.TermLineDiscs, uint64(b[line]))
	ncc := 19
	if wide == 2 {
		ncc = 8
	}
	o.Field("c_cc")
	o.Array()
	for i := 0; i < ncc; i++ {
		if name, ok := xlat.TermiosCC.Lookup(uint64(i)); ok {
			o.Field("[" + name + "]")
		} else {
			o.Field("[" + strconv.Itoa(i) + "]")
		}
		o.Hex(uint64(b[line+1+i]))
	}
	o.End()
	if size == 44 {
		o.Field("c_ispeed")
		o.Uint(uint64(binary.LittleEndian.Uint32(b[36:])))
		o.Field("c_ospeed")
		o.Uint(uint64(binary.LittleEndian.Uint32(b[40:])))
	}
	o.End()
}

// appendTermOflag appends c_oflag as strace's decode_oflag: every delay
// field (NL0 included), then the other flags ("0" when none).
func appendTermOflag(dst []byte, v uint64) []byte {
	for _, d := range xlat.TermOflagDelays {
		dst = appendEnumDfl(dst, d.Set, v&d.Mask, d.Dfl)
		dst = append(dst, '|')
		v &^= d.Mask
	}
	return xlat.TermOflags.AppendFlags(dst, v)
}

// appendTermCflag appends c_cflag as strace's decode_cflag: the output
// speed, the input speed shifted when set, the character size, then the
// other flags ("0" when none).
func appendTermCflag(dst []byte, v uint64) []byte {
	dst = appendEnumDfl(dst, xlat.BaudOptions, v&xlat.TermCBAUD, "B???")
	dst = append(dst, '|')
	if ib := v & xlat.TermCIBAUD; ib != 0 {
		dst = appendEnumDfl(dst, xlat.BaudOptions, ib>>xlat.TermIBSHIFT, "B???")
		dst = append(dst, "<<IBSHIFT|"...)
	}
	dst = appendEnumDfl(dst, xlat.TermCflagsCsize, v&xlat.TermCSIZE, "CS?")
	dst = append(dst, '|')
	return xlat.TermCflags.AppendFlags(dst, v&^(xlat.TermCBAUD|xlat.TermCIBAUD|xlat.TermCSIZE))
}

// appendEnumDfl is strace's printxval with a default: the name, else the
// value in hex with the default as a comment.
func appendEnumDfl(dst []byte, s *xlat.Set, v uint64, dfl string) []byte {
	if n, ok := s.Lookup(v); ok {
		return append(dst, n...)
	}
	dst = strconv.AppendUint(append(dst, "0x"...), v, 16)
	return append(append(append(dst, " /* "...), dfl...), " */"...)
}

// winsize appends struct winsize.
func (c *Ctx) winsize(addr uint64) {
	var b [8]byte
	if !c.fetch(addr, b[:]) {
		return
	}
	o := c.Out
	o.Struct()
	for i, name := range [...]string{"ws_row", "ws_col", "ws_xpixel", "ws_ypixel"} {
		o.Field(name)
		o.Uint(uint64(binary.LittleEndian.Uint16(b[2*i:])))
	}
	o.End()
}

// modemFlags appends the modem flags at addr as [TIOCM_DTR|TIOCM_RTS].
func (c *Ctx) modemFlags(addr uint64) {
	var b [4]byte
	if !c.fetch(addr, b[:]) {
		return
	}
	c.Out.Ref()
	c.Out.Set(xlat.ModemFlags, uint64(binary.LittleEndian.Uint32(b[:])))
	c.Out.End()
}
