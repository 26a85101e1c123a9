#pragma once
// Failures that reach the window: every entry from the event loop or the training thread into
// model/ runs through failureOf(), so no exception of any kind (latentlab::Error, LibTorch's
// c10::Error, std::bad_alloc, std::exception) crosses the event loop or ends the worker.
//
// faultPoint() marks the places where tests inject failures (a save that throws, an
// out-of-memory while publishing); it does nothing unless a test has set a hook.

#include <QString>

#include <functional>
#include <string_view>

namespace latentlab {

// Inside a catch block: one sentence for a person about the exception in flight.
QString describeCurrentException();

// Runs `work`; returns an empty string when it finished, else what went wrong, in words.
template <typename Work> QString failureOf(Work &&work) {
    try {
        work();
        return {};
    } catch (...) {
        return describeCurrentException();
    }
}

// Test seam. The hook is called with the point's name and may throw; set it before the code
// under test runs and clear it (nullptr) after. Thread-safe.
void setFaultHook(std::function<void(std::string_view point)> hook);
void faultPoint(std::string_view point);

} // namespace latentlab
