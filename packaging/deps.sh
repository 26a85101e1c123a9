#!/usr/bin/env bash
# Installs the Debian 12 packages LatentLab builds and runs with, only those that are missing.
# Sourced by run.sh and test.sh; uses sudo when not run as root.
set -euo pipefail

latentlab_packages=(
    cmake ninja-build g++ pkg-config
    libtorch-dev            # LibTorch 1.13 (CPU)
    libopenblas0-pthread    # without it LibTorch falls back to the reference BLAS, ~18x slower
    qt6-base-dev libqcustomplot-dev
    libopencv-dev zlib1g-dev
    nlohmann-json3-dev      # configuration and results files
    libhnswlib-dev          # the nearest-neighbour graph of UMAP layouts (model/analysis/layout)
    libgloo-dev             # data-parallel training: the headers of LibTorch's c10d Gloo backend
    python3-torch           # tst_interop checks the Python side of latentlab-cli export
    help2man dpkg-dev       # the man page and the .deb (packaging/package.sh, tst_package)
    appstream desktop-file-utils # tst_package validates the metainfo and the desktop entry
    xvfb xauth              # the GUI tests and screenshots run under a virtual display
    locales                 # test.sh runs every suite under a comma-decimal locale too
)

latentlab_install_missing() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$p")
    done
    ((${#missing[@]})) || return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "Installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# The German locale, whose decimal comma is what files must not pick up (packaging/test.sh).
latentlab_ensure_test_locale() {
    locale -a 2>/dev/null | grep -qix 'de_DE\.utf-\?8' && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "Generating the de_DE.UTF-8 locale for the tests"
    $sudo localedef -i de_DE -f UTF-8 de_DE.UTF-8
}

latentlab_install_missing "${latentlab_packages[@]}"
latentlab_ensure_test_locale
