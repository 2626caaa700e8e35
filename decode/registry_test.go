package decode

import (
	"sort"
	"testing"

	"github.com/sonde-dev/sonde/sysent"
)

// TestKindsCovered lists the argument kinds the syscall tables use that have
// no decoder yet (they print in hex, as strace prints an undecoded value),
// and fails for kinds that are not declared at all.
func TestKindsCovered(t *testing.T) {
	missing := map[sysent.Arg]int{}
	for _, tab := range sysent.Tables() {
		for _, e := range tab.Entries {
			for _, k := range e.Args {
				if !sysent.IsArgKind(k) {
					t.Errorf("%s %s: undeclared kind %q", tab.Arch, e.Name, k)
				}
				if !HasArgKind(k) {
					missing[k]++
				}
			}
			if _, ok := retKinds[e.Ret]; !ok {
				t.Errorf("%s %s: return kind %q has no printer", tab.Arch, e.Name, e.Ret)
			}
		}
	}
	var names []string
	for k, n := range missing {
		names = append(names, string(k)+"("+itoa(n)+")")
	}
	sort.Strings(names)
	t.Logf("kinds without a decoder yet (printed in hex): %v", names)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
