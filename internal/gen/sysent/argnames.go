package main

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// nameLine is one line of argnames.txt.
type nameLine struct {
	line  int
	name  string
	arch  string // "" for the arch-independent line
	names []string
	used  bool
}

// argNameRE is what an argument name may be: a C identifier in lower case,
// as the kernel's parameters are (_type, u_name, pos_l).
var argNameRE = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// parseArgNames parses argnames.txt: "name[@arch] argname..." a line, '#'
// starting a comment. It returns the lines by arch ("" for the
// arch-independent ones), then by syscall name.
func parseArgNames(data []byte) (map[string]map[string]*nameLine, error) {
	out := map[string]map[string]*nameLine{}
	var errs errList
	bad := func(n int, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s", namesFile, n, fmt.Sprintf(format, a...)))
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		f := strings.Fields(text)
		if len(f) == 0 {
			continue
		}
		nl := &nameLine{line: n, name: f[0], names: f[1:]}
		if name, a, ok := strings.Cut(f[0], "@"); ok {
			if _, known := archByName(a); !known {
				bad(n, "unknown arch %q", a)
				continue
			}
			nl.name, nl.arch = name, a
		}
		if !nameRE.MatchString(nl.name) {
			bad(n, "bad syscall name %q", nl.name)
			continue
		}
		if len(nl.names) == 0 {
			bad(n, "%s: no argument names (leave out a syscall without arguments)", f[0])
			continue
		}
		seen := map[string]bool{}
		ok := true
		for _, a := range nl.names {
			switch {
			case !argNameRE.MatchString(a):
				bad(n, "%s: bad argument name %q", f[0], a)
				ok = false
			case seen[a]:
				bad(n, "%s: argument name %q twice", f[0], a)
				ok = false
			}
			seen[a] = true
		}
		if !ok {
			continue
		}
		m := out[nl.arch]
		if m == nil {
			m = map[string]*nameLine{}
			out[nl.arch] = m
		}
		if prev, dup := m[nl.name]; dup {
			bad(n, "second line for %s (first at line %d)", f[0], prev.line)
			continue
		}
		m[nl.name] = nl
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("read %s: %w", namesFile, err))
	}
	return out, errs.err()
}

// applyArgNames gives every resolved entry the names of its arch's line, or
// of the arch-independent one. It fails on a line naming a syscall the
// tables lack, and on a line whose count of names is not the entry's nargs.
func applyArgNames(names map[string]map[string]*nameLine, l *list, tables map[string][]entry) error {
	var errs errList
	for _, a := range arches {
		es := tables[a.name]
		for i := range es {
			e := &es[i]
			nl := names[a.name][e.row.name]
			if nl == nil {
				nl = names[""][e.row.name]
			}
			if nl == nil {
				continue
			}
			nl.used = true
			if len(nl.names) != e.row.nargs {
				errs = append(errs, fmt.Errorf("%s:%d: %s: %d names but nargs is %d on %s (%s:%d)",
					namesFile, nl.line, e.row.name, len(nl.names), e.row.nargs, a.name, dataFile, e.row.line))
				continue
			}
			e.names = nl.names
		}
	}
	for _, arch := range append([]string{""}, archNames()...) {
		for _, name := range sortedKeys(names[arch]) {
			nl := names[arch][name]
			switch {
			case nl.used:
			case arch == "" && l.rows[name] == nil:
				errs = append(errs, fmt.Errorf("%s:%d: %s: no such syscall in %s", namesFile, nl.line, name, dataFile))
			case arch == "":
				// A syscall of the list whose every arch has its own line.
			default:
				errs = append(errs, fmt.Errorf("%s:%d: %s@%s: %s has no such syscall", namesFile, nl.line, name, arch, arch))
			}
		}
	}
	return errs.err()
}

func archNames() []string {
	out := make([]string, len(arches))
	for i, a := range arches {
		out[i] = a.name
	}
	return out
}
