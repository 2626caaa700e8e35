package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sonde-dev/sonde/internal/testutil"
)

// RealCorpus is the corpus of real commands, relative to the repository root:
// one shell command a line, '#' comments, as ../shared/tools/difftrace reads
// it.
const RealCorpus = "testdata/corpus/real.txt"

// minCorpusFidelity is the least overall fidelity TestCorpus accepts over
// every command of RealCorpus (matched lines over strace's run-to-run
// agreement plus extra lines, as difftrace computes it). When the corpus was
// written sonde scored 0.982-0.992 over five runs (difftrace: 0.983-0.994);
// this is the lowest less a margin for run-to-run noise, and issue #4's
// target. Raise it as sonde improves; never lower it to make the test pass.
const minCorpusFidelity = 0.97

// corpusPrograms are the programs RealCorpus runs besides the shell and
// coreutils; scripts/test.sh installs them, so under CI=true a missing one is
// a failure.
var corpusPrograms = []string{"tar", "gzip", "xz", "sqlite3", "git", "perl", "/usr/bin/python3"}

// readCorpus returns the commands of a corpus file: its lines without
// surrounding white space, blank lines and '#' comments dropped.
func readCorpus(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read the corpus: %v", err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s holds no command", path)
	}
	return out
}

// TestCorpus runs every command of RealCorpus under `sh -c` through the
// differential comparison of TestDifferential (strace twice, sonde once, each
// with `-f -o FILE` in a fresh empty directory at one path), logs each
// command's score and differing lines, and fails on an exit-status mismatch
// or when the overall fidelity is under minCorpusFidelity. Commands run one
// at a time: a pipeline's interleaving, and so its score, depends on load.
func TestCorpus(t *testing.T) {
	requireTracing(t)
	strace := testutil.RequireStrace(t)
	tr := candidate(t)
	for _, p := range corpusPrograms {
		if _, err := exec.LookPath(p); err != nil {
			testutil.Require(t, p+" (scripts/test.sh installs it)", err)
		}
	}
	commands := readCorpus(t, filepath.Join(testutil.RepoRoot(t), RealCorpus))
	var cmds [][]string
	for _, c := range commands {
		cmds = append(cmds, []string{"sh", "-c", c})
	}
	checkCorpus(t, strace, tr, cmds, minCorpusFidelity)
}

// corpusName names a command's subtest: its position, then the first
// program of interest it runs ("03-gzip").
func corpusName(i int, cmd string) string {
	name := strings.Fields(cmd)[0]
	for _, f := range strings.FieldsFunc(cmd, func(r rune) bool { return strings.ContainsRune(" ;&|()'\"", r) }) {
		switch f = filepath.Base(f); f {
		case "tar", "gzip", "xz", "sqlite3", "git", "python3", "perl", "sort", "find", "cp", "ls":
			return fmt.Sprintf("%02d-%s", i, f)
		}
	}
	return fmt.Sprintf("%02d-%s", i, filepath.Base(name))
}
