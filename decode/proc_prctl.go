package decode

import (
	"encoding/binary"
	"strconv"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// prctl(2): the option, then the arguments that option takes, printed as
// strace's SYS_FUNC(prctl) prints them.

// prctl options (linux/prctl.h).
const (
	prSetPdeathsig                  = 1
	prGetPdeathsig                  = 2
	prGetDumpable                   = 3
	prSetDumpable                   = 4
	prGetUnalign                    = 5
	prSetUnalign                    = 6
	prGetKeepcaps                   = 7
	prSetKeepcaps                   = 8
	prGetFpemu                      = 9
	prSetFpemu                      = 10
	prGetFpexc                      = 11
	prSetFpexc                      = 12
	prGetTiming                     = 13
	prSetTiming                     = 14
	prSetName                       = 15
	prGetName                       = 16
	prGetEndian                     = 19
	prSetEndian                     = 20
	prGetSeccomp                    = 21
	prSetSeccomp                    = 22
	prCapbsetRead                   = 23
	prCapbsetDrop                   = 24
	prGetTsc                        = 25
	prSetTsc                        = 26
	prGetSecurebits                 = 27
	prSetSecurebits                 = 28
	prSetTimerslack                 = 29
	prGetTimerslack                 = 30
	prTaskPerfEventsDisable         = 31
	prTaskPerfEventsEnable          = 32
	prMceKill                       = 33
	prMceKillGet                    = 34
	prSetMM                         = 35
	prSetChildSubreaper             = 36
	prGetChildSubreaper             = 37
	prSetNoNewPrivs                 = 38
	prGetTidAddress                 = 40
	prSetThpDisable                 = 41
	prSetFpMode                     = 45
	prGetFpMode                     = 46
	prCapAmbient                    = 47
	prSveSetVL                      = 50
	prSveGetVL                      = 51
	prGetSpeculationCtrl            = 52
	prSetSpeculationCtrl            = 53
	prPacResetKeys                  = 54
	prSetTaggedAddrCtrl             = 55
	prGetTaggedAddrCtrl             = 56
	prSetIOFlusher                  = 57
	prSetSyscallUserDispatch        = 59
	prPacSetEnabledKeys             = 60
	prPacGetEnabledKeys             = 61
	prSchedCore                     = 62
	prSmeSetVL                      = 63
	prSmeGetVL                      = 64
	prSetVMA                        = 0x53564d41
	prSetPtracer                    = 0x59616d61
	prSetVMAAnonName                = 0
	prCapAmbientIsSet               = 1
	prCapAmbientRaise               = 2
	prCapAmbientLower               = 3
	prMceKillSet                    = 1
	seccompModeStrict               = 1
	seccompModeFilter               = 2
	prSchedCoreGet                  = 0
	taskCommLen                     = 16
	prSpecStoreBypass               = 0
	prSpecL1DFlush                  = 2
	prSetPtracerAny          uint32 = 0xffffffff
)

// The prctl sets strace prints with small helpers of its own.
var (
	prPacKeys = &xlat.Set{Name: "pr_pac_keys", Style: xlat.Flags, Unknown: "PR_PAC_???", Pairs: []xlat.Pair{
		{Val: 1, Name: "PR_PAC_APIAKEY"}, {Val: 2, Name: "PR_PAC_APIBKEY"}, {Val: 4, Name: "PR_PAC_APDAKEY"},
		{Val: 8, Name: "PR_PAC_APDBKEY"}, {Val: 16, Name: "PR_PAC_APGAKEY"},
	}}
	prPacEnabledKeys = &xlat.Set{Name: "pr_pac_enabled_keys", Style: xlat.Flags, Unknown: "PR_PAC_???", Pairs: []xlat.Pair{
		{Val: 1, Name: "PR_PAC_APIAKEY"}, {Val: 2, Name: "PR_PAC_APIBKEY"}, {Val: 4, Name: "PR_PAC_APDAKEY"},
		{Val: 8, Name: "PR_PAC_APDBKEY"},
	}}
	prSudCmds = &xlat.Set{Name: "pr_sud_cmds", Style: xlat.Enum, Unknown: "PR_SYS_DISPATCH_???", Pairs: []xlat.Pair{
		{Val: 0, Name: "PR_SYS_DISPATCH_OFF"}, {Val: 1, Name: "PR_SYS_DISPATCH_ON"},
	}}
	prSchedCoreCmds = &xlat.Set{Name: "pr_sched_core_cmds", Style: xlat.Enum, Unknown: "PR_SCHED_CORE_???", Pairs: []xlat.Pair{
		{Val: 0, Name: "PR_SCHED_CORE_GET"}, {Val: 1, Name: "PR_SCHED_CORE_CREATE"},
		{Val: 2, Name: "PR_SCHED_CORE_SHARE_TO"}, {Val: 3, Name: "PR_SCHED_CORE_SHARE_FROM"},
	}}
	prSchedCorePidtypes = &xlat.Set{Name: "pr_sched_core_pidtypes", Style: xlat.Enum, Unknown: "PIDTYPE_???", Pairs: []xlat.Pair{
		{Val: 0, Name: "PIDTYPE_PID"}, {Val: 1, Name: "PIDTYPE_TGID"}, {Val: 2, Name: "PIDTYPE_PGID"}, {Val: 3, Name: "PIDTYPE_SID"},
	}}
	prSveVLFlags = &xlat.Set{Name: "pr_sve_vl_flags", Style: xlat.Flags, Pairs: []xlat.Pair{
		{Val: 1 << 18, Name: "PR_SVE_SET_VL_ONEXEC"}, {Val: 1 << 17, Name: "PR_SVE_VL_INHERIT"},
	}}
	prSmeVLFlags = &xlat.Set{Name: "pr_sme_vl_flags", Style: xlat.Flags, Pairs: []xlat.Pair{
		{Val: 1 << 18, Name: "PR_SME_SET_VL_ONEXEC"}, {Val: 1 << 17, Name: "PR_SME_VL_INHERIT"},
	}}
	prMteTcf = &xlat.Set{Name: "pr_tagged_addr_mte_tcf", Style: xlat.Enum, Pairs: []xlat.Pair{
		{Val: 0, Name: "PR_MTE_TCF_NONE"}, {Val: 2, Name: "PR_MTE_TCF_SYNC"}, {Val: 4, Name: "PR_MTE_TCF_ASYNC"},
		{Val: 6, Name: "PR_MTE_TCF_MASK"},
	}}
)

// Formatters of prctl values that are not one set.
var (
	// prVLFormatter prints PR_SVE_SET_VL's and PR_SME_SET_VL's argument
	// (strace's sprint_sve_val): the flags, '|', the vector length in
	// hex; just the length when no flag is set.
	prSveVal = vlFormatter{prSveVLFlags}
	prSmeVal = vlFormatter{prSmeVLFlags}
	// prTaggedAddr prints PR_SET_TAGGED_ADDR_CTRL's argument as
	// sprint_tagged_addr_val: [!]PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_*,
	// then the tag mask and any other bits.
	prTaggedAddr = formatterFunc(appendTaggedAddr)
	// pidtypeVerbose prints PR_SCHED_CORE's pid type as strace does,
	// always in its verbose style: 0x1 /* PIDTYPE_TGID */.
	pidtypeVerbose = verbatim(func(dst []byte, v uint64) []byte {
		dst = appendHex0(dst, v)
		dst = append(dst, " /* "...)
		if n, ok := prSchedCorePidtypes.Lookup(v); ok {
			dst = append(dst, n...)
		} else {
			dst = append(dst, "PIDTYPE_???"...)
		}
		return append(dst, " */"...)
	})
	// ptracerAny is PR_SET_PTRACER's -1.
	ptracerAny = "PR_SET_PTRACER_ANY"
)

type vlFormatter struct{ flags *xlat.Set }

func (f vlFormatter) Append(dst []byte, v uint64) []byte {
	const lenMask = 0xffff
	vl, flags := v&lenMask, v&^lenMask
	if flags != 0 {
		dst = f.flags.AppendFlags(dst, flags)
		dst = append(dst, '|')
	}
	return appendHex0(dst, vl)
}

func appendTaggedAddr(dst []byte, v uint64) []byte {
	const (
		enable  = 1
		tcfMask = 6
		tagMask = 0xffff << 3
	)
	if v&enable == 0 {
		dst = append(dst, '!')
	}
	dst = append(dst, "PR_TAGGED_ADDR_ENABLE|"...)
	dst = prMteTcf.AppendEnum(dst, v&tcfMask)
	if tag := v & tagMask; tag != 0 {
		dst = append(dst, '|')
		dst = appendHex0(dst, tag>>3)
		dst = append(dst, "<<PR_MTE_TAG_SHIFT"...)
	}
	if rest := v &^ (enable | tcfMask | tagMask); rest != 0 {
		dst = append(dst, '|')
		dst = appendHex0(dst, rest)
	}
	return dst
}

// appendHex0 appends v as C's %#x: 0x2a, and 0 as "0".
func appendHex0(dst []byte, v uint64) []byte {
	if v == 0 {
		return append(dst, '0')
	}
	return strconv.AppendUint(append(dst, "0x"...), v, 16)
}

// setNote is a result comment printing the value through a set; for
// enums a value the set does not name adds nothing (strace's xlookup).
type setNote struct{ s *xlat.Set }

func (n setNote) Append(dst []byte, v uint64) []byte {
	if n.s.Style == xlat.Enum {
		if name, ok := n.s.Lookup(v); ok {
			return append(dst, name...)
		}
		return dst
	}
	return n.s.AppendFlags(dst, v)
}

func init() {
	registerSyscall(&Syscall{Enter: prctlEnter, Exit: prctlExit, Result: prctlResult}, "prctl")
}

// prctlArgs appends arguments from..4 in hex (strace's print_prctl_args).
func (c *Ctx) prctlArgs(from int) {
	for i := from; i < 5; i++ {
		c.Out.Hex(c.Arg(i))
	}
}

func prctlEnter(c *Ctx) {
	o := c.Out
	option := uint64(uint32(c.Call.Args[0]))
	o.Set(xlat.PrctlOptions, option)
	arg2 := c.Arg(1)
	switch option {
	case prGetKeepcaps, prGetSeccomp, prGetTimerslack, prGetTiming,
		prGetDumpable, prGetSecurebits, prGetFpMode, prSveGetVL, prSmeGetVL,
		prTaskPerfEventsDisable, prTaskPerfEventsEnable:
		// No argument.
	case prGetChildSubreaper, prGetEndian, prGetFpemu, prGetFpexc,
		prGetName, prGetPdeathsig, prGetTidAddress, prGetTsc, prGetUnalign:
		c.Call.More = true
	case prSveSetVL:
		o.Set(prSveVal, arg2)
	case prSmeSetVL:
		o.Set(prSmeVal, arg2)
	case prGetSpeculationCtrl:
		o.Set(xlat.PrSpecCmds, arg2)
	case prSetTaggedAddrCtrl:
		o.Set(prTaggedAddr, arg2)
		c.prctlArgs(2)
	case prSetChildSubreaper, prSetEndian, prSetFpemu, prSetFpexc, prSetKeepcaps, prSetTiming:
		o.Uint(arg2)
	case prSetDumpable:
		o.Set(xlat.PrDumpable, arg2)
	case prCapbsetDrop, prCapbsetRead:
		o.Set(xlat.Capabilities, arg2)
	case prCapAmbient:
		o.Set(xlat.PrCapAmbient, arg2)
		switch arg2 {
		case prCapAmbientRaise, prCapAmbientLower, prCapAmbientIsSet:
			o.Set(xlat.Capabilities, c.Arg(2))
			c.prctlArgs(3)
		default:
			c.prctlArgs(2)
		}
	case prMceKill:
		o.Set(xlat.PrMceKill, arg2)
		if arg2 == prMceKillSet {
			o.Set(xlat.PrMceKillPolicy, c.Arg(2))
		} else {
			o.Hex(c.Arg(2))
		}
		c.prctlArgs(3)
	case prSetName:
		c.boundedString(arg2, taskCommLen-1)
	case prSetVMA:
		o.Set(xlat.PrSetVMA, arg2)
		if arg2 == prSetVMAAnonName {
			o.Addr(c.Arg(2))
			o.Uint(c.Arg(3))
			c.CString(c.Arg(4))
		} else {
			c.prctlArgs(2)
		}
	case prSetMM:
		o.Set(xlat.PrSetMM, uint64(uint32(arg2)))
		c.prctlArgs(2)
	case prSetPdeathsig:
		if arg2 > 128 {
			o.Uint(arg2)
		} else {
			o.Set(SignalFormatter, arg2)
		}
	case prSetPtracer:
		if uint32(arg2) == prSetPtracerAny {
			o.Sym(ptracerAny, uint64(int64(int32(arg2))))
		} else {
			c.PidArg(int64(int32(arg2)))
		}
	case prSetSeccomp:
		o.Set(xlat.SeccompModes, arg2)
		switch arg2 {
		case seccompModeStrict:
		case seccompModeFilter:
			c.seccompFprog(c.Arg(2))
		default:
			c.prctlArgs(2)
		}
	case prSetSecurebits:
		o.Set(xlat.Secbits, arg2)
	case prSetTimerslack:
		// PRINT_VAL_D of a zero-extended word: -5 is 4294967291 on i386.
		o.Int(int64(arg2))
	case prSetTsc:
		o.Set(xlat.PrTsc, uint64(uint32(arg2)))
	case prSetUnalign:
		o.Set(xlat.PrUnalignFlags, uint64(uint32(arg2)))
	case prSetNoNewPrivs, prSetThpDisable, prSetIOFlusher:
		o.Uint(arg2)
		c.prctlArgs(2)
	case prMceKillGet, prGetTaggedAddrCtrl, prPacGetEnabledKeys:
		c.prctlArgs(1)
	case prSetFpMode:
		o.Set(xlat.PrFpMode, uint64(uint32(arg2)))
	case prSetSpeculationCtrl:
		o.Set(xlat.PrSpecCmds, arg2)
		if arg2 <= prSpecL1DFlush {
			o.Set(xlat.PrSpecSetFlags, c.Arg(2))
		} else {
			o.Hex(c.Arg(2))
		}
	case prPacResetKeys:
		o.Set(prPacKeys, arg2)
		c.prctlArgs(2)
	case prPacSetEnabledKeys:
		o.Set(prPacEnabledKeys, arg2)
		o.Set(prPacEnabledKeys, c.Arg(2))
		c.prctlArgs(3)
	case prSetSyscallUserDispatch:
		o.Set(prSudCmds, arg2)
		o.Hex(c.Arg(2))
		o.Hex(c.Arg(3))
		o.Addr(c.Arg(4))
	case prSchedCore:
		o.Set(prSchedCoreCmds, uint64(uint32(arg2)))
		c.PidArg(int64(int32(c.Arg(2))))
		o.Set(pidtypeVerbose, uint64(uint32(c.Arg(3))))
		if uint32(arg2) == prSchedCoreGet {
			c.Call.More = true
			return
		}
		o.Addr(c.Arg(4))
	default:
		c.prctlArgs(1)
	}
}

func prctlExit(c *Ctx) {
	o := c.Out
	option := uint32(c.Call.Args[0])
	addr := c.Arg(1)
	if option == prSchedCore {
		addr = c.Arg(4)
	}
	if c.Failed() {
		o.Addr(addr)
		return
	}
	var b [8]byte
	switch option {
	case prGetChildSubreaper, prGetEndian, prGetFpemu, prGetFpexc:
		if c.fetch(addr, b[:4]) {
			o.Ref()
			o.Uint(uint64(binary.LittleEndian.Uint32(b[:])))
			o.End()
		}
	case prGetName:
		c.boundedString(addr, taskCommLen)
	case prGetPdeathsig:
		if c.fetch(addr, b[:4]) {
			o.Ref()
			o.Set(SignalFormatter, uint64(binary.LittleEndian.Uint32(b[:])))
			o.End()
		}
	case prGetTidAddress:
		if v, ok := c.readWord(addr); ok {
			o.Ref()
			o.Addr(v)
			o.End()
		} else {
			o.Addr(addr)
		}
	case prGetTsc:
		if c.fetch(addr, b[:4]) {
			o.Ref()
			o.Set(xlat.PrTsc, uint64(binary.LittleEndian.Uint32(b[:])))
			o.End()
		}
	case prGetUnalign:
		if c.fetch(addr, b[:4]) {
			o.Ref()
			o.Set(xlat.PrUnalignFlags, uint64(binary.LittleEndian.Uint32(b[:])))
			o.End()
		}
	case prSchedCore:
		if c.fetch(addr, b[:8]) {
			o.Ref()
			o.Hex(binary.LittleEndian.Uint64(b[:]))
			o.End()
		}
	}
}

// prctlResult says how the options whose result means something print it:
// "= 1 (SUID_DUMP_USER)", "= 0x10 (SECBIT_KEEP_CAPS)".
func prctlResult(c *Ctx) {
	if c.Failed() {
		return
	}
	rv := uint64(c.Ret())
	note := func(f Formatter, hex bool) {
		c.Call.Note, c.Call.NoteVal = f, rv
		if hex {
			c.Call.Ret = RetHex
		}
	}
	switch uint32(c.Call.Args[0]) {
	case prGetDumpable:
		note(setNote{xlat.PrDumpable}, false)
	case prMceKillGet:
		note(setNote{xlat.PrMceKillPolicy}, false)
	case prGetSecurebits:
		if rv != 0 {
			note(xlat.Secbits, true)
		}
	case prGetFpMode:
		if rv != 0 {
			note(xlat.PrFpMode, true)
		}
	case prPacGetEnabledKeys:
		note(prPacEnabledKeys, true)
	case prSveSetVL, prSveGetVL:
		if rv != 0 {
			c.Call.Ret = RetHex
			if rv&^0xffff != 0 {
				note(prSveVal, true)
			}
		}
	case prSmeSetVL, prSmeGetVL:
		if rv != 0 {
			c.Call.Ret = RetHex
			if rv&^0xffff != 0 {
				note(prSmeVal, true)
			}
		}
	case prGetTaggedAddrCtrl:
		note(prTaggedAddr, true)
	case prGetSpeculationCtrl:
		if c.Arg(1) <= prSpecL1DFlush {
			note(xlat.PrSpecGetFlags, true)
		}
	}
}

// boundedString appends the NUL-terminated string at addr read up to n
// bytes, as strace's printstr_ex(addr, n, QUOTE_0_TERMINATED): cut at n
// (or at -s) with "..." when no NUL came first; NULL, or the address when
// unreadable.
func (c *Ctx) boundedString(addr uint64, n int) {
	o := c.Out
	if addr == 0 {
		o.Addr(0)
		return
	}
	off := len(o.Arena)
	s, term, err := c.Mem.ReadString(o.Arena, addr, n)
	if err != nil && !term {
		// A string that ends where readable memory does is still
		// printed when a NUL came within n bytes; otherwise the address.
		o.Arena = o.Arena[:off]
		o.Addr(addr)
		return
	}
	got := len(s) - off
	trunc := !term
	if limit := c.Opt.StrLimit; got > limit {
		got, trunc = limit, true
	}
	o.Arena = s[:off+got]
	o.push(Node{Kind: KStr, Off: uint32(off), Len: uint32(got), Trunc: trunc})
}

// seccompFprog appends a struct sock_fprog as strace's decode_seccomp_fprog
// abbreviates it: {len=1, filter=0x7ffd...}; NULL, or the address when
// unreadable.
func (c *Ctx) seccompFprog(addr uint64) {
	o := c.Out
	if addr == 0 {
		o.Addr(0)
		return
	}
	ws := c.Call.Arch.WordSize
	var b [16]byte
	if !c.fetch(addr, b[:2*ws]) {
		return
	}
	n := uint64(binary.LittleEndian.Uint16(b[:]))
	var filter uint64
	if ws == 4 {
		filter = uint64(binary.LittleEndian.Uint32(b[4:]))
	} else {
		filter = binary.LittleEndian.Uint64(b[8:])
	}
	o.Struct()
	o.Field("len")
	o.Uint(n)
	o.Field("filter")
	c.bpfFilter(filter, n)
	o.End()
}

// verbatim is a formatter whose text is the same in every -X style (it
// already shows the number).
type verbatim func(dst []byte, v uint64) []byte

func (f verbatim) Append(dst []byte, v uint64) []byte { return f(dst, v) }

// AppendRaw prints the same text: -X raw and verbose add nothing.
func (f verbatim) AppendRaw(dst []byte, v uint64) []byte { return f(dst, v) }
