#!/usr/bin/env bash
# Builds and prints the benchmark figures of docs/BENCHMARKS.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/packaging/build.sh"
bin="$root/build/bin"
"$bin/latentlab-cli" bench --model ae --batch 100 --steps 50 --decodes 500
"$bin/latentlab-cli" bench --model aae --batch 100 --steps 50 --decodes 500
QT_QPA_PLATFORM=offscreen "$bin/latentlab-bench-gui"
