package testutil

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Arch names the instruction set a C fixture is compiled for.
type Arch string

// The C fixture architectures. Their names are the directories the binaries
// go into, and the names strace uses for the personalities.
const (
	X86_64 Arch = "x86_64" // gcc default (-m64)
	I386   Arch = "i386"   // gcc -m32, which needs Debian's gcc-multilib
)

// GoArches are the GOARCH values every Go fixture is built for, with
// CGO_ENABLED=0.
var GoArches = []string{"amd64", "386"}

// FixturesDir is where the fixture sources live, relative to the repository
// root: NAME.c for C fixtures, NAME/main.go for Go fixtures.
const FixturesDir = "testdata/fixtures"

// Fixtures are the programs in testdata/fixtures, built once per test binary:
// every C fixture for X86_64 and, when gcc -m32 works, I386; every Go fixture
// for each of GoArches. Binaries keep their source's name and go into one
// directory per architecture (c-x86_64/exit7, go-386/gohello), so a test can
// put that directory on $PATH and run a fixture by its bare name.
type Fixtures struct {
	dir     string
	cNames  []string
	goNames []string
	// cSkip holds, per Arch, why no C fixtures exist for it (no compiler).
	cSkip map[Arch]error
}

var fixtures struct {
	once sync.Once
	fx   *Fixtures
	err  error
}

// BuildFixtures builds every fixture once per test binary and returns them.
// A fixture that fails to build fails the test (and every later caller); a
// missing compiler only makes the C accessor skip, through Skipf.
func BuildFixtures(t testing.TB) *Fixtures {
	t.Helper()
	root := RepoRoot(t)
	fixtures.once.Do(func() {
		fixtures.fx, fixtures.err = buildFixtures(t, root)
	})
	if fixtures.err != nil {
		t.Fatalf("build fixtures: %v", fixtures.err)
	}
	return fixtures.fx
}

func buildFixtures(t testing.TB, root string) (*Fixtures, error) {
	base, err := scratchDir()
	if err != nil {
		return nil, err
	}
	src := filepath.Join(root, FixturesDir)
	cFiles, err := filepath.Glob(filepath.Join(src, "*.c"))
	if err != nil || len(cFiles) == 0 {
		return nil, fmt.Errorf("no C fixtures in %s (%v)", src, err)
	}
	goMains, err := filepath.Glob(filepath.Join(src, "*", "main.go"))
	if err != nil || len(goMains) == 0 {
		return nil, fmt.Errorf("no Go fixtures in %s (%v)", src, err)
	}
	fx := &Fixtures{dir: filepath.Join(base, "fixtures"), cSkip: map[Arch]error{}}
	for _, f := range cFiles {
		fx.cNames = append(fx.cNames, strings.TrimSuffix(filepath.Base(f), ".c"))
	}
	for _, f := range goMains {
		fx.goNames = append(fx.goNames, filepath.Base(filepath.Dir(f)))
	}
	slices.Sort(fx.cNames)
	slices.Sort(fx.goNames)

	var jobs []func() error
	if _, err := gccProbe.do(func() (string, error) { return probeCC(nil) }); err != nil {
		fx.cSkip[X86_64] = fmt.Errorf("requires gcc: %w", err)
	}
	if fx.cSkip[X86_64] != nil {
		fx.cSkip[I386] = fx.cSkip[X86_64]
	} else if _, err := multilibProbe.do(func() (string, error) { return probeCC([]string{"-m32"}) }); err != nil {
		fx.cSkip[I386] = fmt.Errorf("requires gcc -m32 (Debian: gcc-multilib): %w", err)
	}
	for _, arch := range []Arch{X86_64, I386} {
		if fx.cSkip[arch] != nil {
			continue
		}
		for _, name := range fx.cNames {
			arch, name := arch, name
			jobs = append(jobs, func() error {
				return buildC(filepath.Join(src, name+".c"), fx.cPath(arch, name), arch)
			})
		}
	}
	for _, goarch := range GoArches {
		for _, name := range fx.goNames {
			goarch, name := goarch, name
			jobs = append(jobs, func() error {
				return goBuild(root, fx.goPath(goarch, name), "./"+FixturesDir+"/"+name,
					"GOOS=linux", "GOARCH="+goarch, "CGO_ENABLED=0")
			})
		}
	}
	if err := runJobs(jobs); err != nil {
		return nil, err
	}
	for arch, why := range fx.cSkip {
		t.Logf("C fixtures for %s not built: %v", arch, why)
	}
	return fx, nil
}

// runJobs runs the build jobs a few at a time and joins their errors.
func runJobs(jobs []func() error) error {
	sem := make(chan struct{}, runtime.NumCPU()+1)
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = job()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// CFlags are the gcc flags of every C fixture, before -m32 for I386. -O0
// keeps each call the source makes; _FORTIFY_SOURCE (on by default in some
// distributions' gcc) is undefined so no call is rerouted through a _chk
// variant.
var CFlags = []string{"-std=gnu11", "-O0", "-Wall", "-U_FORTIFY_SOURCE", "-pthread"}

func buildC(src, out string, arch Arch) error {
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	args := append([]string{}, CFlags...)
	if arch == I386 {
		args = append(args, "-m32")
	}
	args = append(args, "-o", out, src)
	if b, err := exec.Command("gcc", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("gcc %s: %w\n%s", strings.Join(args, " "), err, bytes.TrimSpace(b))
	}
	return nil
}

func (f *Fixtures) cPath(arch Arch, name string) string {
	return filepath.Join(f.dir, "c-"+string(arch), name)
}

func (f *Fixtures) goPath(goarch, name string) string {
	return filepath.Join(f.dir, "go-"+goarch, name)
}

// CNames returns the names of the C fixtures (exit7, open, ...), sorted.
func (f *Fixtures) CNames() []string { return append([]string(nil), f.cNames...) }

// GoNames returns the names of the Go fixtures (gohello), sorted.
func (f *Fixtures) GoNames() []string { return append([]string(nil), f.goNames...) }

// C returns the path of C fixture name built for arch. It skips through
// Skipf when arch has no compiler here (under CI=true that fails, since the CI
// script installs gcc and gcc-multilib), and fails on an unknown name.
func (f *Fixtures) C(t testing.TB, arch Arch, name string) string {
	t.Helper()
	if arch != X86_64 && arch != I386 {
		t.Fatalf("no C fixture architecture %q (want %s or %s)", arch, X86_64, I386)
	}
	if why := f.cSkip[arch]; why != nil {
		Skipf(t, "C fixture %s for %s: %v", name, arch, why)
		return ""
	}
	if !slices.Contains(f.cNames, name) {
		t.Fatalf("no C fixture %q in %s (have %v)", name, FixturesDir, f.cNames)
	}
	return f.cPath(arch, name)
}

// Go returns the path of Go fixture name built with GOARCH=goarch
// (one of GoArches), failing on an unknown name or GOARCH.
func (f *Fixtures) Go(t testing.TB, goarch, name string) string {
	t.Helper()
	if !slices.Contains(GoArches, goarch) {
		t.Fatalf("Go fixtures are not built for GOARCH=%s (only %v)", goarch, GoArches)
	}
	if !slices.Contains(f.goNames, name) {
		t.Fatalf("no Go fixture %q in %s (have %v)", name, FixturesDir, f.goNames)
	}
	return f.goPath(goarch, name)
}
