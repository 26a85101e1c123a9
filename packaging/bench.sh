#!/usr/bin/env bash
# Runs every benchmark on each device there is (the CPU, and CUDA where LatentLab was built
# against a CUDA LibTorch and a GPU answers) and rewrites the generated part of
# docs/BENCHMARKS.md (between its two "packaging/bench.sh" markers) with the figures, under a
# header that names the machine, the LibTorch and the device. The prose around it is kept.
# Takes about 10 minutes on 2 cores; run it on a quiet machine.
#
#   packaging/bench.sh            build, measure, rewrite docs/BENCHMARKS.md
#   packaging/bench.sh --print    measure and print the section only
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/packaging/build.sh" >&2
bin="$root/build/bin"
doc="$root/docs/BENCHMARKS.md"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export LC_ALL=C # figures with decimal points whatever the person's locale

say() { echo "bench: $*" >&2; }
# The number after `key` in a line of a benchmark's output ("median 12.34 ms" -> 12.34).
after() { sed -n "s/.*$1 \([0-9.]*\).*/\1/p" | head -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

devices=(cpu)
if "$bin/latentlab-cli" --version | grep -q "CUDA available"; then
    devices+=(cuda)
fi
# The Python reference needs the python3 whose torch is Debian's (the same LibTorch); a
# python3 of pyenv or a venv earlier on PATH may have none.
python_ok=0
py=python3
for candidate in python3 /usr/bin/python3; do
    if "$candidate" -c "import torch" 2>/dev/null; then
        python_ok=1
        py="$candidate"
        break
    fi
done

# --- the header ---------------------------------------------------------------------------
cpu_model="$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
memory="$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
os="$(. /etc/os-release && echo "$PRETTY_NAME")"
libtorch="$("$bin/latentlab-cli" --version)"
gpu="none"
if command -v nvidia-smi >/dev/null; then
    gpu="$(nvidia-smi --query-gpu=name,memory.total --format=csv,noheader | paste -sd ';')"
fi
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    commit="$commit with uncommitted changes"
fi

section="$work/section.md"
{
    echo "<!-- packaging/bench.sh: generated from here; edit the prose outside these markers -->"
    echo "## Figures of the last \`packaging/bench.sh\` run"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit. Machine: $cpu_model, $(nproc) cores,"
    echo "$memory, $os. $libtorch. GPU: $gpu. Devices measured: ${devices[*]}."
    if [ "$python_ok" = 1 ]; then
        echo "Python reference: $("$py" -c 'import sys, torch; print(f"Python {sys.version.split()[0]}, torch {torch.__version__}")')."
    fi
    echo
} >"$section"

# --- the machine's matrix-multiply rate, and training steps against Python -----------------
# Steps per second of a run that reads its losses back every 10 steps ("losses read every
# 10: 123.4 steps/s" in both programs' output).
rate_of() { sed -n 's/.*losses read every [0-9]*: \([0-9.]*\) steps\/s.*/\1/p' | head -1; }
# One Python reference run: prints "MEDIAN RATE", or "- -" when it fails (no torch.compile).
python_ref() {
    local out
    if out="$("$py" "$root/tests/bench/reference_steps.py" "$@" 2>"$work/python.err")"; then
        echo "$(echo "$out" | after "median") $(echo "$out" | rate_of)"
    else
        say "the Python reference failed ($*): $(tail -1 "$work/python.err")"
        echo "- -"
    fi
}
# The rows: model, networks, hidden width, batch. The ACAI row is its paper's convolutional
# networks (hidden is not used there).
rows=("aae mlp 1000 100" "aae mlp 256 64" "ae mlp 1000 100" "acai conv 256 64")
{
    echo "### Training steps, LatentLab against the Python reference in the same run"
    echo
    echo "\`latentlab-cli bench\` and \`tests/bench/reference_steps.py\` (the same networks, phases"
    echo "and optimisers in plain PyTorch on the same LibTorch) on random 1x28x28 images: the median"
    echo "step after three warm-up steps (each step reading its losses back), and the steps per"
    echo "second of a run reading them every 10 steps. The ratio is LatentLab's median step over"
    echo "Python's (issue 13's goals on the CPU: 0.9 or less for the paper-size AAE, 0.6 or less for"
    echo "hidden 256). The step's rate counts the FLOPs of every matrix multiply and convolution"
    echo "it ran, forward and backward (from their shapes), over the median step, against the same"
    echo "device's rate for one 1000 x 1000 product measured by the same command."
    echo
    echo "| device | model | batch | LatentLab step | LatentLab steps/s | Python step | Python steps/s | ratio | step's matrix multiplies and convolutions | one-image decode (median / p99) |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
} >>"$section"
graphs="$work/graphs.md"
for device in "${devices[@]}"; do
    for row in "${rows[@]}"; do
        read -r model arch hidden batch <<<"$row"
        label="$model, MLP hidden $hidden"
        [ "$arch" = conv ] && label="$model, conv"
        say "$device: $label, batch $batch"
        ours="$("$bin/latentlab-cli" bench --model "$model" --arch "$arch" --hidden "$hidden" \
            --batch "$batch" --steps 50 --decodes 300 --device "$device")"
        step="$(echo "$ours" | after "median")"
        steps_s="$(echo "$ours" | rate_of)"
        decode="$(echo "$ours" | grep decode | after "median") / $(echo "$ours" | grep decode | after "p99") ms"
        flops="$(echo "$ours" | sed -n 's/^step matrix multiplies and convolutions: \([0-9.]*\) MFLOP per step, \([0-9.]*\) GFLOP\/s at the median step, \([0-9]*%\).*/\2 GFLOP\/s (\1 MFLOP; \3 of the device'"'"'s rate)/p')"
        python="- -"
        r="-"
        reference=(--model "$model" --hidden "$hidden" --batch "$batch" --steps 50 --device "$device")
        if [ "$model" != ae ] && [ "$python_ok" = 1 ]; then
            python="$(python_ref "${reference[@]}")"
            r="$(ratio "$step" "${python%% *}")"
        fi
        read -r py_step py_rate <<<"$python"
        [ "$py_step" != - ] && py_step="$py_step ms"
        echo "| $device | $label | $batch | $step ms | $steps_s | $py_step | $py_rate | $r | $flops | $decode |" >>"$section"
        # On a GPU: the step as a CUDA graph against Python eager and torch.compile.
        if [ "$device" = cuda ] && [ "$model" != ae ]; then
            graphed="$("$bin/latentlab-cli" bench --model "$model" --arch "$arch" \
                --hidden "$hidden" --batch "$batch" --steps 50 --decodes 10 --device cuda \
                --cuda-graphs)"
            g_rate="$(echo "$graphed" | rate_of)"
            g_note="$(echo "$graphed" | sed -n 's/^CUDA graphs: //p')"
            compiled="- -"
            [ "$python_ok" = 1 ] && compiled="$(python_ref "${reference[@]}" --compile)"
            c_rate="${compiled##* }"
            echo "| $label | $batch | $g_rate | $steps_s | $py_rate | $c_rate | $(ratio "$g_rate" "$py_rate") | $(ratio "$g_rate" "$c_rate") | $g_note |" >>"$graphs"
        fi
    done
done
if [ -s "$graphs" ]; then
    {
        echo
        echo "On the GPU, \`latentlab-cli bench --cuda-graphs\` (the whole step captured once and"
        echo "replayed) against the Python reference eager and with \`--compile\`"
        echo "(torch.compile, mode \"reduce-overhead\"), in steps per second with the losses read"
        echo "every 10 steps (issue 13's goals: at least 3 times Python eager, at least Python"
        echo "compiled):"
        echo
        echo "| model | batch | LatentLab graph | LatentLab eager | Python eager | Python compiled | graph / Python eager | graph / Python compiled | graph |"
        echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
        cat "$graphs"
    } >>"$section"
fi
if [ "$python_ok" = 1 ]; then
    rate="$("$py" - <<'EOF'
import time, torch
a, b = torch.randn(1000, 1000), torch.randn(1000, 1000)
for _ in range(3):
    a.mm(b)
start, n = time.perf_counter(), 20
for _ in range(n):
    a.mm(b)
print(f"{2 * 1000**3 * n / (time.perf_counter() - start) / 1e9:.1f}")
EOF
)"
    {
        echo
        echo "The CPU's matrix-multiply rate in the same run (1000 x 1000 float, LibTorch's default"
        echo "threads): $rate GFLOP/s."
    } >>"$section"
fi

# --- the explorer -------------------------------------------------------------------------
say "the explorer (latentlab-bench-gui)"
{
    echo
    echo "### The explorer"
    echo
    echo "\`QT_QPA_PLATFORM=offscreen build/bin/latentlab-bench-gui\` (tests/bench/bench_explorer.cpp;"
    echo "goals: 16 ms or less from a slider key to the preview's pixels, no event-loop gap over"
    echo "50 ms while training):"
    echo
    echo '```'
    QT_QPA_PLATFORM=offscreen "$bin/latentlab-bench-gui" 2>/dev/null
    echo '```'
} >>"$section"

# --- 2-D layouts of wide codes -------------------------------------------------------------
say "layouts: training an 8-wide AE on the demo digits and on lines"
"$root/packaging/fetch-mnist.sh" >&2 || true
{
    echo
    echo "### 2-D layouts of wide codes (\`latentlab-cli project\`)"
    echo
    echo "UMAP with its defaults (15 neighbours, minimum distance 0.1, 500 epochs below 10,000"
    echo "points, else 200) and PCA, on one thread, for the codes of an AE with an 8-wide code"
    echo "(\`latentlab-cli train --model ae --latent 8 --hidden 256\`, 1,500 steps on the demo digits,"
    echo "500 on lines for the larger sets). Time to a settled layout (goal: under 10 s for"
    echo "10,000 points) and the share of each point's 10 nearest neighbours in the code space"
    echo "that stay among its 10 nearest in the layout."
    echo
    echo "| data | points | layout | time | 10-NN preservation |"
    echo "| --- | --- | --- | --- | --- |"
} >>"$section"
project_rows() { # data checkpoint
    for method in pca umap; do
        line="$("$bin/latentlab-cli" project --checkpoint "$2" --data "$1" --method "$method" \
            --threads 1 --out "$work/layout.csv" | tail -1)"
        points="$(echo "$line" | sed -n 's/.* layout of \([0-9]*\) codes.*/\1/p')"
        echo "| $1 | $points | $method | $(echo "$line" | after "in") s | $(echo "$line" | after "preservation") |" >>"$section"
    done
}
if [ -f "$root/build/data/mnist/t10k-images-idx3-ubyte.gz" ] ||
    ls "$root"/build/data/mnist/*images* >/dev/null 2>&1; then
    "$bin/latentlab-cli" train --data mnist --model ae --latent 8 --hidden 256 --steps 1500 \
        --out "$work/mnist-ae8" >/dev/null
    project_rows mnist "$work/mnist-ae8/model.pt"
fi
"$bin/latentlab-cli" train --data lines:10000 --model ae --arch mlp --latent 8 --hidden 256 \
    --steps 500 --out "$work/lines-ae8" >/dev/null
for n in 10000 30000 60000; do
    project_rows "lines:$n" "$work/lines-ae8/model.pt"
done
echo "<!-- packaging/bench.sh: generated up to here -->" >>"$section"

if [ "${1:-}" = "--print" ]; then
    cat "$section"
    exit 0
fi
# Replace the generated part (or put it after the title when there is none yet).
python3 - "$doc" "$section" <<'EOF'
import re, sys
doc_path, section_path = sys.argv[1], sys.argv[2]
doc = open(doc_path, encoding="utf-8").read()
section = open(section_path, encoding="utf-8").read().rstrip("\n") + "\n"
pattern = re.compile(r"<!-- packaging/bench.sh: generated from here.*?<!-- packaging/bench.sh: generated up to here -->\n",
                     re.S)
if pattern.search(doc):
    doc = pattern.sub(lambda _: section, doc)
else:
    title_end = doc.index("\n\n") + 2
    doc = doc[:title_end] + section + "\n" + doc[title_end:]
open(doc_path, "w", encoding="utf-8").write(doc)
EOF
say "rewrote the generated part of $doc"
