#!/usr/bin/env bash
# Configures and builds LatentLab (Release) into build/; binaries land in build/bin/.
# The LibTorch: LATENTLAB_LIBTORCH, else a CUDA PyTorch of python3, else Debian's CPU one
# (packaging/libtorch.sh); Qt, QCustomPlot and OpenCV come from Debian in every case.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/packaging/libtorch.sh"
latentlab_choose_libtorch
echo "LibTorch: $latentlab_torch_kind"
cache="$root/build/CMakeCache.txt"
if [ -f "$cache" ] && ! grep -qx "Torch_DIR:PATH=$latentlab_torch_dir" "$cache"; then
    echo "The LibTorch changed since the last build: configuring build/ afresh"
    rm -rf "$cache" "$root/build/CMakeFiles"
fi
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DTorch_DIR:PATH="$latentlab_torch_dir" >/dev/null
cmake --build "$root/build" -j"$(nproc)"
