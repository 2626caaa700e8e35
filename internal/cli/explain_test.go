package cli

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestExplainSelf: sonde cannot attach to itself, and says it is the
// same-thread-group check, in text and in JSON.
func TestExplainSelf(t *testing.T) {
	pid := strconv.Itoa(os.Getpid())
	code, out, _ := runMain(t, "sonde", "explain", pid)
	if code != 1 {
		t.Errorf("exit %d, want 1 (refused)", code)
	}
	for _, want := range []string{"sonde cannot attach to " + pid + " (", "): it is sonde itself\n", "refused by: same-thread-group\n",
		"checks, in the kernel's order:\n", "  FAIL     same-thread-group  it is sonde itself\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runMain(t, "sonde", "explain", "--json", pid)
	var r struct {
		Outcome, RefusedBy, Cause string
		Checks                    []struct{ Check, Verdict string }
	}
	if err := json.Unmarshal([]byte(strings.NewReplacer(`"refused_by"`, `"RefusedBy"`).Replace(out)), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if code != 1 || r.Outcome != "refused" || r.RefusedBy != "same-thread-group" || len(r.Checks) < 8 || r.Checks[0].Check != "seccomp" {
		t.Errorf("exit %d, %+v", code, r)
	}
}
