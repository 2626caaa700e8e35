package decode

import (
	"encoding/binary"
	"strings"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// Credentials: uid/gid getters and setters with i386's 16-bit originals,
// supplementary group lists, capget/capset.

// ngroupsMax is NGROUPS_MAX (sysconf(_SC_NGROUPS_MAX) on Linux): a group
// list longer than this prints as its address.
const ngroupsMax = 65536

// id16 reports whether the call is one of i386's 16-bit uid/gid calls
// (setuid, getgroups… without the 32 suffix), whose ids are uint16_t.
func (c *Ctx) id16() bool {
	e := c.Call.Entry
	return c.Call.Arch.Name == "i386" && e != nil && !strings.HasSuffix(e.Name, "32")
}

// idArg appends uid or gid argument i: -1 for (uid_t)-1, truncated to 16
// bits (and 0xffff printed -1) in the i386 16-bit calls, as strace's
// printuid does.
func (c *Ctx) idArg(i int) {
	v := uint32(c.Call.Args[i])
	if c.id16() {
		v &= 0xffff
		if v == 0xffff {
			c.Out.Int(-1)
			return
		}
	}
	c.ID(v)
}

// idAt appends the uid_t (or i386 16-bit uid) at addr as [0]; the address
// when the call failed or it cannot be read.
func (c *Ctx) idAt(addr uint64) {
	if c.Failed() || addr == 0 {
		c.Out.Addr(addr)
		return
	}
	var b [4]byte
	size := 4
	if c.id16() {
		size = 2
	}
	if !c.fetch(addr, b[:size]) {
		return
	}
	v := binary.LittleEndian.Uint32(b[:])
	if size == 2 && v == 0xffff {
		v = ^uint32(0)
	}
	c.Out.Ref()
	c.ID(v)
	c.Out.End()
}

// groups appends n gid_t (or i386 16-bit gids) at addr as strace's
// print_groups: NULL, [] for none, the address for more than NGROUPS_MAX
// or when unreadable, at most -s of them unless -v.
func (c *Ctx) groups(addr uint64, n int64) {
	o := c.Out
	if n < 0 || n > ngroupsMax {
		o.Addr(addr)
		return
	}
	if addr == 0 {
		o.Addr(0)
		return
	}
	size := uint64(4)
	if c.id16() {
		size = 2
	}
	var b [4]byte
	for i := int64(0); i < n; i++ {
		if got, err := c.Mem.ReadAt(b[:size], addr+uint64(i)*size); err != nil || uint64(got) != size {
			if i == 0 {
				o.Addr(addr)
				return
			}
			o.More()
			break
		}
		if i == 0 {
			o.Array()
		}
		if !c.Opt.Verbose && i >= int64(c.Opt.StrLimit) {
			o.More()
			break
		}
		v := binary.LittleEndian.Uint32(b[:])
		if size == 2 {
			v &= 0xffff
			if v == 0xffff {
				v = ^uint32(0)
			}
		}
		c.ID(v)
	}
	if n == 0 {
		o.Array()
	}
	o.End()
}

func init() {
	registerArg("uid_out", outArg(func(c *Ctx, i int) { c.idAt(c.Arg(i)) }))
	registerArg("gid_out", outArg(func(c *Ctx, i int) { c.idAt(c.Arg(i)) }))
	registerArg("gid_array_in", ArgDecoder{Fn: func(c *Ctx, i int) { c.groups(c.Arg(i), int64(c.Int(i-1))) }})
	registerArg("gid_array_out", outArg(func(c *Ctx, i int) { c.groups(c.Arg(i), c.Ret()) }))

	// The setters: their ids printed by idArg, so that the i386 16-bit
	// calls show -1 for 0xffff.
	setter := func(n int) *Syscall {
		return &Syscall{Enter: func(c *Ctx) {
			for i := 0; i < n; i++ {
				c.idArg(i)
			}
		}}
	}
	registerSyscall(setter(1), "setuid", "setgid", "setfsuid", "setfsgid")
	registerSyscall(setter(2), "setreuid", "setregid")
	registerSyscall(setter(3), "setresuid", "setresgid")

	// getgroups(size, list): the size at entry, the list at exit, as many
	// as the call returned.
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) {
			c.Out.Int(int64(c.Int(0)))
			c.Call.More = true
		},
		Exit: func(c *Ctx) {
			if c.Failed() {
				c.Out.Addr(c.Arg(1))
				return
			}
			c.groups(c.Arg(1), c.Ret())
		},
	}, "getgroups", "getgroups32")
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		n := int64(c.Int(0))
		c.Out.Int(n)
		c.groups(c.Arg(1), n)
	}}, "setgroups", "setgroups32")

	registerArg("cap_header", ArgDecoder{Fn: func(c *Ctx, i int) {
		_, _ = c.capHeader(c.Arg(i), true)
	}})
	registerArg("cap_data_in", ArgDecoder{Fn: func(c *Ctx, i int) {
		v, ok := c.capHeader(c.Arg(0), false)
		c.capData(c.Arg(i), v, ok)
	}})
	registerArg("cap_data_out", outArg(func(c *Ctx, i int) {
		v, ok := c.capHeader(c.Arg(0), false)
		c.capData(c.Arg(i), v, ok)
	}))

	// capget(hdrp, datap): the header at entry, the data at exit as the
	// header's version says (the address when the call failed).
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) {
			_, _ = c.capHeader(c.Arg(0), true)
			c.Call.More = true
		},
		Exit: func(c *Ctx) {
			if c.Failed() {
				c.Out.Addr(c.Arg(1))
				return
			}
			v, ok := c.capHeader(c.Arg(0), false)
			c.capData(c.Arg(1), v, ok)
		},
	}, "capget")
	registerSyscall(&Syscall{Enter: func(c *Ctx) {
		v, ok := c.capHeader(c.Arg(0), true)
		c.capData(c.Arg(1), v, ok)
	}}, "capset")
}

// Capability header versions (linux/capability.h).
const (
	capVersion2 = 0x20071026
	capVersion3 = 0x20080522
)

// capHeader reads capget/capset's header {version, pid}, appending it as
// {version=_LINUX_CAPABILITY_VERSION_3, pid=0} (or its address when it
// cannot be read) when print is set. It returns the version and whether
// the header was read.
func (c *Ctx) capHeader(addr uint64, print bool) (version uint32, ok bool) {
	var b [8]byte
	if addr != 0 {
		if n, err := c.Mem.ReadAt(b[:], addr); err == nil && n == len(b) {
			ok = true
		}
	}
	if !print {
		return binary.LittleEndian.Uint32(b[:]), ok
	}
	o := c.Out
	if !ok {
		o.Addr(addr)
		return 0, false
	}
	version = binary.LittleEndian.Uint32(b[:])
	o.Struct()
	o.Field("version")
	o.Set(xlat.CapVersions, uint64(version))
	o.Field("pid")
	c.PidArg(int64(int32(binary.LittleEndian.Uint32(b[4:]))))
	o.End()
	return version, true
}

// capData appends capget/capset's data, one struct __user_cap_data_struct
// for version 1 and two for versions 2 and 3: {effective=1<<CAP_CHOWN|...,
// permitted=..., inheritable=...}. Without a readable header, or for NULL,
// or when unreadable, the address.
func (c *Ctx) capData(addr uint64, version uint32, headerOK bool) {
	o := c.Out
	if addr == 0 || !headerOK {
		o.Addr(addr)
		return
	}
	n := 1
	if version == capVersion2 || version == capVersion3 {
		n = 2
	}
	var b [24]byte
	if !c.fetch(addr, b[:12*n]) {
		return
	}
	word := func(set, k int) uint32 {
		if k >= n {
			return 0
		}
		return binary.LittleEndian.Uint32(b[12*k+4*set:])
	}
	o.Struct()
	for set, name := range [3]string{"effective", "permitted", "inheritable"} {
		o.Field(name)
		o.Set(capBits, uint64(word(set, 1))<<32|uint64(word(set, 0)))
	}
	o.End()
}

// capBits prints a 64-bit capability set as strace's print_cap_bits.
var capBits = formatterFunc(func(dst []byte, v uint64) []byte {
	return xlat.AppendCapBits(dst, uint32(v), uint32(v>>32))
})
