package stack

import (
	"bufio"
	"debug/elf"
	"debug/gosym"
	"encoding/binary"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/go-delve/delve/pkg/dwarf/frame"

	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/sysent"
)

// Frame is one stack frame.
type Frame struct {
	Path   string `json:"path"`             // the mapped file
	Symbol string `json:"symbol,omitempty"` // "" when the file has no symbol before it
	Offset uint64 `json:"offset"`           // from Symbol
	Rel    uint64 `json:"rel"`              // the address's offset in the file, as strace prints it
}

// AppendTo appends the frame as strace -k prints it, without the leading
// " > ": /usr/lib/x86_64-linux-gnu/libc.so.6(__open64+0x7a) [0xf6d1a].
func (f Frame) AppendTo(b []byte) []byte {
	b = append(b, f.Path...)
	b = append(b, '(')
	if f.Symbol != "" {
		b = append(b, f.Symbol...)
		b = append(b, "+0x"...)
		b = strconv.AppendUint(b, f.Offset, 16)
	}
	b = append(b, ") [0x"...)
	b = strconv.AppendUint(b, f.Rel, 16)
	return append(b, ']')
}

// String is AppendTo's text.
func (f Frame) String() string { return string(f.AppendTo(nil)) }

// Mem reads the tracee's memory.
type Mem interface {
	ReadAt(p []byte, addr uint64) (int, error)
}

// Unwinder unwinds stacks, caching mappings and files.
type Unwinder struct {
	maps  map[int][]mapping
	files map[string]*file
}

// NewUnwinder returns an empty Unwinder.
func NewUnwinder() *Unwinder {
	return &Unwinder{maps: map[int][]mapping{}, files: map[string]*file{}}
}

// Forget drops what is cached of pid's mappings (after an execve).
func (u *Unwinder) Forget(pid int) { delete(u.maps, pid) }

type mapping struct {
	start, end, offset uint64
	path               string
}

type file struct {
	ok    bool
	syms  []elf.Symbol                  // functions, by value
	gosym *gosym.Table                  // a Go binary's pclntab, used when syms is empty
	fdes  frame.FrameDescriptionEntries // .eh_frame
	dfdes frame.FrameDescriptionEntries // .debug_frame
	gof   *goFrames                     // a Go binary's own unwind table
	loads []elf.ProgHeader
	isDyn bool
}

// maxFrames bounds a stack.
const maxFrames = 256

// regs maps a DWARF register number to its NT_PRSTATUS word index, per ABI.
var dwarfRegs = map[uint32][]int{
	sysent.AuditArchX86_64: {10, 12, 11, 5, 13, 14, 4, 19, 9, 8, 7, 6, 3, 2, 1, 0, 16},
	sysent.AuditArchI386:   {6, 1, 2, 0, 15, 5, 3, 4, 12},
}

// maxDwarfRegs bounds the DWARF registers tracked (x86_64's 17).
const maxDwarfRegs = 17

// Unwind appends to dst the frames of a stopped thread of process pid whose
// NT_PRSTATUS registers are prstatus, and returns the extended slice.
func (u *Unwinder) Unwind(dst []Frame, pid int, a *arch.Arch, prstatus []byte, mem Mem) []Frame {
	idx := dwarfRegs[a.AuditArch]
	if idx == nil {
		return dst
	}
	ws := a.WordSize
	word := func(b []byte) uint64 {
		if ws == 4 {
			return uint64(binary.LittleEndian.Uint32(b))
		}
		return binary.LittleEndian.Uint64(b)
	}
	nregs := len(idx)
	var regs [maxDwarfRegs]uint64
	var known [maxDwarfRegs]bool
	for d, i := range idx {
		if (i+1)*ws <= len(prstatus) {
			regs[d], known[d] = word(prstatus[i*ws:]), true
		}
	}
	raReg, spReg, fpReg := nregs-1, 7, 6
	if ws == 4 {
		spReg, fpReg = 4, 5
	}
	readWord := func(addr uint64) (uint64, bool) {
		var b [8]byte
		if n, err := mem.ReadAt(b[:ws], addr); err != nil || n != ws {
			return 0, false
		}
		return word(b[:]), true
	}
	out := dst
	pc := regs[raReg]
	for depth := 0; depth < maxFrames && pc != 0; depth++ {
		m, ok := u.mappingOf(pid, pc)
		if !ok {
			break
		}
		f := u.fileOf(m.path)
		rel := pc - m.start + m.offset
		if f.ok && f.isDyn {
			rel = f.vaddr(m, pc)
		} else if f.ok {
			rel = pc
		}
		// strace prints the offset in the file; symbols and CFI are by vaddr.
		fr := Frame{Path: m.path, Rel: pc - m.start + m.offset}
		fr.Symbol, fr.Offset = f.symbolize(rel)
		out = append(out, fr)
		// The caller's frame: CFI for the call site (pc-1 after the first
		// frame), else a Go function's stack-pointer delta, else the frame
		// pointer.
		look := rel
		if depth > 0 {
			look--
		}
		var cfa uint64
		next, nextKnown := regs, known
		// cfi applies the rules of an FDE for look; outermost when the
		// return address is undefined there.
		cfi := func(fdes frame.FrameDescriptionEntries) (ok, outermost bool) {
			fde, err := fdes.FDEForPC(look)
			if !f.ok || err != nil {
				return false, false
			}
			fc, err := fde.EstablishFrame(look)
			if err != nil || fc.CFA.Rule != frame.RuleCFA || int(fc.CFA.Reg) >= nregs || !known[fc.CFA.Reg] {
				return false, true
			}
			cfa = uint64(int64(regs[fc.CFA.Reg]) + fc.CFA.Offset)
			ra, hasRA := fc.Regs[fc.RetAddrReg]
			if !hasRA || ra.Rule == frame.RuleUndefined {
				return false, true
			}
			for r, rule := range fc.Regs {
				if int(r) >= nregs {
					continue
				}
				switch rule.Rule {
				case frame.RuleOffset:
					v, ok := readWord(uint64(int64(cfa) + rule.Offset))
					next[r], nextKnown[r] = v, ok
				case frame.RuleValOffset:
					next[r], nextKnown[r] = uint64(int64(cfa)+rule.Offset), true
				case frame.RuleRegister:
					if int(rule.Reg) < nregs {
						next[r], nextKnown[r] = regs[rule.Reg], known[rule.Reg]
					}
				case frame.RuleUndefined:
					nextKnown[r] = false
				}
			}
			if fc.RetAddrReg != uint64(raReg) && int(fc.RetAddrReg) < nregs {
				next[raReg], nextKnown[raReg] = next[fc.RetAddrReg], nextKnown[fc.RetAddrReg]
			}
			return true, false
		}
		// goStep unwinds a Go function by its stack-pointer delta: the
		// return address sits just above the frame, the caller's stack
		// pointer just above that.
		goStep := func() bool {
			sp, ok := f.goSPDelta(look)
			if !ok || !known[spReg] {
				return false
			}
			ra, ok := readWord(regs[spReg] + uint64(sp))
			if !ok {
				return false
			}
			cfa = regs[spReg] + uint64(sp) + uint64(ws)
			next[raReg], nextKnown[raReg] = ra, true
			// The caller's frame pointer, when this frame keeps the chain
			// (amd64 saves it just below the return address).
			if known[fpReg] && regs[fpReg] == cfa-2*uint64(ws) {
				next[fpReg], nextKnown[fpReg] = readWord(regs[fpReg])
			} else {
				nextKnown[fpReg] = false
			}
			return true
		}
		fpStep := func() bool {
			if !known[fpReg] || regs[fpReg] == 0 {
				return false
			}
			fp := regs[fpReg]
			ra, ok1 := readWord(fp + uint64(ws))
			saved, ok2 := readWord(fp)
			if !ok1 || !ok2 {
				return false
			}
			cfa = fp + 2*uint64(ws)
			next[raReg], nextKnown[raReg] = ra, true
			next[fpReg], nextKnown[fpReg] = saved, true
			return true
		}
		// The order is x86_64 libunwind's (.eh_frame, then the frame
		// pointer), with what it lacks after: .debug_frame and Go's table.
		// For i386, where strace shows no frames, the most exact first.
		done, outermost := cfi(f.fdes)
		if outermost {
			break
		}
		steps := []func() bool{fpStep, func() bool { ok, _ := cfi(f.dfdes); return ok }, goStep}
		if ws == 4 {
			steps = []func() bool{func() bool { ok, _ := cfi(f.dfdes); return ok }, goStep, fpStep}
		}
		for _, step := range steps {
			if done {
				break
			}
			next, nextKnown = regs, known
			done = step()
		}
		if !done {
			break
		}
		if !nextKnown[raReg] || cfa <= regs[spReg] && depth > 0 {
			break
		}
		next[spReg], nextKnown[spReg] = cfa, true
		regs, known = next, nextKnown
		pc = regs[raReg]
	}
	return out
}

// mappingOf finds the executable mapping holding pc, reading the maps when
// it is not cached.
func (u *Unwinder) mappingOf(pid int, pc uint64) (mapping, bool) {
	for _, fresh := range []bool{false, true} {
		if fresh || u.maps[pid] == nil {
			u.maps[pid] = readMaps(pid)
		}
		ms := u.maps[pid]
		i := sort.Search(len(ms), func(i int) bool { return ms[i].end > pc })
		if i < len(ms) && ms[i].start <= pc && ms[i].path != "" {
			return ms[i], true
		}
	}
	return mapping{}, false
}

func readMaps(pid int) []mapping {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/maps")
	if err != nil {
		return []mapping{}
	}
	defer f.Close()
	var out []mapping
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fl := strings.Fields(sc.Text())
		if len(fl) < 6 || !strings.HasPrefix(fl[5], "/") {
			continue
		}
		lo, hi, _ := strings.Cut(fl[0], "-")
		start, _ := strconv.ParseUint(lo, 16, 64)
		end, _ := strconv.ParseUint(hi, 16, 64)
		off, _ := strconv.ParseUint(fl[2], 16, 64)
		out = append(out, mapping{start, end, off, strings.Join(fl[5:], " ")})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// fileOf loads (once) the symbols and CFI of an ELF file.
func (u *Unwinder) fileOf(path string) *file {
	if f := u.files[path]; f != nil {
		return f
	}
	f := &file{}
	u.files[path] = f
	ef, err := elf.Open(path)
	if err != nil {
		return f
	}
	defer ef.Close()
	f.ok, f.isDyn = true, ef.Type == elf.ET_DYN
	for _, p := range ef.Progs {
		if p.Type == elf.PT_LOAD {
			f.loads = append(f.loads, p.ProgHeader)
		}
	}
	// libunwind's choice: every function symbol of the symbol sections in
	// section order (.dynsym comes before .symtab), the nearest at or
	// before the address, the first met among equals.
	dyn, _ := ef.DynamicSymbols()
	tab, _ := ef.Symbols()
	first, second := dyn, tab
	if d, t := ef.Section(".dynsym"), ef.Section(".symtab"); d != nil && t != nil && t.Offset < d.Offset {
		first, second = tab, dyn
	}
	for _, list := range [][]elf.Symbol{first, second} {
		for _, s := range list {
			if elf.ST_TYPE(s.Info) == elf.STT_FUNC && s.Value != 0 && s.Section != elf.SHN_UNDEF {
				f.syms = append(f.syms, s)
			}
		}
	}
	sort.SliceStable(f.syms, func(i, j int) bool { return f.syms[i].Value < f.syms[j].Value })
	if ef.Section(".symtab") == nil {
		f.gosym = goTable(ef) // stripped: the Go runtime's table knows better than .dynsym
	}
	// CFI: .eh_frame, and .debug_frame (Go and some C builds have only
	// the latter).
	ptr := 8
	if ef.Class == elf.ELFCLASS32 {
		ptr = 4
	}
	for _, name := range []string{".eh_frame", ".debug_frame"} {
		sec := ef.Section(name)
		if sec == nil {
			continue
		}
		data, err := sec.Data()
		if err != nil {
			continue
		}
		ehAddr := sec.Addr
		if name == ".debug_frame" {
			ehAddr = 0
		}
		fdes, _ := frame.Parse(data, binary.LittleEndian, 0, ptr, ehAddr)
		// FDEForPC searches by address; neither section is in order.
		sort.Slice(fdes, func(i, j int) bool { return fdes[i].Begin() < fdes[j].Begin() })
		if name == ".eh_frame" {
			f.fdes = fdes
		} else {
			f.dfdes = fdes
		}
	}
	f.gof = readGoFrames(ef)
	return f
}

// vaddr turns an address in mapping m into the file's virtual address.
func (f *file) vaddr(m mapping, pc uint64) uint64 {
	fileOff := pc - m.start + m.offset
	for _, p := range f.loads {
		if fileOff >= p.Off && fileOff < p.Off+p.Filesz {
			return fileOff - p.Off + p.Vaddr
		}
	}
	return fileOff
}

// goSPDelta is the Go table's stack-pointer delta at rel, if f has one.
func (f *file) goSPDelta(rel uint64) (int64, bool) {
	if !f.ok || f.gof == nil {
		return 0, false
	}
	return f.gof.spDelta(rel)
}

// symbolize names the function holding rel and rel's offset in it: in a Go
// binary stripped of .symtab from the Go runtime's own function table,
// otherwise from the ELF symbols as libunwind chooses. "" when none knows.
func (f *file) symbolize(rel uint64) (string, uint64) {
	if f.gosym != nil {
		if fn := f.gosym.PCToFunc(rel); fn != nil {
			return fn.Name, rel - fn.Entry
		}
	}
	if s := f.symbolAt(rel); s != nil {
		return s.Name, rel - s.Value
	}
	return "", 0
}

// goTable reads the function table a Go binary keeps for its runtime
// (.gopclntab, which -ldflags=-s leaves in place), or nil.
func goTable(ef *elf.File) *gosym.Table {
	pcln := ef.Section(".gopclntab")
	text := ef.Section(".text")
	if pcln == nil || text == nil {
		return nil
	}
	data, err := pcln.Data()
	if err != nil {
		return nil
	}
	t, err := gosym.NewTable(nil, gosym.NewLineTable(data, text.Addr))
	if err != nil {
		return nil
	}
	return t
}

// symbolAt returns the function symbol with the largest value at or before
// rel.
func (f *file) symbolAt(rel uint64) *elf.Symbol {
	i := sort.Search(len(f.syms), func(i int) bool { return f.syms[i].Value > rel })
	if i == 0 {
		return nil
	}
	i--
	for i > 0 && f.syms[i-1].Value == f.syms[i].Value {
		i--
	}
	return &f.syms[i]
}
