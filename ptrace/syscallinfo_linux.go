//go:build linux

package ptrace

import "encoding/binary"

// The op values of struct ptrace_syscall_info.
const (
	SyscallInfoNone    = 0 // not a syscall stop (signal, event or interrupt stop)
	SyscallInfoEntry   = 1 // syscall-entry stop
	SyscallInfoExit    = 2 // syscall-exit stop
	SyscallInfoSeccomp = 3 // PTRACE_EVENT_SECCOMP stop
)

// syscallInfoSize is sizeof(struct ptrace_syscall_info) in
// include/uapi/linux/ptrace.h: 24 bytes of header and a 64-byte union.
const syscallInfoSize = 88

// SyscallInfo is struct ptrace_syscall_info, decoded. The fields the op does
// not fill are zero.
type SyscallInfo struct {
	Op                 uint8  // SyscallInfoNone, Entry, Exit or Seccomp
	Arch               uint32 // AUDIT_ARCH_* of the tracee at this stop (i386: 0x40000003)
	InstructionPointer uint64
	StackPointer       uint64
	Nr                 uint64    // entry, seccomp: the syscall number in Arch's table
	Args               [6]uint64 // entry, seccomp: the arguments, zero-extended
	RetData            uint32    // seccomp: SECCOMP_RET_DATA of the filter's verdict
	Rval               int64     // exit: the return value, or -errno when IsError
	IsError            bool      // exit: Rval is -errno
}

// GetSyscallInfo fills info with the syscall the tracee is stopped at
// (PTRACE_GET_SYSCALL_INFO, Linux 5.3; older kernels fail with EIO). Op tells
// entry from exit without keeping state; at a stop that is not a syscall stop
// Op is SyscallInfoNone and only Arch and the pointers are set. It must be
// called on the tracer thread. Hot path: a raw system call into a buffer on
// the stack, no allocation unless it fails.
func GetSyscallInfo(pid int, info *SyscallInfo) error {
	var buf [syscallInfoSize]byte
	if _, e := rawGetSyscallInfo(pid, &buf); e != 0 {
		return &Error{Request: ReqGetSyscallInfo, Pid: pid, Err: e}
	}
	info.decode(&buf)
	return nil
}

// decode fills s from the kernel's record. The layout is fixed-width and the
// same for every tracer, so only the byte order is native.
func (s *SyscallInfo) decode(b *[syscallInfoSize]byte) {
	ne := binary.NativeEndian
	*s = SyscallInfo{
		Op:                 b[0],
		Arch:               ne.Uint32(b[4:]),
		InstructionPointer: ne.Uint64(b[8:]),
		StackPointer:       ne.Uint64(b[16:]),
	}
	switch s.Op {
	case SyscallInfoEntry, SyscallInfoSeccomp:
		s.Nr = ne.Uint64(b[24:])
		for i := range s.Args {
			s.Args[i] = ne.Uint64(b[32+8*i:])
		}
		if s.Op == SyscallInfoSeccomp {
			s.RetData = ne.Uint32(b[80:])
		}
	case SyscallInfoExit:
		s.Rval = int64(ne.Uint64(b[24:]))
		s.IsError = b[32] != 0
	}
}
