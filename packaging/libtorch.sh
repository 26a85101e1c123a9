#!/usr/bin/env bash
# Sourced by build.sh: chooses the LibTorch to build against and says which.
#   1. LATENTLAB_LIBTORCH=DIR: an unpacked LibTorch, or any folder with share/cmake/Torch;
#   2. else a PyTorch installed for python3 that was built with CUDA (torch.version.cuda set):
#      the LibTorch inside it (torch.utils.cmake_prefix_path);
#   3. else Debian's libtorch-dev (CPU).
# Sets latentlab_torch_dir (the folder holding TorchConfig.cmake) and latentlab_torch_kind (one
# line for people). A LibTorch built with the old C++ ABI cannot link with Debian's Qt and
# OpenCV: it is refused with a sentence saying so.

latentlab_torch_old_abi() { # TorchConfig.cmake's folder
    grep -q '_GLIBCXX_USE_CXX11_ABI=0' "$1/TorchConfig.cmake" 2>/dev/null
}

latentlab_choose_libtorch() {
    latentlab_torch_dir=""
    latentlab_torch_kind=""
    if [ -n "${LATENTLAB_LIBTORCH:-}" ]; then
        local d
        for d in "$LATENTLAB_LIBTORCH/share/cmake/Torch" "$LATENTLAB_LIBTORCH"; do
            if [ -f "$d/TorchConfig.cmake" ]; then
                latentlab_torch_dir="$(cd "$d" && pwd)"
                break
            fi
        done
        if [ -z "$latentlab_torch_dir" ]; then
            echo "LATENTLAB_LIBTORCH=$LATENTLAB_LIBTORCH holds no share/cmake/Torch/TorchConfig.cmake;" \
                "point it at an unpacked LibTorch (the folder with lib/ and share/)." >&2
            return 1
        fi
        latentlab_torch_kind="the LibTorch in LATENTLAB_LIBTORCH ($LATENTLAB_LIBTORCH)"
    else
        # python3 may be a pyenv or venv shim: ask it, then the system's, which may differ.
        local py info
        for py in python3 /usr/bin/python3; do
            command -v "$py" >/dev/null || continue
            info="$("$py" - 2>/dev/null <<'EOF' || true
import torch, torch.utils
if torch.version.cuda:
    print(torch.utils.cmake_prefix_path + "/Torch")
    print(f"CUDA {torch.version.cuda} LibTorch of PyTorch {torch.__version__}")
    print(int(torch.compiled_with_cxx11_abi()))
EOF
)"
            if [ -n "$info" ]; then
                latentlab_torch_dir="$(sed -n 1p <<<"$info")"
                latentlab_torch_kind="the $(sed -n 2p <<<"$info") ($(command -v "$py"))"
                if [ "$(sed -n 3p <<<"$info")" = 0 ]; then
                    echo "The PyTorch of $(command -v "$py") was built with the old C++ ABI" \
                        "(_GLIBCXX_USE_CXX11_ABI=0), which cannot link with Debian's Qt and OpenCV;" \
                        "install a cxx11-ABI LibTorch and set LATENTLAB_LIBTORCH to it." >&2
                    return 1
                fi
                break
            fi
        done
        # Building against a CUDA LibTorch needs the CUDA toolkit (nvcc) as well.
        if [ -n "$latentlab_torch_dir" ] && ! command -v nvcc >/dev/null &&
            [ ! -x "${CUDA_HOME:-/usr/local/cuda}/bin/nvcc" ]; then
            echo "Found $latentlab_torch_kind, but no CUDA toolkit (nvcc) to build against it;" \
                "building on the CPU instead (install the toolkit, or set CUDA_HOME)." >&2
            latentlab_torch_dir=""
        fi
    fi
    if [ -z "$latentlab_torch_dir" ]; then
        # || true: under set -e -o pipefail a grep that finds nothing would end the caller
        # before it could say why.
        latentlab_torch_dir="$(dpkg -L libtorch-dev 2>/dev/null | grep '/TorchConfig\.cmake$' |
            head -n 1 | xargs -r dirname || true)"
        latentlab_torch_kind="Debian's CPU LibTorch (libtorch-dev)"
        if [ -z "$latentlab_torch_dir" ]; then
            echo "No LibTorch found: install libtorch-dev (packaging/deps.sh does) or set" \
                "LATENTLAB_LIBTORCH." >&2
            return 1
        fi
    fi
    if latentlab_torch_old_abi "$latentlab_torch_dir"; then
        echo "Refused: $latentlab_torch_kind was built with the old C++ ABI (_GLIBCXX_USE_CXX11_ABI=0)," \
            "which cannot link with Debian's Qt and OpenCV; use a cxx11-ABI LibTorch" \
            "(the 'cxx11 ABI' download) and set LATENTLAB_LIBTORCH to it." >&2
        return 1
    fi
}
