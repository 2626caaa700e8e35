package filter

import (
	"encoding/hex"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/sonde-dev/sonde/sysent"
)

// Inject is one -e inject= or -e fault= expression: make the calls of Set
// fail with Errno or return Retval, on the invocations When selects (per
// task and syscall, counting from 1).
type Inject struct {
	Set       *Syscalls
	Errno     int   // > 0: fail with this errno
	Retval    int64 // with HasRetval: succeed with this value
	HasRetval bool
	Signal    int // > 0: deliver this signal at the call's exit
	// Syscall, when not "", is run instead of the call (syscall=NAME, a
	// syscall of no arguments), its result then replaced as error= or
	// retval= say.
	Syscall string
	// PokeEnter and PokeExit are the bytes written at entry or exit to the
	// memory argument N (1-6) points to (poke_enter=@argN=HEX,...).
	PokeEnter, PokeExit []Poke
	// DelayEnter and DelayExit hold the task that long at the call's
	// entry or exit before it goes on; Delays says which were given
	// (DelayAtEnter, DelayAtExit: a delay of 0 is one too).
	DelayEnter, DelayExit time.Duration
	Delays                uint8
	// First, Step and Last select the invocations: First, First+Step,
	// First+2*Step ... up to Last; Step 0 is First alone.
	First, Step, Last uint64
}

// Poke is one poke_enter=/poke_exit= item: Data written where argument Arg
// (1-6) points.
type Poke struct {
	Arg  int
	Data []byte
}

// The bits of Inject.Delays.
const (
	DelayAtEnter = 1 << iota
	DelayAtExit
)

// Tampers reports whether the call's result is replaced (the kernel skips
// it): error= or retval=.
func (in *Inject) Tampers() bool { return in.Errno > 0 || in.HasRetval }

// Matches reports whether the n-th invocation (from 1) is injected.
func (in *Inject) Matches(n uint64) bool {
	switch {
	case n < in.First || n > in.Last:
		return false
	case in.Step == 0:
		return n == in.First
	}
	return (n-in.First)%in.Step == 0
}

// ParseInject parses the value of -e inject= (fault false) or -e fault=
// (fault true, whose error defaults to ENOSYS): SET[:error=E|:retval=N]
// [:signal=S][:delay_enter=D][:delay_exit=D][:when=EXPR], with strace 6.1's
// syntax and its message for what it rejects (a delay is a number of
// microseconds or one with a unit: 10ms, 1s, 500us, 100ns). syscall=,
// poke_enter= and poke_exit= are strace's too but not implemented yet:
// they are refused by name.
func ParseInject(expr string, fault bool) (*Inject, error) {
	what := "inject"
	if fault {
		what = "fault"
	}
	invalid := errorf("invalid %s argument '%s'", what, expr)
	parts := strings.Split(expr, ":")
	set, err := ParseSyscalls(parts[0])
	if err != nil {
		return nil, err
	}
	in := &Inject{Set: set, First: 1, Step: 1, Last: math.MaxUint16}
	for _, p := range parts[1:] {
		key, val, ok := strings.Cut(p, "=")
		if !ok {
			return nil, invalid
		}
		switch key {
		case "error":
			if in.Errno != 0 || in.HasRetval {
				return nil, invalid
			}
			n := errnoNumber(val)
			if n <= 0 {
				return nil, invalid
			}
			in.Errno = n
		case "retval":
			if fault || in.Errno != 0 || in.HasRetval {
				return nil, invalid
			}
			v, err := strconv.ParseInt(val, 0, 64)
			if err != nil {
				return nil, invalid
			}
			in.Retval, in.HasRetval = v, true
		case "when":
			if !in.parseWhen(val) {
				return nil, invalid
			}
		case "signal":
			if fault || in.Signal != 0 {
				return nil, invalid
			}
			if in.Signal = SignalNumber(val); in.Signal <= 0 || in.Signal > 64 {
				return nil, invalid
			}
		case "delay_enter", "delay_exit":
			d, ok := parseDelay(val)
			if fault || !ok {
				return nil, invalid
			}
			if key == "delay_enter" {
				in.DelayEnter, in.Delays = d, in.Delays|DelayAtEnter
			} else {
				in.DelayExit, in.Delays = d, in.Delays|DelayAtExit
			}
		case "syscall":
			if fault || in.Syscall != "" || !pureSyscall(val) {
				return nil, invalid
			}
			in.Syscall = val
		case "poke_enter", "poke_exit":
			pokes, ok := parsePokes(val)
			if fault || !ok {
				return nil, invalid
			}
			if key == "poke_enter" {
				in.PokeEnter = append(in.PokeEnter, pokes...)
			} else {
				in.PokeExit = append(in.PokeExit, pokes...)
			}
		default:
			return nil, invalid
		}
	}
	if fault && in.Errno == 0 {
		in.Errno = 38 // ENOSYS, fault='s default
	}
	if in.Syscall != "" && !in.Tampers() {
		return nil, invalid // the substitute's own result means nothing
	}
	if !in.Tampers() && in.Signal == 0 && in.Delays == 0 && len(in.PokeEnter)+len(in.PokeExit) == 0 {
		return nil, invalid
	}
	return in, nil
}

// pureSyscall reports whether name is a syscall of no arguments in every
// table that has it (getpid, getppid, gettid, getuid ...): the only kind
// syscall= may run instead of another.
func pureSyscall(name string) bool {
	found := false
	for _, tab := range sysent.Tables() {
		if e := tab.ByName(name); e != nil {
			if e.Nargs != 0 {
				return false
			}
			found = true
		}
	}
	return found
}

// parsePokes parses @argN=HEX[,@argN=HEX...]: N from 1 to 6, each once,
// HEX an even number of hex digits.
func parsePokes(s string) ([]Poke, bool) {
	var out []Poke
	seen := map[int]bool{}
	for _, item := range strings.Split(s, ",") {
		ref, data, ok := strings.Cut(item, "=")
		n, err := strconv.Atoi(strings.TrimPrefix(ref, "@arg"))
		if !ok || !strings.HasPrefix(ref, "@arg") || err != nil || n < 1 || n > 6 || seen[n] {
			return nil, false
		}
		b, err := hex.DecodeString(data)
		if err != nil || len(b) == 0 {
			return nil, false
		}
		seen[n] = true
		out = append(out, Poke{Arg: n, Data: b})
	}
	return out, true
}

// parseDelay parses a delay: microseconds, or a number (decimals allowed)
// with s, ms, us or ns.
func parseDelay(s string) (time.Duration, bool) {
	unit := time.Microsecond
	for _, u := range []struct {
		suffix string
		d      time.Duration
	}{{"ms", time.Millisecond}, {"us", time.Microsecond}, {"ns", time.Nanosecond}, {"s", time.Second}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			s, unit = v, u.d
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f*float64(unit) > float64(time.Hour*24*365) || s == "" || s[0] == '+' {
		return 0, false
	}
	return time.Duration(f * float64(unit)), true
}

// parseWhen parses when=: N, N+, N+STEP, N..M, N..M+STEP (N from 1, all at
// most 65535, as strace takes them).
func (in *Inject) parseWhen(s string) bool {
	num := func(s string) (uint64, bool) {
		v, err := strconv.ParseUint(s, 10, 16)
		return v, err == nil
	}
	rng, step, hasStep := strings.Cut(s, "+")
	first, last, hasLast := strings.Cut(rng, "..")
	var ok bool
	if in.First, ok = num(first); !ok || in.First == 0 {
		return false
	}
	in.Last = math.MaxUint16
	if hasLast {
		if in.Last, ok = num(last); !ok || in.Last < in.First {
			return false
		}
	}
	switch {
	case !hasStep && !hasLast:
		in.Step = 0 // the N-th only
	case !hasStep:
		in.Step = 1
	case step == "":
		in.Step = 1
	default:
		if in.Step, ok = num(step); !ok || in.Step == 0 {
			return false
		}
	}
	return true
}

// errnoNumber returns the errno named s (ENOENT) or numbered s, or -1.
func errnoNumber(s string) int {
	n, err := ParseErrnos(s)
	if err != nil || n == nil || len(n.nums) != 1 {
		return -1
	}
	for v := range n.nums {
		return v
	}
	return -1
}
