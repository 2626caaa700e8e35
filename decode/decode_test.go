package decode_test

import (
	"encoding/binary"
	"testing"

	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/output"
	"github.com/sonde-dev/sonde/sysent"
)

// fakeMem is tracee memory made of regions.
type fakeMem map[uint64][]byte

func (m fakeMem) find(addr uint64) []byte {
	for base, b := range m {
		if addr >= base && addr < base+uint64(len(b)) {
			return b[addr-base:]
		}
	}
	return nil
}

func (m fakeMem) ReadAt(p []byte, addr uint64) (int, error) {
	b := m.find(addr)
	n := copy(p, b)
	if n < len(p) {
		return n, decode.ErrFault
	}
	return n, nil
}

func (m fakeMem) ReadString(dst []byte, addr uint64, max int) ([]byte, bool, error) {
	b := m.find(addr)
	if b == nil {
		return dst, false, decode.ErrFault
	}
	for i := 0; i < max; i++ {
		if i >= len(b) {
			return dst, false, decode.ErrFault
		}
		if b[i] == 0 {
			return dst, true, nil
		}
		dst = append(dst, b[i])
	}
	return dst, false, nil
}

// run decodes one syscall of table tab and returns its text as strace
// prints the arguments: entry part, then exit part.
func run(t *testing.T, a *arch.Arch, tab *sysent.Table, name string, mem fakeMem, opt decode.Options, rval int64, args ...uint64) (enter, exit string, call *decode.Call) {
	t.Helper()
	e := tab.ByName(name)
	if e == nil {
		t.Fatalf("no syscall %q in %s", name, tab.Arch)
	}
	call = &decode.Call{Arch: a, Table: tab, Entry: e, Nr: uint64(e.Nr)}
	copy(call.Args[:], args)
	var out decode.Out
	c := &decode.Ctx{Mem: mem, Opt: &opt, Call: call, Out: &out}
	decode.Enter(c)
	enter = string(output.AppendArgs(nil, &out, output.QuoteDefault))
	out.Reset()
	call.Rval = rval
	call.IsError = rval < 0 && rval > -4096
	decode.Exit(c)
	exit = string(output.AppendArgs(nil, &out, output.QuoteDefault))
	return enter, exit, call
}

func cstr(s string) []byte { return append([]byte(s), 0) }

func TestDecodeX86_64(t *testing.T) {
	st := make([]byte, 144)
	binary.LittleEndian.PutUint32(st[24:], 0o100644)
	binary.LittleEndian.PutUint64(st[48:], 1221)
	chr := make([]byte, 144)
	binary.LittleEndian.PutUint32(chr[24:], 0o20666)
	binary.LittleEndian.PutUint64(chr[40:], 0x103)
	status := []byte{0, 3, 0, 0}
	rl := make([]byte, 16)
	binary.LittleEndian.PutUint64(rl, 8192*1024)
	binary.LittleEndian.PutUint64(rl[8:], ^uint64(0))
	argv := make([]byte, 24)
	binary.LittleEndian.PutUint64(argv, 0x1000)
	binary.LittleEndian.PutUint64(argv[8:], 0x1010)
	mem := fakeMem{
		0x1000: cstr("/etc/passwd"),
		0x1010: cstr("a\"b\\c\td\n"),
		0x2000: []byte("hello, world, this is a long buffer of more than thirty-two bytes"),
		0x3000: st,
		0x4000: chr,
		0x5000: status,
		0x6000: rl,
		0x7000: argv,
	}
	opt := decode.DefaultOptions
	tab, a := sysent.X86_64, arch.X86_64
	neg := func(v int64) uint64 { return uint64(v) }
	tests := []struct {
		name        string
		opt         decode.Options
		rval        int64
		args        []uint64
		enter, exit string
	}{
		{"openat", opt, 3, []uint64{neg(-100), 0x1000, 0x80000}, `AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC`, ``},
		{"openat", opt, 3, []uint64{5, 0x1000, 0o1101, 0o644}, `5, "/etc/passwd", O_WRONLY|O_CREAT|O_TRUNC, 0644`, ``},
		{"openat", opt, -2, []uint64{neg(-100), 0x9999, 0}, `AT_FDCWD, 0x9999, O_RDONLY`, ``},
		{"read", opt, 5, []uint64{3, 0x2000, 100}, `3`, `"hello", 100`},
		{"read", opt, 64, []uint64{3, 0x2000, 100}, `3`, `"hello, world, this is a long buf"..., 100`},
		{"read", decode.Options{StrLimit: 5}, 64, []uint64{3, 0x2000, 100}, `3`, `"hello"..., 100`},
		{"read", opt, -4, []uint64{0, 0x2000, 1}, `0`, `0x2000, 1`},
		{"write", opt, 5, []uint64{1, 0x1010, 9}, `1, "a\"b\\c\td\n\0", 9`, ``},
		{"close", opt, 0, []uint64{3}, `3`, ``},
		{"newfstatat", opt, 0, []uint64{3, 0x100b, 0x3000, 0x1000}, `3, ""`, `{st_mode=S_IFREG|0644, st_size=1221, ...}, AT_EMPTY_PATH`},
		{"newfstatat", opt, 0, []uint64{1, 0x100b, 0x4000, 0x1000}, `1, ""`, `{st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, AT_EMPTY_PATH`},
		{"newfstatat", opt, -2, []uint64{neg(-100), 0x1000, 0x3000, 0}, `AT_FDCWD, "/etc/passwd"`, `0x3000, 0`},
		{"fstat", opt, 0, []uint64{3, 0x3000}, `3`, `{st_mode=S_IFREG|0644, st_size=1221, ...}`},
		{"mmap", opt, 0x7f00, []uint64{0, 8192, 3, 0x22, neg(-1), 0}, `NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0`, ``},
		{"mmap", opt, 0x7f00, []uint64{0x7f00, 4096, 5, 0x812, 3, 0x26000}, `0x7f00, 4096, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x26000`, ``},
		{"access", opt, -2, []uint64{0x1000, 4}, `"/etc/passwd", R_OK`, ``},
		{"wait4", opt, 77, []uint64{neg(-1), 0x5000, 0, 0}, `-1`, `[{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL`},
		{"prlimit64", opt, 0, []uint64{0, 3, 0, 0x6000}, `0, RLIMIT_STACK, NULL`, `{rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}`},
		{"execve", opt, 0, []uint64{0x1000, 0x7000, 0x7000}, `"/etc/passwd", ["/etc/passwd", "a\"b\\c\td\n"], 0x7000 /* 2 vars */`, ``},
		{"execve", decode.Options{StrLimit: 1}, 0, []uint64{0x1000, 0x7000, 0x7000}, `"/etc/passwd", ["/"..., ...], 0x7000 /* 2 vars */`, ``},
		{"exit_group", opt, 0, []uint64{0}, `0`, ``},
		{"getpid", opt, 1, nil, ``, ``},
		{"rt_sigprocmask", opt, 0, []uint64{2, 0, 0, 8}, `SIG_SETMASK, NULL`, `NULL, 8`},
	}
	for _, tt := range tests {
		enter, exit, _ := run(t, a, tab, tt.name, mem, tt.opt, tt.rval, tt.args...)
		if enter != tt.enter || exit != tt.exit {
			t.Errorf("%s%v:\n got  enter %s\n      exit %s\n want enter %s\n      exit %s", tt.name, tt.args, enter, exit, tt.enter, tt.exit)
		}
	}
}

func TestUnknownSyscallPrintsSixHexArgs(t *testing.T) {
	call := &decode.Call{Arch: arch.X86_64, Table: sysent.X86_64, Nr: 999, Args: [6]uint64{1, 2, 3, 0, 5, 6}}
	var out decode.Out
	decode.Enter(&decode.Ctx{Mem: fakeMem{}, Opt: &decode.DefaultOptions, Call: call, Out: &out})
	if got, want := string(output.AppendArgs(nil, &out, output.QuoteDefault)), "0x1, 0x2, 0x3, 0, 0x5, 0x6"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestSigset(t *testing.T) {
	tests := []struct {
		mask uint64
		want string
	}{
		{0, "[]"},
		{1<<0 | 1<<1, "[HUP INT]"},
		{^uint64(0) &^ (1<<31 | 1<<32), "~[RTMIN RT_1]"},
		{^uint64(0) &^ (1<<8 | 1<<18 | 1<<31 | 1<<32), "~[KILL STOP RTMIN RT_1]"},
		{1 << 33, "[RT_2]"},
	}
	for _, tt := range tests {
		if got := string(decode.SigsetFormatter.Append(nil, tt.mask)); got != tt.want {
			t.Errorf("sigset %#x: got %s, want %s", tt.mask, got, tt.want)
		}
	}
}
