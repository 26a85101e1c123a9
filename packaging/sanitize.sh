#!/usr/bin/env bash
# packaging/sanitize.sh [asan|tsan|all]: the whole suite under the sanitizers, by hand (it takes
# about an hour on 2 cores, so packaging/test.sh does not run it).
#   asan: everything built with AddressSanitizer and UndefinedBehaviorSanitizer in build-asan/,
#         then every test suite.
#   tsan: the suites with threads (the training session, the explorer, failures, recovery, the
#         decoding and layout threads, a followed run)
#         built with ThreadSanitizer in build-tsan/, and run.
# Suppressions (tests/sanitizers/*.supp) cover only what happens inside LibTorch, OpenBLAS or
# Qt, which are not built with the sanitizers; each says why. Exits non-zero on any report.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
what="${1:-all}"
source "$root/packaging/deps.sh"
supp="$root/tests/sanitizers"

configure_and_build() { # DIR FLAGS [TARGET...]
    local dir="$1" flags="$2"
    shift 2
    cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_FLAGS="$flags -fno-omit-frame-pointer" \
        -DCMAKE_EXE_LINKER_FLAGS="$flags" >/dev/null
    local targets=()
    (($#)) && targets=(--target "$@")
    cmake --build "$dir" -j"$(nproc)" "${targets[@]}"
}

if [ "$what" = asan ] || [ "$what" = all ]; then
    configure_and_build "$root/build-asan" \
        "-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-sanitize=vptr"
    (
        cd "$root/build-asan"
        export ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1:check_initialization_order=1"
        export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
        export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
        QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j"$(nproc)" --timeout 3000
    )
fi

if [ "$what" = tsan ] || [ "$what" = all ]; then
    threaded=(tst_trainingsession tst_explorer tst_failures tst_recovery tst_latestwork tst_follow
        tst_layoutworker)
    configure_and_build "$root/build-tsan" "-fsanitize=thread" "${threaded[@]}"
    (
        cd "$root/build-tsan"
        # die_after_fork=0: tst_recovery forks the process it kills while threads run.
        export TSAN_OPTIONS="suppressions=$supp/tsan.supp:halt_on_error=1:second_deadlock_stack=1:die_after_fork=0"
        export OMP_NUM_THREADS=1
        QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j"$(nproc)" --timeout 3000 \
            -R 'tst_(trainingsession|explorer|failures|recovery|latestwork|follow|layoutworker)$'
    )
fi
