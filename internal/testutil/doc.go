// Package testutil holds what sonde's tests share: the one way a test skips
// (Skipf), probes for the preconditions of privileged and differential tests
// (root, ptrace, real strace, gcc, gcc -m32, i386 execution), and builders for
// the sonde binary and the fixture programs in testdata/fixtures.
//
// # Skips
//
// House-style rule 10: a test never passes silently. Every skip goes through
// Skipf, which prints why; when the environment has CI=true, Skipf fails the
// test instead, because the CI script (scripts/test.sh under .ci/run) installs
// every precondition the Require helpers check, so a missing one there is rot,
// not an excuse. Optionalf is the exception for things the CI script does not
// provide (python3 for one workload): it skips even in CI, and says so.
//
// # Builds
//
// BuildSonde and BuildFixtures build once per test binary into a temporary
// directory and return paths into it. A build failure is a test failure
// (t.Fatalf), never a skip: a fixture that does not compile is a bug. A
// package that uses them should call Main from its TestMain so the directory is
// removed when the tests end.
//
// # Errors
//
// The helpers report through the testing.TB they are given; they return no
// errors. A probe's cause (the compiler's output, the errno of a refused
// PTRACE_TRACEME, the Yama scope) is part of the printed reason.
package testutil
