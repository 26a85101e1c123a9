#include "ui/threads/failure.h"

#include "model/error.h"

#include <QCoreApplication>
#include <c10/util/Exception.h>

#include <atomic>
#include <exception>
#include <mutex>
#include <new>

namespace latentlab {

QString describeCurrentException() {
    auto tr = [](const char *text) { return QCoreApplication::translate("Failure", text); };
    try {
        throw;
    } catch (const Error &e) {
        return QString::fromStdString(e.what());
    } catch (const c10::Error &e) { // LibTorch: a CUDA error, out of GPU memory, a bad shape
        return tr("LibTorch reported an error: %1")
            .arg(QString::fromStdString(e.what_without_backtrace()).trimmed());
    } catch (const std::bad_alloc &) {
        return tr("Out of memory. Close other programs or choose a smaller model or batch.");
    } catch (const std::exception &e) {
        return tr("Unexpected error: %1").arg(QString::fromUtf8(e.what()));
    } catch (...) {
        return tr("Unexpected error of an unknown kind.");
    }
}

namespace {
std::atomic<bool> g_hooked{false};
std::mutex g_hookMutex;
std::function<void(std::string_view)> g_hook;
} // namespace

void setFaultHook(std::function<void(std::string_view point)> hook) {
    std::lock_guard lock(g_hookMutex);
    g_hook = std::move(hook);
    g_hooked = bool(g_hook);
}

void faultPoint(std::string_view point) {
    if (!g_hooked.load(std::memory_order_relaxed))
        return;
    std::function<void(std::string_view)> hook;
    {
        std::lock_guard lock(g_hookMutex);
        hook = g_hook;
    }
    if (hook)
        hook(point);
}

} // namespace latentlab
