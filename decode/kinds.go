package decode

import (
	"encoding/binary"

	"github.com/sonde-dev/sonde/decode/xlat"
	"github.com/sonde-dev/sonde/sysent"
)

// Argument kinds that are one value printed through a set.

// setArg registers kind as argument printed through f, the argument taken
// as a C int (32 bits) when int32 is set, else as a word.
func setArg(kind sysent.Arg, f Formatter, int32 bool) {
	registerArg(kind, ArgDecoder{Fn: func(c *Ctx, i int) {
		v := c.Arg(i)
		if int32 {
			v = uint64(uint32(v))
		}
		c.Out.Set(f, v)
	}})
}

// Clock ids (linux/time.h), for clock_* and timer_create.
var clockIDs = &xlat.Set{Name: "clocknames", Style: xlat.Enum, Unknown: "CLOCK_???", Pairs: []xlat.Pair{
	{Val: 0, Name: "CLOCK_REALTIME"}, {Val: 1, Name: "CLOCK_MONOTONIC"},
	{Val: 2, Name: "CLOCK_PROCESS_CPUTIME_ID"}, {Val: 3, Name: "CLOCK_THREAD_CPUTIME_ID"},
	{Val: 4, Name: "CLOCK_MONOTONIC_RAW"}, {Val: 5, Name: "CLOCK_REALTIME_COARSE"},
	{Val: 6, Name: "CLOCK_MONOTONIC_COARSE"}, {Val: 7, Name: "CLOCK_BOOTTIME"},
	{Val: 8, Name: "CLOCK_REALTIME_ALARM"}, {Val: 9, Name: "CLOCK_BOOTTIME_ALARM"},
	{Val: 11, Name: "CLOCK_TAI"},
}}

func init() {
	setArg("rlimit_resource", xlat.RlimitResources, true)
	setArg("arch_prctl_code", xlat.ArchPrctlCodes, true)
	setArg("grnd_flags", xlat.GetrandomFlags, true)
	setArg("sigprocmask_how", xlat.SigprocmaskHow, true)
	setArg("wait_options", xlat.WaitOptions, true)
	setArg("clone_flags", formatterFunc(xlat.AppendCloneFlags), false)
	setArg("fcntl_cmd", xlat.FcntlCmds, true)
	setArg("ioctl_req", formatterFunc(xlat.AppendIoctlCmd), true)
	setArg("prctl_option", xlat.PrctlOptions, true)
	setArg("socket_domain", xlat.AddressFamilies, true)
	setArg("socket_type", formatterFunc(xlat.AppendSocketType), true)
	setArg("futex_op", formatterFunc(xlat.AppendFutexOp), true)
	setArg("clockid", clockIDs, true)
	registerArg("oct", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Oct(uint64(uint32(c.Call.Args[i]))) }})
	registerArg("tid_ptr", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Addr(c.Arg(i)) }})
	registerArg("tls", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Addr(c.Arg(i)) }})
	registerArg("socklen", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Uint(uint64(uint32(c.Call.Args[i]))) }})
	registerArg("socket_proto", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Int(int64(c.Int(i))) }})
	registerArg("fdpair_out", ArgDecoder{Exit: true, Fn: func(c *Ctx, i int) {
		addr := c.Arg(i)
		var b [8]byte
		if c.Failed() {
			c.Out.Addr(addr)
			return
		}
		if n, err := c.Mem.ReadAt(b[:], addr); err != nil || n != 8 {
			c.Out.Addr(addr)
			return
		}
		c.Out.Array()
		c.FD(int64(int32(binary.LittleEndian.Uint32(b[:]))))
		c.FD(int64(int32(binary.LittleEndian.Uint32(b[4:]))))
		c.Out.End()
	}})
	registerArg("timespec_in", ArgDecoder{Fn: func(c *Ctx, i int) { c.timespec(c.Arg(i), false) }})
	registerArg("timespec64_in", ArgDecoder{Fn: func(c *Ctx, i int) { c.timespec(c.Arg(i), true) }})
	registerArg("timespec_out", ArgDecoder{Exit: true, Fn: func(c *Ctx, i int) { c.timespecOut(c.Arg(i), false) }})
	registerArg("timespec64_out", ArgDecoder{Exit: true, Fn: func(c *Ctx, i int) { c.timespecOut(c.Arg(i), true) }})
}

// timespec appends a struct timespec ({tv_sec=1, tv_nsec=0}); is64 selects
// the 64-bit time layout on 32-bit tracees (the *_time64 calls).
func (c *Ctx) timespec(addr uint64, is64 bool) {
	o := c.Out
	if addr == 0 {
		o.Addr(0)
		return
	}
	var b [16]byte
	size := 16
	if c.Call.Arch.WordSize == 4 && !is64 {
		size = 8
	}
	if n, err := c.Mem.ReadAt(b[:size], addr); err != nil || n != size {
		o.Addr(addr)
		return
	}
	var sec, nsec int64
	if size == 8 {
		sec, nsec = int64(int32(binary.LittleEndian.Uint32(b[:]))), int64(int32(binary.LittleEndian.Uint32(b[4:])))
	} else {
		sec, nsec = int64(binary.LittleEndian.Uint64(b[:])), int64(binary.LittleEndian.Uint64(b[8:]))
	}
	o.Struct()
	o.Field("tv_sec")
	o.Int(sec)
	o.Field("tv_nsec")
	o.Int(nsec)
	o.End()
}

func (c *Ctx) timespecOut(addr uint64, is64 bool) {
	if c.Failed() {
		c.Out.Addr(addr)
		return
	}
	c.timespec(addr, is64)
}

func init() {
	// A 64-bit value i386 passes in two argument words (off_lo, off_hi, in
	// register order): the first of the pair prints the whole value, the
	// second nothing, so the line shows one argument as strace's does.
	split := func(self, partner sysent.Arg) ArgDecoder {
		return ArgDecoder{Fn: func(c *Ctx, i int) {
			args := c.Call.Entry.Args
			if i > 0 && args[i-1] == partner {
				return // printed with its partner
			}
			lo, hi := uint64(uint32(c.Call.Args[i])), uint64(0)
			if i+1 < len(args) && args[i+1] == partner {
				hi = uint64(uint32(c.Call.Args[i+1]))
				if self == "off_hi" {
					lo, hi = hi, lo
				}
			}
			c.Out.Int(int64(hi<<32 | lo))
		}}
	}
	registerArg("off_lo", split("off_lo", "off_hi"))
	registerArg("off_hi", split("off_hi", "off_lo"))
	registerArg("pgoff", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Hex(c.Arg(i) << 12) }})
}
