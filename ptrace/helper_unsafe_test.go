//go:build linux

package ptrace

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Text the memory helper places in its mappings.
const (
	helperEnv    = "SONDE_PTRACE_TEST_HELPER"
	helperMarker = "sonde marker: hello, tracer"
	helperMarkAt = 3 // unaligned on purpose
	helperEdge   = "edge of the mapping"
	helperWrite  = 1000 // offset of a scratch area for writes
)

// memHelper runs in a child started by startMemHelper. It maps four pages,
// writes into them, then unmaps pages 1 and 3, leaving:
//
//	page 0 at helperMarkAt: helperMarker NUL
//	page 0 at its end:      helperEdge NUL, the NUL being the page's last byte
//	page 2 at its end:      64 'x' with no NUL before the hole at page 3
//
// It prints the addresses of pages 0 and 2 and waits for stdin to close.
func memHelper() int {
	ps := os.Getpagesize()
	b, err := unix.Mmap(-1, 0, 4*ps, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mmap:", err)
		return 2
	}
	copy(b[helperMarkAt:], helperMarker+"\x00")
	copy(b[ps-len(helperEdge)-1:], helperEdge+"\x00")
	for i := 3*ps - 64; i < 3*ps; i++ {
		b[i] = 'x'
	}
	base := uint64(uintptr(unsafe.Pointer(&b[0])))
	// Holes, not PROT_NONE: PEEKDATA (FOLL_FORCE) reads PROT_NONE pages.
	// unix.Munmap unmaps whole mappings only, hence the raw call.
	for _, pg := range []int{1, 3} {
		if _, _, e := unix.Syscall(unix.SYS_MUNMAP, uintptr(unsafe.Pointer(&b[pg*ps])), uintptr(ps), 0); e != 0 {
			fmt.Fprintln(os.Stderr, "munmap:", e)
			return 2
		}
	}
	fmt.Printf("%d %d\n", base, base+uint64(2*ps))
	_, _ = io.Copy(io.Discard, os.Stdin)
	runtime.KeepAlive(b)
	return 0
}
