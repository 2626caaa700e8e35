package decode

import (
	"encoding/binary"
	"strconv"

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
	setArg("clone_flags", cloneFlagsFmt{}, false)
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
	// The socket calls have decoders of their own (net.go); these serve a
	// signature that names the kinds: a socklen_t* as [N], a protocol by
	// the domain two arguments before it.
	registerArg("socklen", ArgDecoder{Fn: func(c *Ctx, i int) { c.u32Ref(c.Arg(i)) }})
	registerArg("socket_proto", ArgDecoder{Fn: func(c *Ctx, i int) {
		if i < 2 {
			c.Out.Int(int64(c.Int(i)))
			return
		}
		c.socketProto(c.Call.Args[i-2], c.Call.Args[i])
	}})
	registerArg("fdpair_out", outArg(func(c *Ctx, i int) {
		var b [8]byte
		if !c.fetch(c.Arg(i), b[:]) {
			return
		}
		c.Out.Array()
		c.FD(int64(int32(binary.LittleEndian.Uint32(b[:]))))
		c.FD(int64(int32(binary.LittleEndian.Uint32(b[4:]))))
		c.Out.End()
	}))
	registerArg("timespec_in", ArgDecoder{Fn: func(c *Ctx, i int) { c.timespec(c.Arg(i), false) }})
	registerArg("timespec64_in", ArgDecoder{Fn: func(c *Ctx, i int) { c.timespec(c.Arg(i), true) }})
	registerArg("timespec_out", outArg(func(c *Ctx, i int) { c.timespec(c.Arg(i), false) }))
	registerArg("timespec64_out", outArg(func(c *Ctx, i int) { c.timespec(c.Arg(i), true) }))
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
	if !c.fetch(addr, b[:size]) {
		return
	}
	// tv_sec prints signed, tv_nsec unsigned at its width (strace's
	// PRINT_FIELD_U): a nanosecond count of -1 reads 18446744073709551615,
	// or 4294967295 in a 32-bit timespec.
	var sec int64
	var nsec uint64
	if size == 8 {
		sec, nsec = int64(int32(binary.LittleEndian.Uint32(b[:]))), uint64(binary.LittleEndian.Uint32(b[4:]))
	} else {
		sec, nsec = int64(binary.LittleEndian.Uint64(b[:])), binary.LittleEndian.Uint64(b[8:])
	}
	o.Struct()
	o.Field("tv_sec")
	o.Int(sec)
	o.Field("tv_nsec")
	o.Uint(nsec)
	o.End()
}

func init() {
	// A 64-bit value i386 passes in two argument words (off_lo, off_hi, in
	// register order): the first of the pair prints the whole value, the
	// second nothing, so the line shows one argument as strace's does.
	split := ArgDecoder{Fn: func(c *Ctx, i int) {
		first, pair := splitPair(c.Call.Entry.Args, i)
		if !first {
			return // printed with the word before it
		}
		lo, hi := uint64(uint32(c.Call.Args[i])), uint64(0)
		if pair {
			hi = uint64(uint32(c.Call.Args[i+1]))
			if c.Call.Entry.Args[i] == "off_hi" {
				lo, hi = hi, lo
			}
		}
		c.Out.Int(int64(hi<<32 | lo))
	}}
	registerArg("off_lo", split)
	registerArg("off_hi", split)
	registerArg("pgoff", ArgDecoder{Fn: func(c *Ctx, i int) { c.Out.Hex(c.Arg(i) << 12) }})
}

// splitPair says whether argument i starts a value split over two words
// (first) and whether its second word follows (pair). Pairs are an off_lo
// and an off_hi side by side, taken from the left.
func splitPair(args []sysent.Arg, i int) (first, pair bool) {
	isHalf := func(k sysent.Arg) bool { return k == "off_lo" || k == "off_hi" }
	for j := 0; j < len(args); j++ {
		if !isHalf(args[j]) {
			continue
		}
		paired := j+1 < len(args) && isHalf(args[j+1]) && args[j+1] != args[j]
		if j == i {
			return true, paired
		}
		if paired {
			if j+1 == i {
				return false, true
			}
			j++
		}
	}
	return true, false
}

// POSIX_FADV_* (x86 and asm-generic agree).
var fadvice = &xlat.Set{Name: "advise", Style: xlat.Enum, Unknown: "POSIX_FADV_???", Pairs: []xlat.Pair{
	{Val: 0, Name: "POSIX_FADV_NORMAL"}, {Val: 1, Name: "POSIX_FADV_RANDOM"},
	{Val: 2, Name: "POSIX_FADV_SEQUENTIAL"}, {Val: 3, Name: "POSIX_FADV_WILLNEED"},
	{Val: 4, Name: "POSIX_FADV_DONTNEED"}, {Val: 5, Name: "POSIX_FADV_NOREUSE"},
}}

var epollFlags = &xlat.Set{Name: "epollflags", Style: xlat.Flags, Unknown: "EPOLL_???", Pairs: []xlat.Pair{
	{Val: 0x80000, Name: "EPOLL_CLOEXEC"},
}}

var sigaltstackFlags = &xlat.Set{Name: "sigaltstack_flags", Style: xlat.Flags, Unknown: "SS_???", Pairs: []xlat.Pair{
	{Val: 0x80000000, Name: "SS_AUTODISARM"}, {Val: 1, Name: "SS_ONSTACK"}, {Val: 2, Name: "SS_DISABLE"},
}}

func init() {
	setArg("fadvice", fadvice, true)
	setArg("epoll_flags", epollFlags, true)
	registerArg("stack_t_in", ArgDecoder{Fn: func(c *Ctx, i int) { c.stackT(c.Arg(i)) }})
	registerArg("stack_t_out", outArg(func(c *Ctx, i int) { c.stackT(c.Arg(i)) }))
}

// stackT appends a stack_t: {ss_sp=0x..., ss_flags=0, ss_size=65536}.
func (c *Ctx) stackT(addr uint64) {
	o := c.Out
	if addr == 0 {
		o.Addr(0)
		return
	}
	ws := c.Call.Arch.WordSize
	var b [24]byte
	if !c.fetch(addr, b[:3*ws]) {
		return
	}
	word := func(k int) uint64 {
		if ws == 4 {
			return uint64(binary.LittleEndian.Uint32(b[4*k:]))
		}
		return binary.LittleEndian.Uint64(b[8*k:])
	}
	o.Struct()
	o.Field("ss_sp")
	o.Addr(word(0))
	o.Field("ss_flags")
	o.Set(sigaltstackFlags, word(1)&0xffffffff)
	o.Field("ss_size")
	o.Uint(word(2))
	o.End()
}

func init() {
	setArg("madvice", xlat.MadviseAdvice, true)
}

// cloneFlagsFmt prints clone's flags: CLONE_VM|...|SIGCHLD, and under -X
// raw the flags in hex and the exit signal in decimal: 0x1200000|17.
type cloneFlagsFmt struct{}

func (cloneFlagsFmt) Append(dst []byte, v uint64) []byte { return xlat.AppendCloneFlags(dst, v) }

func (cloneFlagsFmt) AppendRaw(dst []byte, v uint64) []byte {
	flags, sig := v&^0xff, v&0xff
	if flags == 0 {
		return strconv.AppendUint(dst, sig, 10)
	}
	dst = strconv.AppendUint(append(dst, "0x"...), flags, 16)
	if sig != 0 {
		dst = strconv.AppendUint(append(dst, '|'), sig, 10)
	}
	return dst
}
