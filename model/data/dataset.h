#pragma once
// Data sets: images kept once as bytes (uint8 N x C x H x W, 0 to 255) on the CPU, with integer
// labels when the source has them; a model sees them as floats in [0, 1] a minibatch or a chunk at
// a time, through pixels(). An uncompressed IDX file is memory-mapped, not read. loadDataset()
// turns a spec string (the --data option) into one.

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace latentlab {

struct Dataset {
    std::string name;
    // uint8 [N, C, H, W], CPU, possibly a read-only file mapping; float32 in [0, 1] is accepted
    // too (tests, generated sets), so read it through pixels().
    torch::Tensor images;
    torch::Tensor labels; // int64 [N], or undefined when the source has none
    int numClasses = 0;   // 0 when unlabelled
    std::vector<std::string> classNames;
    std::vector<std::string> warnings; // things skipped while loading, one sentence each

    int64_t size() const { return images.defined() ? images.size(0) : 0; }
    int channels() const { return static_cast<int>(images.size(1)); }
    int height() const { return static_cast<int>(images.size(2)); }
    int width() const { return static_cast<int>(images.size(3)); }
    bool hasLabels() const { return labels.defined(); }
    // The items [begin, end) as a new data set sharing the same storage.
    Dataset slice(int64_t begin, int64_t end) const;
};

struct DataOptions {
    std::string dataDir; // where the demo 'mnist' lives (folder with the two .gz files)
    int64_t linesCount = 10000;
    uint64_t seed = 1;        // for generated data
    int folderImageSize = 28; // image folders are resized to this square size
    bool folderColour = false;
};

// A --data value taken apart: "mnist", "lines", "lines:N", "idx:PATH" (a folder or an images
// file), "folder:PATH".
struct DataSpec {
    enum class Kind { Mnist, Lines, Idx, Folder } kind = Kind::Lines;
    int64_t count = 0; // lines:N (0: the default count)
    std::string path;  // idx: and folder:
};
// Images as a model reads them: float32 in [0, 1]. Bytes are divided by 255 (a new tensor, on
// the images' device); float images are returned as they are.
torch::Tensor pixels(const torch::Tensor &images);

// Throws Error when `bytes` of images (what `what` names) would not fit in this machine's
// memory, saying how much they need; said before anything that size is allocated.
void checkFitsInMemory(uint64_t bytes, const std::string &what);

// Generated sets are capped at this many items (10 GB of 32 x 32 bytes).
constexpr int64_t kMaxGeneratedItems = 10000000;
// Throws Error naming what is wrong with the spec.
DataSpec parseDataSpec(const std::string &spec);

// Throws Error with a sentence naming the file or option at fault.
Dataset loadDataset(const std::string &spec, const DataOptions &options);

// The folder that holds the demo MNIST files: $LATENTLAB_DATA/mnist when set, else
// data/mnist next to the folder of the running executable (build/bin -> build/data/mnist).
std::string defaultMnistDir(const std::string &executablePath);

} // namespace latentlab
