package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
)

// kindSet is what sysent/kinds.go declares.
type kindSet struct {
	ident      map[string]string // kind value ("fd") -> Go constant ("ArgFD")
	ret        map[string]bool   // values a Ret may name, besides ""
	returnOnly map[string]bool   // values only a Ret may name
}

// parseKinds reads the Arg constants of kinds.go and its returnKinds and
// returnOnlyKinds lists.
func parseKinds(path string) (kindSet, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return kindSet{}, fmt.Errorf("parse kinds: %w", err)
	}
	ks := kindSet{ident: map[string]string{}}
	byIdent := map[string]string{}
	var errs errList
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, s := range gd.Specs {
			vs := s.(*ast.ValueSpec)
			if t, ok := vs.Type.(*ast.Ident); !ok || t.Name != "Arg" {
				continue
			}
			if len(vs.Names) != 1 || len(vs.Values) != 1 {
				errs = append(errs, fmt.Errorf("%s: Arg constants must be declared one a line with a value", path))
				continue
			}
			lit, ok := vs.Values[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				errs = append(errs, fmt.Errorf("%s: %s: value is not a string literal", path, vs.Names[0].Name))
				continue
			}
			v, err := strconv.Unquote(lit.Value)
			if err != nil || v == "" {
				errs = append(errs, fmt.Errorf("%s: %s: bad value %s", path, vs.Names[0].Name, lit.Value))
				continue
			}
			if prev, dup := ks.ident[v]; dup {
				errs = append(errs, fmt.Errorf("%s: kind %q declared twice (%s, %s)", path, v, prev, vs.Names[0].Name))
				continue
			}
			ks.ident[v] = vs.Names[0].Name
			byIdent[vs.Names[0].Name] = v
		}
	}
	if len(ks.ident) == 0 {
		errs = append(errs, fmt.Errorf("%s: no Arg constants", path))
	}
	if ks.ret, err = identList(f, "returnKinds", byIdent); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", path, err))
	}
	if ks.returnOnly, err = identList(f, "returnOnlyKinds", byIdent); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", path, err))
	}
	return ks, errs.err()
}

// identList reads `var name = [...]Arg{ArgX, ...}` as the set of kind values.
func identList(f *ast.File, name string, byIdent map[string]string) (map[string]bool, error) {
	lit := varLiteral(f, name)
	if lit == nil {
		return nil, fmt.Errorf("no composite literal var %s", name)
	}
	set := map[string]bool{}
	for _, e := range lit.Elts {
		id, ok := e.(*ast.Ident)
		if !ok {
			return nil, fmt.Errorf("%s: element is not an identifier", name)
		}
		v, ok := byIdent[id.Name]
		if !ok {
			return nil, fmt.Errorf("%s: %s is not a declared kind", name, id.Name)
		}
		set[v] = true
	}
	return set, nil
}

func varLiteral(f *ast.File, name string) *ast.CompositeLit {
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, s := range gd.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if n.Name == name && i < len(vs.Values) {
					lit, _ := vs.Values[i].(*ast.CompositeLit)
					return lit
				}
			}
		}
	}
	return nil
}

// classSet maps strace class names, without the leading '%' ("file",
// "%stat"), to sysent's Class constants, in bit order.
type classSet struct {
	ident map[string]string
	order []string // Go constants, lowest bit first
}

// parseClasses pairs sysent.go's Class constants (declared `X Class = 1 <<
// iota` then one a line) with its classNames list, which names them in the
// same order.
func parseClasses(path string) (classSet, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return classSet{}, fmt.Errorf("parse classes: %w", err)
	}
	var idents []string
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST || len(gd.Specs) == 0 {
			continue
		}
		first := gd.Specs[0].(*ast.ValueSpec)
		if t, ok := first.Type.(*ast.Ident); !ok || t.Name != "Class" {
			continue
		}
		for i, s := range gd.Specs {
			vs := s.(*ast.ValueSpec)
			if i > 0 && (vs.Type != nil || len(vs.Values) != 0) {
				return classSet{}, fmt.Errorf("%s: Class constant %s breaks the iota sequence", path, vs.Names[0].Name)
			}
			for _, n := range vs.Names {
				idents = append(idents, n.Name)
			}
		}
	}
	lit := varLiteral(f, "classNames")
	if len(idents) == 0 || lit == nil {
		return classSet{}, fmt.Errorf("%s: no Class constants or no classNames list", path)
	}
	if len(lit.Elts) != len(idents) {
		return classSet{}, fmt.Errorf("%s: %d Class constants but %d classNames", path, len(idents), len(lit.Elts))
	}
	cs := classSet{ident: map[string]string{}, order: idents}
	for i, e := range lit.Elts {
		bl, ok := e.(*ast.BasicLit)
		if !ok || bl.Kind != token.STRING {
			return classSet{}, fmt.Errorf("%s: classNames[%d] is not a string literal", path, i)
		}
		name, err := strconv.Unquote(bl.Value)
		if err != nil {
			return classSet{}, fmt.Errorf("%s: classNames[%d]: %w", path, i, err)
		}
		cs.ident[name] = idents[i]
	}
	return cs, nil
}

// sysnum is one SYS_* constant of x/sys.
type sysnum struct {
	name string // lower-cased, without SYS_: "_llseek"
	nr   uint32
}

// parseSysnums reads the SYS_* constants of one zsysnum_linux_*.go file.
func parseSysnums(path string) ([]sysnum, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("parse syscall numbers: %w", err)
	}
	var out []sysnum
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, s := range gd.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if !strings.HasPrefix(n.Name, "SYS_") {
					continue
				}
				if i >= len(vs.Values) {
					return nil, fmt.Errorf("%s: %s has no value", path, n.Name)
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.INT {
					return nil, fmt.Errorf("%s: %s is not an integer literal", path, n.Name)
				}
				nr, err := strconv.ParseUint(lit.Value, 0, 32)
				if err != nil {
					return nil, fmt.Errorf("%s: %s: %w", path, n.Name, err)
				}
				out = append(out, sysnum{name: strings.ToLower(strings.TrimPrefix(n.Name, "SYS_")), nr: uint32(nr)})
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no SYS_ constants", path)
	}
	return out, nil
}
