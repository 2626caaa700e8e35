package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

const (
	xsysModule = "golang.org/x/sys"
	dataFile   = "internal/gen/sysent/syscalls.txt" // relative to the repository root
	namesFile  = "internal/gen/sysent/argnames.txt"
	kindsFile  = "sysent/kinds.go"
	typesFile  = "sysent/sysent.go"
	outDir     = "sysent"
	command    = "go run ./internal/gen/sysent"
)

// An arch is one table this program writes.
type arch struct {
	name      string // strace's and sonde's name: "x86_64"
	goarch    string // x/sys file suffix: "amd64"
	varName   string // exported table variable: "X86_64"
	auditArch string // sysent constant holding its AUDIT_ARCH value
}

var arches = []arch{
	{"x86_64", "amd64", "X86_64", "AuditArchX86_64"},
	{"i386", "386", "I386", "AuditArchI386"},
	{"aarch64", "arm64", "AArch64", "AuditArchAArch64"},
}

func archByName(name string) (arch, bool) {
	for _, a := range arches {
		if a.name == name {
			return a, true
		}
	}
	return arch{}, false
}

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "gen/sysent: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("sysent", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", "", "repository root (default: the nearest directory above the working directory holding go.mod)")
	out := fs.String("out", "", "directory to write the zsysent_*.go files to (default: <root>/sysent)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *root == "" {
		wd, err := os.Getwd()
		if err != nil {
			return fmt.Errorf("get working directory: %w", err)
		}
		if *root, err = findRoot(wd); err != nil {
			return err
		}
	}
	if *out == "" {
		*out = filepath.Join(*root, outDir)
	}

	mod, err := xsys(*root)
	if err != nil {
		return err
	}
	in := inputs{xsysVersion: mod.Version, sysnums: map[string][]sysnum{}}
	if in.kinds, err = parseKinds(filepath.Join(*root, kindsFile)); err != nil {
		return err
	}
	if in.classes, err = parseClasses(filepath.Join(*root, typesFile)); err != nil {
		return err
	}
	data, err := os.ReadFile(filepath.Join(*root, dataFile))
	if err != nil {
		return fmt.Errorf("read syscall list: %w", err)
	}
	in.data = data
	if in.argNames, err = os.ReadFile(filepath.Join(*root, namesFile)); err != nil {
		return fmt.Errorf("read argument names: %w", err)
	}
	for _, a := range arches {
		path := filepath.Join(mod.Dir, "unix", "zsysnum_linux_"+a.goarch+".go")
		if in.sysnums[a.name], err = parseSysnums(path); err != nil {
			return err
		}
	}

	files, err := generate(in)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	for _, a := range arches {
		name := filepath.Join(*out, fileName(a))
		if err := os.WriteFile(name, files[a.name], 0o644); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	return nil
}

func fileName(a arch) string { return "zsysent_" + a.name + ".go" }

// findRoot returns the nearest directory at or above dir holding go.mod.
func findRoot(dir string) (string, error) {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("find repository root: no go.mod at or above %s", dir)
		}
		d = parent
	}
}

type module struct {
	Path    string
	Version string
	Dir     string
}

// xsys asks the go command which golang.org/x/sys go.mod selects and where
// the module cache holds it.
func xsys(root string) (module, error) {
	goCmd := "go" // go generate puts $GOROOT/bin first in PATH
	if gr := os.Getenv("GOROOT"); gr != "" && fileExists(filepath.Join(gr, "bin", "go")) {
		goCmd = filepath.Join(gr, "bin", "go")
	}
	cmd := exec.Command(goCmd, "list", "-m", "-json", xsysModule)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	outb, err := cmd.Output()
	if err != nil {
		return module{}, fmt.Errorf("locate %s: go list -m: %w: %s", xsysModule, err, bytes.TrimSpace(stderr.Bytes()))
	}
	var m module
	if err := json.Unmarshal(outb, &m); err != nil {
		return module{}, fmt.Errorf("locate %s: decode go list output: %w", xsysModule, err)
	}
	if m.Version == "" {
		return module{}, fmt.Errorf("locate %s: go.mod does not require it", xsysModule)
	}
	if m.Dir == "" {
		return module{}, fmt.Errorf("locate %s@%s: not in the module cache (go mod download %s)", xsysModule, m.Version, xsysModule)
	}
	return m, nil
}

func fileExists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// errList joins many input errors into one, so a single run reports every
// bad line rather than the first.
type errList []error

func (l errList) err() error {
	const max = 40
	if len(l) > max {
		return errors.Join(append(l[:max:max], fmt.Errorf("... and %d more errors", len(l)-max))...)
	}
	return errors.Join(l...)
}
