package tracer

import (
	"bufio"
	hexenc "encoding/hex"
	"net"
	"os"
	"strconv"
	"strings"
)

// socketInfo describes the socket "socket:[INODE]" of task pid as strace's
// -yy does, from the task's /proc/PID/net tables: "TCP:[10.0.0.1:5000->
// 10.0.0.2:80]", "UDP:[0.0.0.0:53]", "UNIX:[12345->12346]" ... or "" when
// the socket is of a kind not listed there.
func socketInfo(pid int, target string) string {
	inode := strings.TrimSuffix(strings.TrimPrefix(target, "socket:["), "]")
	base := "/proc/" + strconv.Itoa(pid) + "/net/"
	for _, t := range []struct{ file, proto string }{
		{"tcp", "TCP"}, {"tcp6", "TCPv6"}, {"udp", "UDP"}, {"udp6", "UDPv6"},
	} {
		if s, ok := inetSocket(base+t.file, t.proto, inode); ok {
			return s
		}
	}
	if s, ok := unixSocket(base+"unix", inode); ok {
		return s
	}
	return ""
}

// inetSocket looks inode up in a /proc/net/{tcp,udp}[6] table.
func inetSocket(path, proto, inode string) (string, bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 10 || fields[9] != inode {
			continue
		}
		local, remote := procAddr(fields[1]), procAddr(fields[2])
		if remote == "" || strings.HasSuffix(fields[2], ":0000") {
			return proto + ":[" + local + "]", true
		}
		return proto + ":[" + local + "->" + remote + "]", true
	}
	return "", false
}

// procAddr turns /proc/net's "0100007F:1F90" into "127.0.0.1:8080".
func procAddr(s string) string {
	ip, port, ok := strings.Cut(s, ":")
	if !ok {
		return ""
	}
	raw, err := hexenc.DecodeString(ip)
	if err != nil {
		return ""
	}
	// The address words are in host (little-endian) order.
	for i := 0; i+4 <= len(raw); i += 4 {
		raw[i], raw[i+1], raw[i+2], raw[i+3] = raw[i+3], raw[i+2], raw[i+1], raw[i]
	}
	p, err := strconv.ParseUint(port, 16, 16)
	if err != nil {
		return ""
	}
	addr := net.IP(raw).String()
	if len(raw) == 16 {
		addr = "[" + addr + "]"
	}
	return addr + ":" + strconv.FormatUint(p, 10)
}

// unixSocket looks inode up in /proc/net/unix: "UNIX:[INODE,"PATH"]".
func unixSocket(path, inode string) (string, bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 7 || fields[6] != inode {
			continue
		}
		s := "UNIX:[" + inode
		if len(fields) > 7 {
			s += "," + strconv.Quote(fields[7])
		}
		return s + "]", true
	}
	return "", false
}
