#include "ui/modelfactory.h"

#include "model/data/dataset.h"
#include "model/error.h"
#include "model/io/checkpoint.h"

#include <QCoreApplication>
#include <torch/torch.h>

#include <dlfcn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

namespace latentlab {

std::string demoDataDir() {
    return defaultMnistDir(QCoreApplication::applicationFilePath().toStdString());
}

std::string defaultDataSpec() {
    std::error_code ec;
    return std::filesystem::exists(std::filesystem::path(demoDataDir()) / "images-idx3-ubyte.gz",
                                   ec)
               ? "mnist"
               : "lines";
}

namespace {
Dataset loadFor(const std::string &spec, uint64_t seed) {
    DataOptions options;
    options.dataDir = demoDataDir();
    options.seed = seed;
    return loadDataset(spec, options);
}
} // namespace

std::unique_ptr<Trainer> createTrainer(ModelConfig choices, const std::string &dataSpec) {
    Dataset data = loadFor(dataSpec, choices.seed);
    choices.data = dataSpec;
    choices.channels = data.channels();
    choices.height = data.height();
    choices.width = data.width();
    choices.numClasses = data.numClasses;
    if (!data.hasLabels())
        choices.labelConditioned = false;
    auto trainer = std::make_unique<Trainer>(choices);
    trainer->setData(std::move(data));
    return trainer;
}

std::unique_ptr<Trainer> openCheckpoint(const std::string &path) {
    auto trainer = loadCheckpoint(path);
    trainer->setData(loadFor(trainer->config().data, trainer->config().seed));
    return trainer;
}

void yieldToInterface(int steps) {
#ifdef __linux__
    thread_local bool yielded = false; // once per thread: pool threads come back
    if (yielded)
        return;
    yielded = true;
    // On Linux the nice value belongs to the thread (the tid), not the whole process.
    const auto tid = id_t(::syscall(SYS_gettid));
    errno = 0;
    const int now = ::getpriority(PRIO_PROCESS, tid);
    if (errno == 0)
        ::setpriority(PRIO_PROCESS, tid, std::min(19, now + steps));
#else
    (void)steps;
#endif
}

void limitComputeThreads() {
    torch::set_num_threads(1);
    // OpenBLAS keeps its own pool; its setter exists only when OpenBLAS is the BLAS in use.
    using SetThreads = void (*)(int);
    if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
        set(1);
}

} // namespace latentlab
