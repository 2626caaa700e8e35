package cli

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// runMain runs sonde with argv in process and returns its exit status,
// stdout and stderr.
func runMain(t *testing.T, argv ...string) (int, string, string) {
	t.Helper()
	stdio, stderr := testStdio(t)
	code := Main(context.Background(), argv, stdio)
	out, err := os.ReadFile(stdio.Out.Name())
	if err != nil {
		t.Fatal(err)
	}
	return code, string(out), stderr()
}

func TestDefendUsage(t *testing.T) {
	tests := []struct {
		argv []string
		code int
		err  string
	}{
		{[]string{"sonde", "audit", "--bogus"}, 1, "sonde audit: unrecognized option '--bogus'\nTry 'sonde audit -h' for more information.\n"},
		{[]string{"sonde", "audit", "extra"}, 1, "sonde audit: unexpected argument 'extra'\n"},
		{[]string{"sonde", "ps", "-x"}, 1, "sonde ps: invalid option -- 'x'\n"},
		{[]string{"sonde", "explain"}, 1, "sonde explain: must have PID\n"},
		{[]string{"sonde", "explain", "abc"}, 1, "sonde explain: invalid PID 'abc'\n"},
		{[]string{"sonde", "explain", "1", "2"}, 1, "sonde explain: unexpected argument '2'\n"},
		{[]string{"sonde", "explain", "999999999"}, 1, "sonde explain: 999999999: No such process\n"},
		{[]string{"sonde", "deny"}, 1, "sonde deny: must have CMD [ARGS]\n"},
		{[]string{"sonde", "deny", "--", "no-such-program-here"}, 127, "sonde deny: no-such-program-here: No such file or directory\n"},
	}
	for _, tt := range tests {
		code, _, stderr := runMain(t, tt.argv...)
		if code != tt.code || !strings.HasPrefix(stderr, tt.err) {
			t.Errorf("%q: exit %d, stderr %q; want %d, %q", tt.argv, code, stderr, tt.code, tt.err)
		}
	}
	for _, cmd := range []string{"audit", "ps", "explain", "deny"} {
		code, out, _ := runMain(t, "sonde", cmd, "-h")
		if code != 0 || !strings.HasPrefix(out, "usage: sonde "+cmd+" ") {
			t.Errorf("sonde %s -h: exit %d, stdout %q", cmd, code, out)
		}
	}
}

// TestAuditJSON: --json is one object with a findings array; each finding
// has an id, a severity, a title and evidence; the Yama finding is there;
// --strict fails exactly when a finding is high.
func TestAuditJSON(t *testing.T) {
	code, out, stderr := runMain(t, "sonde", "audit", "--json")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var r struct {
		Findings []struct {
			ID, Severity, Title string
			Evidence            []string
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	high, yama := 0, false
	for _, f := range r.Findings {
		if f.ID == "" || f.Title == "" || len(f.Evidence) == 0 {
			t.Errorf("incomplete finding %+v", f)
		}
		if f.Severity == "high" {
			high++
		}
		yama = yama || strings.HasPrefix(f.ID, "yama.")
	}
	if !yama {
		t.Error("no Yama finding")
	}
	code, _, stderr = runMain(t, "sonde", "audit", "--strict")
	if (code != 0) != (high > 0) {
		t.Errorf("--strict exit %d (%q) with %d high findings", code, stderr, high)
	}
}
