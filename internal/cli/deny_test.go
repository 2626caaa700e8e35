package cli

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestDenyInProcess runs commands under `sonde deny` from this test binary
// (which is also the deny stub): the exit status and the death signal come
// through, and the command runs with NO_NEW_PRIVS and a filter.
func TestDenyInProcess(t *testing.T) {
	if code, _, stderr := runMain(t, "sonde", "deny", "sh", "-c", "exit 3"); code != 3 {
		t.Errorf("exit %d (%q), want 3", code, stderr)
	}
	code, out, stderr := runMain(t, "sonde", "deny", "--", "grep", "-E", "^(NoNewPrivs|Seccomp):", "/proc/self/status")
	if code != 0 || !strings.Contains(out, "NoNewPrivs:\t1") || !strings.Contains(out, "Seccomp:\t2") {
		t.Errorf("exit %d, stdout %q, stderr %q; want NoNewPrivs 1 and Seccomp 2", code, out, stderr)
	}
}

func TestDenyPrintProfile(t *testing.T) {
	code, out, stderr := runMain(t, "sonde", "deny", "--print-profile")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var p struct {
		Architectures []string `json:"architectures"`
		Syscalls      []struct {
			Names []string `json:"names"`
		} `json:"syscalls"`
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(p.Architectures) < 2 || len(p.Syscalls) != 1 || !slices.Contains(p.Syscalls[0].Names, "ptrace") {
		t.Errorf("profile %s", out)
	}
	if _, _, stderr := runMain(t, "sonde", "deny", "--print-profile", "--proc-mem"); !strings.Contains(stderr, "cannot express --proc-mem") {
		t.Errorf("--proc-mem with --print-profile: stderr %q, want a note", stderr)
	}
}
