#!/usr/bin/env bash
# packaging/package.sh: builds LatentLab (packaging/build.sh) and the Debian package with CPack:
# build/package/latentlab_VERSION_ARCH.deb. Install it with `apt install ./build/package/*.deb`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/packaging/deps.sh"
"$root/packaging/build.sh"
cd "$root/build"
cpack -G DEB >/dev/null
ls -1 "$root"/build/package/*.deb
