#!/usr/bin/env bash
# Remakes docs/screenshots/ from the real window under a virtual X display (Xvfb): the default
# model on the demo digits, trained for STEPS steps (default 1500), with an interpolation set.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/packaging/build.sh"
"$root/packaging/fetch-mnist.sh" || echo "no demo digits: the screenshots show the lines set"
xvfb-run -a -s "-screen 0 1600x1000x24" \
    "$root/build/bin/latentlab-screenshots" "$root/docs/screenshots" "${1:-1500}"
