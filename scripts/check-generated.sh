#!/usr/bin/env bash
# check-generated.sh: regenerate every generated file under sysent/ and fail
# when the result differs from what the tree holds, so a stale z-file (an edit
# to internal/gen/sysent/syscalls.txt, sysent/kinds.go or the x/sys version
# without `go generate`) cannot land.
#
# It snapshots sysent/z*.go, runs `go generate ./sysent/...`, and compares.
# That needs no git history, so it works in a fresh clone, in CI, and in a
# repository with no commits yet. It leaves the regenerated files in place:
# after a failure, review them with `git diff -- sysent/` and commit them.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

before="$(mktemp -d)"
trap 'rm -rf "$before"' EXIT

shopt -s nullglob
for f in sysent/z*.go; do
	cp -p "$f" "$before/"
done

if ! go generate ./sysent/...; then
	echo "check-generated: go generate ./sysent/... failed (see above)" >&2
	exit 1
fi

after="$(mktemp -d)"
trap 'rm -rf "$before" "$after"' EXIT
for f in sysent/z*.go; do
	cp -p "$f" "$after/"
done

if ! diff -ru "$before" "$after" >"$after.diff" 2>&1; then
	sed -e "s|$before|sysent (before)|g" -e "s|$after|sysent (regenerated)|g" "$after.diff" | head -n 60 >&2
	rm -f "$after.diff"
	echo >&2
	echo "check-generated: sysent/z*.go were out of date; go generate ./sysent/... has rewritten them." >&2
	echo "check-generated: review with 'git diff -- sysent/' and commit the regenerated files." >&2
	exit 1
fi
rm -f "$after.diff"
echo "check-generated: sysent/z*.go are up to date"
