package audit

import (
	"fmt"
	"strings"
)

// Severity ranks a finding by how much it helps one process take over
// another through ptrace and its relatives.
type Severity int

// The severities, lowest first.
const (
	Info Severity = iota
	Low
	Medium
	High
)

var severityNames = [...]string{"info", "low", "medium", "high"}

// String returns the severity's name: "info", "low", "medium", "high".
func (s Severity) String() string {
	if s >= 0 && int(s) < len(severityNames) {
		return severityNames[s]
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity's name.
func (s *Severity) UnmarshalText(b []byte) error {
	for i, n := range severityNames {
		if string(b) == n {
			*s = Severity(i)
			return nil
		}
	}
	return fmt.Errorf("unknown severity %q", b)
}

// Finding is one fact about the host's ptrace posture: what was found, the
// evidence it rests on (what was read, as read), and what to do about it.
type Finding struct {
	ID       string   `json:"id"` // stable: "yama.absent", "sysctl.kernel.perf_event_paranoid"
	Severity Severity `json:"severity"`
	Title    string   `json:"title"`
	Evidence []string `json:"evidence"`
	Action   string   `json:"action,omitempty"` // "" when there is nothing to do
}

// Report is the whole audit.
type Report struct {
	Kernel    string     `json:"kernel"` // /proc/sys/kernel/osrelease
	Findings  []Finding  `json:"findings"`
	Container *Container `json:"container,omitempty"`
	Tracing   *Tracing   `json:"tracing,omitempty"`
}

// Count returns how many findings have severity sev.
func (r *Report) Count(sev Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == sev {
			n++
		}
	}
	return n
}

// Find returns the first finding whose ID starts with prefix, or nil.
func (r *Report) Find(prefix string) *Finding {
	for i := range r.Findings {
		if strings.HasPrefix(r.Findings[i].ID, prefix) {
			return &r.Findings[i]
		}
	}
	return nil
}
