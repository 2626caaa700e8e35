package decode

import (
	"encoding/binary"
	"strconv"

	"github.com/sonde-dev/sonde/sysent"
)

// Processes: wait statuses, resource limits.

func init() {
	registerArg("wait_status_out", ArgDecoder{Exit: true, Fn: func(c *Ctx, i int) {
		addr := c.Arg(i)
		if addr == 0 || c.Failed() || c.Ret() == 0 {
			c.Out.Addr(addr)
			return
		}
		var b [4]byte
		if !c.fetch(addr, b[:]) {
			return
		}
		c.waitStatus(binary.LittleEndian.Uint32(b[:]))
	}})
	// struct rlimit (word-sized) and struct rlimit64 (prlimit64).
	for _, is64 := range []bool{false, true} {
		is64 := is64
		in, out := sysent.Arg("rlimit_in"), sysent.Arg("rlimit_out")
		if is64 {
			in, out = "rlimit64_in", "rlimit64_out"
		}
		registerArg(in, ArgDecoder{Fn: func(c *Ctx, i int) { c.rlimit(c.Arg(i), is64) }})
		registerArg(out, outArg(func(c *Ctx, i int) { c.rlimit(c.Arg(i), is64) }))
	}
}

// waitStatus appends a wait status as strace's printstatus does:
// [{WIFEXITED(s) && WEXITSTATUS(s) == 0}].
func (c *Ctx) waitStatus(s uint32) {
	b := make([]byte, 0, 64)
	switch {
	case s&0xff == 0x7f: // stopped
		sig := (s >> 8) & 0xff
		b = append(b, "{WIFSTOPPED(s) && WSTOPSIG(s) == "...)
		b = appendSignal(b, int64(sig&0x7f))
		if sig&0x80 != 0 {
			b = append(b, " | 0x80"...)
		}
		b = append(b, '}')
		s &^= sig<<8 | 0x7f
	case s&0x7f != 0 && s != 0xffff: // signaled
		b = append(b, "{WIFSIGNALED(s) && WTERMSIG(s) == "...)
		b = appendSignal(b, int64(s&0x7f))
		if s&0x80 != 0 {
			b = append(b, " && WCOREDUMP(s)"...)
		}
		b = append(b, '}')
		s &^= 0xff
	case s&0x7f == 0: // exited
		b = append(b, "{WIFEXITED(s) && WEXITSTATUS(s) == "...)
		b = strconv.AppendUint(b, uint64((s>>8)&0xff), 10)
		b = append(b, '}')
		s &^= 0xff00
	case s == 0xffff:
		b = append(b, "{WIFCONTINUED(s)}"...)
		s = 0
	}
	if ev := s >> 16; ev != 0 {
		b = append(b, " | "...)
		if name, ok := ptraceEventName(ev); ok {
			b = append(b, name...)
		} else {
			b = strconv.AppendUint(append(b, "0x"...), uint64(ev), 16)
		}
		b = append(b, " << 16"...)
		s &= 0xffff
	}
	if s != 0 {
		b = strconv.AppendUint(append(b, " | 0x"...), uint64(s), 16)
	}
	c.Out.Ref()
	c.Out.TextBytes(b)
	c.Out.End()
}

var ptraceEvents = [...]string{1: "PTRACE_EVENT_FORK", 2: "PTRACE_EVENT_VFORK", 3: "PTRACE_EVENT_CLONE",
	4: "PTRACE_EVENT_EXEC", 5: "PTRACE_EVENT_VFORK_DONE", 6: "PTRACE_EVENT_EXIT", 7: "PTRACE_EVENT_SECCOMP"}

func ptraceEventName(ev uint32) (string, bool) {
	if ev == 0x80 {
		return "PTRACE_EVENT_STOP", true
	}
	if int(ev) < len(ptraceEvents) && ptraceEvents[ev] != "" {
		return ptraceEvents[ev], true
	}
	return "", false
}

// rlim64Formatter prints one rlimit value as strace does: RLIM64_INFINITY,
// 8192*1024 for multiples of 1024, else the number.
type rlimFormatter struct{ infinity uint64 }

func (f rlimFormatter) Append(dst []byte, v uint64) []byte {
	switch {
	case v == f.infinity && f.infinity == ^uint64(0):
		return append(dst, "RLIM64_INFINITY"...)
	case v == f.infinity:
		return append(dst, "RLIM_INFINITY"...)
	case v > 1024 && v%1024 == 0:
		return append(strconv.AppendUint(dst, v/1024, 10), "*1024"...)
	}
	return strconv.AppendUint(dst, v, 10)
}

var (
	rlim64Fmt Formatter = rlimFormatter{infinity: ^uint64(0)}
	rlim32Fmt Formatter = rlimFormatter{infinity: 0xffffffff}
)

// rlimit appends a struct rlimit64 (is64) or a word-sized struct rlimit.
func (c *Ctx) rlimit(addr uint64, is64 bool) {
	o := c.Out
	if addr == 0 {
		o.Addr(0)
		return
	}
	size, f := 16, rlim64Fmt
	if !is64 && c.Call.Arch.WordSize == 4 {
		size, f = 8, rlim32Fmt
	}
	var b [16]byte
	if !c.fetch(addr, b[:size]) {
		return
	}
	var cur, max uint64
	if size == 8 {
		cur, max = uint64(binary.LittleEndian.Uint32(b[:])), uint64(binary.LittleEndian.Uint32(b[4:]))
	} else {
		cur, max = binary.LittleEndian.Uint64(b[:]), binary.LittleEndian.Uint64(b[8:])
	}
	o.Struct()
	o.Field("rlim_cur")
	o.Set(f, cur)
	o.Field("rlim_max")
	o.Set(f, max)
	o.End()
}

func init() {
	registerArg("rusage_out", ArgDecoder{Exit: true, Fn: func(c *Ctx, i int) { c.rusage(c.Arg(i)) }})
}

// rusage appends a struct rusage as strace abbreviates it:
// {ru_utime={tv_sec=0, tv_usec=1234}, ru_stime={tv_sec=0, tv_usec=0}, ...}.
func (c *Ctx) rusage(addr uint64) {
	o := c.Out
	if addr == 0 || c.Failed() {
		o.Addr(addr)
		return
	}
	ws := c.Call.Arch.WordSize
	var b [32]byte
	if !c.fetch(addr, b[:4*ws]) {
		return
	}
	word := func(k int) int64 {
		if ws == 4 {
			return int64(int32(binary.LittleEndian.Uint32(b[4*k:])))
		}
		return int64(binary.LittleEndian.Uint64(b[8*k:]))
	}
	o.Struct()
	for k, name := range [2]string{"ru_utime", "ru_stime"} {
		o.Field(name)
		o.Struct()
		o.Field("tv_sec")
		o.Int(word(2 * k))
		o.Field("tv_usec")
		o.Int(word(2*k + 1))
		o.End()
	}
	o.More()
	o.End()
}
