package main

import (
	"bufio"
	"bytes"
	"fmt"
	"go/format"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// inputs is everything generate reads, already loaded.
type inputs struct {
	xsysVersion string              // "v0.50.0"
	sysnums     map[string][]sysnum // by arch name
	data        []byte              // syscalls.txt
	argNames    []byte              // argnames.txt; nil: no names
	kinds       kindSet
	classes     classSet
}

// row is one syscall line of syscalls.txt.
type row struct {
	line    int
	name    string
	arch    string // "" for the arch-independent line, else the override's arch
	nargs   int
	classes []string // Go constants, in bit order
	ret     string   // kind value, "" for signed decimal
	args    []string // kind values
	used    bool
}

// directive is a "!rename" or "!skip" line.
type directive struct {
	line int
	verb string // "rename" or "skip"
	arch string
	from string // x/sys name
	to   string // strace name, for rename
	used bool
}

type list struct {
	rows       map[string]*row            // arch-independent rows by name
	overrides  map[string]map[string]*row // by arch, then name
	directives map[string]map[string]*directive
}

var nameRE = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// parseList parses syscalls.txt. A line is, fields separated by blanks:
//
//	name[@arch]  nargs  classes  ret  arg...
//
// classes is "-" or strace's names joined by '|' (%file|%desc, %%stat); ret
// is "-" for a signed decimal or a return kind; there are exactly nargs args.
// "!rename arch xsys-name strace-name" and "!skip arch xsys-name" adjust what
// x/sys calls a syscall on one arch. '#' starts a comment.
func parseList(data []byte, ks kindSet, cs classSet) (*list, error) {
	l := &list{
		rows:       map[string]*row{},
		overrides:  map[string]map[string]*row{},
		directives: map[string]map[string]*directive{},
	}
	var errs errList
	bad := func(n int, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s", dataFile, n, fmt.Sprintf(format, a...)))
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
		if strings.HasPrefix(f[0], "!") {
			d, err := parseDirective(n, f)
			if err != nil {
				bad(n, "%v", err)
				continue
			}
			m := l.directives[d.arch]
			if m == nil {
				m = map[string]*directive{}
				l.directives[d.arch] = m
			}
			if prev, dup := m[d.from]; dup {
				bad(n, "second directive for %s on %s (first at line %d)", d.from, d.arch, prev.line)
				continue
			}
			m[d.from] = d
			continue
		}
		r, err := parseRow(n, f, ks, cs)
		if err != nil {
			bad(n, "%v", err)
			continue
		}
		if r.arch == "" {
			if prev, dup := l.rows[r.name]; dup {
				bad(n, "second line for %s (first at line %d)", r.name, prev.line)
				continue
			}
			l.rows[r.name] = r
			continue
		}
		m := l.overrides[r.arch]
		if m == nil {
			m = map[string]*row{}
			l.overrides[r.arch] = m
		}
		if prev, dup := m[r.name]; dup {
			bad(n, "second line for %s@%s (first at line %d)", r.name, r.arch, prev.line)
			continue
		}
		m[r.name] = r
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("read %s: %w", dataFile, err))
	}
	for _, m := range l.overrides {
		for name, r := range m {
			if l.rows[name] == nil {
				bad(r.line, "override %s@%s has no arch-independent line for %s", name, r.arch, name)
			}
		}
	}
	return l, errs.err()
}

func parseDirective(n int, f []string) (*directive, error) {
	d := &directive{line: n, verb: strings.TrimPrefix(f[0], "!")}
	switch d.verb {
	case "rename":
		if len(f) != 4 {
			return nil, fmt.Errorf("want !rename arch xsys-name strace-name")
		}
		d.to = f[3]
		if !nameRE.MatchString(d.to) {
			return nil, fmt.Errorf("bad syscall name %q", d.to)
		}
	case "skip":
		if len(f) != 3 {
			return nil, fmt.Errorf("want !skip arch xsys-name")
		}
	default:
		return nil, fmt.Errorf("unknown directive %q", f[0])
	}
	d.arch, d.from = f[1], f[2]
	if _, ok := archByName(d.arch); !ok {
		return nil, fmt.Errorf("unknown arch %q", d.arch)
	}
	if !nameRE.MatchString(d.from) {
		return nil, fmt.Errorf("bad syscall name %q", d.from)
	}
	return d, nil
}

func parseRow(n int, f []string, ks kindSet, cs classSet) (*row, error) {
	if len(f) < 4 {
		return nil, fmt.Errorf("want name nargs classes ret args..., got %d fields", len(f))
	}
	r := &row{line: n, name: f[0]}
	if name, a, ok := strings.Cut(f[0], "@"); ok {
		if _, known := archByName(a); !known {
			return nil, fmt.Errorf("unknown arch %q", a)
		}
		r.name, r.arch = name, a
	}
	if !nameRE.MatchString(r.name) {
		return nil, fmt.Errorf("bad syscall name %q", r.name)
	}
	nargs, err := strconv.Atoi(f[1])
	if err != nil || nargs < 0 || nargs > 6 {
		return nil, fmt.Errorf("%s: nargs %q is not 0 to 6", r.name, f[1])
	}
	r.nargs = nargs
	if r.classes, err = parseClassField(f[2], cs); err != nil {
		return nil, fmt.Errorf("%s: %w", r.name, err)
	}
	if f[3] != "-" {
		if _, ok := ks.ident[f[3]]; !ok {
			return nil, fmt.Errorf("%s: unknown return kind %q", r.name, f[3])
		}
		if !ks.ret[f[3]] {
			return nil, fmt.Errorf("%s: kind %q may not name a return", r.name, f[3])
		}
		r.ret = f[3]
	}
	r.args = f[4:]
	if len(r.args) != nargs {
		return nil, fmt.Errorf("%s: nargs is %d but %d argument kinds follow", r.name, nargs, len(r.args))
	}
	for _, a := range r.args {
		if _, ok := ks.ident[a]; !ok {
			return nil, fmt.Errorf("%s: unknown kind %q", r.name, a)
		}
		if ks.returnOnly[a] {
			return nil, fmt.Errorf("%s: kind %q may only name a return", r.name, a)
		}
	}
	if err := checkSplits(r.args); err != nil {
		return nil, fmt.Errorf("%s: %w", r.name, err)
	}
	return r, nil
}

// checkSplits insists that off_lo and off_hi come in adjacent pairs.
func checkSplits(args []string) error {
	for i := 0; i < len(args); i++ {
		if args[i] != "off_lo" && args[i] != "off_hi" {
			continue
		}
		if i+1 == len(args) || args[i+1] == args[i] || (args[i+1] != "off_lo" && args[i+1] != "off_hi") {
			return fmt.Errorf("argument %d: %s without its other half next to it", i+1, args[i])
		}
		i++
	}
	return nil
}

func parseClassField(field string, cs classSet) ([]string, error) {
	if field == "-" {
		return nil, nil
	}
	seen := map[string]bool{}
	for _, c := range strings.Split(field, "|") {
		name, ok := strings.CutPrefix(c, "%")
		if !ok {
			return nil, fmt.Errorf("class %q does not start with %%", c)
		}
		id, ok := cs.ident[name]
		if !ok {
			return nil, fmt.Errorf("unknown class %q", c)
		}
		if seen[id] {
			return nil, fmt.Errorf("class %q twice", c)
		}
		seen[id] = true
	}
	var out []string
	for _, id := range cs.order {
		if seen[id] {
			out = append(out, id)
		}
	}
	return out, nil
}

// entry is one resolved syscall of one arch.
type entry struct {
	nr    uint32
	row   *row
	names []string // the arguments' names, nil when unknown
}

// resolve matches every x/sys syscall of every arch with its row.
func resolve(l *list, sysnums map[string][]sysnum) (map[string][]entry, error) {
	var errs errList
	out := map[string][]entry{}
	for _, a := range arches {
		nums, ok := sysnums[a.name]
		if !ok {
			errs = append(errs, fmt.Errorf("no syscall numbers for %s", a.name))
			continue
		}
		byNr := map[uint32]string{}
		byName := map[string]uint32{}
		var es []entry
		for _, s := range nums {
			name := s.name
			if d := l.directives[a.name][s.name]; d != nil {
				d.used = true
				if d.verb == "skip" {
					continue
				}
				name = d.to
			}
			if prev, dup := byNr[s.nr]; dup {
				errs = append(errs, fmt.Errorf("%s: number %d is both %s and %s", a.name, s.nr, prev, name))
				continue
			}
			if prev, dup := byName[name]; dup {
				errs = append(errs, fmt.Errorf("%s: %s is both %d and %d", a.name, name, prev, s.nr))
				continue
			}
			byNr[s.nr], byName[name] = name, s.nr
			r := l.overrides[a.name][name]
			if r == nil {
				r = l.rows[name]
			}
			if r == nil {
				errs = append(errs, fmt.Errorf("%s: syscall %s (%s %d in x/sys) has no line in %s", a.name, name, a.name, s.nr, dataFile))
				continue
			}
			r.used = true
			l.rows[name].used = true
			es = append(es, entry{nr: s.nr, row: r})
		}
		sort.Slice(es, func(i, j int) bool { return es[i].nr < es[j].nr })
		out[a.name] = es
	}
	for _, name := range sortedKeys(l.rows) {
		if r := l.rows[name]; !r.used {
			errs = append(errs, fmt.Errorf("%s:%d: %s: no arch has this syscall", dataFile, r.line, name))
		}
	}
	for _, a := range arches {
		for _, name := range sortedKeys(l.overrides[a.name]) {
			if r := l.overrides[a.name][name]; !r.used {
				errs = append(errs, fmt.Errorf("%s:%d: %s@%s: %s has no such syscall", dataFile, r.line, name, a.name, a.name))
			}
		}
		for _, from := range sortedKeys(l.directives[a.name]) {
			if d := l.directives[a.name][from]; !d.used {
				errs = append(errs, fmt.Errorf("%s:%d: !%s %s %s: x/sys has no such syscall on %s", dataFile, d.line, d.verb, a.name, from, a.name))
			}
		}
	}
	return out, errs.err()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// generate returns the gofmt'ed source of each arch's file, by arch name.
func generate(in inputs) (map[string][]byte, error) {
	l, err := parseList(in.data, in.kinds, in.classes)
	if err != nil {
		return nil, err
	}
	tables, err := resolve(l, in.sysnums)
	if err != nil {
		return nil, err
	}
	names, err := parseArgNames(in.argNames)
	if err != nil {
		return nil, err
	}
	if err := applyArgNames(names, l, tables); err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, a := range arches {
		src, err := emit(a, tables[a.name], in)
		if err != nil {
			return nil, err
		}
		files[a.name] = src
	}
	return files, nil
}

func emit(a arch, es []entry, in inputs) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// %s\n", command)
	fmt.Fprintf(&b, "// Code generated by internal/gen/sysent from %s@%s, %s and %s. DO NOT EDIT.\n\n", xsysModule, in.xsysVersion, dataFile, namesFile)
	fmt.Fprintf(&b, "package sysent\n\n")
	fmt.Fprintf(&b, "// %s is the syscall table of %s: %d syscalls, by number.\n", a.varName, a.name, len(es))
	// The table is a variable of its own, a composite literal of constants
	// that the linker lays out statically: building it at init would cost
	// every sonde process (and its launch stub) thousands of allocations.
	fmt.Fprintf(&b, "var %s = register(newTable(%q, %s, %sEntries[:]))\n\n", a.varName, a.name, a.auditArch, a.name)
	fmt.Fprintf(&b, "var %sEntries = [...]Entry{\n", a.name)
	for _, e := range es {
		r := e.row
		fmt.Fprintf(&b, "{Name: %q, Nr: %d, Nargs: %d", r.name, e.nr, r.nargs)
		if len(r.classes) > 0 {
			fmt.Fprintf(&b, ", Class: %s", strings.Join(r.classes, " | "))
		}
		if len(r.args) > 0 {
			ids := make([]string, len(r.args))
			for i, k := range r.args {
				ids[i] = in.kinds.ident[k]
			}
			fmt.Fprintf(&b, ", Args: []Arg{%s}", strings.Join(ids, ", "))
		}
		if r.ret != "" {
			fmt.Fprintf(&b, ", Ret: %s", in.kinds.ident[r.ret])
		}
		if len(e.names) > 0 {
			quoted := make([]string, len(e.names))
			for i, n := range e.names {
				quoted[i] = strconv.Quote(n)
			}
			fmt.Fprintf(&b, ", ArgNames: []string{%s}", strings.Join(quoted, ", "))
		}
		b.WriteString("},\n")
	}
	b.WriteString("}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("format %s: %w", fileName(a), err)
	}
	return src, nil
}
