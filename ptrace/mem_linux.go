//go:build linux

package ptrace

import (
	"bytes"
	"encoding/binary"
	"os"
	"slices"
	"sync/atomic"
	"syscall"

	"golang.org/x/sys/unix"
)

// noProcessVM records that process_vm_readv/writev failed with ENOSYS (kernel
// without CONFIG_CROSS_MEMORY_ATTACH, or a seccomp policy), so later calls go
// straight to PEEK/POKE. It is a cached probe, never reset.
var noProcessVM atomic.Bool

// ProcessVMWorks reports whether process_vm_readv is in use: false once it
// failed with ENOSYS or EPERM and reads went to PEEKDATA for good. A caller
// that reads whole pages to cache them should not while it is false: a page
// is 512 PEEKDATA requests.
func ProcessVMWorks() bool { return !noProcessVM.Load() }

// fallBack reports whether a process_vm_* failure means "use PEEK/POKE
// instead": ENOSYS (not available), EPERM (the kernel's stricter access check
// for process_vm_*, or seccomp, refused what ptrace allows the tracer).
func fallBack(e syscall.Errno) bool {
	if e == unix.ENOSYS {
		noProcessVM.Store(true)
		return true
	}
	return e == unix.EPERM
}

// ReadMem reads len(p) bytes of the tracee's memory at addr into p and returns
// how many it read. It tries process_vm_readv first, which any thread of the
// tracer may call; it stops at the first unreadable page, and a short read
// returns the bytes read with an EFAULT error. If process_vm_readv is missing
// (ENOSYS) or refused (EPERM), it falls back to PTRACE_PEEKDATA word by word,
// which must be called on the tracer thread: a caller that may be off that
// thread must be ready for ESRCH in that case.
func ReadMem(pid int, addr uint64, p []byte) (int, error) {
	n := 0
	if !noProcessVM.Load() {
		for n < len(p) {
			m, e := processVM(unix.SYS_PROCESS_VM_READV, pid, addr+uint64(n), p[n:])
			if e == 0 && m > 0 {
				n += m
				continue
			}
			if e == 0 {
				e = unix.EFAULT
			}
			if !fallBack(e) {
				return n, &Error{Request: ReqProcessVMReadv, Pid: pid, Err: e}
			}
			break
		}
		if n == len(p) {
			return n, nil
		}
	}
	m, err := peekMem(pid, addr+uint64(n), p[n:], false)
	return n + m, err
}

// WriteMem writes p into the tracee's memory at addr and returns how many
// bytes it wrote. Like [ReadMem] it tries process_vm_writev first (any thread;
// it honours page protections, so it cannot write read-only text: use
// PokeText for that) and falls back on ENOSYS or EPERM to PTRACE_POKEDATA,
// tracer thread only, with a read-modify-write of the first and last word
// when p does not cover them whole.
func WriteMem(pid int, addr uint64, p []byte) (int, error) {
	n := 0
	if !noProcessVM.Load() {
		for n < len(p) {
			m, e := processVM(unix.SYS_PROCESS_VM_WRITEV, pid, addr+uint64(n), p[n:])
			if e == 0 && m > 0 {
				n += m
				continue
			}
			if e == 0 {
				e = unix.EFAULT
			}
			if !fallBack(e) {
				return n, &Error{Request: ReqProcessVMWritev, Pid: pid, Err: e}
			}
			break
		}
		if n == len(p) {
			return n, nil
		}
	}
	m, err := pokeMem(pid, addr+uint64(n), p[n:])
	return n + m, err
}

// putWord stores a PEEK word in the tracee's byte order (the tracer's: the
// kernel will not trace across endianness) into w[:wordSize].
func putWord(w *[8]byte, word uint64) {
	if wordSize == 8 {
		binary.NativeEndian.PutUint64(w[:], word)
	} else {
		binary.NativeEndian.PutUint32(w[:], uint32(word))
	}
}

func getWord(w *[8]byte) uint64 {
	if wordSize == 8 {
		return binary.NativeEndian.Uint64(w[:])
	}
	return uint64(binary.NativeEndian.Uint32(w[:]))
}

// peekMem reads p from addr with aligned PEEKDATA words, so it never touches
// a page that p does not. With stopAtNUL it stops after the first word that
// brings a NUL into p (for ReadString).
func peekMem(pid int, addr uint64, p []byte, stopAtNUL bool) (int, error) {
	var w [8]byte
	n := 0
	for n < len(p) {
		a := addr + uint64(n)
		off := int(a % wordSize)
		word, err := peek(ReqPeekData, pid, a-uint64(off))
		if err != nil {
			return n, err
		}
		putWord(&w, word)
		c := copy(p[n:], w[off:wordSize])
		if stopAtNUL && bytes.IndexByte(p[n:n+c], 0) >= 0 {
			return n + c, nil
		}
		n += c
	}
	return n, nil
}

// pokeMem writes p at addr with aligned POKEDATA words, reading first the
// words p covers only in part.
func pokeMem(pid int, addr uint64, p []byte) (int, error) {
	var w [8]byte
	n := 0
	for n < len(p) {
		a := addr + uint64(n)
		off := int(a % wordSize)
		base := a - uint64(off)
		c := min(wordSize-off, len(p)-n)
		if c < wordSize {
			word, err := peek(ReqPeekData, pid, base)
			if err != nil {
				return n, err // a PTRACE_PEEKDATA error: the word could not be read back
			}
			putWord(&w, word)
		}
		copy(w[off:off+c], p[n:n+c])
		if err := poke(ReqPokeData, pid, base, getWord(&w)); err != nil {
			return n, err
		}
		n += c
	}
	return n, nil
}

// ReadString appends to dst the NUL-terminated string at addr, at most max
// bytes of it, and returns the extended slice; the NUL is not included.
// terminated reports whether a NUL was found within max bytes (to tell a
// string of exactly max bytes from a longer one, ask for max+1). It reads page
// by page, so a string that ends just before an unmapped page is read without
// a fault; an unreadable byte before the NUL returns what was read with the
// error. Memory is read as [ReadMem] does: process_vm_readv from any thread,
// PEEKDATA (word by word, stopping at the NUL) on the tracer thread when that
// is missing or refused. dst's spare capacity is reused, so a caller that
// keeps dst[:0] between calls does not allocate.
func ReadString(pid int, addr uint64, max int, dst []byte) (s []byte, terminated bool, err error) {
	page := uint64(os.Getpagesize())
	for max > 0 {
		chunk := int(min(uint64(max), page-addr%page))
		start := len(dst)
		dst = slices.Grow(dst, chunk)[:start+chunk]
		n, err := readStringChunk(pid, addr, dst[start:])
		if i := bytes.IndexByte(dst[start:start+n], 0); i >= 0 {
			return dst[:start+i], true, nil
		}
		dst = dst[:start+n]
		if err != nil {
			return dst, false, err
		}
		addr += uint64(n)
		max -= n
	}
	return dst, false, nil
}

// readStringChunk fills p (which lies within one page of the tracee) or, in
// PEEK mode, stops at the word holding a NUL.
func readStringChunk(pid int, addr uint64, p []byte) (int, error) {
	if !noProcessVM.Load() {
		n, e := processVM(unix.SYS_PROCESS_VM_READV, pid, addr, p)
		if e == 0 && n > 0 {
			return n, nil
		}
		if e == 0 {
			e = unix.EFAULT
		}
		if !fallBack(e) {
			return 0, &Error{Request: ReqProcessVMReadv, Pid: pid, Err: e}
		}
	}
	return peekMem(pid, addr, p, true)
}
