package filter

import (
	"testing"
	"time"

	"github.com/sonde-dev/sonde/sysent"
)

func TestParseInject(t *testing.T) {
	for _, tc := range []struct {
		expr    string
		fault   bool
		errno   int
		retval  int64
		hits    []uint64 // invocations injected
		misses  []uint64
		wantErr string
	}{
		{expr: "openat:error=EACCES:when=5+", errno: 13, hits: []uint64{5, 6, 100}, misses: []uint64{1, 4}},
		{expr: "read:retval=0:when=2..3", retval: 0, hits: []uint64{2, 3}, misses: []uint64{1, 4}},
		{expr: "read:retval=7:when=3+2", retval: 7, hits: []uint64{3, 5, 7}, misses: []uint64{4, 6, 2}},
		{expr: "read:error=5:when=2", errno: 5, hits: []uint64{2}, misses: []uint64{1, 3}},
		{expr: "write:error=ENOSPC", errno: 28, hits: []uint64{1, 2, 65535}, misses: []uint64{65536}},
		{expr: "access", fault: true, errno: 38, hits: []uint64{1, 9}},
		{expr: "access:error=ENOENT", fault: true, errno: 2, hits: []uint64{1}},
		{expr: "read", wantErr: "invalid inject argument 'read'"},
		{expr: "read:frob=1", wantErr: "invalid inject argument 'read:frob=1'"},
		{expr: "read:when=0", wantErr: "invalid inject argument 'read:when=0'"},
		{expr: "read:error=ENOPE", fault: true, wantErr: "invalid fault argument 'read:error=ENOPE'"},
		{expr: "read:retval=1", fault: true, wantErr: "invalid fault argument 'read:retval=1'"},
		{expr: "read:error=EIO:retval=1", wantErr: "invalid inject argument 'read:error=EIO:retval=1'"},
		{expr: "read:retval=1:when=3..2", wantErr: "invalid inject argument 'read:retval=1:when=3..2'"},
		{expr: "getppid:syscall=getpid", wantErr: "invalid inject argument 'getppid:syscall=getpid'"},
		{expr: "getppid:syscall=write:error=EIO", wantErr: "invalid inject argument 'getppid:syscall=write:error=EIO'"},
		{expr: "write:poke_enter=@arg2=41,@arg2=4243", wantErr: "invalid inject argument 'write:poke_enter=@arg2=41,@arg2=4243'"},
		{expr: "write:poke_enter=@arg2=4", wantErr: "invalid inject argument 'write:poke_enter=@arg2=4'"},
		{expr: "read:signal=FROB", wantErr: "invalid inject argument 'read:signal=FROB'"},
		{expr: "read:delay_enter=xs", wantErr: "invalid inject argument 'read:delay_enter=xs'"},
		{expr: "access:signal=USR1", fault: true, wantErr: "invalid fault argument 'access:signal=USR1'"},
		{expr: "nosuchcall:error=EIO", wantErr: "invalid system call 'nosuchcall'"},
	} {
		in, err := ParseInject(tc.expr, tc.fault)
		if tc.wantErr != "" {
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("%q: error %v, want %q", tc.expr, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.expr, err)
			continue
		}
		if in.Errno != tc.errno || (tc.errno == 0 && (!in.HasRetval || in.Retval != tc.retval)) {
			t.Errorf("%q: errno %d retval %d/%v", tc.expr, in.Errno, in.Retval, in.HasRetval)
		}
		for _, n := range tc.hits {
			if !in.Matches(n) {
				t.Errorf("%q: invocation %d not injected", tc.expr, n)
			}
		}
		for _, n := range tc.misses {
			if in.Matches(n) {
				t.Errorf("%q: invocation %d injected", tc.expr, n)
			}
		}
	}
}

func TestInjectForLastWins(t *testing.T) {
	o := Defaults()
	for _, e := range []string{"inject=read,write:error=EIO", "fault=read:error=EPERM"} {
		if err := o.Qualify(e); err != nil {
			t.Fatal(err)
		}
	}
	x64 := sysent.X86_64
	if in := o.InjectFor(x64, nr(t, x64, "read")); in == nil || in.Errno != 1 {
		t.Errorf("read: %+v, want the later fault=read:error=EPERM", in)
	}
	if in := o.InjectFor(x64, nr(t, x64, "write")); in == nil || in.Errno != 5 {
		t.Errorf("write: %+v, want EIO", in)
	}
	if in := o.InjectFor(x64, nr(t, x64, "close")); in != nil {
		t.Errorf("close: %+v, want none", in)
	}
}

func TestParseInjectSignalAndDelays(t *testing.T) {
	in, err := ParseInject("write:signal=USR1:delay_enter=10ms:delay_exit=7:when=1", false)
	if err != nil {
		t.Fatal(err)
	}
	if in.Signal != 10 || in.DelayEnter != 10*time.Millisecond || in.DelayExit != 7*time.Microsecond || in.Tampers() || in.Delays != DelayAtEnter|DelayAtExit {
		t.Errorf("%+v", in)
	}
	for s, want := range map[string]time.Duration{"1s": time.Second, "500us": 500 * time.Microsecond, "100ns": 100, "3": 3 * time.Microsecond, "1.5ms": 1500 * time.Microsecond, "0": 0} {
		if d, ok := parseDelay(s); !ok || d != want {
			t.Errorf("parseDelay(%q) = %v %v, want %v", s, d, ok, want)
		}
	}
}

func TestParseInjectSyscallAndPokes(t *testing.T) {
	in, err := ParseInject("getppid:syscall=getpid:error=EIO", false)
	if err != nil || in.Syscall != "getpid" || in.Errno != 5 {
		t.Fatalf("%+v %v", in, err)
	}
	in, err = ParseInject("write:poke_enter=@arg2=4142,@arg1=00:poke_exit=@arg3=ff", false)
	if err != nil || len(in.PokeEnter) != 2 || in.PokeEnter[0].Arg != 2 || string(in.PokeEnter[0].Data) != "AB" || len(in.PokeExit) != 1 || in.PokeExit[0].Data[0] != 0xff {
		t.Fatalf("%+v %v", in, err)
	}
}
