#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (CTest, off-screen). Exits non-zero on
# any failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/packaging/deps.sh"
"$root/packaging/build.sh"
cd "$root/build"
QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j"$(nproc)"
# Again under a locale whose decimal separator is a comma: files must come out the same.
echo "Every suite again under LC_ALL=de_DE.UTF-8"
LC_ALL=de_DE.UTF-8 QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j"$(nproc)"
# The fuzz targets for a few seconds each, where clang is installed (packaging/fuzz.sh runs
# them longer by hand).
if command -v clang++ >/dev/null; then
    echo "Fuzz targets, 5 s each"
    "$root/packaging/fuzz.sh" 5
fi
