package decode

import "strconv"

// Kind is the type of one node of a decoded value.
type Kind uint8

// The node kinds. Scalars stand alone; KStruct, KArray, KRef, KInOut and
// KCall open a composite whose children follow until the matching KEnd.
const (
	KInt     Kind = iota // signed decimal; Num holds the int64 bits
	KUint                // unsigned decimal
	KHex                 // hexadecimal: 0x2a, and 0 as "0"
	KOct                 // octal with a leading 0: 022, and 0 as "0"
	KAddr                // a tracee address: NULL for 0, else 0x7ffd...
	KStr                 // a string of bytes (Off/Len in the arena); Trunc: more followed
	KSet                 // Num printed by Fmt (a flag set or an enum)
	KSym                 // a symbol: Name (AT_FDCWD, RLIM64_INFINITY...); Num is the raw value
	KUnread              // memory that could not be read: "???"
	KMore                // an abbreviated tail: "..."
	KCount               // a count comment: "/* Num Name */", e.g. /* 12 vars */
	KStruct              // {field=value, ...}
	KArray               // [a, b]
	KRef                 // [value]: a value passed by reference
	KInOut               // [before => after]
	KCall                // Name(args): makedev(0x1, 0x3), htons(80)
	KEnd                 // closes the innermost composite
	KField               // the name of the next struct field: Name
	KText                // literal text in the arena, printed as is (rare: decoder notes)
	KChanged             // the value before it changed during the call to the value after it: " => "
	KFD                  // a file descriptor: Num (int64 bits); Off/Len: what -y shows about it, if looked up
	KPid                 // a process id: Num (int64 bits); Off/Len: its comm for -Y, if looked up
)

// RawFormatter is implemented by formatters whose raw form (-X raw) is not
// hexadecimal: signals print in decimal, modes in octal.
type RawFormatter interface {
	AppendRaw(dst []byte, v uint64) []byte
}

// VerboseFormatter is implemented by formatters whose -X verbose form is
// not "RAW /* NAME */" for the whole value: a signal set names each
// element, ~[32 /* RTMIN */ 33 /* RT_1 */].
type VerboseFormatter interface {
	AppendVerbose(dst []byte, v uint64) []byte
}

// Formatter prints a numeric value symbolically. *xlat.Set implements it.
type Formatter interface {
	Append(dst []byte, v uint64) []byte
}

// Node is one element of a decoded value, in pre-order. Decoders produce
// nodes through Out's methods; renderers (text, JSON) walk them. A node never
// points into tracee memory: string bytes live in Out's arena.
type Node struct {
	Kind  Kind
	Trunc bool // KStr: the string was cut at the -s limit; KArray: elements were left out
	Num   uint64
	Name  string    // KSym, KField, KCall, KCount
	Fmt   Formatter // KSet
	Off   uint32    // KStr, KText: arena offset
	Len   uint32    // KStr, KText: arena length
}

// Out collects the decoded arguments of one syscall stop (or one signal's
// siginfo): a flat pre-order list of nodes plus the arena their strings
// point into. Top counts the top-level values (arguments) appended.
type Out struct {
	Nodes []Node
	Arena []byte
	Top   int
	depth int
}

// Reset empties o for reuse, keeping its storage.
func (o *Out) Reset() {
	o.Nodes = o.Nodes[:0]
	o.Arena = o.Arena[:0]
	o.Top = 0
	o.depth = 0
}

func (o *Out) push(n Node) {
	if o.depth == 0 && n.Kind != KEnd && n.Kind != KField && n.Kind != KCount && n.Kind != KChanged {
		o.Top++
	}
	o.Nodes = append(o.Nodes, n)
}

// Int appends a signed decimal.
func (o *Out) Int(v int64) { o.push(Node{Kind: KInt, Num: uint64(v)}) }

// Uint appends an unsigned decimal.
func (o *Out) Uint(v uint64) { o.push(Node{Kind: KUint, Num: v}) }

// Hex appends v in hex.
func (o *Out) Hex(v uint64) { o.push(Node{Kind: KHex, Num: v}) }

// Oct appends v in octal.
func (o *Out) Oct(v uint64) { o.push(Node{Kind: KOct, Num: v}) }

// Addr appends a tracee address (NULL when 0).
func (o *Out) Addr(v uint64) { o.push(Node{Kind: KAddr, Num: v}) }

// Set appends v printed through f.
func (o *Out) Set(f Formatter, v uint64) { o.push(Node{Kind: KSet, Num: v, Fmt: f}) }

// Sym appends a symbol standing for raw value v.
func (o *Out) Sym(name string, v uint64) { o.push(Node{Kind: KSym, Name: name, Num: v}) }

// Unread appends "???": data that could not be read.
func (o *Out) Unread() { o.push(Node{Kind: KUnread}) }

// More appends "...": the rest was left out.
func (o *Out) More() { o.push(Node{Kind: KMore}) }

// Count appends a comment /* n what */ to the value before it.
func (o *Out) Count(n uint64, what string) { o.push(Node{Kind: KCount, Num: n, Name: what}) }

// Bytes appends a string holding a copy of b; trunc says more followed.
func (o *Out) Bytes(b []byte, trunc bool) {
	off := len(o.Arena)
	o.Arena = append(o.Arena, b...)
	o.push(Node{Kind: KStr, Off: uint32(off), Len: uint32(len(b)), Trunc: trunc})
}

// Text appends literal text.
func (o *Out) Text(s string) {
	off := len(o.Arena)
	o.Arena = append(o.Arena, s...)
	o.push(Node{Kind: KText, Off: uint32(off), Len: uint32(len(s))})
}

// TextBytes appends literal text.
func (o *Out) TextBytes(b []byte) {
	off := len(o.Arena)
	o.Arena = append(o.Arena, b...)
	o.push(Node{Kind: KText, Off: uint32(off), Len: uint32(len(b))})
}

// Changed says the value before this node changed during the call to the
// value appended next: clone3({...} => {parent_tid=[123]}, 88).
func (o *Out) Changed() { o.push(Node{Kind: KChanged}) }

// Field names the next value of the struct being built.
func (o *Out) Field(name string) { o.push(Node{Kind: KField, Name: name}) }

// Struct opens a struct; close it with End.
func (o *Out) Struct() { o.open(Node{Kind: KStruct}) }

// Array opens an array; close it with End.
func (o *Out) Array() { o.open(Node{Kind: KArray}) }

// Ref opens a by-reference value [v]; close it with End.
func (o *Out) Ref() { o.open(Node{Kind: KRef}) }

// InOut opens a [before => after] pair; close it with End.
func (o *Out) InOut() { o.open(Node{Kind: KInOut}) }

// Call opens name(args); close it with End.
func (o *Out) Call(name string) { o.open(Node{Kind: KCall, Name: name}) }

func (o *Out) open(n Node) {
	o.push(n)
	o.depth++
}

// End closes the innermost composite.
func (o *Out) End() {
	o.depth--
	o.Nodes = append(o.Nodes, Node{Kind: KEnd})
}

// FD appends a descriptor with what -y shows about it (nil: nothing).
func (o *Out) FD(fd int64, about []byte) { o.decorated(KFD, fd, about) }

// Pid appends a process id with its comm for -Y (nil: nothing).
func (o *Out) Pid(pid int64, comm []byte) { o.decorated(KPid, pid, comm) }

func (o *Out) decorated(k Kind, v int64, about []byte) {
	off := len(o.Arena)
	o.Arena = append(o.Arena, about...)
	o.push(Node{Kind: k, Num: uint64(v), Off: uint32(off), Len: uint32(len(about))})
}

// Str returns the bytes of a KStr, KText, KFD or KPid node.
func (o *Out) Str(n *Node) []byte { return o.Arena[n.Off : n.Off+n.Len] }

// Skip returns the index just past the value starting at node i (a scalar,
// or a composite with its children and KEnd). A KField or KCount is skipped
// together with nothing else.
func (o *Out) Skip(i int) int {
	switch o.Nodes[i].Kind {
	case KStruct, KArray, KRef, KInOut, KCall:
		depth := 0
		for ; i < len(o.Nodes); i++ {
			switch o.Nodes[i].Kind {
			case KStruct, KArray, KRef, KInOut, KCall:
				depth++
			case KEnd:
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return i
	}
	return i + 1
}

// AppendOctal appends v as C's %#03o, as strace prints modes and umask:
// 000, 007, 022, 0755.
func AppendOctal(dst []byte, v uint64) []byte {
	var tmp [24]byte
	s := strconv.AppendUint(append(tmp[:0], '0'), v, 8)
	if v == 0 {
		s = s[:1] // "0": C's # adds no second zero to 0
	}
	for i := len(s); i < 3; i++ {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}

// AppendNum appends a numeric node's value as text (helper for renderers).
func AppendNum(dst []byte, n *Node) []byte {
	switch n.Kind {
	case KInt:
		return strconv.AppendInt(dst, int64(n.Num), 10)
	case KUint:
		return strconv.AppendUint(dst, n.Num, 10)
	case KHex:
		if n.Num == 0 {
			return append(dst, '0')
		}
		return strconv.AppendUint(append(dst, "0x"...), n.Num, 16)
	case KOct:
		return AppendOctal(dst, n.Num)
	case KAddr:
		if n.Num == 0 {
			return append(dst, "NULL"...)
		}
		return strconv.AppendUint(append(dst, "0x"...), n.Num, 16)
	}
	return dst
}
