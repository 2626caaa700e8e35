package cli

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// stdio returns files for a command's standard streams and a function that
// reads back what was written to stderr.
func testStdio(t *testing.T) (Stdio, func() string) {
	t.Helper()
	dir := t.TempDir()
	open := func(name string) *os.File {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	in, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close() })
	errf := open("stderr")
	return Stdio{In: in, Out: open("stdout"), Err: errf}, func() string {
		b, _ := os.ReadFile(errf.Name())
		return string(b)
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		argv []string
		want string
	}{
		{[]string{"sonde", "trace"}, "sonde trace: must have PROG [ARGS] or -p PID\nTry 'sonde trace -h' for more information.\n"},
		{[]string{"strace"}, "strace: must have PROG [ARGS] or -p PID\nTry 'strace -h' for more information.\n"},
		{[]string{"/usr/local/bin/strace", "-Q", "true"}, "strace: invalid option -- 'Q'\nTry 'strace -h' for more information.\n"},
		{[]string{"sonde", "trace", "--nosuch", "true"}, "sonde trace: unrecognized option '--nosuch'\nTry 'sonde trace -h' for more information.\n"},
		{[]string{"sonde", "trace", "-s", "x", "true"}, "sonde trace: invalid -s argument: 'x'\nTry 'sonde trace -h' for more information.\n"},
		{[]string{"sonde", "trace", "-o"}, "sonde trace: option requires an argument -- 'o'\nTry 'sonde trace -h' for more information.\n"},
		{[]string{"sonde", "trace", "no-such-program-here"}, "sonde trace: Can't stat 'no-such-program-here': No such file or directory\n"},
		{[]string{"sonde", "trace", "./no/such/file"}, "sonde trace: Can't stat './no/such/file': No such file or directory\n"},
		{[]string{"sonde", "frobnicate"}, "sonde: unknown command \"frobnicate\"\n"},
	}
	for _, tt := range tests {
		stdio, stderr := testStdio(t)
		if code := Main(context.Background(), tt.argv, stdio); code != 1 {
			t.Errorf("%v: exit %d, want 1", tt.argv, code)
		}
		if got := stderr(); !strings.HasPrefix(got, tt.want) {
			t.Errorf("%v: stderr\n%q\nwant it to start with\n%q", tt.argv, got, tt.want)
		}
	}
}

func TestLookPath(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "prog")
	if err := os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(dir, "notexec")
	if err := os.WriteFile(plain, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", "/nonexistent:"+dir)
	if got, err := lookPath("prog"); err != nil || got != exe {
		t.Errorf("lookPath(prog) = %q, %v; want %q", got, err, exe)
	}
	if _, err := lookPath("notexec"); err == nil {
		t.Error("lookPath found a file that is not executable")
	}
	if got, err := lookPath(plain); err != nil || got != plain {
		t.Errorf("a path with a slash is used as is: got %q, %v", got, err)
	}
}

func TestParsePids(t *testing.T) {
	got, err := parsePids([]string{"1,2", "3 4", "5"})
	if err != nil || len(got) != 5 || got[0] != 1 || got[4] != 5 {
		t.Errorf("parsePids = %v, %v; want [1 2 3 4 5]", got, err)
	}
	for _, bad := range []string{"x", "0", "-3", "1,,y"} {
		if _, err := parsePids([]string{bad}); err == nil || !strings.Contains(err.Error(), "Invalid process id") {
			t.Errorf("parsePids(%q) = %v, want Invalid process id", bad, err)
		}
	}
	if _, err := parsePids([]string{strconv.Itoa(os.Getpid())}); err == nil {
		t.Error("attaching to sonde itself was accepted")
	}
}
