package stack

import (
	"debug/elf"
	"encoding/binary"
	"sort"
)

// goFrames is the part of a Go binary's runtime function table
// (.gopclntab, Go 1.18 and later) that unwinds: each function's entry and
// its pc → stack-pointer-delta table. Go emits no .eh_frame, and on 386 no
// frame pointers, but its own runtime unwinds every frame with this table,
// which -ldflags=-s leaves in place.
type goFrames struct {
	data    []byte
	ptr     int
	minLC   uint64
	text    uint64 // textStart: function entries are offsets from it
	pctab   uint64
	functab []byte // pairs of uint32 (entry offset, _func offset), nfunc+1 of them
	pcln    uint64
	nfunc   int
}

// readGoFrames parses the header of ef's .gopclntab, or returns nil.
func readGoFrames(ef *elf.File) *goFrames {
	sec := ef.Section(".gopclntab")
	if sec == nil {
		return nil
	}
	data, err := sec.Data()
	if err != nil || len(data) < 8 {
		return nil
	}
	le := binary.LittleEndian
	switch le.Uint32(data) {
	case 0xfffffff0, 0xfffffff1: // Go 1.18, Go 1.20 and later
	default:
		return nil
	}
	g := &goFrames{data: data, ptr: int(data[7]), minLC: uint64(data[6])}
	if g.ptr != 4 && g.ptr != 8 || g.minLC == 0 {
		return nil
	}
	word := func(i int) uint64 {
		off := 8 + i*g.ptr
		if off+g.ptr > len(data) {
			return 0
		}
		if g.ptr == 4 {
			return uint64(le.Uint32(data[off:]))
		}
		return le.Uint64(data[off:])
	}
	// nfunc, nfiles, textStart, funcnameOffset, cuOffset, filetabOffset,
	// pctabOffset, pclnOffset.
	g.nfunc, g.text, g.pctab, g.pcln = int(word(0)), word(2), word(6), word(7)
	end := g.pcln + uint64(g.nfunc+1)*8
	if g.nfunc <= 0 || g.pcln >= uint64(len(data)) || end > uint64(len(data)) {
		return nil
	}
	g.functab = data[g.pcln:end]
	if g.text == 0 { // left for the loader to relocate: .text's address
		text := ef.Section(".text")
		if text == nil {
			return nil
		}
		g.text = text.Addr
	}
	return g
}

// spDelta returns the stack pointer's distance from its value at the
// function's entry, at pc (an ELF virtual address), and whether pc is in a
// function the table knows.
func (g *goFrames) spDelta(pc uint64) (int64, bool) {
	if pc < g.text {
		return 0, false
	}
	off := pc - g.text
	le := binary.LittleEndian
	entry := func(i int) uint64 { return uint64(le.Uint32(g.functab[i*8:])) }
	// The last function whose entry is at or before pc; entry nfunc is
	// the end of text.
	i := sort.Search(g.nfunc+1, func(i int) bool { return entry(i) > off }) - 1
	if i < 0 || i >= g.nfunc {
		return 0, false
	}
	fn := g.pcln + uint64(le.Uint32(g.functab[i*8+4:]))
	if fn+20 > uint64(len(g.data)) {
		return 0, false
	}
	pcsp := uint64(le.Uint32(g.data[fn+16:]))
	if pcsp == 0 {
		return 0, false
	}
	return g.value(g.pctab+pcsp, entry(i), off)
}

// value runs a pc-value table from p, for a function entering at entry,
// to the value at target (offsets from textStart), as the runtime's step.
func (g *goFrames) value(p, entry, target uint64) (int64, bool) {
	val, pc := int64(-1), entry
	for first := true; ; first = false {
		if p >= uint64(len(g.data)) {
			return 0, false
		}
		uv, n := binary.Uvarint(g.data[p:])
		if n <= 0 || uv == 0 && !first {
			return 0, false
		}
		p += uint64(n)
		if uv&1 != 0 {
			val += int64(^(uv >> 1))
		} else {
			val += int64(uv >> 1)
		}
		if p >= uint64(len(g.data)) {
			return 0, false
		}
		pcd, n := binary.Uvarint(g.data[p:])
		if n <= 0 {
			return 0, false
		}
		p += uint64(n)
		pc += pcd * g.minLC
		if target < pc {
			return val, true
		}
	}
}
