package cli

import (
	"encoding/json"
	"testing"
)

func TestPsJSON(t *testing.T) {
	code, out, stderr := runMain(t, "sonde", "ps", "--json")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var r struct {
		Traces              []json.RawMessage `json:"traces"`
		PidNamespace        uint64            `json:"pid_namespace"`
		InitialPidNamespace *bool             `json:"initial_pid_namespace"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if r.Traces == nil || r.PidNamespace == 0 || r.InitialPidNamespace == nil {
		t.Errorf("ps --json %s: want traces, pid_namespace and initial_pid_namespace", out)
	}
}
