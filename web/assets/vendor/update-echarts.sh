#!/bin/sh
# update-echarts.sh refreshes the vendored ECharts build that the web server
# embeds (web/assets/vendor/echarts.min.js) from the npm registry.
#
# Usage: web/assets/vendor/update-echarts.sh [VERSION]
#
# Name an exact version (default below) so a refresh is reproducible; see
# `npm view echarts version` for the newest one. The script packs the
# published tarball with `npm pack`, checks it against the registry's
# integrity hash (npm does), and copies the minified browser build and the
# licence next to this script. Commit all three files together.
set -eu

version="${1:-6.1.0}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "echarts@$version" >/dev/null
tar -xzf "echarts-$version.tgz" package/dist/echarts.min.js package/LICENSE

cp package/dist/echarts.min.js "$here/echarts.min.js"
cp package/LICENSE "$here/echarts.LICENSE"
printf '%s\n' "$version" > "$here/echarts.version"
echo "echarts $version -> $here/echarts.min.js ($(wc -c < "$here/echarts.min.js") bytes)"
