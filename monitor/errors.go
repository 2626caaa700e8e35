package monitor

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Match them with errors.Is.
var (
	// ErrPrivileges: the caller lacks root, or CAP_BPF with CAP_PERFMON
	// (Linux 5.8), which loading tracing programs takes. The kernel's
	// EPERM, when there was one, is wrapped too.
	ErrPrivileges = errors.New("requires root, or CAP_BPF and CAP_PERFMON")
	// ErrNoProgram: no program type in the fallback chain could be
	// loaded and attached; the joined TierErrors say why each failed.
	ErrNoProgram = errors.New("no program type could be loaded and attached")
	// ErrArch: sonde watch has no description of this GOARCH's system calls.
	ErrArch = errors.New("architecture not supported")
)

// TierError is the failure of one program type in the fallback chain: the
// stage ("btf", "tracefs", "maps", "load", "attach") and the cause, which
// wraps the kernel's errno (errors.Is(err, unix.EPERM) works).
type TierError struct {
	Tier  Tier
	Stage string
	Err   error
}

// Error formats as "tp_btf: load: CAUSE". cilium/ebpf's suggestion to raise
// RLIMIT_MEMLOCK, which it adds to any EPERM, is left out: Open removes that
// limit first, and Linux 5.11 and later charge BPF memory to the cgroup.
func (e *TierError) Error() string {
	msg := "<nil>"
	if e.Err != nil {
		msg = strings.Replace(e.Err.Error(), " (MEMLOCK may be too low, consider rlimit.RemoveMemlock)", "", 1)
	}
	return fmt.Sprintf("%s: %s: %s", e.Tier, e.Stage, msg)
}

// Unwrap returns the cause.
func (e *TierError) Unwrap() error { return e.Err }
