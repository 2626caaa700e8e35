package ptrace

import (
	"encoding/binary"
	"math/bits"
)

// SiginfoSize is sizeof(siginfo_t) on every Linux architecture.
const SiginfoSize = 128

// Siginfo is a raw siginfo_t as [GetSiginfo] returns it. The kernel lays it
// out for the tracer, not the tracee: on a 64-bit tracer (the supported case)
// the union starts at byte 16, on a 32-bit tracer at byte 12; the accessors
// below follow the tracer's layout.
type Siginfo struct {
	raw [SiginfoSize]byte
}

// siginfoUnion is the offset of the union after si_signo, si_errno, si_code
// (and padding to pointer alignment on 64-bit).
const siginfoUnion = 12 + 4*(bits.UintSize/64)

// Signo returns si_signo.
func (s *Siginfo) Signo() int32 { return int32(binary.NativeEndian.Uint32(s.raw[0:])) }

// Errno returns si_errno.
func (s *Siginfo) Errno() int32 { return int32(binary.NativeEndian.Uint32(s.raw[4:])) }

// Code returns si_code: SI_USER (0), SI_KERNEL (0x80), SI_TKILL (-6), ... or a
// signal-specific code; a ptrace event stop's SIGTRAP has SIGTRAP|event<<8.
func (s *Siginfo) Code() int32 { return int32(binary.NativeEndian.Uint32(s.raw[8:])) }

// Pid returns si_pid, meaningful for signals sent by kill/tkill/sigqueue
// (Code <= 0) and SIGCHLD.
func (s *Siginfo) Pid() int32 {
	return int32(binary.NativeEndian.Uint32(s.raw[siginfoUnion:]))
}

// Uid returns si_uid, meaningful where Pid is.
func (s *Siginfo) Uid() uint32 { return binary.NativeEndian.Uint32(s.raw[siginfoUnion+4:]) }

// Addr returns si_addr, meaningful for SIGSEGV, SIGBUS, SIGILL, SIGFPE and
// SIGTRAP raised by a fault (Code > 0).
func (s *Siginfo) Addr() uint64 {
	if bits.UintSize == 32 {
		return uint64(binary.NativeEndian.Uint32(s.raw[siginfoUnion:]))
	}
	return binary.NativeEndian.Uint64(s.raw[siginfoUnion:])
}

// Raw returns the 128 bytes themselves (not a copy).
func (s *Siginfo) Raw() []byte { return s.raw[:] }
