package testutil

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// scratch is the directory every build of this test binary goes into.
var scratch probe

// Main runs the tests and then removes the directory BuildSonde and
// BuildFixtures build into. Call it from TestMain:
//
//	func TestMain(m *testing.M) { testutil.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	// If nothing was built, this marks the probe done with no directory.
	if dir, err := scratch.do(func() (string, error) { return "", nil }); err == nil && dir != "" {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// scratchDir returns the per-binary build directory, creating it once.
func scratchDir() (string, error) {
	return scratch.do(func() (string, error) {
		dir, err := os.MkdirTemp("", "sonde-test-")
		if err != nil {
			return "", fmt.Errorf("make the build directory: %w", err)
		}
		return dir, nil
	})
}

var rootProbe probe

// RepoRoot returns the directory holding sonde's go.mod, found with
// `go env GOMOD` from the test's working directory (its package directory).
func RepoRoot(t testing.TB) string {
	t.Helper()
	root, err := rootProbe.do(func() (string, error) {
		out, err := goCommand("env", "GOMOD").Output()
		if err != nil {
			return "", fmt.Errorf("go env GOMOD: %w", err)
		}
		mod := strings.TrimSpace(string(out))
		if mod == "" || mod == os.DevNull {
			return "", fmt.Errorf("go env GOMOD: not inside a module (got %q)", mod)
		}
		return filepath.Dir(mod), nil
	})
	if err != nil {
		t.Fatalf("find the repository root: %v", err)
	}
	return root
}

// goCommand returns a command running the go tool. `go test` puts
// $GOROOT/bin first on the test binary's $PATH, so "go" is the toolchain
// that built the test.
func goCommand(args ...string) *exec.Cmd {
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	return exec.Command(goTool, args...)
}

// goBuild runs `go build -o out pkg` in the repository root with extra
// environment entries and returns the combined output in the error.
func goBuild(root, out, pkg string, env ...string) error {
	cmd := goCommand("build", "-o", out, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s go build -o %s %s: %w\n%s",
			strings.Join(env, " "), out, pkg, err, bytes.TrimSpace(b))
	}
	return nil
}

var sondeBuild struct {
	once sync.Once
	path string
	err  error
}

// BuildSonde builds ./cmd/sonde for the host once per test binary and returns
// the path of the binary. A build failure fails the test; it is never a skip.
func BuildSonde(t testing.TB) string {
	t.Helper()
	root := RepoRoot(t)
	sondeBuild.once.Do(func() {
		dir, err := scratchDir()
		if err != nil {
			sondeBuild.err = err
			return
		}
		out := filepath.Join(dir, "bin", "sonde")
		sondeBuild.err = goBuild(root, out, "./cmd/sonde", "GOOS=linux", "GOARCH="+runtime.GOARCH)
		sondeBuild.path = out
	})
	if sondeBuild.err != nil {
		t.Fatalf("build sonde: %v", sondeBuild.err)
	}
	return sondeBuild.path
}

// BuildGo runs `go build ARGS...` in the repository root with extra
// environment entries; a failure fails t (never a skip).
func BuildGo(t testing.TB, args []string, env ...string) {
	t.Helper()
	cmd := goCommand(append([]string{"build"}, args...)...)
	cmd.Dir = RepoRoot(t)
	cmd.Env = append(os.Environ(), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s go build %s: %v\n%s", strings.Join(env, " "), strings.Join(args, " "), err, bytes.TrimSpace(b))
	}
}
