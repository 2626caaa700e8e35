package tracer

import (
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/sonde-dev/sonde/filter"
)

// procInfo answers -y and -Y from /proc while the task is stopped.
type procInfo struct {
	fds     *filter.Numbers // what to show about descriptors (decode-fds)
	buf     []byte
	pathBuf [unix.PathMax]byte
}

// FDInfo appends what fd of task pid refers to: its path, "pipe:[1234]",
// "socket:[5678]"; with decode-fds=dev a device's type and numbers
// ("/dev/null<char 1:3>"), with socket the socket's protocol and addresses
// ("TCP:[127.0.0.1:40000->127.0.0.1:80]").
func (p *procInfo) FDInfo(pid, fd int, dst []byte) []byte {
	p.buf = append(p.buf[:0], "/proc/"...)
	p.buf = strconv.AppendInt(p.buf, int64(pid), 10)
	if fd == -100 { // AT_FDCWD
		p.buf = append(p.buf, "/cwd"...)
	} else {
		p.buf = append(p.buf, "/fd/"...)
		p.buf = strconv.AppendInt(p.buf, int64(fd), 10)
	}
	n, err := unix.Readlink(string(p.buf), p.pathBuf[:])
	if err != nil || n <= 0 {
		return dst
	}
	target := p.pathBuf[:n]
	if p.fds.Has(filter.DecodeFDSocket) && strings.HasPrefix(string(target), "socket:[") {
		if s := socketInfo(pid, string(target)); s != "" {
			return appendFDPath(dst, []byte(s))
		}
	}
	dst = appendFDPath(dst, target)
	if p.fds.Has(filter.DecodeFDDev) && len(target) > 0 && target[0] == '/' {
		var st unix.Stat_t
		if unix.Stat(string(p.buf), &st) == nil {
			kind := ""
			switch st.Mode & unix.S_IFMT {
			case unix.S_IFCHR:
				kind = "char"
			case unix.S_IFBLK:
				kind = "block"
			}
			if kind != "" {
				dst = append(dst, '<')
				dst = append(dst, kind...)
				dst = append(dst, ' ')
				dst = strconv.AppendUint(dst, uint64(unix.Major(st.Rdev)), 10)
				dst = append(dst, ':')
				dst = strconv.AppendUint(dst, uint64(unix.Minor(st.Rdev)), 10)
				dst = append(dst, '>')
			}
		}
	}
	return dst
}

// appendFDPath appends a descriptor's path as strace prints it inside
// <...>: printable bytes as they are; other bytes, and '<', '>' and '\',
// as \xHH.
func appendFDPath(dst, path []byte) []byte {
	const hex = "0123456789abcdef"
	for _, c := range path {
		if c < 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '\\' {
			dst = append(dst, '\\', 'x', hex[c>>4], hex[c&15])
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

// Comm appends the command name of process pid (-Y).
func (p *procInfo) Comm(pid int, dst []byte) []byte {
	p.buf = append(p.buf[:0], "/proc/"...)
	p.buf = strconv.AppendInt(p.buf, int64(pid), 10)
	p.buf = append(p.buf, "/comm"...)
	data, err := os.ReadFile(string(p.buf))
	if err != nil {
		return dst
	}
	return append(dst, strings.TrimRight(string(data), "\n")...)
}
