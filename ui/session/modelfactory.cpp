#include "ui/session/modelfactory.h"

#include "model/data/dataset.h"
#include "model/device.h"
#include "model/error.h"
#include "model/io/checkpoint.h"

#include <QCoreApplication>
#include <torch/torch.h>

#include <algorithm>
#include <filesystem>
#include <optional>

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

void giveModelData(Trainer &trainer, const std::string &path, const std::string &shownData) {
    const ModelConfig &c = trainer.config();
    if (c.script.empty()) {
        trainer.setData(loadFor(c.data, c.seed));
        return;
    }
    // The model's class_names, when it has them for every class, name the data's labels.
    const std::vector<std::string> names = trainer.model()->script()->classNames();
    auto use = [&](Dataset data) {
        if (!names.empty() && data.hasLabels() && int64_t(names.size()) >= data.numClasses)
            data.classNames = names;
        trainer.setData(std::move(data));
    };
    // A TorchScript model names no data set: the one on show serves when its images fit.
    if (!shownData.empty() && shownData != c.data) {
        std::optional<Dataset> shown;
        try {
            shown = loadFor(shownData, c.seed);
        } catch (const Error &) {
            // The choice no longer loads (a folder since moved): the model's own set serves.
        }
        if (shown && shown->channels() == c.channels && shown->height() == c.height &&
            shown->width() == c.width)
            return use(std::move(*shown));
    }
    if (c.data.empty())
        throw Error(path + " takes " + c.imageShape() +
                    " images: choose data of that shape in Data & Model (File > Open IDX data "
                    "or image folder), then open the model again.");
    use(loadFor(c.data, c.seed));
}

Checkpoint openModelFile(const std::string &path, const std::string &shownData,
                         const std::string &device) {
    Checkpoint model = readModel(path, device);
    giveModelData(*model.trainer, path, shownData);
    return model;
}

void limitComputeThreads() {
    setComputeThreads(1);
}

} // namespace latentlab
