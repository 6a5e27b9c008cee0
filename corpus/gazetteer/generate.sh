#!/bin/sh
# Regenerates divisions.txt, the GB/T 2260 gazetteer (current and retired
# divisions since 1981) embedded by package corpus, from result.csv of the
# areacodes dataset (github.com/yescallop/areacodes, CC0 1.0; the licence is
# LICENSE-areacodes here). Usage: generate.sh path/to/result.csv
# Run it from anywhere, review the diff, commit.
set -eu
if [ $# -ne 1 ]; then
	echo "usage: $0 path/to/areacodes/result.csv" >&2
	exit 2
fi
src=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
go run ./corpus/internal/gengazetteer -src "$src" -out "$here/divisions.txt" -source "areacodes result.csv"
echo "wrote $here/divisions.txt ($(wc -l <"$here/divisions.txt") lines)"
