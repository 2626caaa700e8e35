package xlat

import "strconv"

// Pair is one named constant of a set.
type Pair struct {
	Val  uint64
	Name string
}

// Style says how a set prints a value.
type Style uint8

const (
	// Flags: a bit set printed as A|B|0x40, strace's printflags.
	Flags Style = iota
	// Enum: one value printed by name, strace's printxval.
	Enum
)

// Set is a named list of constants in the order strace prints them (the
// order of the kernel header, as strace's src/xlat/*.in keeps it).
type Set struct {
	Name    string // strace's xlat name, e.g. "open_flags"
	Style   Style
	Pairs   []Pair
	Unknown string // enum comment for unknown values, e.g. "PR_???"; "" for none
}

// Lookup returns the name of value v when v is exactly one constant of the set.
func (s *Set) Lookup(v uint64) (string, bool) {
	for _, p := range s.Pairs {
		if p.Val == v {
			return p.Name, true
		}
	}
	return "", false
}

// AppendFlags appends v as strace's printflags prints it: the names of the
// set's nonzero constants whose bits are all in v, in set order, joined by
// '|', then any remaining bits in hex. Zero prints as the name of the set's
// first constant when that constant is zero (strace looks no further), else
// "0". A nonzero value no constant names prints as hex followed by the set's
// unknown comment, 0x8 /* MS_??? */; leftover bits after at least one name
// get no comment: MS_SYNC|0x8.
func (s *Set) AppendFlags(dst []byte, v uint64) []byte {
	return s.appendFlags(dst, v, s.Unknown)
}

// appendFlags is AppendFlags with the comment for an all-unknown value given
// by the caller ("" for none), for the strace printers that pass no default.
func (s *Set) appendFlags(dst []byte, v uint64, unknown string) []byte {
	if v == 0 {
		if len(s.Pairs) > 0 && s.Pairs[0].Val == 0 {
			return append(dst, s.Pairs[0].Name...)
		}
		return append(dst, '0')
	}
	first := true
	for _, p := range s.Pairs {
		if p.Val != 0 && v&p.Val == p.Val {
			if !first {
				dst = append(dst, '|')
			}
			dst = append(dst, p.Name...)
			first = false
			v &^= p.Val
			if v == 0 {
				break
			}
		}
	}
	if v != 0 {
		if !first {
			dst = append(dst, '|')
		}
		dst = appendHex(dst, v)
		if first {
			dst = appendUnknown(dst, unknown)
		}
	}
	return dst
}

// AppendEnum appends the name of v, or v as strace's %#x prints it (0x2a;
// zero as 0) followed by the set's unknown comment, 0x2a /* PR_??? */, when
// v is not in the set.
func (s *Set) AppendEnum(dst []byte, v uint64) []byte {
	if n, ok := s.Lookup(v); ok {
		return append(dst, n...)
	}
	return appendUnknown(appendHex(dst, v), s.Unknown)
}

// appendHex appends v as C's "%#x" does: 0x-prefixed lowercase hex, but a
// bare 0 for zero.
func appendHex(dst []byte, v uint64) []byte {
	if v == 0 {
		return append(dst, '0')
	}
	dst = append(dst, "0x"...)
	return strconv.AppendUint(dst, v, 16)
}

// appendUnknown appends strace's " /* XXX_??? */" comment; nothing for "".
func appendUnknown(dst []byte, comment string) []byte {
	if comment == "" {
		return dst
	}
	dst = append(dst, " /* "...)
	dst = append(dst, comment...)
	return append(dst, " */"...)
}

// Append appends v in the set's style.
func (s *Set) Append(dst []byte, v uint64) []byte {
	if s.Style == Enum {
		return s.AppendEnum(dst, v)
	}
	return s.AppendFlags(dst, v)
}

// Names returns the names AppendFlags would print and the bits no name
// covers, for structured output.
func (s *Set) Names(v uint64) (names []string, rest uint64) {
	if s.Style == Enum {
		if n, ok := s.Lookup(v); ok {
			return []string{n}, 0
		}
		return nil, v
	}
	if v == 0 {
		if len(s.Pairs) > 0 && s.Pairs[0].Val == 0 {
			return []string{s.Pairs[0].Name}, 0
		}
		return nil, 0
	}
	for _, p := range s.Pairs {
		if p.Val != 0 && v&p.Val == p.Val {
			names = append(names, p.Name)
			v &^= p.Val
		}
	}
	return names, v
}
