package decode

import (
	"encoding/binary"
	"strconv"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// Process information: CPU affinity, times, uname, sysinfo, getrusage,
// personality, the robust futex list, arch_prctl.

// cpusetMax is the most bytes of a CPU mask strace reads: the size of its
// own cpuset (get_cpuset_size, 128 bytes on machines with up to 1024
// CPUs). A longer mask ends in "...".
const cpusetMax = 128

func init() {
	registerArg("cpuset_in", ArgDecoder{Fn: func(c *Ctx, i int) { c.cpuset(c.Arg(i), uint64(uint32(c.Call.Args[i-1]))) }})
	registerArg("cpuset_out", outArg(func(c *Ctx, i int) { c.cpuset(c.Arg(i), uint64(uint32(c.Ret()))) }))
	registerArg("tms_out", outArg(func(c *Ctx, i int) { c.tms(c.Arg(i)) }))
	registerArg("sysinfo_out", outArg(func(c *Ctx, i int) { c.sysinfo(c.Arg(i)) }))
	registerArg("utsname_out", outArg(func(c *Ctx, i int) { c.utsname(c.Arg(i)) }))
	registerArg("personality", ArgDecoder{Fn: func(c *Ctx, i int) {
		c.Out.Set(formatterFunc(xlat.AppendPersonality), uint64(uint32(c.Call.Args[i])))
	}})

	// times(buf): the clock ticks since boot, unsigned.
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) { c.Call.More = true },
		Exit: func(c *Ctx) {
			if c.Failed() {
				c.Out.Addr(c.Arg(0))
				return
			}
			c.tms(c.Arg(0))
		},
		Result: func(c *Ctx) {
			if !c.Failed() {
				c.Call.Ret = RetUdec
			}
		},
	}, "times")

	// getrusage(who, usage).
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) {
			c.Out.Set(xlat.RusageWho, uint64(uint32(c.Call.Args[0])))
			c.Call.More = true
		},
		Exit: func(c *Ctx) {
			if c.Failed() {
				c.Out.Addr(c.Arg(1))
				return
			}
			c.rusage(c.Arg(1))
		},
	}, "getrusage")

	// personality(persona): the previous persona, in hex with its name:
	// "= 0x40000 (PER_LINUX|ADDR_NO_RANDOMIZE)".
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) {
			c.Call.Ret = RetHex
			c.Out.Set(formatterFunc(xlat.AppendPersonality), uint64(uint32(c.Call.Args[0])))
		},
		Result: func(c *Ctx) {
			if !c.Failed() {
				c.Call.Note, c.Call.NoteVal = formatterFunc(xlat.AppendPersonality), uint64(uint32(c.Ret()))
			}
		},
	}, "personality")

	// get_robust_list(pid, head_ptr, len_ptr): [0x7f...], [24].
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) {
			c.PidArg(int64(c.Int(0)))
			c.Call.More = true
		},
		Exit: func(c *Ctx) {
			for i, addr := range [2]uint64{c.Arg(1), c.Arg(2)} {
				if c.Failed() {
					c.Out.Addr(addr)
					continue
				}
				v, ok := c.readWord(addr)
				if !ok {
					c.Out.Addr(addr)
					continue
				}
				c.Out.Ref()
				if i == 0 {
					c.Out.Addr(v)
				} else {
					c.Out.Uint(v)
				}
				c.Out.End()
			}
		},
	}, "get_robust_list")
}

// cpuset appends a CPU mask of n bytes as strace's print_affinitylist: the
// set CPUs separated by spaces, [0 1], with " ..." when the mask is longer
// than strace reads; [] for an empty size; NULL, or the address when
// unreadable.
func (c *Ctx) cpuset(addr, n uint64) {
	o := c.Out
	if addr == 0 {
		o.Addr(0)
		return
	}
	if n == 0 {
		o.TextBytes([]byte("[]"))
		return
	}
	take := min(n, cpusetMax)
	var buf [cpusetMax]byte
	if !c.fetch(addr, buf[:take]) {
		return
	}
	size := (take + uint64(c.Call.Arch.WordSize) - 1) &^ uint64(c.Call.Arch.WordSize-1)
	b := make([]byte, 0, 16)
	b = append(b, '[')
	first := true
	for i := uint64(0); i < size*8; i++ {
		if buf[i/8]&(1<<(i%8)) == 0 {
			continue
		}
		if !first {
			b = append(b, ' ')
		}
		first = false
		b = strconv.AppendUint(b, i, 10)
	}
	if size < n {
		if !first {
			b = append(b, ' ')
		}
		b = append(b, "..."...)
	}
	b = append(b, ']')
	o.TextBytes(b)
}

// tms appends a native struct tms: {tms_utime=0, tms_stime=0,
// tms_cutime=14 /* 0.14 s */, tms_cstime=0}.
func (c *Ctx) tms(addr uint64) {
	o := c.Out
	if addr == 0 {
		o.Addr(0)
		return
	}
	ws := c.Call.Arch.WordSize
	var b [32]byte
	if !c.fetch(addr, b[:4*ws]) {
		return
	}
	o.Struct()
	for k, name := range [4]string{"tms_utime", "tms_stime", "tms_cutime", "tms_cstime"} {
		o.Field(name)
		o.Set(ClockTFormatter, wordAt(b[:], k, ws))
	}
	o.End()
}

// wordAt returns the k-th word of b for word size ws.
func wordAt(b []byte, k, ws int) uint64 {
	if ws == 4 {
		return uint64(binary.LittleEndian.Uint32(b[4*k:]))
	}
	return binary.LittleEndian.Uint64(b[8*k:])
}

// sysinfo appends a native struct sysinfo as strace prints it (never
// abbreviated): {uptime=1927, loads=[60448, 56544, 52960],
// totalram=..., ..., procs=85, totalhigh=0, freehigh=0, mem_unit=1}.
func (c *Ctx) sysinfo(addr uint64) {
	o := c.Out
	if addr == 0 {
		o.Addr(0)
		return
	}
	ws := c.Call.Arch.WordSize
	var b [112]byte
	size := 112
	if ws == 4 {
		size = 64
	}
	if !c.fetch(addr, b[:size]) {
		return
	}
	w := func(k int) uint64 { return wordAt(b[:], k, ws) }
	o.Struct()
	o.Field("uptime")
	o.Int(signExtend(w(0), ws))
	o.Field("loads")
	o.Array()
	for k := 1; k <= 3; k++ {
		o.Uint(w(k))
	}
	o.End()
	for k, name := range [6]string{"totalram", "freeram", "sharedram", "bufferram", "totalswap", "freeswap"} {
		o.Field(name)
		o.Uint(w(4 + k))
	}
	o.Field("procs")
	o.Uint(uint64(binary.LittleEndian.Uint16(b[10*ws:])))
	// procs and its padding fill a word.
	o.Field("totalhigh")
	o.Uint(w(11))
	o.Field("freehigh")
	o.Uint(w(12))
	o.Field("mem_unit")
	o.Uint(uint64(binary.LittleEndian.Uint32(b[13*ws:])))
	o.End()
}

var utsFields = [...]string{"sysname", "nodename", "release", "version", "machine", "domainname"}

// utsname appends a struct utsname: {sysname="Linux", nodename="host",
// ...}, every field with -v.
func (c *Ctx) utsname(addr uint64) {
	o := c.Out
	const fieldLen = 65
	var b [6 * fieldLen]byte
	if addr == 0 {
		o.Addr(0)
		return
	}
	if !c.fetch(addr, b[:]) {
		return
	}
	o.Struct()
	for i, name := range utsFields {
		if !c.Opt.Verbose && i == 2 {
			o.More()
			break
		}
		f := b[i*fieldLen : (i+1)*fieldLen]
		n := 0
		for n < len(f) && f[n] != 0 {
			n++
		}
		o.Field(name)
		o.Bytes(f[:n], false)
	}
	o.End()
}

// arch_prctl codes (asm/prctl.h).
const (
	archGetFS           = 0x1003
	archGetGS           = 0x1004
	archGetCPUID        = 0x1011
	archGetXcompSupp    = 0x1021
	archGetXcompPerm    = 0x1022
	archReqXcompPerm    = 0x1023
	archGetXcompGuestPm = 0x1024
	archReqXcompGuestPm = 0x1025
)

// xfeatureMask prints an XSAVE feature mask as strace's arch_prctl does,
// in its verbose style: 0xe7 /* XFEATURE_MASK_FPSSE|XFEATURE_MASK_YMM|... */.
var xfeatureMask = verbatim(func(dst []byte, v uint64) []byte {
	dst = appendHex0(dst, v)
	if v == 0 {
		return dst
	}
	dst = append(dst, " /* "...)
	dst = xlat.X86Xfeatures.AppendFlags(dst, v)
	return append(dst, " */"...)
})

// xfeatureBit prints ARCH_REQ_XCOMP_PERM's feature number the same way:
// 0x12 /* XFEATURE_XTILE_DATA */.
var xfeatureBit = verbatim(func(dst []byte, v uint64) []byte {
	dst = appendHex0(dst, v)
	dst = append(dst, " /* "...)
	if n, ok := xlat.X86XfeatureBits.Lookup(v); ok {
		dst = append(dst, n...)
	} else {
		dst = append(dst, "XFEATURE_???"...)
	}
	return append(dst, " */"...)
})

func init() {
	// arch_prctl(code, addr): the getters store through addr.
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) {
			code := uint64(uint32(c.Call.Args[0]))
			c.Out.Set(xlat.ArchPrctlCodes, code)
			switch code {
			case archGetFS, archGetGS, archGetXcompSupp, archGetXcompPerm, archGetXcompGuestPm:
				c.Call.More = true
			case archGetCPUID:
			case archReqXcompPerm, archReqXcompGuestPm:
				c.Out.Set(xfeatureBit, c.Arg(1))
			default:
				c.Out.Hex(c.Arg(1))
			}
		},
		Exit: func(c *Ctx) {
			addr := c.Arg(1)
			if c.Failed() {
				c.Out.Addr(addr)
				return
			}
			code := uint32(c.Call.Args[0])
			if code == archGetFS || code == archGetGS {
				v, ok := c.readWord(addr)
				if !ok {
					c.Out.Addr(addr)
					return
				}
				c.Out.Ref()
				c.Out.Addr(v)
				c.Out.End()
				return
			}
			var b [8]byte
			if !c.fetch(addr, b[:]) {
				return
			}
			c.Out.Ref()
			c.Out.Set(xfeatureMask, binary.LittleEndian.Uint64(b[:]))
			c.Out.End()
		},
		Result: func(c *Ctx) {
			code := uint32(c.Call.Args[0])
			if c.Failed() || c.Ret() <= 0 || (code != archReqXcompPerm && code != archReqXcompGuestPm) {
				return
			}
			c.Call.Ret = RetHex
			c.Call.Note, c.Call.NoteVal = xlat.X86Xfeatures, uint64(c.Ret())
		},
	}, "arch_prctl")
}
