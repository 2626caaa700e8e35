package xlat

import "testing"

// strCase is one value and the text strace 6.1 printed for it (observed by
// running strace on small C programs that pass the value to the syscall).
type strCase struct {
	v    uint64
	want string
}

// checkAppend runs f on every case and compares with strace's text.
func checkAppend(t *testing.T, name string, f func([]byte, uint64) []byte, cases []strCase) {
	t.Helper()
	for _, c := range cases {
		if got := string(f(nil, c.v)); got != c.want {
			t.Errorf("%s(%#x) = %q, want %q", name, c.v, got, c.want)
		}
	}
}

// checkSet checks a set's Append (its own style) against strace's text.
func checkSet(t *testing.T, s *Set, cases []strCase) {
	t.Helper()
	checkAppend(t, s.Name, s.Append, cases)
}

// allSets lists every exported set for the invariant checks.
var allSets = map[string]*Set{
	"OpenAccessModes":       OpenAccessModes,
	"OpenFlags":             OpenFlags,
	"OpenFlagsGeneric":      OpenFlagsGeneric,
	"AtFlags":               AtFlags,
	"FaccessatFlags":        FaccessatFlags,
	"StatxSyncTypes":        StatxSyncTypes,
	"AccessModes":           AccessModes,
	"FcntlCmds":             FcntlCmds,
	"FdFlags":               FdFlags,
	"SeekWhence":            SeekWhence,
	"FileTypes":             FileTypes,
	"StatxMask":             StatxMask,
	"StatxAttrs":            StatxAttrs,
	"XattrFlags":            XattrFlags,
	"MmapProt":              MmapProt,
	"MmapFlags":             MmapFlags,
	"MmapFlagsGeneric":      MmapFlagsGeneric,
	"MadviseAdvice":         MadviseAdvice,
	"MremapFlags":           MremapFlags,
	"MsyncFlags":            MsyncFlags,
	"MlockFlags":            MlockFlags,
	"MlockallFlags":         MlockallFlags,
	"MembarrierCmds":        MembarrierCmds,
	"MembarrierCmdFlags":    MembarrierCmdFlags,
	"SigprocmaskHow":        SigprocmaskHow,
	"SaHandlerValues":       SaHandlerValues,
	"SigactionFlags":        SigactionFlags,
	"SigactionFlagsGeneric": SigactionFlagsGeneric,
	"SiCodes":               SiCodes,
	"SigillCodes":           SigillCodes,
	"SigfpeCodes":           SigfpeCodes,
	"SigsegvCodes":          SigsegvCodes,
	"SigbusCodes":           SigbusCodes,
	"SigtrapCodes":          SigtrapCodes,
	"SigchldCodes":          SigchldCodes,
	"SigpollCodes":          SigpollCodes,
	"SigsysCodes":           SigsysCodes,
	"RlimitResources":       RlimitResources,
	"ArchPrctlCodes":        ArchPrctlCodes,
	"GetrandomFlags":        GetrandomFlags,
	"FutexOps":              FutexOps,
	"FutexWaitvFlags":       FutexWaitvFlags,
	"TermIflags":            TermIflags,
	"TermOflags":            TermOflags,
	"BaudOptions":           BaudOptions,
	"TermCflagsCsize":       TermCflagsCsize,
	"TermCflags":            TermCflags,
	"TermLflags":            TermLflags,
	"TermLineDiscs":         TermLineDiscs,
	"TermiosCC":             TermiosCC,
	"TcxoncOptions":         TcxoncOptions,
	"TcflshOptions":         TcflshOptions,
	"ModemFlags":            ModemFlags,
	"FutexWakeOps":          FutexWakeOps,
	"FutexWakeCmps":         FutexWakeCmps,
	"CloneFlags":            CloneFlags,
	"Clone3Flags":           Clone3Flags,
	"UnshareFlags":          UnshareFlags,
	"WaitOptions":           WaitOptions,
	"PrctlOptions":          PrctlOptions,
	"PersonalityTypes":      PersonalityTypes,
	"PersonalityFlags":      PersonalityFlags,
	"SchedPolicies":         SchedPolicies,
	"PriorityWhich":         PriorityWhich,
	"SeccompOps":            SeccompOps,
	"SeccompFilterFlags":    SeccompFilterFlags,
	"SeccompModes":          SeccompModes,
	"PtraceRequests":        PtraceRequests,
	"PtraceRequestsGeneric": PtraceRequestsGeneric,
	"AddressFamilies":       AddressFamilies,
	"SocketTypes":           SocketTypes,
	"SocketTypeFlags":       SocketTypeFlags,
	"TerminalIoctls":        TerminalIoctls,
}

// TestSetInvariants checks what every set must satisfy: a strace xlat
// name, unique names and enum values, and, for flag sets, a zero constant
// only in first place (strace prints zero's name only from there) except
// for MmapFlags, whose MAP_FILE is looked up as the MAP_TYPE enum.
func TestSetInvariants(t *testing.T) {
	for name, s := range allSets {
		if s == nil || s.Name == "" || len(s.Pairs) == 0 {
			t.Errorf("%s: empty set or missing xlat name", name)
			continue
		}
		names := map[string]bool{}
		vals := map[uint64]string{}
		for i, p := range s.Pairs {
			if p.Name == "" {
				t.Errorf("%s: pair %d has no name", name, i)
			}
			if names[p.Name] {
				t.Errorf("%s: duplicate name %s", name, p.Name)
			}
			names[p.Name] = true
			if prev, dup := vals[p.Val]; dup && s.Style == Enum {
				t.Errorf("%s: %s and %s share value %#x", name, prev, p.Name, p.Val)
			}
			vals[p.Val] = p.Name
			if s.Style == Flags && p.Val == 0 && i != 0 && s != MmapFlags && s != MmapFlagsGeneric {
				t.Errorf("%s: zero constant %s is not first", name, p.Name)
			}
		}
	}
}

// TestAppendFlagsSemantics pins the printflags rules AppendFlags follows.
func TestAppendFlagsSemantics(t *testing.T) {
	s := &Set{Name: "t", Style: Flags, Pairs: []Pair{{4, "C"}, {1, "A"}, {3, "AB"}}, Unknown: "T_???"}
	checkSet(t, s, []strCase{
		{0, "0"},               // no zero constant: "0", no comment
		{1, "A"},               //
		{3, "A|0x2"},           // set order: A consumes bit 0 before AB is tried
		{5, "C|A"},             // set order, not value order
		{8, "0x8 /* T_??? */"}, // nothing named: hex and comment
		{9, "A|0x8"},           // leftover after a name: no comment
		{0x1_0000_0000, "0x100000000 /* T_??? */"},
	})
	z := &Set{Name: "z", Style: Flags, Pairs: []Pair{{1, "A"}, {0, "ZERO"}}}
	checkSet(t, z, []strCase{{0, "0"}, {2, "0x2"}}) // zero not first: "0"; no Unknown: no comment
	if names, rest := z.Names(0); names != nil || rest != 0 {
		t.Errorf("Names(0) = %v, %#x; want nil, 0", names, rest)
	}
	e := &Set{Name: "e", Style: Enum, Pairs: []Pair{{1, "ONE"}}, Unknown: "E_???"}
	checkSet(t, e, []strCase{{1, "ONE"}, {0, "0 /* E_??? */"}, {0x2a, "0x2a /* E_??? */"}})
	if names, rest := s.Names(13); len(names) != 2 || names[0] != "C" || names[1] != "A" || rest != 8 {
		t.Errorf("Names(13) = %v, %#x", names, rest)
	}
}
