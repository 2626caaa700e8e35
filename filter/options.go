package filter

import (
	"strings"

	"github.com/sonde-dev/sonde/sysent"
)

// Options are the sets every -e expression updates. Nil sets hold
// everything; strace's defaults are applied by Defaults.
type Options struct {
	Trace, Abbrev, Verbose, Raw *Syscalls
	Signals                     *Numbers
	Status                      *Numbers
	Quiet                       *Numbers
	Read, Write                 *Numbers // nil: none (no hex dumps)
	DecodeFDs                   *Numbers // nil: none
	DecodePids                  *Numbers // nil: none
	Errnos                      *Numbers // sonde: only calls failing with these
	// Inject are the -e inject= and -e fault= expressions in order: for a
	// syscall in several sets, the last one given applies.
	Inject []*Inject
}

// InjectFor returns the injection that applies to syscall nr of tab, or nil.
func (o *Options) InjectFor(tab *sysent.Table, nr uint64) *Inject {
	for i := len(o.Inject) - 1; i >= 0; i-- {
		if o.Inject[i].Set.Has(tab, nr) {
			return o.Inject[i]
		}
	}
	return nil
}

func injectSet(fault bool) func(o *Options, v string) error {
	return func(o *Options, v string) error {
		in, err := ParseInject(v, fault)
		if err != nil {
			return err
		}
		o.Inject = append(o.Inject, in)
		return nil
	}
}

// Defaults returns strace's defaults: trace, abbreviate and show all,
// print no raw arguments, quiet about nothing.
func Defaults() *Options {
	none := &Numbers{}
	return &Options{
		Raw:   &Syscalls{},
		Quiet: none,
	}
}

type qualifier struct {
	names []string
	set   func(o *Options, value string) error
}

func syscallSet(field func(o *Options) **Syscalls) func(o *Options, v string) error {
	return func(o *Options, v string) error {
		s, err := ParseSyscalls(v)
		if err != nil {
			return err
		}
		*field(o) = s
		return nil
	}
}

func numberSet(parse func(string) (*Numbers, error), field func(o *Options) **Numbers) func(o *Options, v string) error {
	return func(o *Options, v string) error {
		s, err := parse(v)
		if err != nil {
			return err
		}
		*field(o) = s
		return nil
	}
}

// qualifiers are -e's keywords, with strace's aliases, in strace's order
// (the first whose name prefixes the expression wins).
var qualifiers = []qualifier{
	{[]string{"trace", "t"}, syscallSet(func(o *Options) **Syscalls { return &o.Trace })},
	{[]string{"abbrev", "a"}, syscallSet(func(o *Options) **Syscalls { return &o.Abbrev })},
	{[]string{"verbose", "v"}, syscallSet(func(o *Options) **Syscalls { return &o.Verbose })},
	{[]string{"raw", "x"}, syscallSet(func(o *Options) **Syscalls { return &o.Raw })},
	{[]string{"signal", "signals", "s"}, numberSet(ParseSignals, func(o *Options) **Numbers { return &o.Signals })},
	{[]string{"status"}, numberSet(ParseStatus, func(o *Options) **Numbers { return &o.Status })},
	{[]string{"quiet", "silent", "silence", "q"}, numberSet(ParseQuiet, func(o *Options) **Numbers { return &o.Quiet })},
	{[]string{"read", "reads", "r"}, numberSet(ParseDescriptors, func(o *Options) **Numbers { return &o.Read })},
	{[]string{"write", "writes", "w"}, numberSet(ParseDescriptors, func(o *Options) **Numbers { return &o.Write })},
	{[]string{"decode-fd", "decode-fds"}, numberSet(ParseDecodeFDs, func(o *Options) **Numbers { return &o.DecodeFDs })},
	{[]string{"decode-pid", "decode-pids"}, numberSet(ParseDecodePids, func(o *Options) **Numbers { return &o.DecodePids })},
	{[]string{"errno", "errnos"}, numberSet(ParseErrnos, func(o *Options) **Numbers { return &o.Errnos })},
	{[]string{"inject"}, injectSet(false)},
	{[]string{"fault"}, injectSet(true)},
}

// Qualify applies one -e expression: KEYWORD=SET, or a bare SET meaning
// trace=SET, as strace's qualify does.
func (o *Options) Qualify(expr string) error {
	value, set := expr, qualifiers[0].set
scan:
	for _, q := range qualifiers {
		for _, name := range q.names {
			if rest, ok := strings.CutPrefix(expr, name); ok && strings.HasPrefix(rest, "=") {
				value, set = rest[1:], q.set
				break scan
			}
		}
	}
	return set(o, value)
}
