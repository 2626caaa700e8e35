package cli

import (
	"strings"
	"testing"
)

// TestWatchUsage: bad flags and arguments end with status 1 and a message
// before anything is loaded; -h prints the synopsis.
func TestWatchUsage(t *testing.T) {
	for _, tt := range []struct {
		argv []string
		err  string
	}{
		{[]string{"sonde", "watch", "extra"}, "sonde watch: unexpected argument 'extra'\n"},
		{[]string{"sonde", "watch", "--duration", "-1s"}, "sonde watch: invalid duration '-1s'\n"},
		{[]string{"sonde", "watch", "--duration", "soon"}, "sonde watch: invalid --duration argument: 'soon'"},
		{[]string{"sonde", "watch", "--program", "lsm"}, "sonde watch: invalid program type 'lsm'\n"},
		{[]string{"sonde", "watch", "--buffer-size", "3"}, "sonde watch: invalid buffer size 3 MiB: a power of two up to 4096\n"},
		{[]string{"sonde", "watch", "--stats", "-1s"}, "sonde watch: invalid stats interval '-1s'\n"},
		{[]string{"sonde", "watch", "--bogus"}, "sonde watch: unrecognized option '--bogus'\n"},
	} {
		code, _, stderr := runMain(t, tt.argv...)
		if code != 1 || !strings.HasPrefix(stderr, tt.err) {
			t.Errorf("%q: exit %d, stderr %q; want 1, %q", tt.argv, code, stderr, tt.err)
		}
	}
	code, out, _ := runMain(t, "sonde", "watch", "-h")
	if code != 0 || !strings.HasPrefix(out, "usage: sonde watch [--json] [--duration D] [--alerts-only]\n") ||
		!strings.Contains(out, "--program") || !strings.Contains(out, "--buffer-size") {
		t.Errorf("sonde watch -h: exit %d, stdout %q", code, out)
	}
}
