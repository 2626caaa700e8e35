package filter

import (
	"testing"

	"github.com/sonde-dev/sonde/sysent"
)

func nr(t *testing.T, tab *sysent.Table, name string) uint64 {
	t.Helper()
	if e := tab.ByName(name); e != nil {
		return uint64(e.Nr)
	}
	if sub, ok := tab.SubcallByName(name); ok {
		return sub.Nr
	}
	t.Fatalf("%s has no %s", tab.Arch, name)
	return 0
}

func TestParseSyscalls(t *testing.T) {
	x64, x32 := sysent.X86_64, sysent.I386
	tests := []struct {
		expr    string
		in, out []string // names checked on x86_64
		in32    []string // names checked on i386
		out32   []string
		wantErr string
	}{
		{expr: "open,close", in: []string{"open", "close"}, out: []string{"read"}, in32: []string{"open"}},
		{expr: "!open,close", in: []string{"read"}, out: []string{"open", "close"}},
		{expr: "all", in: []string{"read", "openat"}},
		{expr: "none", out: []string{"read"}},
		{expr: "!none", in: []string{"read"}},
		{expr: "!!open", in: []string{"open"}, out: []string{"read"}},
		{expr: "%file", in: []string{"open", "openat", "newfstatat", "execve"}, out: []string{"read", "close"}},
		{expr: "file", in: []string{"openat"}, out: []string{"read"}},
		{expr: "%network,%process", in: []string{"socket", "clone", "wait4"}, out: []string{"openat"}},
		{expr: "%%stat", in: []string{"newfstatat", "fstat", "statx"}, out: []string{"statfs"}},
		{expr: "/^open", in: []string{"open", "openat", "openat2"}, out: []string{"close"}},
		{expr: "/stat", in: []string{"fstat", "newfstatat", "statfs"}, out: []string{"read"}},
		{expr: "open@64", in: []string{"open"}, out32: []string{"open"}},
		{expr: "open@32", out: []string{"open"}, in32: []string{"open"}},
		{expr: "?nosuch,open", in: []string{"open"}},
		{expr: "0", in: []string{"read"}, out: []string{"write"}},
		{expr: "mmap2", in32: []string{"mmap2"}, out: []string{"mmap"}},
		// send and recv are i386 socketcall subcalls only, selected apart
		// from sendto and recvfrom; strace 6.1 accepts the names on any
		// arch, rejects them for @64.
		{expr: "send", in32: []string{"send"}, out32: []string{"sendto", "recv"}, out: []string{"sendto"}},
		{expr: "sendto,recv", in32: []string{"sendto", "recv"}, out32: []string{"send", "recvfrom"}},
		{expr: "%network", in32: []string{"send", "recv", "sendto"}},
		{expr: "/^send", in32: []string{"send", "sendto", "sendmsg"}, out32: []string{"recv"}},
		{expr: "!send", in32: []string{"sendto", "recv"}, out32: []string{"send"}},
		{expr: "send@32", in32: []string{"send"}},
		{expr: "send@64", wantErr: "invalid system call 'send@64'"},
		{expr: "nosuch", wantErr: "invalid system call 'nosuch'"},
		{expr: "open,nosuch", wantErr: "invalid system call 'nosuch'"},
		{expr: "", wantErr: "invalid system call ''"},
		{expr: "open@16", wantErr: "incorrect personality designator '16' in qualification 'open@16'"},
		{expr: "/(", wantErr: "regcomp: (: "},
	}
	for _, tt := range tests {
		s, err := ParseSyscalls(tt.expr)
		if tt.wantErr != "" {
			if err == nil || len(err.Error()) < len(tt.wantErr) || err.Error()[:len(tt.wantErr)] != tt.wantErr {
				t.Errorf("ParseSyscalls(%q) error %v, want %q", tt.expr, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseSyscalls(%q): %v", tt.expr, err)
			continue
		}
		for _, n := range tt.in {
			if !s.Has(x64, nr(t, x64, n)) {
				t.Errorf("%q: %s not in the set", tt.expr, n)
			}
		}
		for _, n := range tt.out {
			if s.Has(x64, nr(t, x64, n)) {
				t.Errorf("%q: %s in the set", tt.expr, n)
			}
		}
		for _, n := range tt.in32 {
			if !s.Has(x32, nr(t, x32, n)) {
				t.Errorf("%q: i386 %s not in the set", tt.expr, n)
			}
		}
		for _, n := range tt.out32 {
			if s.Has(x32, nr(t, x32, n)) {
				t.Errorf("%q: i386 %s in the set", tt.expr, n)
			}
		}
	}
	var nilSet *Syscalls
	if !nilSet.Has(x64, 0) || !nilSet.IsAll() {
		t.Error("a nil set must hold everything")
	}
}

func TestParseNumbers(t *testing.T) {
	tests := []struct {
		parse   func(string) (*Numbers, error)
		expr    string
		in, out []int
		wantErr string
	}{
		{ParseSignals, "SIGINT,term,9", []int{2, 15, 9}, []int{1}, ""},
		{ParseSignals, "!CHLD", []int{2}, []int{17}, ""},
		{ParseSignals, "none", nil, []int{2, 17}, ""},
		{ParseSignals, "all", []int{2, 17}, nil, ""},
		{ParseSignals, "SIGFOO", nil, nil, "invalid signal 'SIGFOO'"},
		{ParseSignals, "256", nil, nil, "invalid signal '256'"},
		{ParseDescriptors, "0,1", []int{0, 1}, []int{2}, ""},
		{ParseDescriptors, "x", nil, nil, "invalid descriptor 'x'"},
		{ParseStatus, "failed", []int{Failed}, []int{Successful}, ""},
		{ParseStatus, "!successful", []int{Failed, Unfinished}, []int{Successful}, ""},
		{ParseStatus, "bogus", nil, nil, "invalid status 'bogus'"},
		{ParseQuiet, "attach,exits", []int{QuietAttach, QuietExit}, []int{QuietPersonality}, ""},
		{ParseQuiet, "thread-execve", []int{QuietThreadExecve}, nil, ""},
		{ParseErrnos, "ENOENT,eacces,13", []int{2, 13}, []int{1}, ""},
		{ParseErrnos, "ENOPE", nil, nil, "invalid errno 'ENOPE'"},
		{ParseDecodeFDs, "path,socket", []int{DecodeFDPath, DecodeFDSocket}, []int{DecodeFDDev}, ""},
		{ParseDecodeFDs, "all", []int{DecodeFDPath, DecodeFDDev, DecodeFDPidfd}, nil, ""},
		{ParseDecodePids, "comm", []int{DecodePidComm}, []int{DecodePidNS}, ""},
		{ParseSignals, "", nil, nil, "invalid signal ''"},
	}
	for _, tt := range tests {
		s, err := tt.parse(tt.expr)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("%q: error %v, want %q", tt.expr, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.expr, err)
			continue
		}
		for _, n := range tt.in {
			if !s.Has(n) {
				t.Errorf("%q: %d not in the set", tt.expr, n)
			}
		}
		for _, n := range tt.out {
			if s.Has(n) {
				t.Errorf("%q: %d in the set", tt.expr, n)
			}
		}
	}
}

func TestQualify(t *testing.T) {
	o := Defaults()
	for _, e := range []string{"open", "t=close", "signal=!SIGCHLD", "s=INT", "status=failed", "q=attach", "x=read", "r=3", "w=1", "decode-fds=path", "errno=ENOENT"} {
		if err := o.Qualify(e); err != nil {
			t.Fatalf("Qualify(%q): %v", e, err)
		}
	}
	x := sysent.X86_64
	if o.Trace.Has(x, nr(t, x, "open")) || !o.Trace.Has(x, nr(t, x, "close")) {
		t.Error("a later trace= replaces an earlier one")
	}
	if !o.Signals.Has(2) || o.Signals.Has(17) || !o.Status.Has(Failed) || !o.Quiet.Has(QuietAttach) ||
		!o.Raw.Has(x, 0) || !o.Read.Has(3) || !o.Write.Has(1) || !o.DecodeFDs.Has(DecodeFDPath) || !o.Errnos.Has(2) {
		t.Errorf("options not applied: %+v", o)
	}
	if err := o.Qualify("foo=bar"); err == nil || err.Error() != "invalid system call 'foo=bar'" {
		t.Errorf("unknown keyword: %v, want strace's invalid system call", err)
	}
}

func FuzzQualify(f *testing.F) {
	for _, s := range []string{"trace=open,close", "!%file", "/^(open|close)$", "?foo@32", "signal=!INT", "status=failed,unfinished", "read=0,1", "x=all"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		o := Defaults()
		_ = o.Qualify(expr) // must not panic
	})
}
