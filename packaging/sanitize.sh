#!/usr/bin/env bash
# packaging/sanitize.sh [asan|tsan|all]: the whole suite under the sanitizers, by hand (it takes
# about an hour on 2 cores, so packaging/test.sh does not run it).
#   asan: everything built with AddressSanitizer and UndefinedBehaviorSanitizer in build-asan/,
#         then every test suite.
#   tsan: the suites with threads (the training session, the explorer, failures, recovery, the
#         decoding and layout threads, a followed run)
#         built with ThreadSanitizer in build-tsan/, and run.
# Suppressions (tests/sanitizers/*.supp) cover only what happens inside libraries that are not
# built with the sanitizers; each says why. Exits non-zero on any report.
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
        export OMP_NUM_THREADS=1 QT_QPA_PLATFORM=offscreen
        # die_after_fork=0: tst_recovery forks the process it kills while threads run.
        common="halt_on_error=1:second_deadlock_stack=1:die_after_fork=0"
        # Two passes, because Qt, LibTorch and OpenBLAS are not built with the sanitizer
        # (docs/RELIABILITY.md, "Sanitizers").
        # 1. Data races, no suppressions. ignore_noninstrumented_modules=1 drops the accesses
        #    that those libraries make through ThreadSanitizer's interceptors (memcpy, malloc,
        #    ...), whose ordering it cannot see: they hand data between threads with futexes and
        #    atomics of their own. Races between accesses made by instrumented code (LatentLab's,
        #    and the inline code of the headers it includes) are still reported. The flag also
        #    turns off the lock-order checks, hence pass 2.
        # The control: each pass's options must still see a planted race and inversion.
        c++ -std=c++17 -O1 -g -fsanitize=thread "$root/tests/sanitizers/tsan_control.cpp" \
            -o tsan_control
        if TSAN_OPTIONS="$common:ignore_noninstrumented_modules=1" ./tsan_control race \
            >/dev/null 2>&1 ||
            TSAN_OPTIONS="$common:suppressions=$supp/tsan-lockorder.supp" \
                ./tsan_control lockorder >/dev/null 2>&1; then
            echo "sanitize.sh: ThreadSanitizer's options hide a planted race or lock-order" \
                "inversion (tests/sanitizers/tsan_control.cpp)" >&2
            exit 1
        fi
        echo "ThreadSanitizer, pass 1 of 2: data races"
        TSAN_OPTIONS="$common:ignore_noninstrumented_modules=1" \
            ctest --output-on-failure -j"$(nproc)" --timeout 3000 \
            -R 'tst_(trainingsession|explorer|failures|recovery|latestwork|follow|layoutworker)$'
        # 2. Lock order, races not reported (pass 1 has them). tst_layoutworker is left out:
        #    hnswlib's per-node mutexes give hundreds of lock-order reports whose stacks
        #    ThreadSanitizer loses, even from one thread (tests/sanitizers/tsan-lockorder.supp).
        echo "ThreadSanitizer, pass 2 of 2: lock order"
        TSAN_OPTIONS="$common:suppressions=$supp/tsan-lockorder.supp" \
            ctest --output-on-failure -j"$(nproc)" --timeout 3000 \
            -R 'tst_(trainingsession|explorer|failures|recovery|latestwork|follow)$'
    )
fi
