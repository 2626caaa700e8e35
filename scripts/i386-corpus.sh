#!/usr/bin/env bash
# i386-corpus.sh: build issue #5's network workloads for i386 (the network
# fixture with gcc -m32, a Go program with GOARCH=386) into DIR and write
# DIR/i386.txt, a corpus for difftrace:
#
#   scripts/i386-corpus.sh /tmp/i386 && \
#     ../shared/tools/difftrace /tmp/i386/i386.txt "bin/sonde trace" --show 5
#
# TestNetCorpusI386 runs the same workloads in the test suite.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:?usage: scripts/i386-corpus.sh DIR}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
gcc -m32 -O2 -o "$dir/network" "$root/testdata/fixtures/network.c"
(cd "$root" && GOOS=linux GOARCH=386 CGO_ENABLED=0 go build -o "$dir/gohello" ./testdata/fixtures/gohello)
{
	echo "# issue #5's network workloads built for i386 by scripts/i386-corpus.sh"
	for w in tcp fdpass epoll timers poll; do
		echo "$dir/network $w"
	done
	echo "$dir/gohello"
} >"$dir/i386.txt"
echo "$dir/i386.txt"
