package xlat

import (
	"bufio"
	"bytes"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

func TestErrno(t *testing.T) {
	cases := []struct {
		n    uint64
		name string // "" when strace prints (errno N)
		desc string
	}{
		{1, "EPERM", "Operation not permitted"},
		{2, "ENOENT", "No such file or directory"},
		{11, "EAGAIN", "Resource temporarily unavailable"},
		{35, "EDEADLK", "Resource deadlock avoided"},
		{38, "ENOSYS", "Function not implemented"},
		{41, "", "Unknown error 41"},
		{58, "", "Unknown error 58"},
		{95, "EOPNOTSUPP", "Operation not supported"},
		{133, "EHWPOISON", "Memory page has hardware error"},
		{134, "", "Unknown error 134"},
		{511, "", "Unknown error 511"},
		{512, "ERESTARTSYS", "To be restarted if SA_RESTART is set"},
		{513, "ERESTARTNOINTR", "To be restarted"},
		{514, "ERESTARTNOHAND", "To be restarted if no handler"},
		{515, "ENOIOCTLCMD", "Unknown error 515"},
		{516, "ERESTART_RESTARTBLOCK", "Interrupted by signal"},
		{517, "EPROBE_DEFER", "Unknown error 517"},
		{518, "EOPENSTALE", "Unknown error 518"},
		{519, "", "Unknown error 519"}, // ENOPARAM: unknown to strace 6.1
		{520, "", "Unknown error 520"},
		{521, "EBADHANDLE", "Unknown error 521"},
		{524, "ENOTSUPP", "Unknown error 524"},
		{528, "EJUKEBOX", "Unknown error 528"},
		{530, "ERECALLCONFLICT", "Unknown error 530"},
		{531, "", "Unknown error 531"}, // ENOGRACE: unknown to strace 6.1
		{4095, "", "Unknown error 4095"},
	}
	for _, c := range cases {
		name, ok := ErrnoName(c.n)
		if name != c.name || ok != (c.name != "") {
			t.Errorf("ErrnoName(%d) = %q, %v; want %q", c.n, name, ok, c.name)
		}
		if got := ErrnoDesc(c.n); got != c.desc {
			t.Errorf("ErrnoDesc(%d) = %q, want %q", c.n, got, c.desc)
		}
	}
	for n := uint64(500); n < 600; n++ {
		want := n == 512 || n == 513 || n == 514 || n == 516
		if IsRestartErrno(n) != want {
			t.Errorf("IsRestartErrno(%d) = %v", n, !want)
		}
	}
}

// TestErrnoDescMatchesGlibc compares ErrnoDesc(1..133) with this machine's
// strerror, through python3's os.strerror (which calls it).
func TestErrnoDescMatchesGlibc(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found in PATH: cannot read this machine's strerror texts")
	}
	out, err := exec.Command(py, "-c",
		"import os\nfor n in range(1, 134): print(n, os.strerror(n))").Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	seen := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		num, text, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			t.Fatalf("bad python3 line %q", sc.Text())
		}
		n, err := strconv.ParseUint(num, 10, 64)
		if err != nil {
			t.Fatalf("bad python3 line %q", sc.Text())
		}
		seen++
		if got := ErrnoDesc(n); got != text {
			t.Errorf("ErrnoDesc(%d) = %q, strerror says %q", n, got, text)
		}
	}
	if seen != 133 {
		t.Fatalf("python3 printed %d errnos, want 133", seen)
	}
}
