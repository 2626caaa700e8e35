package filter

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/sonde-dev/sonde/decode/xlat"
	"github.com/sonde-dev/sonde/sysent"
)

// Error is an invalid expression; its text is strace's message.
type Error struct {
	Msg string
}

func (e *Error) Error() string { return e.Msg }

func errorf(format string, args ...any) error { return &Error{Msg: fmt.Sprintf(format, args...)} }

// Syscalls is a set of syscalls of every architecture, strace's
// personality-indexed number set. The zero value is empty; a nil *Syscalls
// holds every syscall.
type Syscalls struct {
	not  bool
	nums map[*sysent.Table]map[uint64]struct{}
}

// Has reports whether syscall nr of table tab is in the set. A nil set
// holds everything.
func (s *Syscalls) Has(tab *sysent.Table, nr uint64) bool {
	if s == nil {
		return true
	}
	_, in := s.nums[tab][nr]
	return in != s.not
}

// IsAll reports whether the set holds every syscall.
func (s *Syscalls) IsAll() bool { return s == nil || (s.not && len(s.nums) == 0) }

func (s *Syscalls) add(tab *sysent.Table, nr uint64) {
	if s.nums == nil {
		s.nums = map[*sysent.Table]map[uint64]struct{}{}
	}
	m := s.nums[tab]
	if m == nil {
		m = map[uint64]struct{}{}
		s.nums[tab] = m
	}
	m[nr] = struct{}{}
}

// personalities maps strace's designators to the tables they select: @64
// the 64-bit ABIs, @32 i386, @x32 none sonde decodes.
var personalities = map[string][]*sysent.Table{
	"64":  {sysent.X86_64, sysent.AArch64},
	"32":  {sysent.I386},
	"x32": nil,
}

// classNames are the class names -e trace= accepts, legacy ones included.
var classNames = map[string]sysent.Class{
	"%desc": sysent.Desc, "%file": sysent.File, "%memory": sysent.Memory, "%process": sysent.Process,
	"%creds": sysent.Creds, "%signal": sysent.Signal, "%ipc": sysent.IPC, "%net": sysent.Network,
	"%network": sysent.Network, "%stat": sysent.Stat, "%lstat": sysent.LStat, "%fstat": sysent.FStat,
	"%%stat": sysent.StatLike, "%statfs": sysent.StatFS, "%fstatfs": sysent.FStatFS,
	"%%statfs": sysent.StatFSLike, "%pure": sysent.Pure, "%clock": sysent.Clock,
	"all": 0, "desc": sysent.Desc, "file": sysent.File, "memory": sysent.Memory,
	"process": sysent.Process, "signal": sysent.Signal, "ipc": sysent.IPC, "network": sysent.Network,
}

// ParseSyscalls parses a syscall set as strace's -e trace= does: names,
// %classes, /regex, numbers, each optionally with @64/@32/@x32, "?" to
// ignore one that matches nothing, a leading "!" to invert, "all", "none".
func ParseSyscalls(expr string) (*Syscalls, error) {
	s := &Syscalls{}
	rest, whole := setHead(expr, &s.not)
	if whole {
		return s, nil
	}
	done := false
	for _, tok := range strings.Split(rest, ",") {
		if tok == "" {
			continue
		}
		ok, err := s.qualify(tok)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errorf("invalid system call '%s'", tok)
		}
		done = true
	}
	if !done {
		return nil, errorf("invalid system call '%s'", expr)
	}
	return s, nil
}

func (s *Syscalls) qualify(tok string) (bool, error) {
	found := false
	for strings.HasPrefix(tok, "?") {
		tok = tok[1:]
		found = true
	}
	tables := sysent.Tables()
	if i := strings.LastIndexByte(tok, '@'); i >= 0 {
		p, ok := personalities[tok[i+1:]]
		if !ok {
			return false, errorf("incorrect personality designator '%s' in qualification '%s'", tok[i+1:], tok)
		}
		tables, tok = p, tok[:i]
	}
	for _, tab := range tables {
		ok, err := s.qualifyIn(tab, tok)
		if err != nil {
			return false, err
		}
		found = found || ok
	}
	return found, nil
}

func (s *Syscalls) qualifyIn(tab *sysent.Table, tok string) (bool, error) {
	switch {
	case tok != "" && tok[0] >= '0' && tok[0] <= '9':
		nr, err := strconv.ParseUint(tok, 10, 32)
		if err != nil || tab.Lookup(nr) == nil {
			return false, nil
		}
		s.add(tab, nr)
		return true, nil
	case strings.HasPrefix(tok, "/"):
		re, err := regexp.Compile(tok[1:])
		if err != nil {
			return false, errorf("regcomp: %s: %v", tok[1:], err)
		}
		found := false
		for _, e := range tab.Entries {
			if re.MatchString(e.Name) {
				s.add(tab, uint64(e.Nr))
				found = true
			}
		}
		for _, sub := range tab.Subcalls() {
			if re.MatchString(sub.Name) {
				s.add(tab, sub.Nr)
				found = true
			}
		}
		return found, nil
	}
	if class, ok := classNames[tok]; ok {
		for _, e := range tab.Entries {
			if e.Class&class == class {
				s.add(tab, uint64(e.Nr))
			}
		}
		for _, sub := range tab.Subcalls() {
			if e := tab.ByName(sub.As); e != nil && e.Class&class == class {
				s.add(tab, sub.Nr)
			}
		}
		return true, nil
	}
	if e := tab.ByName(tok); e != nil {
		s.add(tab, uint64(e.Nr))
		return true, nil
	}
	if sub, ok := tab.SubcallByName(tok); ok {
		s.add(tab, sub.Nr)
		return true, nil
	}
	return false, nil
}

// Numbers is a set of non-negative numbers (signals, descriptors, errnos,
// status and quiet flags). A nil *Numbers holds every number.
type Numbers struct {
	not  bool
	nums map[int]struct{}
}

// Has reports whether n is in the set.
func (s *Numbers) Has(n int) bool {
	if s == nil {
		return true
	}
	_, in := s.nums[n]
	return in != s.not
}

// IsAll reports whether the set holds every number.
func (s *Numbers) IsAll() bool { return s == nil || (s.not && len(s.nums) == 0) }

// IsNone reports whether the set holds nothing.
func (s *Numbers) IsNone() bool { return s != nil && !s.not && len(s.nums) == 0 }

// setHead reads what every set expression starts with: leading "!"s,
// each inverting *not, and then "all" or "none", which make the whole set
// (whole is true and *not says which).
func setHead(expr string, not *bool) (rest string, whole bool) {
	rest = expr
	for strings.HasPrefix(rest, "!") {
		*not = !*not
		rest = rest[1:]
	}
	switch rest {
	case "none":
		return rest, true
	case "all":
		*not = !*not
		return rest, true
	}
	return rest, false
}

// ParseNumbers parses strace's generic set syntax, looking each item up
// with lookup; what names the kind of item in the error message.
func ParseNumbers(expr, what string, lookup func(string) int) (*Numbers, error) {
	s := &Numbers{nums: map[int]struct{}{}}
	rest, whole := setHead(expr, &s.not)
	if whole {
		return s, nil
	}
	n := -1
	for _, tok := range strings.Split(rest, ",") {
		if tok == "" {
			continue
		}
		if n = lookup(tok); n < 0 {
			return nil, errorf("invalid %s '%s'", what, tok)
		}
		s.nums[n] = struct{}{}
	}
	if n < 0 {
		return nil, errorf("invalid %s '%s'", what, expr)
	}
	return s, nil
}

// uintUpto parses a decimal number no larger than max, or returns -1.
func uintUpto(s string, max int) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > max || s != strconv.Itoa(n) {
		return -1
	}
	return n
}

// ParseSignals parses -e signal=: numbers, names with or without SIG.
func ParseSignals(expr string) (*Numbers, error) {
	return ParseNumbers(expr, "signal", SignalNumber)
}

// SignalNumber returns the number of a signal given as a number or a name
// (case-insensitive, SIG optional), or -1.
func SignalNumber(s string) int {
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		return uintUpto(s, 255)
	}
	name := strings.ToUpper(s)
	name = strings.TrimPrefix(name, "SIG")
	for i := 1; i <= 64; i++ {
		if n := xlat.SignalName(i); strings.TrimPrefix(n, "SIG") == name && n != "" {
			return i
		}
	}
	return -1
}

// ParseDescriptors parses -e read= and -e write=.
func ParseDescriptors(expr string) (*Numbers, error) {
	return ParseNumbers(expr, "descriptor", func(s string) int { return uintUpto(s, 1<<30) })
}

// ParseErrnos parses sonde's -e errno=: names (ENOENT) or numbers.
func ParseErrnos(expr string) (*Numbers, error) {
	return ParseNumbers(expr, "errno", func(s string) int {
		if s != "" && s[0] >= '0' && s[0] <= '9' {
			return uintUpto(s, 4095)
		}
		for n := uint64(1); n < 4096; n++ {
			if name, ok := xlat.ErrnoName(n); ok && strings.EqualFold(name, s) {
				return int(n)
			}
		}
		return -1
	})
}

// keyword returns a lookup over a fixed list of words.
func keyword(words map[string]int) func(string) int {
	return func(s string) int {
		if v, ok := words[s]; ok {
			return v
		}
		return -1
	}
}

// The statuses of -e status=.
const (
	Successful = iota
	Failed
	Unfinished
	Unavailable
	Detached
)

// ParseStatus parses -e status=.
func ParseStatus(expr string) (*Numbers, error) {
	return ParseNumbers(expr, "status", keyword(map[string]int{
		"successful": Successful, "failed": Failed, "unfinished": Unfinished,
		"unavailable": Unavailable, "detached": Detached,
	}))
}

// The messages -e quiet= suppresses.
const (
	QuietAttach = iota
	QuietExit
	QuietPathResolution
	QuietPersonality
	QuietThreadExecve
)

// ParseQuiet parses -e quiet=.
func ParseQuiet(expr string) (*Numbers, error) {
	return ParseNumbers(expr, "quiet", keyword(map[string]int{
		"attach": QuietAttach, "exit": QuietExit, "exits": QuietExit,
		"path-resolution": QuietPathResolution, "personality": QuietPersonality,
		"superseded": QuietThreadExecve, "thread-execve": QuietThreadExecve,
	}))
}

// What --decode-fds= (-y, -yy) shows about a descriptor.
const (
	DecodeFDPath = iota
	DecodeFDSocket
	DecodeFDDev
	DecodeFDPidfd
)

// ParseDecodeFDs parses -e decode-fds=.
func ParseDecodeFDs(expr string) (*Numbers, error) {
	return ParseNumbers(expr, "decode-fds", keyword(map[string]int{
		"path": DecodeFDPath, "socket": DecodeFDSocket, "dev": DecodeFDDev, "pidfd": DecodeFDPidfd,
	}))
}

// What --decode-pids= (-Y) shows about a pid.
const (
	DecodePidNS = iota
	DecodePidComm
)

// ParseDecodePids parses -e decode-pids=.
func ParseDecodePids(expr string) (*Numbers, error) {
	return ParseNumbers(expr, "decode-pids", keyword(map[string]int{"pidns": DecodePidNS, "comm": DecodePidComm}))
}
