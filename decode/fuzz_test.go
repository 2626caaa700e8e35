package decode_test

import (
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/output"
	"github.com/sonde-dev/sonde/sysent"
)

// Fuzz targets for the decoders, which read tracee registers and memory that
// may hold anything: whatever the syscall number, arguments, return value and
// memory, decoding must not panic, loop, or print without bound.
//
//	go test -run '^$' -fuzz FuzzDecode -fuzztime 5m ./decode/
//	go test -run '^$' -fuzz FuzzSiginfo -fuzztime 5m ./decode/
//
// Plain `go test` runs the seeds below and the corpus in testdata/fuzz.

// The addresses the fuzzed memory blob is mapped at: low, just under 4 GiB
// (ending where a 32-bit tracee's address space ends), and high in a 64-bit
// address space. A pointer argument is moved into one of them.
var fuzzBases = [3]uint64{0x10000, 0x1_0000_0000, 0x7f00_0000_0000}

// fuzzMem maps one blob at each of fuzzBases, the middle copy ending
// exactly at 4 GiB (the others start at their base). It counts reads, so a
// decoder that reads without bound is caught.
type fuzzMem struct {
	blob  []byte
	reads int
}

// region returns the bytes mapped from addr on, or nil.
func (m *fuzzMem) region(addr uint64) []byte {
	for i, base := range fuzzBases {
		if i == 1 {
			base -= uint64(len(m.blob))
		}
		if addr >= base && addr-base < uint64(len(m.blob)) {
			return m.blob[addr-base:]
		}
	}
	return nil
}

// fuzzPtr returns where pointer argument i points when moved into the blob:
// off bytes into the copy at fuzzBases[i%3].
func fuzzPtr(blobLen, i int, off uint64) uint64 {
	base := fuzzBases[i%len(fuzzBases)]
	if i%len(fuzzBases) == 1 {
		base -= uint64(blobLen)
	}
	return base + off%uint64(blobLen+1)
}

func (m *fuzzMem) ReadAt(p []byte, addr uint64) (int, error) {
	m.reads++
	n := copy(p, m.region(addr))
	if n < len(p) {
		return n, decode.ErrFault
	}
	return n, nil
}

func (m *fuzzMem) ReadString(dst []byte, addr uint64, max int) ([]byte, bool, error) {
	m.reads++
	b := m.region(addr)
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

// Bounds past which a decoding is reported as runaway. strace caps what it
// prints by -s (at most 4096 here), PATH_MAX and small fixed counts; these
// leave a wide margin.
const (
	fuzzMaxReads  = 100_000
	fuzzMaxOutput = 4 << 20
	fuzzTimeout   = 5 * time.Second
)

// fuzzStrLimits are the -s values the fuzzer chooses from.
var fuzzStrLimits = [8]int{32, 0, 1, 3, 8, 64, 256, 4096}

// fuzzDecodeInput is one decoding the fuzzer asks for.
type fuzzDecodeInput struct {
	nr     uint64
	arch   uint8 // index into arch.All, modulo its length
	args   [6]uint64
	rval   int64
	ptrs   uint8 // bit i: argument i is moved into the blob
	opts   uint8 // bits 0-2: -s; 3: -v; 4-5: quote style; 6: nr taken as is; 7: a previous syscall
	prevNr uint64
	blob   []byte
}

func (in fuzzDecodeInput) String() string {
	return fmt.Sprintf("nr=%d arch=%d args=%#x rval=%d ptrs=%#x opts=%#x prev=%d blob=%q",
		in.nr, in.arch, in.args, in.rval, in.ptrs, in.opts, in.prevNr, in.blob)
}

// fuzzDecodeOnce runs the entry and exit decoders of one syscall and renders
// both parts and the result note. It returns the text and the number of
// memory reads.
func fuzzDecodeOnce(in fuzzDecodeInput) (text []byte, reads int) {
	a := arch.All[int(in.arch)%len(arch.All)]
	tab := sysent.ForAuditArch(a.AuditArch)
	nr := in.nr
	if in.opts&0x40 == 0 {
		// Mostly a syscall the table knows: numbers up to a little past
		// the largest.
		nr %= fuzzMaxNr[a.AuditArch] + 16
	}
	call := &decode.Call{Arch: a, Table: tab, Entry: tab.Lookup(nr), Nr: nr, SP: fuzzBases[0] + 64}
	if in.opts&0x80 != 0 {
		call.Prev = tab.Lookup(in.prevNr)
	}
	for i, v := range in.args {
		if in.ptrs&(1<<i) != 0 {
			v = fuzzPtr(len(in.blob), i, v)
		}
		call.Args[i] = v
	}
	mem := &fuzzMem{blob: in.blob}
	opt := decode.Options{StrLimit: fuzzStrLimits[in.opts&7], Verbose: in.opts&8 != 0}
	style := output.QuoteStyle(in.opts >> 4 & 3)
	var out decode.Out
	c := &decode.Ctx{Mem: mem, Opt: &opt, Call: call, Out: &out}

	decode.Enter(c)
	text = output.AppendArgs(text, &out, style)
	text = append(text, " | "...)
	out.Reset()
	call.Rval = in.rval
	call.IsError = in.rval < 0 && in.rval > -4096
	decode.Exit(c)
	text = output.AppendArgs(text, &out, style)
	if call.Note != nil {
		text = append(text, " ("...)
		text = call.Note.Append(text, call.NoteVal)
		text = append(text, ')')
	}
	return text, mem.reads
}

// fuzzMaxNr is the largest syscall number of each table, by AUDIT_ARCH.
var fuzzMaxNr = func() map[uint32]uint64 {
	m := map[uint32]uint64{}
	for _, tab := range sysent.Tables() {
		for _, e := range tab.Entries {
			m[tab.AuditArch] = max(m[tab.AuditArch], uint64(e.Nr))
		}
	}
	return m
}()

// fuzzBounded runs f in a goroutine and fails t if it does not return within
// fuzzTimeout: a decoder must not loop on any input.
func fuzzBounded(t *testing.T, what fmt.Stringer, f func()) {
	t.Helper()
	done := make(chan struct{})
	var panicked any
	go func() {
		defer close(done)
		defer func() { panicked = recover() }()
		f()
	}()
	select {
	case <-done:
		if panicked != nil {
			t.Fatalf("panic: %v\ninput: %v", panicked, what)
		}
	case <-time.After(fuzzTimeout):
		t.Fatalf("decoding did not finish in %v (a loop?)\ninput: %v", fuzzTimeout, what)
	}
}

// fuzzLE builds little-endian memory for seeds: each value is written with its
// own width (uint16, uint32, uint64, []byte, string).
func fuzzLE(vals ...any) []byte {
	var b []byte
	for _, v := range vals {
		switch v := v.(type) {
		case uint16:
			b = binary.LittleEndian.AppendUint16(b, v)
		case uint32:
			b = binary.LittleEndian.AppendUint32(b, v)
		case uint64:
			b = binary.LittleEndian.AppendUint64(b, v)
		case []byte:
			b = append(b, v...)
		case string:
			b = append(b, v...)
		default:
			panic(fmt.Sprintf("le: %T", v))
		}
	}
	return b
}

// fuzzNr returns the number of a syscall on an arch, for seeds.
func fuzzNr(f *testing.F, a *arch.Arch, name string) uint64 {
	f.Helper()
	e := sysent.ForAuditArch(a.AuditArch).ByName(name)
	if e == nil {
		f.Fatalf("no syscall %s on %s", name, a.Name)
	}
	return uint64(e.Nr)
}

// fuzzArchIndex returns a's index in arch.All.
func fuzzArchIndex(a *arch.Arch) uint8 {
	for i, x := range arch.All {
		if x == a {
			return uint8(i)
		}
	}
	panic("unknown arch " + a.Name)
}

func FuzzDecode(f *testing.F) {
	x64, x86, a64 := arch.X86_64, arch.I386, arch.AArch64
	neg := func(v int64) uint64 { return uint64(v) }
	// Pointer arguments are moved into the blob with the offset given
	// (ptrs), so the seeds point at the structures they describe.
	path := fuzzLE("/etc/passwd\x00")
	stat := make([]byte, 144)
	binary.LittleEndian.PutUint32(stat[24:], 0o100644)
	flock := fuzzLE(uint16(0), uint16(0), uint32(0), uint64(1073741824), uint64(1), uint32(0), uint32(0))
	sockaddrUn := fuzzLE(uint16(1), "/var/run/nscd/socket\x00")
	iov := fuzzLE(uint64(fuzzBases[0]+48), uint64(5), uint64(0), uint64(1<<40), make([]byte, 16), "hello")
	argv := fuzzLE(uint64(fuzzBases[0]+24), uint64(fuzzBases[0]+32), uint64(0), "/bin/sh\x00-c\x00")
	sigact := fuzzLE(uint64(1), uint64(0x04000000), uint64(0x7f0000001000), uint64(0x10000))
	rusage := make([]byte, 144)
	type seed struct {
		a    *arch.Arch
		name string
		args [6]uint64
		rval int64
		ptrs uint8
		opts uint8
		blob []byte
	}
	seeds := []seed{
		{x64, "openat", [6]uint64{neg(-100), 0, 0x80000}, 3, 0b10, 0, path},
		{x64, "newfstatat", [6]uint64{3, 11, 12, 0x1000}, 0, 0b110, 0, append(append([]byte{}, path...), stat...)},
		{x64, "read", [6]uint64{3, 0, 100}, 64, 0b10, 0, []byte("hello, world, this is a long buffer of more than thirty-two bytes")},
		{x64, "fcntl", [6]uint64{3, 6, 0}, 0, 0b100, 0, flock},
		{x64, "connect", [6]uint64{3, 0, 110}, -2, 0b10, 0, sockaddrUn},
		{x64, "bind", [6]uint64{3, 0, 20}, 0, 0b10, 0, fuzzLE(uint16(17), uint16(0x0300), uint32(1), uint16(772), []byte{0, 255}, "abcdefgh")},
		{x64, "connect", [6]uint64{3, 0, 14}, -9, 0b10, 0, fuzzLE(uint16(31), uint16(0x81), "\x01\x02\x03\x04\x05\x06", uint16(0x41), uint16(1))},
		{x86, "bind", [6]uint64{3, 0, 16}, -9, 0b10, 0, fuzzLE(uint16(44), uint16(1), uint32(1), uint32(3), uint32(4))},
		{x64, "writev", [6]uint64{1, 0, 3}, 5, 0b10, 0, iov},
		{x64, "execve", [6]uint64{24, 0, 0}, 0, 0b111, 0, argv},
		{x64, "rt_sigaction", [6]uint64{17, 0, 0, 8}, 0, 0b10, 0x08, sigact},
		{x64, "wait4", [6]uint64{neg(-1), 0, 1, 0}, 77, 0b1010, 0, rusage},
		{x64, "ioctl", [6]uint64{1, 0x5401, 0}, -25, 0b100, 0, make([]byte, 60)},
		{x64, "ioctl", [6]uint64{3, 0x8912, 0}, 0, 0b100, 0, fuzzLE(uint32(80), uint32(0), uint64(fuzzBases[0]+16), "lo", make([]byte, 14), uint16(2), make([]byte, 22), "eth0", make([]byte, 12), uint16(1), make([]byte, 22))},
		{x64, "ioctl", [6]uint64{3, 0x1269, 0}, -25, 0b100, 0, fuzzLE(uint32(1), uint32(0), uint32(152), uint32(0), uint64(fuzzBases[0]+24), uint64(1024), uint64(4096), uint32(2), "sda2")},
		{x86, "ioctl", [6]uint64{3, 0xc0401273, 0}, 0, 0b100, 0, fuzzLE("x", make([]byte, 31), uint16(3), uint16(0), uint32(4096), uint32(4), uint64(1), uint64(100), uint32(77))},
		{x86, "ioctl", [6]uint64{3, 0x8927, 0}, 0, 0b100, 0, fuzzLE("lo", make([]byte, 14), uint16(772), make([]byte, 14))},
		{x64, "msgrcv", [6]uint64{3, 0, 8, 0, 0o4000}, 5, 0b10, 0, fuzzLE(uint64(7), "hello\x00\x00\x00")},
		{x64, "semtimedop", [6]uint64{3, 0, 2, 0}, 0, 0b10, 0, fuzzLE(uint16(0), uint16(1), uint16(0x1800), uint16(1), uint16(0xffff), uint16(0))},
		{x86, "semctl", [6]uint64{3, 0, 12, 0}, 0, 0b1000, 0, fuzzLE(uint32(0))},
		{x64, "prctl", [6]uint64{15, 0}, 0, 0b10, 0, fuzzLE("sonde\x00")},
		{x64, "clone", [6]uint64{0x3d0f00, 0, 0, 0, 0}, 1234, 0b11110, 0, make([]byte, 64)},
		{x64, "getdents64", [6]uint64{3, 0, 32768}, 48, 0b10, 0, fuzzLE(uint64(1), uint64(24), uint16(24), []byte{4}, ".\x00\x00\x00\x00", uint64(2), uint64(48), uint16(24), []byte{4}, "..\x00\x00\x00")},
		{x86, "socketcall", [6]uint64{3, 0}, -2, 0b10, 0, fuzzLE(uint32(3), uint32(0x10000+12), uint32(110), sockaddrUn)},
		{x64, "recvmmsg", [6]uint64{3, 0, 2, 0, 0}, 1, 0b10, 0, fuzzLE(uint64(0), uint32(16), uint32(0), uint64(fuzzBases[0]+64), uint64(1), uint64(0), uint64(0), uint32(0), uint32(0), uint32(5), uint32(0), uint64(fuzzBases[0]+80), uint64(5), "hello")},
		{x64, "sendmmsg", [6]uint64{3, 0, 3, 0}, 1, 0b10, 0, fuzzLE(uint64(0), uint32(0), uint32(0), uint64(fuzzBases[0]+64), uint64(1), uint64(0), uint64(0), uint32(0), uint32(0), uint32(5), uint32(0), uint64(fuzzBases[0]+80), uint64(5), "hello")},
		{x64, "sendmsg", [6]uint64{3, 0, 0}, -22, 0b10, 0, fuzzLE(uint64(0), uint64(0), uint64(0), uint64(0), uint64(fuzzBases[0]+56), uint64(41), uint64(0), uint64(32), uint32(1), uint32(29), uint64(1), uint64(2), make([]byte, 9))},
		{x86, "sendmsg", [6]uint64{3, 0, 0}, -22, 0b10, 0, fuzzLE(uint32(0), uint32(0), uint32(0), uint32(0), uint32(fuzzBases[0]+28), uint32(36), uint32(0), uint32(36), uint32(1), uint32(37), make([]byte, 24))},
		{x86, "recvmmsg_time64", [6]uint64{3, 0, 1, 0x40, 0}, 1, 0b10010, 0, fuzzLE(uint32(0), uint32(0), uint32(0), uint32(0), uint32(0), uint32(0), uint32(0), uint32(5), uint64(1), uint64(0))},
		{x86, "fcntl64", [6]uint64{3, 12, 0}, 0, 0b100, 0, flock},
		{x86, "set_thread_area", [6]uint64{0}, 0, 0b1, 0, fuzzLE(uint32(0xffffffff), uint32(0xf7f88540), uint32(0xfffff), uint32(0x51))},
		{x86, "wait4", [6]uint64{neg(-1), 0, 1, 0}, 77, 0b1010, 0, rusage},
		{a64, "openat", [6]uint64{neg(-100), 0, 0o101, 0o644}, 3, 0b10, 0, path},
		{a64, "clone", [6]uint64{0x1200011, 0, 0, 0, 0}, 99, 0, 0, nil},
	}
	for _, s := range seeds {
		f.Add(fuzzNr(f, s.a, s.name), fuzzArchIndex(s.a), s.args[0], s.args[1], s.args[2], s.args[3], s.args[4], s.args[5],
			s.rval, s.ptrs, s.opts, uint64(0), s.blob)
	}
	// Unknown numbers, a failed call, garbage everywhere, a previous call
	// for restart_syscall.
	f.Add(uint64(999), uint8(0), uint64(1), uint64(2), uint64(3), uint64(0), uint64(5), uint64(6), int64(0), uint8(0), uint8(0x40), uint64(0), []byte(nil))
	f.Add(fuzzNr(f, x64, "restart_syscall"), uint8(0), uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), int64(-4), uint8(0), uint8(0x80), fuzzNr(f, x64, "nanosleep"), []byte(nil))
	f.Add(uint64(0), uint8(1), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), int64(-1), uint8(0x3f), uint8(0x3f), uint64(0), []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})

	f.Fuzz(func(t *testing.T, nr uint64, archSel uint8, a0, a1, a2, a3, a4, a5 uint64, rval int64, ptrs, opts uint8, prevNr uint64, blob []byte) {
		in := fuzzDecodeInput{nr: nr, arch: archSel, args: [6]uint64{a0, a1, a2, a3, a4, a5}, rval: rval,
			ptrs: ptrs, opts: opts, prevNr: prevNr, blob: blob}
		var text []byte
		var reads int
		fuzzBounded(t, in, func() { text, reads = fuzzDecodeOnce(in) })
		if reads > fuzzMaxReads {
			t.Errorf("%d memory reads for one syscall (more than %d: unbounded?)\ninput: %v", reads, fuzzMaxReads, in)
		}
		if len(text) > fuzzMaxOutput {
			t.Errorf("%d bytes of output for one syscall (more than %d: unbounded?)\ninput: %v", len(text), fuzzMaxOutput, in)
		}
	})
}

// fuzzSiginfoInput is one FuzzSiginfo input, printable for a failure.
type fuzzSiginfoInput []byte

func (s fuzzSiginfoInput) String() string { return fmt.Sprintf("%q", []byte(s)) }

// fuzzSiginfoBytes builds a 128-byte siginfo_t (64-bit layout) for seeds.
func fuzzSiginfoBytes(signo, errno, code int32, fields ...uint64) []byte {
	b := make([]byte, 128)
	binary.LittleEndian.PutUint32(b[0:], uint32(signo))
	binary.LittleEndian.PutUint32(b[4:], uint32(errno))
	binary.LittleEndian.PutUint32(b[8:], uint32(code))
	for i, v := range fields {
		binary.LittleEndian.PutUint64(b[16+8*i:], v)
	}
	return b
}

func FuzzSiginfo(f *testing.F) {
	f.Add(fuzzSiginfoBytes(17, 0, 1, 1234, 3<<32, 0, 7))            // SIGCHLD CLD_EXITED pid 1234 status 3
	f.Add(fuzzSiginfoBytes(17, 0, 2, 1234, 9<<32, 0, 0))            // SIGCHLD CLD_KILLED by SIGKILL
	f.Add(fuzzSiginfoBytes(11, 0, 1, 0xdeadbeef))                   // SIGSEGV SEGV_MAPERR at an address
	f.Add(fuzzSiginfoBytes(10, 0, 0, 42))                           // SIGUSR1 SI_USER from pid 42
	f.Add(fuzzSiginfoBytes(34, 0, -2, 7, 0x1234))                   // SIGRTMIN SI_TIMER
	f.Add(fuzzSiginfoBytes(29, 0, 1, 1, 5))                         // SIGIO POLL_IN
	f.Add(fuzzSiginfoBytes(31, 0, 1, 0x401000, 0xc000003e<<32|101)) // SIGSYS SYS_SECCOMP
	f.Add(fuzzSiginfoBytes(5, 0, 0x80, 0))                          // SIGTRAP from the kernel
	f.Add(fuzzSiginfoBytes(14, 13, -6, 99))                         // SIGALRM SI_TKILL with an errno
	f.Add(fuzzSiginfoBytes(-1, -1, -100))                           // nonsense
	f.Add(fuzzSiginfoBytes(200, 0, 0x7fffffff, 1, 2, 3, 4))         // out of range
	f.Add([]byte{17, 0, 0, 0})                                      // too short
	f.Add([]byte(nil))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var text []byte
		fuzzBounded(t, fuzzSiginfoInput(raw), func() {
			var out decode.Out
			decode.Siginfo(&out, raw)
			for style := output.QuoteDefault; style <= output.QuoteForceHex; style++ {
				text = output.AppendArgs(text[:0], &out, style)
			}
		})
		if len(text) > 64<<10 {
			t.Errorf("%d bytes of output for one siginfo\ninput: %q", len(text), raw)
		}
	})
}
