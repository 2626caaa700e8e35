//go:build linux

package sys

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// The native launch stub: the pre-exec stub of StubArg0 (same handshake on
// fds 3 and 4, same exit statuses, same messages) as a static x86_64 ELF of
// about 4 KiB that sonde writes into a memfd and starts, instead of
// starting itself again. A Go binary spends milliseconds loading and
// starting its runtime before the stub's few system calls; this one spends
// microseconds (measured in docs/performance.md). Built per launch: the
// seccomp filter and the tracer's name are in its data.
//
// Its argv is [StubArg0, PATH, ARGV0, ARGS...]; its environment is the
// program's. It sets its comm to the tracer's name (as the Go stub's is),
// writes one byte to fd 3, reads one from fd 4 (EOF: exit 127 without
// exec), closes both, installs the filter if it has one (after
// PR_SET_NO_NEW_PRIVS when the kernel wants it), and execs PATH. A failed
// exec prints "PROG: exec: <strerror>" and exits 1; a refused filter prints
// "PROG: seccomp filter: <strerror>" and exits 127.

// ErrNoNativeStub: this host has no native stub (only amd64 has one); use
// the Go stub.
var ErrNoNativeStub = errors.New("no native launch stub for " + runtime.GOARCH)

// NativeStubArgv is the native stub's argv for running path with argv.
func NativeStubArgv(path string, argv []string) []string {
	return append([]string{StubArg0, path}, argv...)
}

// NativeStub is a native launch stub in a memfd.
type NativeStub struct {
	f *os.File
}

// Path is what to exec: the memfd through /proc/self/fd, which the forked
// child resolves to its inherited copy.
func (s *NativeStub) Path() string { return "/proc/self/fd/" + strconv.Itoa(int(s.f.Fd())) }

// Close releases the memfd (after the stub has started).
func (s *NativeStub) Close() error { return s.f.Close() }

// NewNativeStub builds the stub for a tracer named prog with an optional
// seccomp filter (struct sock_filter array in the host's byte order, as
// EncodeFilter's caller wrote it; nil for none) and puts it in a memfd.
func NewNativeStub(prog string, filter []byte) (*NativeStub, error) {
	if runtime.GOARCH != "amd64" {
		return nil, ErrNoNativeStub
	}
	if len(filter)%8 != 0 || len(filter)/8 > 4096 {
		return nil, fmt.Errorf("native stub: filter of %d bytes: %w", len(filter), unix.EINVAL)
	}
	img := buildStubELF(prog, filter)
	fd, err := unix.MemfdCreate("sonde-stub", unix.MFD_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("native stub: memfd_create: %w", err)
	}
	if fd < 10 {
		// The child's fds 0-4 are the program's and the handshake's: keep
		// the stub out of their way.
		nfd, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 10)
		unix.Close(fd)
		if err != nil {
			return nil, fmt.Errorf("native stub: dup memfd: %w", err)
		}
		fd = nfd
	}
	f := os.NewFile(uintptr(fd), "sonde-stub")
	if _, err := f.Write(img); err != nil {
		f.Close()
		return nil, fmt.Errorf("native stub: write memfd: %w", err)
	}
	return &NativeStub{f: f}, nil
}

// stubBase is the stub's load address (a non-PIE executable).
const stubBase = 0x400000

// x86_64 system call numbers the stub makes.
const (
	nrRead, nrWrite, nrClose     = 0, 1, 3
	nrExecve, nrPrctl, nrSeccomp = 59, 157, 317
	nrExitGroup                  = 231
)

// asm is a small x86_64 assembler: bytes, labels and rel32 fix-ups.
type asm struct {
	b      []byte
	labels map[string]int
	fixups []fixup
}

type fixup struct {
	at    int // where the rel32 goes
	label string
}

func (a *asm) emit(b ...byte) { a.b = append(a.b, b...) }

func (a *asm) imm32(v uint32) { a.b = binary.LittleEndian.AppendUint32(a.b, v) }

func (a *asm) imm64(v uint64) { a.b = binary.LittleEndian.AppendUint64(a.b, v) }

func (a *asm) label(name string) { a.labels[name] = len(a.b) }

// jump emits a jump opcode then a rel32 to label.
func (a *asm) jump(label string, op ...byte) {
	a.emit(op...)
	a.fixups = append(a.fixups, fixup{at: len(a.b), label: label})
	a.imm32(0)
}

func (a *asm) jne(l string) { a.jump(l, 0x0f, 0x85) }
func (a *asm) je(l string)  { a.jump(l, 0x0f, 0x84) }
func (a *asm) jb(l string)  { a.jump(l, 0x0f, 0x82) }
func (a *asm) jmp(l string) { a.jump(l, 0xe9) }

// movEDI .. movEAX: mov r32, imm32 (zero-extends to 64 bits).
func (a *asm) movEAX(v uint32) { a.emit(0xb8); a.imm32(v) }
func (a *asm) movEDX(v uint32) { a.emit(0xba); a.imm32(v) }
func (a *asm) movESI(v uint32) { a.emit(0xbe); a.imm32(v) }
func (a *asm) movEDI(v uint32) { a.emit(0xbf); a.imm32(v) }

// movRSI, movRDX, movRCX, movRAX, movR13: mov r64, imm64.
func (a *asm) movRSI(v uint64) { a.emit(0x48, 0xbe); a.imm64(v) }
func (a *asm) movRDX(v uint64) { a.emit(0x48, 0xba); a.imm64(v) }
func (a *asm) movRCX(v uint64) { a.emit(0x48, 0xb9); a.imm64(v) }
func (a *asm) movRAX(v uint64) { a.emit(0x48, 0xb8); a.imm64(v) }
func (a *asm) movR13(v uint64) { a.emit(0x49, 0xbd); a.imm64(v) }

func (a *asm) syscall() { a.emit(0x0f, 0x05) }

// cmpRAX8 is cmp rax, imm8 (sign-extended).
func (a *asm) cmpRAX8(v int8) { a.emit(0x48, 0x83, 0xf8, byte(v)) }

func (a *asm) resolve() error {
	for _, f := range a.fixups {
		to, ok := a.labels[f.label]
		if !ok {
			return fmt.Errorf("native stub: undefined label %q", f.label)
		}
		binary.LittleEndian.PutUint32(a.b[f.at:], uint32(int32(to-(f.at+4))))
	}
	return nil
}

// stubData is the stub's read-only data, laid out after its code.
type stubData struct {
	b    []byte
	base uint64 // the vaddr of b[0]
}

func (d *stubData) add(p []byte) uint64 {
	at := d.base + uint64(len(d.b))
	d.b = append(d.b, p...)
	for len(d.b)%8 != 0 {
		d.b = append(d.b, 0)
	}
	return at
}

// errnoTexts is strerror's text for errno 0-255, capitalised as glibc
// prints it, in one blob with an offset table (257 uint32: entry i runs
// from off[i] to off[i+1]). Made once: every stub built carries it.
var errnoTexts = sync.OnceValues(makeErrnoTexts)

func makeErrnoTexts() (offs []byte, blob []byte) {
	for i := 0; i < 256; i++ {
		offs = binary.LittleEndian.AppendUint32(offs, uint32(len(blob)))
		s := syscall.Errno(i).Error()
		if s == "errno "+strconv.Itoa(i) {
			s = "Unknown error " + strconv.Itoa(i)
		}
		blob = append(blob, errnoText(errors.New(s))...)
	}
	offs = binary.LittleEndian.AppendUint32(offs, uint32(len(blob)))
	return offs, blob
}

// buildStubELF assembles the stub. The code is position-dependent: it is
// laid out first with placeholder data addresses, then again with the
// real ones (the code's size does not depend on them).
func buildStubELF(prog string, filter []byte) []byte {
	const hdrSize = 64 + 56 // ELF header and one program header
	code := assembleStub(prog, filter, 0)
	codeEnd := stubBase + hdrSize + uint64(len(code))
	dataBase := (codeEnd + 15) &^ 15
	code = assembleStub(prog, filter, dataBase)
	img := make([]byte, dataBase-stubBase)
	copy(img[hdrSize:], code)
	_, data := stubLayout(prog, filter, dataBase)
	img = append(img, data.b...)
	writeELFHeader(img, uint64(len(img)))
	return img
}

// stubAddrs are the data addresses the code refers to.
type stubAddrs struct {
	comm, fprog, execMsg, filterMsg, nl, offs, texts uint64
	execLen, filterLen                               uint32
}

func stubLayout(prog string, filter []byte, base uint64) (stubAddrs, *stubData) {
	d := &stubData{base: base}
	var a stubAddrs
	comm := []byte(prog)
	if len(comm) > 15 {
		comm = comm[:15]
	}
	a.comm = d.add(append(comm, 0))
	execMsg := prog + ": exec: "
	filterMsg := prog + ": seccomp filter: "
	a.execMsg, a.execLen = d.add([]byte(execMsg)), uint32(len(execMsg))
	a.filterMsg, a.filterLen = d.add([]byte(filterMsg)), uint32(len(filterMsg))
	a.nl = d.add([]byte("\n"))
	offs, texts := errnoTexts()
	a.offs = d.add(offs)
	a.texts = d.add(texts)
	if len(filter) > 0 {
		prog := d.add(filter)
		// struct sock_fprog: unsigned short len; (padding); filter pointer.
		fp := binary.LittleEndian.AppendUint16(nil, uint16(len(filter)/8))
		fp = append(fp, 0, 0, 0, 0, 0, 0)
		fp = binary.LittleEndian.AppendUint64(fp, prog)
		a.fprog = d.add(fp)
	}
	return a, d
}

func assembleStub(prog string, filter []byte, dataBase uint64) []byte {
	ad, _ := stubLayout(prog, filter, dataBase)
	a := &asm{labels: map[string]int{}}

	a.emit(0x49, 0x89, 0xe4) // mov r12, rsp: argc, argv..., NULL, envp...

	// prctl(PR_SET_NAME, comm)
	a.movEDI(unix.PR_SET_NAME)
	a.movRSI(ad.comm)
	a.movEAX(nrPrctl)
	a.syscall()

	// write(3, "\0", 1) from a zeroed stack slot; anything but 1: exit 127.
	a.emit(0x6a, 0x00) // push 0
	a.movEDI(StubReadyFD)
	a.emit(0x48, 0x89, 0xe6) // mov rsi, rsp
	a.movEDX(1)
	a.movEAX(nrWrite)
	a.syscall()
	a.cmpRAX8(1)
	a.jne("quit")

	// read(4, buf, 1) until it is not EINTR; anything but 1: exit 127.
	a.label("read")
	a.movEDI(StubReleaseFD)
	a.emit(0x48, 0x89, 0xe6) // mov rsi, rsp
	a.movEDX(1)
	a.emit(0x31, 0xc0) // xor eax, eax (read)
	a.syscall()
	a.cmpRAX8(-int8(unix.EINTR))
	a.je("read")
	a.cmpRAX8(1)
	a.jne("quit")

	// close(3); close(4)
	for _, fd := range []uint32{StubReadyFD, StubReleaseFD} {
		a.movEDI(fd)
		a.movEAX(nrClose)
		a.syscall()
	}

	if ad.fprog != 0 {
		seccomp := func() {
			a.movEDI(unix.SECCOMP_SET_MODE_FILTER)
			a.emit(0x31, 0xf6) // xor esi, esi (no flags)
			a.movRDX(ad.fprog)
			a.movEAX(nrSeccomp)
			a.syscall()
		}
		seccomp()
		a.cmpRAX8(-int8(unix.EACCES))
		a.jne("filtered")
		// Without CAP_SYS_ADMIN: prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), again.
		a.movEDI(unix.PR_SET_NO_NEW_PRIVS)
		a.movESI(1)
		a.emit(0x31, 0xd2)       // xor edx, edx
		a.emit(0x45, 0x31, 0xd2) // xor r10d, r10d
		a.emit(0x45, 0x31, 0xc0) // xor r8d, r8d
		a.movEAX(nrPrctl)
		a.syscall()
		a.emit(0x48, 0x85, 0xc0) // test rax, rax
		a.jne("filterfail")
		seccomp()
		a.label("filtered")
		a.emit(0x48, 0x85, 0xc0) // test rax, rax
		a.jne("filterfail")
	}

	// execve(argv[1], &argv[2], envp): envp is &argv[argc+1].
	a.emit(0x49, 0x8b, 0x7c, 0x24, 0x10) // mov rdi, [r12+16]
	a.emit(0x49, 0x8d, 0x74, 0x24, 0x18) // lea rsi, [r12+24]
	a.emit(0x49, 0x8b, 0x04, 0x24)       // mov rax, [r12]
	a.emit(0x49, 0x8d, 0x54, 0xc4, 0x10) // lea rdx, [r12+rax*8+16]
	a.movEAX(nrExecve)
	a.syscall()
	// Still here: rax is -errno.
	a.movR13(ad.execMsg)
	a.emit(0x41, 0xbe) // mov r14d, len
	a.imm32(ad.execLen)
	a.emit(0x41, 0xbf) // mov r15d, exit status
	a.imm32(1)
	a.jmp("report")

	a.label("filterfail")
	a.movR13(ad.filterMsg)
	a.emit(0x41, 0xbe) // mov r14d, len
	a.imm32(ad.filterLen)
	a.emit(0x41, 0xbf) // mov r15d, exit status
	a.imm32(StubExitFailure)

	// report: write(2, r13, r14); write(2, strerror(-rax)); write(2, "\n");
	// exit_group(r15).
	a.label("report")
	a.emit(0x48, 0xf7, 0xd8) // neg rax
	a.emit(0x48, 0x89, 0xc3) // mov rbx, rax
	a.movEDI(2)
	a.emit(0x4c, 0x89, 0xee) // mov rsi, r13
	a.emit(0x4c, 0x89, 0xf2) // mov rdx, r14
	a.movEAX(nrWrite)
	a.syscall()
	a.emit(0x48, 0x81, 0xfb) // cmp rbx, 256
	a.imm32(256)
	a.jb("known")
	a.emit(0x31, 0xdb) // xor ebx, ebx
	a.label("known")
	a.movRCX(ad.offs)
	a.emit(0x8b, 0x34, 0x99)       // mov esi, [rcx+rbx*4]
	a.emit(0x8b, 0x54, 0x99, 0x04) // mov edx, [rcx+rbx*4+4]
	a.emit(0x29, 0xf2)             // sub edx, esi
	a.movRAX(ad.texts)
	a.emit(0x48, 0x01, 0xc6) // add rsi, rax
	a.movEDI(2)
	a.movEAX(nrWrite)
	a.syscall()
	a.movEDI(2)
	a.movRSI(ad.nl)
	a.movEDX(1)
	a.movEAX(nrWrite)
	a.syscall()
	a.emit(0x4c, 0x89, 0xff) // mov rdi, r15
	a.movEAX(nrExitGroup)
	a.syscall()

	a.label("quit")
	a.movEDI(StubExitFailure)
	a.movEAX(nrExitGroup)
	a.syscall()

	if err := a.resolve(); err != nil {
		panic(err) // a label missing from the code above: a bug in this file
	}
	return a.b
}

// writeELFHeader fills in the ELF header and the one PT_LOAD program header
// (read and execute, the whole image at stubBase) of an image of size n.
func writeELFHeader(img []byte, n uint64) {
	le := binary.LittleEndian
	copy(img, []byte{0x7f, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* LE */, 1 /* version */, 0 /* SysV */})
	le.PutUint16(img[16:], uint16(unix.ET_EXEC))
	le.PutUint16(img[18:], 62) // EM_X86_64
	le.PutUint32(img[20:], 1)  // EV_CURRENT
	le.PutUint64(img[24:], stubBase+64+56)
	le.PutUint64(img[32:], 64) // e_phoff
	le.PutUint64(img[40:], 0)  // e_shoff: no sections
	le.PutUint32(img[48:], 0)  // e_flags
	le.PutUint16(img[52:], 64) // e_ehsize
	le.PutUint16(img[54:], 56) // e_phentsize
	le.PutUint16(img[56:], 1)  // e_phnum
	le.PutUint16(img[58:], 64) // e_shentsize
	le.PutUint16(img[60:], 0)  // e_shnum
	le.PutUint16(img[62:], 0)  // e_shstrndx
	ph := img[64:]
	le.PutUint32(ph[0:], 1)   // PT_LOAD
	le.PutUint32(ph[4:], 4|1) // PF_R|PF_X
	le.PutUint64(ph[8:], 0)   // p_offset
	le.PutUint64(ph[16:], stubBase)
	le.PutUint64(ph[24:], stubBase)
	le.PutUint64(ph[32:], n) // p_filesz
	le.PutUint64(ph[40:], n) // p_memsz
	le.PutUint64(ph[48:], 0x1000)
}
