#!/usr/bin/env bash
# test.sh: install what sonde's tests need, then check and test everything.
#
#   scripts/test.sh [go test flags...]     e.g. scripts/test.sh -run Differential -v
#
# 1. Installs the test preconditions that are missing: real strace (the
#    differential oracle), gcc with libc headers, gcc-multilib (the i386
#    C fixtures), setpriv (util-linux: the unprivileged runs), and the
#    programs testdata/corpus/real.txt runs (sqlite3, xz-utils, tar, gzip,
#    git, perl, python3) and net.txt (curl), with apt-get install -y;
#    apt-get update runs only if an install fails first. Works as root on a
#    fresh Debian 12 (sudo is used when not root and available; otherwise it
#    warns, and the tests skip, or fail under CI=true, saying what is
#    missing).
# 2. go mod download, scripts/check-generated.sh (if present), go vet for the
#    host, arm64 and 386, then go test -count=1 ./... with any arguments given.
#
# .ci/run runs this with CI=true, which turns every test skip for a missing
# precondition into a failure.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

log() { printf 'test.sh: %s\n' "$*" >&2; }

# have_m32 reports whether gcc -m32 compiles and links a trivial program.
have_m32() {
	command -v gcc >/dev/null 2>&1 || return 1
	local dir rc
	dir="$(mktemp -d)"
	printf 'int main(void) { return 0; }\n' >"$dir/probe.c"
	gcc -m32 -o "$dir/probe" "$dir/probe.c" >/dev/null 2>&1 && rc=0 || rc=1
	rm -rf "$dir"
	return "$rc"
}

# have_cc reports whether gcc compiles and links a trivial program.
have_cc() {
	command -v gcc >/dev/null 2>&1 || return 1
	local dir rc
	dir="$(mktemp -d)"
	printf '#include <stdio.h>\nint main(void) { return 0; }\n' >"$dir/probe.c"
	gcc -o "$dir/probe" "$dir/probe.c" >/dev/null 2>&1 && rc=0 || rc=1
	rm -rf "$dir"
	return "$rc"
}

install_missing() {
	local need=()
	[ -x /usr/bin/strace ] || need+=(strace)
	have_cc || need+=(gcc libc6-dev)
	have_m32 || need+=(gcc-multilib)
	# setpriv runs the unprivileged cases of the defend and watch tests.
	command -v setpriv >/dev/null 2>&1 || need+=(util-linux)
	# The programs of testdata/corpus/real.txt (TestCorpus) and net.txt
	# (TestNetCorpus), by Debian package.
	local prog pkg
	for prog in sqlite3:sqlite3 xz:xz-utils tar:tar gzip:gzip git:git perl:perl /usr/bin/python3:python3 curl:curl; do
		pkg="${prog##*:}"
		prog="${prog%:*}"
		command -v "$prog" >/dev/null 2>&1 || need+=("$pkg")
	done
	if [ "${#need[@]}" -eq 0 ]; then
		return 0
	fi
	if ! command -v apt-get >/dev/null 2>&1; then
		log "missing ${need[*]} and no apt-get here: install them by hand"
		return 0
	fi
	local sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1; then
			sudo=(sudo)
		else
			log "missing ${need[*]}; not root and no sudo: tests that need them will skip (fail under CI=true)"
			return 0
		fi
	fi
	log "installing ${need[*]}"
	export DEBIAN_FRONTEND=noninteractive
	if ! "${sudo[@]}" apt-get install -y "${need[@]}"; then
		log "install failed; running apt-get update and retrying"
		"${sudo[@]}" apt-get update
		"${sudo[@]}" apt-get install -y "${need[@]}"
	fi
}

install_missing

log "go mod download"
go mod download

if [ -e scripts/check-generated.sh ]; then
	log "scripts/check-generated.sh"
	bash scripts/check-generated.sh
fi

log "go vet ./..."
go vet ./...
log "GOARCH=arm64 go vet ./..."
GOARCH=arm64 go vet ./...
log "GOARCH=386 go vet ./..."
GOARCH=386 go vet ./...

log "go test -count=1 $* ./..."
go test -count=1 "$@" ./...
