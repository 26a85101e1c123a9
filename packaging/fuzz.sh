#!/usr/bin/env bash
# packaging/fuzz.sh SECONDS [TARGET...]: builds the libFuzzer targets of tests/fuzz with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer into build-fuzz/, and runs each for SECONDS
# on a working copy of its seed corpus (build-fuzz/corpus/TARGET; new inputs go there, never into
# the repository). Exits non-zero on any crash, leak, timeout or out-of-memory; the input that
# caused it is kept as build-fuzz/artifacts/TARGET-*. Prints each target's executions and
# coverage. Targets: idx checkpoint image config prior options (default: all).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:?usage: packaging/fuzz.sh SECONDS [TARGET...]}"
shift
targets=("$@")
((${#targets[@]})) || targets=(idx checkpoint image config prior options)

if ! command -v clang++ >/dev/null; then
    echo "fuzz.sh: clang++ is needed (apt-get install clang)." >&2
    exit 1
fi
build="$root/build-fuzz"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLATENTLAB_WITH_QT=OFF -DLATENTLAB_FUZZ=ON >/dev/null
cmake --build "$build" --target "${targets[@]/#/fuzz_}" >/dev/null

# LibTorch and OpenBLAS keep allocations until exit that are theirs, not leaks of ours.
export LSAN_OPTIONS="suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export OMP_NUM_THREADS=1
mkdir -p "$build/artifacts"
status=0
for t in "${targets[@]}"; do
    corpus="$build/corpus/$t"
    mkdir -p "$corpus"
    log="$build/fuzz_$t.log"
    if "$build/bin/fuzz_$t" "$corpus" "$root/tests/fuzz/corpus/$t" \
        -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 -malloc_limit_mb=2048 \
        -artifact_prefix="$build/artifacts/$t-" -print_final_stats=1 >"$log" 2>&1; then
        result="ok"
    else
        result="FAILED (see $log)"
        status=1
    fi
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -oE '(#[0-9]+|DONE).*cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1 |
        grep -oE 'cov: [0-9]+ ft: [0-9]+' || echo "cov: ?")
    printf 'fuzz_%-11s %s executions in %ss, %s, corpus %s files: %s\n' "$t" "$runs" "$seconds" \
        "$cov" "$(ls "$corpus" | wc -l)" "$result"
done
exit $status
