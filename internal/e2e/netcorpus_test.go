package e2e

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/sonde-dev/sonde/internal/testutil"
)

// NetCorpus holds issue #5's workloads (sockets, fd passing, epoll, timers,
// poll/select, curl, a Go binary) as shell commands for difftrace.
const NetCorpus = "testdata/corpus/net.txt"

// minNetCorpusFidelity and minNetCorpusFidelityI386 are issue #5's floors:
// 0.97 on the x86_64 workloads, 0.95 on the same workloads built for i386.
const (
	minNetCorpusFidelity     = 0.97
	minNetCorpusFidelityI386 = 0.95
)

// networkWorkloads are the network fixture's workloads (testdata/fixtures/
// network.c), net.txt's Python workloads in C.
var networkWorkloads = []string{"tcp", "fdpass", "epoll", "timers", "poll"}

// TestNetCorpus compares sonde with strace on every command of net.txt.
func TestNetCorpus(t *testing.T) {
	requireTracing(t)
	strace := testutil.RequireStrace(t)
	tr := candidate(t)
	for _, p := range []string{"/usr/bin/python3", "curl", "go"} {
		if _, err := exec.LookPath(p); err != nil {
			testutil.Require(t, p+" (scripts/test.sh installs it)", err)
		}
	}
	commands := readCorpus(t, filepath.Join(testutil.RepoRoot(t), NetCorpus))
	var cmds [][]string
	for _, c := range commands {
		cmds = append(cmds, []string{"sh", "-c", c})
	}
	checkCorpus(t, strace, tr, cmds, minNetCorpusFidelity)
}

// TestNetCorpusI386 compares sonde with strace on the same workloads built
// for i386: the network fixture (gcc -m32) and a Go program (GOARCH=386).
func TestNetCorpusI386(t *testing.T) {
	requireTracing(t)
	requireArch(t, testutil.I386)
	strace := testutil.RequireStrace(t)
	tr := candidate(t)
	fx := testutil.BuildFixtures(t)
	prog := fx.C(t, testutil.I386, "network")
	var cmds [][]string
	for _, w := range networkWorkloads {
		cmds = append(cmds, []string{prog, w})
	}
	cmds = append(cmds, []string{fx.Go(t, "386", "gohello")})
	checkCorpus(t, strace, tr, cmds, minNetCorpusFidelityI386)
}

// checkCorpus compares every command and checks the overall fidelity
// (lines matched over strace's lines, all commands together) against min.
func checkCorpus(t *testing.T, strace string, tr tracer, cmds [][]string, min float64) {
	t.Helper()
	var matched, ref, ran int
	for i, cmd := range cmds {
		t.Run(corpusName(i+1, cmd[len(cmd)-1]), func(t *testing.T) {
			m, r := compareWithStrace(t, strace, tr, cmd, 0)
			matched += m
			ref += r
			ran++
		})
	}
	if ran < len(cmds) {
		t.Logf("overall fidelity not checked: %d of %d commands compared", ran, len(cmds))
		return
	}
	if ref == 0 {
		t.Fatal("no command produced a comparable strace trace")
	}
	overall := float64(matched) / float64(ref)
	t.Logf("overall fidelity %.3f (%d/%d lines) over %d commands", overall, matched, ref, len(cmds))
	if overall < min {
		t.Errorf("overall fidelity %.3f is below %.2f (per-command lines above: - missing, + extra)", overall, min)
	}
}
