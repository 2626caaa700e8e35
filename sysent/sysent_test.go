package sysent

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"testing"
)

func TestKnownNumbers(t *testing.T) {
	tests := []struct {
		table *Table
		nr    uint64
		name  string
	}{
		{X86_64, 0, "read"},
		{X86_64, 59, "execve"},
		{X86_64, 231, "exit_group"},
		{X86_64, 257, "openat"},
		{X86_64, 262, "newfstatat"},
		{X86_64, 435, "clone3"},
		{I386, 11, "execve"},
		{I386, 82, "select"},
		{I386, 102, "socketcall"},
		{I386, 140, "_llseek"},
		{I386, 142, "_newselect"},
		{I386, 191, "ugetrlimit"},
		{I386, 192, "mmap2"},
		{I386, 252, "exit_group"},
		{I386, 272, "fadvise64_64"},
		{I386, 295, "openat"},
		{I386, 300, "fstatat64"},
		{AArch64, 56, "openat"},
		{AArch64, 79, "newfstatat"},
		{AArch64, 94, "exit_group"},
		{AArch64, 221, "execve"},
	}
	for _, tt := range tests {
		e := tt.table.Lookup(tt.nr)
		if e == nil {
			t.Errorf("%s: Lookup(%d) = nil, want %s", tt.table.Arch, tt.nr, tt.name)
			continue
		}
		if e.Name != tt.name || uint64(e.Nr) != tt.nr {
			t.Errorf("%s: Lookup(%d) = %s (%d), want %s", tt.table.Arch, tt.nr, e.Name, e.Nr, tt.name)
		}
		if got := tt.table.ByName(tt.name); got != e {
			t.Errorf("%s: ByName(%q) = %v, want the entry Lookup(%d) returned", tt.table.Arch, tt.name, got, tt.nr)
		}
	}
}

func TestLookupMisses(t *testing.T) {
	tests := []struct {
		table *Table
		nr    uint64
	}{
		{X86_64, 400},         // in the gap before the common block
		{X86_64, 1 << 20},     // past the end
		{X86_64, ^uint64(0)},  // -1, as a skipped syscall reads
		{X86_64, 1 << 32},     // would alias read if truncated to 32 bits
		{I386, 1 << 32},       // likewise
		{AArch64, 244},        // x/sys's arch_specific_syscall marker, not a syscall
		{AArch64, 1<<32 + 56}, // would alias openat
	}
	for _, tt := range tests {
		if e := tt.table.Lookup(tt.nr); e != nil {
			t.Errorf("%s: Lookup(%#x) = %s, want nil", tt.table.Arch, tt.nr, e.Name)
		}
	}
	if e := X86_64.ByName("no_such_syscall"); e != nil {
		t.Errorf("ByName(no_such_syscall) = %s, want nil", e.Name)
	}
}

func TestTables(t *testing.T) {
	want := []struct {
		table *Table
		arch  string
		audit uint32
	}{
		{X86_64, "x86_64", AuditArchX86_64},
		{I386, "i386", AuditArchI386},
		{AArch64, "aarch64", AuditArchAArch64},
	}
	got := Tables()
	if len(got) != len(want) {
		t.Fatalf("Tables() has %d tables, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i] != w.table || w.table.Arch != w.arch || w.table.AuditArch != w.audit {
			t.Errorf("table %d: %s %#x, want %s %#x", i, got[i].Arch, got[i].AuditArch, w.arch, w.audit)
		}
		if ForAuditArch(w.audit) != w.table {
			t.Errorf("ForAuditArch(%#x) is not the %s table", w.audit, w.arch)
		}
	}
	if ForAuditArch(0x40000028) != nil { // AUDIT_ARCH_ARM
		t.Error("ForAuditArch(AUDIT_ARCH_ARM) is not nil")
	}
}

// TestEntries checks what every row of every table must satisfy.
func TestEntries(t *testing.T) {
	for _, tab := range Tables() {
		names := map[string]bool{}
		for i, e := range tab.Entries {
			if i > 0 && e.Nr <= tab.Entries[i-1].Nr {
				t.Errorf("%s: %s (%d) after %s (%d): not in number order", tab.Arch, e.Name, e.Nr, tab.Entries[i-1].Name, tab.Entries[i-1].Nr)
			}
			if names[e.Name] {
				t.Errorf("%s: %s twice", tab.Arch, e.Name)
			}
			names[e.Name] = true
			if e.Nargs > 6 {
				t.Errorf("%s: %s: Nargs %d > 6", tab.Arch, e.Name, e.Nargs)
			}
			if len(e.Args) != 0 && len(e.Args) != int(e.Nargs) {
				t.Errorf("%s: %s: %d Args, Nargs %d", tab.Arch, e.Name, len(e.Args), e.Nargs)
			}
			for j, a := range e.Args {
				if !IsArgKind(a) {
					t.Errorf("%s: %s: argument %d: %q is not an argument kind", tab.Arch, e.Name, j+1, a)
				}
			}
			if !IsReturnKind(e.Ret) {
				t.Errorf("%s: %s: Ret %q is not a return kind", tab.Arch, e.Name, e.Ret)
			}
			if e.Class&^(1<<len(classNames)-1) != 0 {
				t.Errorf("%s: %s: Class %#x has undefined bits", tab.Arch, e.Name, uint32(e.Class))
			}
		}
	}
}

func TestClasses(t *testing.T) {
	tests := []struct {
		table *Table
		name  string
		want  Class
		str   string
	}{
		{X86_64, "openat", File | Desc, "%file|%desc"},
		{X86_64, "newfstatat", File | Desc | FStat | StatLike, "%file|%desc|%fstat|%%stat"},
		{AArch64, "newfstatat", File | Desc | FStat | StatLike, "%file|%desc|%fstat|%%stat"},
		{X86_64, "statfs", File | StatFS | StatFSLike, "%file|%statfs|%%statfs"},
		{X86_64, "execve", File | Process, "%file|%process"},
		{X86_64, "kill", Process | Signal, "%process|%signal"},
		{X86_64, "getuid", Pure | Creds, "%pure|%creds"},
		{X86_64, "clock_gettime", Clock, "%clock"},
		{X86_64, "mmap", Desc | Memory, "%desc|%memory"},
		{X86_64, "socket", Network, "%network"},
		{X86_64, "shmat", IPC | Memory, "%ipc|%memory"},
		{I386, "stat64", File | Stat | StatLike, "%file|%stat|%%stat"},
		{I386, "lstat64", File | LStat | StatLike, "%file|%lstat|%%stat"},
		{I386, "fstatfs64", Desc | FStatFS | StatFSLike, "%desc|%fstatfs|%%statfs"},
		{X86_64, "sched_yield", 0, ""},
	}
	for _, tt := range tests {
		e := tt.table.ByName(tt.name)
		if e == nil {
			t.Errorf("%s: no %s", tt.table.Arch, tt.name)
			continue
		}
		if e.Class != tt.want || e.Class.String() != tt.str {
			t.Errorf("%s: %s: Class %s, want %s", tt.table.Arch, tt.name, e.Class, tt.str)
		}
	}
}

func TestClassByName(t *testing.T) {
	for i := range classNames {
		c := Class(1) << i
		s := c.String()
		if len(s) < 2 || s[0] != '%' {
			t.Errorf("Class(%#x).String() = %q", uint32(c), s)
			continue
		}
		if got, ok := ClassByName(s[1:]); !ok || got != c {
			t.Errorf("ClassByName(%q) = %v, %v, want %v", s[1:], got, ok, c)
		}
	}
	if got, ok := ClassByName("net"); !ok || got != Network {
		t.Errorf("ClassByName(net) = %v, %v, want %%network", got, ok)
	}
	for _, bad := range []string{"", "%file", "files", "stat%"} {
		if got, ok := ClassByName(bad); ok {
			t.Errorf("ClassByName(%q) = %v, true, want false", bad, got)
		}
	}
}

// TestSignatures spot-checks rows where the arches differ.
func TestSignatures(t *testing.T) {
	tests := []struct {
		table *Table
		name  string
		args  []Arg
		ret   Arg
	}{
		{X86_64, "read", []Arg{ArgFD, ArgBufOut, ArgSize}, ""},
		{X86_64, "openat", []Arg{ArgDirFD, ArgPath, ArgOpenFlags, ArgMode}, ArgFD},
		{X86_64, "exit_group", []Arg{ArgInt}, ArgNone},
		{X86_64, "umask", []Arg{ArgMode}, ArgOct},
		{X86_64, "pread64", []Arg{ArgFD, ArgBufOut, ArgSize, ArgOff}, ""},
		{I386, "pread64", []Arg{ArgFD, ArgBufOut, ArgSize, ArgOffLo, ArgOffHi}, ""},
		{AArch64, "pread64", []Arg{ArgFD, ArgBufOut, ArgSize, ArgOff}, ""},
		{X86_64, "mmap", []Arg{ArgPtr, ArgSize, ArgProt, ArgMapFlags, ArgFD, ArgOff}, ArgHex},
		{I386, "mmap", []Arg{ArgOldMmapArgs}, ArgHex},
		{I386, "mmap2", []Arg{ArgPtr, ArgSize, ArgProt, ArgMapFlags, ArgFD, ArgPgoff}, ArgHex},
		{X86_64, "clone", []Arg{ArgCloneFlags, ArgPtr, ArgTidPtr, ArgTidPtr, ArgTLS}, ArgPid},
		{I386, "clone", []Arg{ArgCloneFlags, ArgPtr, ArgTidPtr, ArgTLS, ArgTidPtr}, ArgPid},
		{AArch64, "clone", []Arg{ArgCloneFlags, ArgPtr, ArgTidPtr, ArgTLS, ArgTidPtr}, ArgPid},
		{I386, "_llseek", []Arg{ArgFD, ArgOffHi, ArgOffLo, ArgOutPtr, ArgWhence}, ""},
		{I386, "clock_gettime", []Arg{ArgClockid, ArgTimespecOut}, ""},
		{I386, "clock_gettime64", []Arg{ArgClockid, ArgTimespec64Out}, ""},
		{X86_64, "execve", []Arg{ArgPath, ArgArgv, ArgEnvp}, ""},
		{X86_64, "getpid", nil, ArgPid},
	}
	for _, tt := range tests {
		e := tt.table.ByName(tt.name)
		if e == nil {
			t.Errorf("%s: no %s", tt.table.Arch, tt.name)
			continue
		}
		if !slices.Equal(e.Args, tt.args) || e.Ret != tt.ret {
			t.Errorf("%s: %s: Args %v Ret %q, want %v %q", tt.table.Arch, tt.name, e.Args, e.Ret, tt.args, tt.ret)
		}
	}
}

// TestKindsListed checks that Kinds lists exactly the Arg constants of
// kinds.go, in order: the generator reads the file, decoders read Kinds.
func TestKindsListed(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "kinds.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var declared []Arg
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, s := range gd.Specs {
			vs := s.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Arg" {
				continue
			}
			v, err := strconv.Unquote(vs.Values[0].(*ast.BasicLit).Value)
			if err != nil {
				t.Fatal(err)
			}
			declared = append(declared, Arg(v))
		}
	}
	if got := Kinds(); !slices.Equal(got, declared) {
		t.Errorf("Kinds() = %v\nkinds.go declares %v", got, declared)
	}
	for _, k := range []Arg{"", ArgHex, ArgOct, ArgFD, ArgNone, ArgPid} {
		if !IsReturnKind(k) {
			t.Errorf("IsReturnKind(%q) = false", k)
		}
	}
	for _, k := range []Arg{ArgPath, "bogus"} {
		if IsReturnKind(k) {
			t.Errorf("IsReturnKind(%q) = true", k)
		}
	}
	for k, want := range map[Arg]bool{ArgFD: true, ArgHex: true, ArgOct: false, ArgNone: false, "": false, "bogus": false} {
		if IsArgKind(k) != want {
			t.Errorf("IsArgKind(%q) = %v, want %v", k, !want, want)
		}
	}
}
