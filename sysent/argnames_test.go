package sysent

import "testing"

// TestArgNames checks the generated names: nargs of them when present, and
// present for the calls structured output shows most.
func TestArgNames(t *testing.T) {
	for _, tab := range Tables() {
		for _, e := range tab.Entries {
			if e.ArgNames != nil && len(e.ArgNames) != int(e.Nargs) {
				t.Errorf("%s %s: %d names for %d arguments", tab.Arch, e.Name, len(e.ArgNames), e.Nargs)
			}
		}
	}
	for _, c := range []struct {
		tab   *Table
		name  string
		names []string
	}{
		{X86_64, "openat", []string{"dfd", "filename", "flags", "mode"}},
		{X86_64, "read", []string{"fd", "buf", "count"}},
		{X86_64, "clone", []string{"clone_flags", "newsp", "parent_tidptr", "child_tidptr", "tls"}},
		{I386, "clone", []string{"clone_flags", "newsp", "parent_tidptr", "tls", "child_tidptr"}},
		{I386, "pread64", []string{"fd", "buf", "count", "poslo", "poshi"}},
		{AArch64, "mmap", []string{"addr", "len", "prot", "flags", "fd", "off"}},
	} {
		e := c.tab.ByName(c.name)
		if e == nil {
			t.Errorf("%s: no %s", c.tab.Arch, c.name)
			continue
		}
		if len(e.ArgNames) != len(c.names) {
			t.Errorf("%s %s: names %q, want %q", c.tab.Arch, c.name, e.ArgNames, c.names)
			continue
		}
		for i := range c.names {
			if e.ArgNames[i] != c.names[i] {
				t.Errorf("%s %s: names %q, want %q", c.tab.Arch, c.name, e.ArgNames, c.names)
				break
			}
		}
	}
}
