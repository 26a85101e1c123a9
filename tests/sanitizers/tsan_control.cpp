// A control for packaging/sanitize.sh tsan: a data race and a lock-order inversion in code
// built with ThreadSanitizer, which each pass's options must still report (the race under
// pass 1's, the inversion under pass 2's), so that neither the flags nor the suppressions can
// blind the passes unnoticed. Usage: tsan_control race|lockorder.

#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>

namespace {

int shared = 0;
std::mutex first, second;

void race() {
    std::thread other([] { shared = 1; });
    shared = 2;
    other.join();
}

void lockOrder() {
    {
        std::lock_guard a(first);
        std::lock_guard b(second);
    }
    std::thread other([] {
        std::lock_guard b(second);
        std::lock_guard a(first);
    });
    other.join();
}

} // namespace

int main(int argc, char **argv) {
    if (argc == 2 && std::strcmp(argv[1], "race") == 0)
        race();
    else if (argc == 2 && std::strcmp(argv[1], "lockorder") == 0)
        lockOrder();
    else {
        std::fprintf(stderr, "usage: tsan_control race|lockorder\n");
        return 2;
    }
    std::printf("%d\n", shared);
    return 0;
}
