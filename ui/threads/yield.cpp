#include "ui/threads/yield.h"

#ifdef __linux__
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <strings.h>
#endif

namespace latentlab {

#ifdef __linux__
namespace {

// Raises the calling thread's nice value by `steps`. On Linux the nice value belongs to the
// thread (the tid), not the whole process.
void raiseNice(int steps) {
    const auto tid = id_t(::syscall(SYS_gettid));
    errno = 0;
    const int now = ::getpriority(PRIO_PROCESS, tid);
    if (errno == 0)
        ::setpriority(PRIO_PROCESS, tid, std::min(19, now + steps));
}

} // namespace
#endif

void yieldToInterface(Yield role) {
#ifdef __linux__
    thread_local bool yielded = false; // once per thread: raiseNice counts from where it is
    if (yielded)
        return;
    yielded = true;
    if (const char *setting = std::getenv("LATENTLAB_YIELD");
        setting && ::strcasecmp(setting, "off") == 0)
        return;
    if (role == Yield::Pictures) {
        raiseNice(10);
        return;
    }
    const sched_param none{};                            // SCHED_IDLE has no static priority
    if (::sched_setscheduler(0, SCHED_IDLE, &none) != 0) // 0: the calling thread
        raiseNice(19);
#else
    (void)role;
#endif
}

} // namespace latentlab
