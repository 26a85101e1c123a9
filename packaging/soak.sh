#!/usr/bin/env bash
# packaging/soak.sh [MINUTES]: the window off-screen for MINUTES (default 30), training the
# paper-size AAE on the demo digits while a driver moves the slider, hovers, toggles the
# manifold map and saves every minute (tests/tools/soak.cpp). Prints resident memory, threads,
# open files and the event loop's longest stall; writes build/soak.csv. Exits non-zero when
# memory grew by 5 % or more after the first minute, a thread or file handle leaked, or the
# event loop stalled for more than 50 ms. Run by hand (docs/RELIABILITY.md), not by test.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
minutes="${1:-30}"
source "$root/packaging/deps.sh"
"$root/packaging/build.sh"
"$root/packaging/fetch-mnist.sh" || echo "soak.sh: the demo digits are missing; soaking on lines"
QT_QPA_PLATFORM=offscreen "$root/build/bin/latentlab-soak" "$minutes" "$root/build/soak.csv"
