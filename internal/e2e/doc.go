// Package e2e holds sonde's end-to-end tests: they build the sonde binary and
// the fixtures in testdata/fixtures (through internal/testutil), run
// `sonde trace` on them and on ordinary commands, and check what it prints,
// how it exits and how far its trace agrees with real strace's.
//
// The non-test code is the trace normaliser (normalize.go) and the coverage
// harness (coverage.go: the cover: lines of the cov_*.c fixtures, the exact
// join of cut calls, the per-syscall verdicts behind docs/syscalls.md). The
// normaliser is a Go reimplementation of the rules of
// ../shared/tools/difftrace: pid prefixes
// dropped, <unfinished ...>/<... resumed> pairs joined, pids renamed to
// first-seen ordinals, hex addresses, clock fields and getrandom bytes masked,
// spacing folded; traces are then compared as multisets of lines.
//
// Preconditions (root, ptrace, real strace, gcc, gcc -m32) go through
// testutil's Require helpers: a skip that says why, or a failure under CI=true.
// A sonde that does not build is a failure, never a skip.
//
// To check the suite itself against the oracle, point it at real strace:
//
//	SONDE_E2E_TRACER=/usr/bin/strace go test ./internal/e2e/
//
// The variable replaces the `sonde trace` prefix (split on spaces); messages
// then carry that program's prefix instead of "sonde trace: ".
//
// Errors: the package defines none; the normaliser's functions cannot fail.
package e2e
