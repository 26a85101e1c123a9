#!/usr/bin/env bash
# tests/gpu/device_check.sh PART...: issue 13's checks on a lent GPU machine (the tool
# `device`), run from the repository's root there with .kit carried (tests/gpu/make_kit.sh makes
# it here). Parts, in the order given:
#   build   configure build-gpu/ against the machine's CUDA PyTorch and the kit; build the CLI
#           and tst_trainstep (about 4 minutes on 16 cores)
#   test    tst_trainstep's GPU test: steps replayed from a CUDA graph against eager ones
#   bench   latentlab-cli bench eager and --cuda-graphs, and tests/bench/reference_steps.py
#           eager and compiled, for the paper-size AAE (batch 100) and ACAI's conv networks
#           (batch 64)
#   gui     build the window and latentlab-bench-gui, run the GUI benchmark on the GPU
#   suite   build everything and run the whole CTest suite on the GPU machine
# Everything it prints also goes to $OUT/log (or build-gpu/log), which comes back.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
build="$root/build-gpu"
out="${OUT:-$build}"
mkdir -p "$out" "$build"
exec > >(tee -a "$out/log") 2>&1
start=$SECONDS
say() { echo "== device_check, $((SECONDS - start)) s: $*"; }

kit=/tmp/latentlab-kit
if [ ! -d "$kit" ]; then
    if [ ! -f .kit/latentlab-kit.tar.zst ]; then
        echo "no .kit/latentlab-kit.tar.zst: run tests/gpu/make_kit.sh here and carry .kit" >&2
        exit 2
    fi
    mkdir -p "$kit"
    zstd -dc .kit/latentlab-kit.tar.zst | tar -C "$kit" -x
fi
export LD_LIBRARY_PATH="$kit/usr/lib/x86_64-linux-gnu:$kit/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export CPATH="$kit/usr/include${CPATH:+:$CPATH}"
export QT_PLUGIN_PATH="$kit/usr/lib/x86_64-linux-gnu/qt6/plugins" QT_QPA_PLATFORM=offscreen
export PYTHONUNBUFFERED=1

configure() {
    [ -f "$build/build.ninja" ] && return 0
    say "machine"
    nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
    python3 -c 'import torch; print("torch", torch.__version__, "CUDA", torch.version.cuda, torch.cuda.get_device_name(0))'
    head -2 /etc/os-release
    gcc --version | head -1
    cmake --version | head -1
    local torch_dir
    torch_dir="$(python3 -c 'import torch.utils; print(torch.utils.cmake_prefix_path)')/Torch"
    say "configure against $torch_dir"
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTorch_DIR="$torch_dir" \
        -DCMAKE_PREFIX_PATH="$kit/usr" -DCMAKE_CUDA_ARCHITECTURES=90 >"$out/configure.log" 2>&1 ||
        { tail -40 "$out/configure.log"; exit 1; }
}

for part in "$@"; do
    case "$part" in
    build)
        configure
        say "build latentlab-cli tst_trainstep"
        cmake --build "$build" -j16 --target latentlab-cli tst_trainstep 2>&1 | tail -25
        # A library the kit lacks and the machine does not have shows here, not as a crash later.
        ldd "$build/bin/latentlab-cli" "$build/bin/tst_trainstep" | grep "not found" || true
        ;;
    test)
        say "tst_trainstep on the GPU"
        "$build/bin/tst_trainstep" graphAndEagerStepsAgree cudaGraphsSayWhyTheyCannotRun \
            lossesReadEveryNthStepTrainTheSame adamMatchesLibTorch
        ;;
    bench)
        say "bench"
        cli="$build/bin/latentlab-cli"
        "$cli" --version
        for row in "aae mlp 1000 100" "acai conv 256 64" "aae mlp 256 64"; do
            read -r model arch hidden batch <<<"$row"
            for graphs in "" --cuda-graphs; do
                echo "-- latentlab-cli bench --model $model --arch $arch --hidden $hidden --batch $batch $graphs"
                "$cli" bench --model "$model" --arch "$arch" --hidden "$hidden" --batch "$batch" \
                    --steps 200 --decodes 200 --device cuda $graphs
            done
            for compiled in "" --compile; do
                echo "-- reference_steps.py --model $model --batch $batch $compiled"
                timeout 300 python3 tests/bench/reference_steps.py --model "$model" \
                    --hidden "$hidden" --batch "$batch" --steps 200 --device cuda $compiled 2>&1 |
                    grep -v Warning | tail -5
            done
        done
        ;;
    gui)
        configure
        say "build the window and latentlab-bench-gui"
        cmake --build "$build" -j16 --target latentlab latentlab-bench-gui 2>&1 | tail -25
        "$build/bin/latentlab-bench-gui" --device cuda
        ;;
    suite)
        configure
        say "build everything"
        cmake --build "$build" -j16 2>&1 | tail -25
        say "ctest"
        (cd "$build" && ctest -j8 --output-on-failure --timeout 600) 2>&1 | tail -60
        ;;
    *)
        echo "unknown part '$part' (build, test, bench, gui, suite)" >&2
        exit 2
        ;;
    esac
done
say "done"
