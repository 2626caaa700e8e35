package decode

import (
	"encoding/binary"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// Classic BPF programs as seccomp filters (prctl PR_SET_SECCOMP, seccomp
// SECCOMP_SET_MODE_FILTER): strace prints the instructions with -v only,
// BPF_STMT(BPF_LD|BPF_W|BPF_ABS, 0x4), BPF_JUMP(BPF_JMP|BPF_K|BPF_JEQ,
// 0xc000003e, 0x1, 0), BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_ALLOW).

// bpfMaxInsns is BPF_MAXINSNS, the most instructions strace prints.
const bpfMaxInsns = 4096

var (
	bpfClass = &xlat.Set{Name: "bpf_class", Style: xlat.Enum, Unknown: "BPF_???", Pairs: []xlat.Pair{
		{Val: 0, Name: "BPF_LD"}, {Val: 1, Name: "BPF_LDX"}, {Val: 2, Name: "BPF_ST"}, {Val: 3, Name: "BPF_STX"},
		{Val: 4, Name: "BPF_ALU"}, {Val: 5, Name: "BPF_JMP"}, {Val: 6, Name: "BPF_RET"}, {Val: 7, Name: "BPF_MISC"},
	}}
	bpfSize = &xlat.Set{Name: "bpf_size", Style: xlat.Enum, Unknown: "BPF_???", Pairs: []xlat.Pair{
		{Val: 0x00, Name: "BPF_W"}, {Val: 0x08, Name: "BPF_H"}, {Val: 0x10, Name: "BPF_B"}, {Val: 0x18, Name: "BPF_DW"},
	}}
	bpfMode = &xlat.Set{Name: "bpf_mode", Style: xlat.Enum, Unknown: "BPF_???", Pairs: []xlat.Pair{
		{Val: 0x00, Name: "BPF_IMM"}, {Val: 0x20, Name: "BPF_ABS"}, {Val: 0x40, Name: "BPF_IND"}, {Val: 0x60, Name: "BPF_MEM"},
		{Val: 0x80, Name: "BPF_LEN"}, {Val: 0xa0, Name: "BPF_MSH"}, {Val: 0xc0, Name: "BPF_XADD"},
	}}
	bpfSrc = &xlat.Set{Name: "bpf_src", Style: xlat.Enum, Unknown: "BPF_???", Pairs: []xlat.Pair{
		{Val: 0x00, Name: "BPF_K"}, {Val: 0x08, Name: "BPF_X"},
	}}
	bpfOpALU = &xlat.Set{Name: "bpf_op_alu", Style: xlat.Enum, Unknown: "BPF_???", Pairs: []xlat.Pair{
		{Val: 0x00, Name: "BPF_ADD"}, {Val: 0x10, Name: "BPF_SUB"}, {Val: 0x20, Name: "BPF_MUL"}, {Val: 0x30, Name: "BPF_DIV"},
		{Val: 0x40, Name: "BPF_OR"}, {Val: 0x50, Name: "BPF_AND"}, {Val: 0x60, Name: "BPF_LSH"}, {Val: 0x70, Name: "BPF_RSH"},
		{Val: 0x80, Name: "BPF_NEG"}, {Val: 0x90, Name: "BPF_MOD"}, {Val: 0xa0, Name: "BPF_XOR"},
	}}
	bpfOpJmp = &xlat.Set{Name: "bpf_op_jmp", Style: xlat.Enum, Unknown: "BPF_???", Pairs: []xlat.Pair{
		{Val: 0x00, Name: "BPF_JA"}, {Val: 0x10, Name: "BPF_JEQ"}, {Val: 0x20, Name: "BPF_JGT"}, {Val: 0x30, Name: "BPF_JGE"},
		{Val: 0x40, Name: "BPF_JSET"},
	}}
	bpfRval = &xlat.Set{Name: "bpf_rval", Style: xlat.Enum, Unknown: "BPF_???", Pairs: []xlat.Pair{
		{Val: 0x00, Name: "BPF_K"}, {Val: 0x08, Name: "BPF_X"}, {Val: 0x10, Name: "BPF_A"},
	}}
	bpfMiscop = &xlat.Set{Name: "bpf_miscop", Style: xlat.Enum, Unknown: "BPF_???", Pairs: []xlat.Pair{
		{Val: 0x00, Name: "BPF_TAX"}, {Val: 0x80, Name: "BPF_TXA"},
	}}
	seccompRetAction = &xlat.Set{Name: "seccomp_ret_action", Style: xlat.Enum, Unknown: "SECCOMP_RET_???", Pairs: []xlat.Pair{
		{Val: 0x80000000, Name: "SECCOMP_RET_KILL_PROCESS"}, {Val: 0, Name: "SECCOMP_RET_KILL_THREAD"},
		{Val: 0x00030000, Name: "SECCOMP_RET_TRAP"}, {Val: 0x00050000, Name: "SECCOMP_RET_ERRNO"},
		{Val: 0x7fc00000, Name: "SECCOMP_RET_USER_NOTIF"}, {Val: 0x7ff00000, Name: "SECCOMP_RET_TRACE"},
		{Val: 0x7ffc0000, Name: "SECCOMP_RET_LOG"}, {Val: 0x7fff0000, Name: "SECCOMP_RET_ALLOW"},
	}}
)

const (
	bpfClassST   = 2
	bpfClassSTX  = 3
	bpfClassALU  = 4
	bpfClassJMP  = 5
	bpfClassRET  = 6
	bpfClassMISC = 7
	// seccompRetActionFull is SECCOMP_RET_ACTION_FULL.
	seccompRetActionFull = 0xffff0000
)

// bpfCode prints a classic BPF instruction code as strace's
// print_bpf_filter_code: BPF_LD|BPF_W|BPF_ABS, BPF_RET|BPF_K,
// BPF_MISC|0xf8 /* BPF_??? */|0xff00 /* BPF_??? */.
var bpfCode = formatterFunc(func(dst []byte, v uint64) []byte {
	code := v & 0xffff
	class := code & 7
	rest := code &^ class
	unknownBits := func(dst []byte, bits uint64) []byte {
		if bits == 0 {
			return dst
		}
		dst = append(dst, '|')
		dst = appendHex0(dst, bits)
		return append(dst, " /* BPF_??? */"...)
	}
	dst = bpfClass.AppendEnum(dst, class)
	switch class {
	case bpfClassST, bpfClassSTX:
		dst = unknownBits(dst, rest)
	case bpfClassMISC:
		op := code & 0xf8
		dst = append(dst, '|')
		dst = bpfMiscop.AppendEnum(dst, op)
		dst = unknownBits(dst, rest&^op)
	case bpfClassALU, bpfClassJMP:
		ops := bpfOpALU
		if class == bpfClassJMP {
			ops = bpfOpJmp
		}
		dst = append(dst, '|')
		dst = bpfSrc.AppendEnum(dst, code&0x08)
		dst = append(dst, '|')
		dst = ops.AppendEnum(dst, code&0xf0)
	case bpfClassRET:
		rval := code & 0x18
		dst = append(dst, '|')
		dst = bpfRval.AppendEnum(dst, rval)
		dst = unknownBits(dst, rest&^rval)
	default: // BPF_LD, BPF_LDX
		dst = append(dst, '|')
		dst = bpfSize.AppendEnum(dst, code&0x18)
		dst = append(dst, '|')
		dst = bpfMode.AppendEnum(dst, code&0xe0)
	}
	return dst
})

// seccompRetK prints a BPF_RET instruction's k as a seccomp action:
// SECCOMP_RET_ERRNO|0x1.
var seccompRetK = formatterFunc(func(dst []byte, k uint64) []byte {
	action := k & seccompRetActionFull
	dst = seccompRetAction.AppendEnum(dst, action)
	if data := k &^ action; data != 0 {
		dst = append(dst, '|')
		dst = appendHex0(dst, data)
	}
	return dst
})

// bpfFilter appends the n instructions of a seccomp filter at addr: the
// address without -v (strace abbreviates them), the instructions with it;
// the address when the first cannot be read, "..." when a later one
// cannot.
func (c *Ctx) bpfFilter(addr, n uint64) {
	o := c.Out
	if !c.Opt.Verbose || addr == 0 {
		o.Addr(addr)
		return
	}
	var b [8]byte
	for i := uint64(0); i < n; i++ {
		if got, err := c.Mem.ReadAt(b[:], addr+8*i); err != nil || got != len(b) {
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
		if i >= bpfMaxInsns {
			o.More()
			break
		}
		code := uint64(binary.LittleEndian.Uint16(b[:]))
		jt, jf := uint64(b[2]), uint64(b[3])
		k := uint64(binary.LittleEndian.Uint32(b[4:]))
		if jt != 0 || jf != 0 {
			o.Call("BPF_JUMP")
			o.Set(bpfCode, code)
			o.Hex(k)
			o.Hex(jt)
			o.Hex(jf)
			o.End()
			continue
		}
		o.Call("BPF_STMT")
		o.Set(bpfCode, code)
		if code&7 == bpfClassRET {
			o.Set(seccompRetK, k)
		} else {
			o.Hex(k)
		}
		o.End()
	}
	if n == 0 {
		o.Array()
	}
	o.End()
}
