package stack

import (
	"debug/elf"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sonde-dev/sonde/internal/testutil"
)

// TestStrippedGoBinaryNamedByPclntab builds one Go program twice, with and
// without -ldflags=-s, and checks that every function of the full build's
// .symtab gets, in the stripped build, the same name from the Go runtime's
// table: at its entry and in its middle.
func TestStrippedGoBinaryNamedByPclntab(t *testing.T) {
	for _, goarch := range []string{"amd64", "386"} {
		t.Run(goarch, func(t *testing.T) {
			dir := t.TempDir()
			full, stripped := filepath.Join(dir, "full"), filepath.Join(dir, "stripped")
			env := []string{"GOOS=linux", "GOARCH=" + goarch, "CGO_ENABLED=0"}
			testutil.BuildGo(t, []string{"-o", full, "./testdata/fixtures/gohello"}, env...)
			testutil.BuildGo(t, []string{"-ldflags=-s", "-o", stripped, "./testdata/fixtures/gohello"}, env...)

			ef, err := elf.Open(stripped)
			if err != nil {
				t.Fatal(err)
			}
			if ef.Section(".symtab") != nil {
				t.Fatalf("%s still has .symtab: the test needs a stripped binary", stripped)
			}
			ef.Close()

			u := NewUnwinder()
			ff, sf := u.fileOf(full), u.fileOf(stripped)
			if ff.gosym != nil || len(ff.syms) == 0 {
				t.Fatalf("full build: want ELF symbols only, got %d symbols, pclntab %v", len(ff.syms), ff.gosym != nil)
			}
			if sf.gosym == nil || len(sf.syms) != 0 {
				t.Fatalf("stripped build: want the Go table only, got %d symbols, pclntab %v", len(sf.syms), sf.gosym != nil)
			}
			checked, differ := 0, 0
			for i, s := range ff.syms {
				size := s.Size
				if size == 0 && i+1 < len(ff.syms) {
					size = ff.syms[i+1].Value - s.Value
				}
				if s.Name == "runtime.etext" || strings.HasPrefix(s.Name, "go:") {
					continue // the linker's markers (end of text, FIPS bounds), not functions
				}
				for _, off := range []uint64{0, size / 2} {
					if i > 0 && ff.syms[i-1].Value == s.Value || i+1 < len(ff.syms) && ff.syms[i+1].Value == s.Value {
						continue // aliases: .symtab's first (a marker like runtime.text) is libunwind's pick
					}
					if off == 0 {
						if d, ok := sf.goSPDelta(s.Value); !ok || d != 0 {
							t.Errorf("%s: stack-pointer delta at entry %d (known %v), want 0", s.Name, d, ok)
						}
					}
					name, got := sf.symbolize(s.Value + off)
					wantName, want := ff.symbolize(s.Value + off)
					checked++
					if goName(name) != goName(wantName) || got != want {
						differ++
						if differ <= 5 {
							t.Errorf("%#x: stripped %s+%#x, full %s+%#x", s.Value+off, name, got, wantName, want)
						}
					}
				}
			}
			if checked < 1000 {
				t.Fatalf("only %d addresses checked: the fixture has too few functions", checked)
			}
			if differ > 0 {
				t.Errorf("%d of %d addresses named differently", differ, checked)
			}
			if name, _ := sf.symbolize(sf.gosym.LookupFunc("main.main").Entry + 1); name != "main.main" {
				t.Errorf("main.main+1 named %q", name)
			}
		})
	}
}

// goName folds the two spellings of one function: the linker adds an ABI
// suffix to assembly functions in .symtab, and the runtime's table keeps the
// middle dot of some generated names where .symtab has '.'.
func goName(sym string) string {
	return strings.ReplaceAll(strings.TrimSuffix(sym, ".abi0"), "·", ".")
}
