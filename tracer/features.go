package tracer

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/ptrace"
	"github.com/sonde-dev/sonde/sysent"
)

// pathMatcher decides -P: whether a syscall uses one of the paths.
type pathMatcher struct {
	patterns []string
	buf      []byte
	link     [4096]byte
}

func newPathMatcher(paths []string) *pathMatcher {
	if len(paths) == 0 {
		return nil
	}
	m := &pathMatcher{}
	for _, p := range paths {
		m.patterns = append(m.patterns, p)
		// strace resolves the path it is given: /tmp/x matches the file a
		// symlink /tmp/x points to, as the kernel sees it.
		if !strings.ContainsAny(p, "*?[") {
			if r, err := filepath.EvalSymlinks(p); err == nil && r != p {
				m.patterns = append(m.patterns, r)
			}
		}
	}
	return m
}

func (m *pathMatcher) match(p string) bool {
	for _, pat := range m.patterns {
		if pat == p {
			return true
		}
		if ok, err := filepath.Match(pat, p); err == nil && ok {
			return true
		}
	}
	return false
}

// uses reports whether the call names a matching path: a path argument, or
// a descriptor argument that refers to a matching file.
func (m *pathMatcher) uses(pid int, c *decode.Call) bool {
	if c.Entry == nil {
		return false
	}
	for i, k := range c.Entry.Args {
		if i >= 6 {
			break
		}
		switch k {
		case sysent.ArgPath:
			addr := c.Arch.Mask(c.Args[i])
			if addr == 0 {
				continue
			}
			s, _, err := ptrace.ReadString(pid, addr, decode.PathMax, m.buf[:0])
			m.buf = s
			if err == nil && m.match(string(s)) {
				return true
			}
		case sysent.ArgFD, sysent.ArgDirFD:
			fd := int32(c.Args[i])
			if fd < 0 {
				continue
			}
			name := "/proc/" + strconv.Itoa(pid) + "/fd/" + strconv.Itoa(int(fd))
			if target, err := os.Readlink(name); err == nil && m.match(target) {
				return true
			}
		}
	}
	return false
}

// dumpKind says how a syscall's data is dumped for -e read= / -e write=.
type dumpKind uint8

const (
	dumpNone  dumpKind = iota
	dumpBuf            // the buffer at argument 1, as many bytes as returned
	dumpIovec          // the iovec array at argument 1, argument 2 entries
)

var readDumps = map[string]dumpKind{
	"read": dumpBuf, "pread64": dumpBuf, "recvfrom": dumpBuf, "recv": dumpBuf,
	"readv": dumpIovec, "preadv": dumpIovec, "preadv2": dumpIovec,
}

var writeDumps = map[string]dumpKind{
	"write": dumpBuf, "pwrite64": dumpBuf, "sendto": dumpBuf, "send": dumpBuf,
	"writev": dumpIovec, "pwritev": dumpIovec, "pwritev2": dumpIovec,
}

// maxDump bounds the bytes one syscall's dump holds.
const maxDump = 1 << 20

// dump fills ev.Dump with the data a read or write moved, when its
// descriptor is in -e read= or -e write=.
func (t *Tracer) dump(pid int, c *decode.Call, ev *Event) {
	f := t.cfg.Filter
	if c.Entry == nil || c.IsError || c.Rval <= 0 || (f.Read == nil && f.Write == nil) {
		return
	}
	fd := int(int32(c.Args[0]))
	kind := dumpNone
	if f.Read != nil && f.Read.Has(fd) {
		kind = readDumps[c.Entry.Name]
	}
	if kind == dumpNone && f.Write != nil && f.Write.Has(fd) {
		kind = writeDumps[c.Entry.Name]
	}
	n := int(min(c.Rval, maxDump))
	switch kind {
	case dumpBuf:
		t.dumpBuf = append(t.dumpBuf[:0], make([]byte, n)...)
		got, _ := ptrace.ReadMem(pid, c.Arch.Mask(c.Args[1]), t.dumpBuf)
		ev.Dump = t.dumpBuf[:got]
	case dumpIovec:
		t.dumpBuf, t.dumpSegs = t.dumpBuf[:0], t.dumpSegs[:0]
		ws := uint64(c.Arch.WordSize)
		iov, cnt := c.Arch.Mask(c.Args[1]), min(c.Arch.Mask(c.Args[2]), 1024)
		var w [16]byte
		for i := uint64(0); i < cnt && n > 0; i++ {
			if got, _ := ptrace.ReadMem(pid, iov+i*2*ws, w[:2*ws]); got != int(2*ws) {
				break
			}
			base, size := word(w[:ws]), word(w[ws:2*ws])
			take := int(min(size, uint64(n)))
			off := len(t.dumpBuf)
			t.dumpBuf = append(t.dumpBuf, make([]byte, take)...)
			got, _ := ptrace.ReadMem(pid, base, t.dumpBuf[off:])
			t.dumpBuf = t.dumpBuf[:off+got]
			t.dumpSegs = append(t.dumpSegs, got)
			n -= take
		}
		ev.Dump, ev.DumpSegs = t.dumpBuf, t.dumpSegs
	}
}

func word(b []byte) uint64 {
	var v uint64
	for i := len(b) - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}
