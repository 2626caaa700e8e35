package testutil

import (
	"fmt"
	"os"
	"testing"
)

// CIEnv is the environment variable that, set to "true", turns every Skipf
// into a failure. .ci/run exports it.
const CIEnv = "CI"

// InCI reports whether the tests run under CI (CI=true), where a missing
// precondition is a failure.
func InCI() bool { return os.Getenv(CIEnv) == "true" }

// Skipf skips t with the formatted reason, or fails it with the same reason
// when InCI: under CI every precondition the CI script installs must be there.
// It is the only place sonde's tests call t.Skip.
func Skipf(t testing.TB, format string, args ...any) {
	t.Helper()
	skip(t, true, fmt.Sprintf(format, args...))
}

// Optionalf skips t with the formatted reason even in CI. Use it only for a
// precondition the CI script does not install; the reason is printed either way.
func Optionalf(t testing.TB, format string, args ...any) {
	t.Helper()
	skip(t, false, fmt.Sprintf(format, args...))
}

// Require calls Skipf with "requires WHAT: ERR" when err is not nil.
func Require(t testing.TB, what string, err error) {
	t.Helper()
	if err != nil {
		Skipf(t, "requires %s: %v", what, err)
	}
}

func skip(t testing.TB, mandatoryInCI bool, reason string) {
	t.Helper()
	if mandatoryInCI && InCI() {
		t.Fatalf("precondition missing under %s=true (the CI script must provide it): %s", CIEnv, reason)
		return
	}
	t.Skip("skipped: " + reason)
}
