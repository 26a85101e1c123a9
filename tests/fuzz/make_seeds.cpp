// latentlab-fuzz-seeds OUT_DIR: writes the seed corpus of each fuzz target (tests/fuzz/corpus/)
// from the project's own writers, so the seeds are files the readers really meet. Run by hand
// when a format changes; packaging/fuzz.sh uses the committed seeds.

#include "model/data/idx.h"
#include "model/io/checkpoint.h"

#include <opencv2/imgcodecs.hpp>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace fs = std::filesystem;
using namespace latentlab;

namespace {

void writeText(const fs::path &path, const std::string &text) {
    std::ofstream(path, std::ios::binary) << text;
}

void checkpointSeeds(const fs::path &dir) {
    for (const char *kind : {"ae", "aae"}) {
        ModelConfig c = ModelConfig::forKind(modelKindFromString(kind));
        c.height = c.width = 4;
        c.hidden = c.discHidden = 3;
        c.device = "cpu";
        c.data = "lines:8";
        Trainer trainer(c);
        saveCheckpoint(trainer, (dir / (std::string(kind) + ".pt")).string());
    }
}

void idxSeeds(const fs::path &dir) {
    IdxArray images{{2, 3, 3}, std::vector<uint8_t>(18)};
    for (size_t i = 0; i < images.data.size(); ++i)
        images.data[i] = uint8_t(i * 13);
    writeIdx((dir / "images.idx").string(), images);
    writeIdx((dir / "images.idx.gz").string(), images);
    writeIdx((dir / "labels.idx").string(), IdxArray{{4}, {0, 1, 2, 3}});
}

void imageSeeds(const fs::path &dir) {
    cv::Mat grey(5, 7, CV_8UC1), colour(6, 4, CV_8UC3);
    cv::randu(grey, 0, 255);
    cv::randu(colour, 0, 255);
    for (const auto &[name, mat, mode] :
         {std::tuple{"grey.png", grey, '\0'}, std::tuple{"colour.png", colour, '\1'},
          std::tuple{"colour.jpg", colour, '\1'}}) {
        std::vector<uchar> bytes;
        cv::imencode(fs::path(name).extension().string(), mat, bytes);
        // The target's first byte picks grey (even) or colour (odd).
        writeText(dir / name, std::string(1, mode) + std::string(bytes.begin(), bytes.end()));
    }
}

void textSeeds(const fs::path &dir) {
    writeText(dir / "config" / "aae.json", ModelConfig().toJsonText());
    ModelConfig conv = ModelConfig::forKind(ModelKind::Acai);
    conv.arch = Architecture::Conv;
    conv.height = conv.width = 32;
    writeText(dir / "config" / "acai-conv.json", conv.toJsonText());
    int i = 0;
    for (const char *spec : {"gaussian", "gaussian:0.5", "mixture10", "mixture:7", "swissroll",
                             "uniform:1.5", "categorical"})
        writeText(dir / "prior" / ("spec" + std::to_string(i++)), std::string(1, char(2)) + spec);
    writeText(dir / "options" / "train",
              std::string("--data\0lines:64\0--steps\0100\0--lr=0.0005\0--labels", 45));
    writeText(dir / "options" / "folder",
              std::string("--data\0folder:/tmp/x\0--labelled-fraction\0.25", 43));
}

} // namespace

int main(int argc, char **argv) {
    if (argc != 2) {
        std::cerr << "usage: latentlab-fuzz-seeds OUT_DIR\n";
        return 2;
    }
    const fs::path out = argv[1];
    for (const char *target : {"checkpoint", "idx", "image", "config", "prior", "options"})
        fs::create_directories(out / target);
    checkpointSeeds(out / "checkpoint");
    idxSeeds(out / "idx");
    imageSeeds(out / "image");
    textSeeds(out);
    std::cout << "wrote the seeds into " << out.string() << '\n';
    return 0;
}
