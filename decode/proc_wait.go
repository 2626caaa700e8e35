package decode

import (
	"encoding/binary"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// Processes: wait4, waitpid, waitid and struct rusage.

func init() {
	registerArg("rusage_out", outArg(func(c *Ctx, i int) { c.rusage(c.Arg(i)) }))
	setArg("idtype", xlat.WaitidTypes, true)

	// wait4(pid, status, options, rusage) as strace's printwaitn: the pid
	// at entry, the rest at exit; the status only when a child was
	// reported (a result of 0 prints its address), the rusage only for a
	// positive result.
	waitn := func(withRusage bool) *Syscall {
		return &Syscall{
			Enter: func(c *Ctx) {
				c.PidArg(int64(c.Int(0)))
				c.Call.More = true
			},
			Exit: func(c *Ctx) {
				o := c.Out
				if addr := c.Arg(1); addr == 0 || c.Failed() || c.Ret() == 0 {
					o.Addr(addr)
				} else {
					var b [4]byte
					if c.fetch(addr, b[:]) {
						c.waitStatus(binary.LittleEndian.Uint32(b[:]))
					}
				}
				o.Set(xlat.WaitOptions, uint64(uint32(c.Call.Args[2])))
				if !withRusage {
					return
				}
				if c.Failed() || c.Ret() <= 0 {
					o.Addr(c.Arg(3))
					return
				}
				c.rusage(c.Arg(3))
			},
		}
	}
	registerSyscall(waitn(true), "wait4")
	registerSyscall(waitn(false), "waitpid")

	// waitid(idtype, id, infop, options, rusage): the id prints as the
	// idtype says (a pid, a pidfd, a number); the rest at exit.
	registerSyscall(&Syscall{
		Enter: func(c *Ctx) {
			idtype := uint64(uint32(c.Call.Args[0]))
			c.Out.Set(xlat.WaitidTypes, idtype)
			id := int64(c.Int(1))
			switch idtype {
			case pPID, pPGID:
				c.PidArg(id)
			case pPIDFD:
				c.FD(id)
			default:
				c.Out.Int(id)
			}
			c.Call.More = true
		},
		Exit: func(c *Ctx) {
			if c.Failed() {
				c.Out.Addr(c.Arg(2))
			} else {
				c.siginfoAt(c.Arg(2))
			}
			c.Out.Set(xlat.WaitOptions, uint64(uint32(c.Call.Args[3])))
			if c.Failed() {
				c.Out.Addr(c.Arg(4))
				return
			}
			c.rusage(c.Arg(4))
		},
	}, "waitid")
}

// waitid's idtypes.
const (
	pPID   = 1
	pPGID  = 2
	pPIDFD = 3
)

// rusageFields are struct rusage's longs after ru_utime and ru_stime, as
// strace prints them with -v.
var rusageFields = [...]string{
	"ru_maxrss", "ru_ixrss", "ru_idrss", "ru_isrss", "ru_minflt", "ru_majflt", "ru_nswap",
	"ru_inblock", "ru_oublock", "ru_msgsnd", "ru_msgrcv", "ru_nsignals", "ru_nvcsw", "ru_nivcsw",
}

// rusage appends the native struct rusage at addr as strace's printrusage:
// {ru_utime={tv_sec=0, tv_usec=1234}, ru_stime={...}, ...}, every field
// with -v; NULL, or the address when unreadable.
func (c *Ctx) rusage(addr uint64) {
	o := c.Out
	if addr == 0 {
		o.Addr(0)
		return
	}
	ws := c.Call.Arch.WordSize
	var b [18 * 8]byte
	size := 18 * ws
	if !c.fetch(addr, b[:size]) {
		return
	}
	word := func(k int) uint64 {
		if ws == 4 {
			return uint64(binary.LittleEndian.Uint32(b[4*k:]))
		}
		return binary.LittleEndian.Uint64(b[8*k:])
	}
	o.Struct()
	for k, name := range [2]string{"ru_utime", "ru_stime"} {
		o.Field(name)
		o.Struct()
		o.Field("tv_sec")
		o.Int(signExtend(word(2*k), ws))
		o.Field("tv_usec")
		o.Int(signExtend(word(2*k+1), ws))
		o.End()
	}
	if !c.Opt.Verbose {
		o.More()
		o.End()
		return
	}
	for k, name := range rusageFields {
		o.Field(name)
		o.Uint(word(4 + k))
	}
	o.End()
}
