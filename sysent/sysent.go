package sysent

import (
	"strings"
	"sync"
)

// Class is a set of strace's syscall classes (the %file, %network... names
// accepted by -e trace=).
type Class uint32

// The classes, in the order strace documents them.
const (
	File       Class = 1 << iota // %file: takes a file name
	IPC                          // %ipc
	Network                      // %network (%net)
	Process                      // %process: process lifecycle
	Signal                       // %signal
	Desc                         // %desc: takes or returns a file descriptor
	Memory                       // %memory: memory mapping
	Stat                         // %stat: stat variants
	LStat                        // %lstat
	FStat                        // %fstat
	StatLike                     // %%stat: any stat/lstat/fstat variant
	StatFS                       // %statfs
	FStatFS                      // %fstatfs
	StatFSLike                   // %%statfs
	Pure                         // %pure: no arguments, always succeeds
	Creds                        // %creds: user/group ids and capabilities
	Clock                        // %clock: read or change clocks
)

var classNames = [...]string{
	"file", "ipc", "network", "process", "signal", "desc", "memory",
	"stat", "lstat", "fstat", "%stat", "statfs", "fstatfs", "%statfs",
	"pure", "creds", "clock",
}

// ClassByName returns the class named name, without the leading '%'
// ("file", "%stat", "net" is accepted for "network").
func ClassByName(name string) (Class, bool) {
	if name == "net" {
		return Network, true
	}
	for i, n := range classNames {
		if n == name {
			return 1 << i, true
		}
	}
	return 0, false
}

// String lists the classes as strace names them: "%file|%desc".
func (c Class) String() string {
	var parts []string
	for i, n := range classNames {
		if c&(1<<i) != 0 {
			parts = append(parts, "%"+n)
		}
	}
	return strings.Join(parts, "|")
}

// Arg names the kind of one syscall argument or return value. The decode
// package maps each kind to a decoder; sysent only records the names, so the
// tables stay plain data.
type Arg string

// Entry is one syscall of one architecture.
type Entry struct {
	Name  string
	Nr    uint32
	Nargs uint8 // argument words strace decodes (its syscallent nargs); Args has this many kinds
	Class Class
	Args  []Arg // argument kinds; nil when no signature is known
	Ret   Arg   // kind of the return value; "" is a signed decimal
	// ArgNames are the kernel's names of the Nargs arguments (the
	// parameters of its SYSCALL_DEFINEn), for structured output; nil when
	// not known.
	ArgNames []string
}

// Table is the syscall table of one architecture.
type Table struct {
	Arch      string // "x86_64", "i386", "aarch64"
	AuditArch uint32 // AUDIT_ARCH_* value seen in PTRACE_GET_SYSCALL_INFO
	Entries   []Entry
	once      sync.Once
	byNr      []int32 // index into Entries by number, -1 for none
	byName    map[string]int32
}

func newTable(arch string, auditArch uint32, entries []Entry) *Table {
	return &Table{Arch: arch, AuditArch: auditArch, Entries: entries}
}

// index builds the lookup tables on first use, not at init: every sonde
// process (the launch stub among them) would pay for them at start.
func (t *Table) index() {
	t.once.Do(func() {
		var max uint32
		for _, e := range t.Entries {
			if e.Nr > max {
				max = e.Nr
			}
		}
		t.byNr = make([]int32, max+1)
		for i := range t.byNr {
			t.byNr[i] = -1
		}
		t.byName = make(map[string]int32, len(t.Entries))
		for i, e := range t.Entries {
			t.byNr[e.Nr] = int32(i)
			t.byName[e.Name] = int32(i)
		}
	})
}

// Lookup returns the entry for syscall number nr, or nil when the
// architecture has no syscall of that number.
func (t *Table) Lookup(nr uint64) *Entry {
	t.index()
	if nr >= uint64(len(t.byNr)) {
		return nil
	}
	if i := t.byNr[nr]; i >= 0 {
		return &t.Entries[i]
	}
	return nil
}

// ByName returns the entry named name, or nil.
func (t *Table) ByName(name string) *Entry {
	t.index()
	if i, ok := t.byName[name]; ok {
		return &t.Entries[i]
	}
	return nil
}

// The AUDIT_ARCH values of the supported architectures (linux/audit.h).
const (
	AuditArchX86_64  = 0xc000003e
	AuditArchI386    = 0x40000003
	AuditArchAArch64 = 0xc00000b7
)

var tables = map[uint32]*Table{}

func register(t *Table) *Table {
	tables[t.AuditArch] = t
	return t
}

// ForAuditArch returns the table of the architecture whose AUDIT_ARCH value
// is a (as PTRACE_GET_SYSCALL_INFO reports it), or nil.
func ForAuditArch(a uint32) *Table { return tables[a] }

// Tables returns every table, in a fixed order.
func Tables() []*Table {
	var out []*Table
	for _, a := range []uint32{AuditArchX86_64, AuditArchI386, AuditArchAArch64} {
		if t := tables[a]; t != nil {
			out = append(out, t)
		}
	}
	return out
}
