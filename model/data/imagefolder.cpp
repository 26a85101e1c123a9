#include "model/data/imagefolder.h"

#include "model/error.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>

namespace fs = std::filesystem;

namespace latentlab {

namespace {

bool isImageFile(const fs::path &p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

// OpenCV's own cap is a gigapixel (3 GiB of pixels from a file of a few bytes); ours is 64
// megapixels. OpenCV reads the setting once, at its first decode; a value in the environment
// wins.
void capImageSize() {
    static std::once_flag once;
    std::call_once(once, [] { setenv("OPENCV_IO_MAX_IMAGE_PIXELS", "67108864", 0); });
}

} // namespace

torch::Tensor readImageFile(const std::string &path, int size, bool colour) {
    capImageSize();
    cv::Mat img;
    try {
        img = cv::imread(path, colour ? cv::IMREAD_COLOR : cv::IMREAD_GRAYSCALE);
    } catch (const cv::Exception &) {
        return {};
    }
    if (img.empty())
        return {};
    if (colour)
        cv::cvtColor(img, img, cv::COLOR_BGR2RGB);
    cv::Mat resized;
    cv::resize(img, resized, cv::Size(size, size), 0, 0,
               img.cols > size ? cv::INTER_AREA : cv::INTER_LINEAR);
    if (resized.depth() != CV_8U) // 16-bit PNGs
        resized.convertTo(resized, CV_8U, 255.0 / 65535.0);
    if (!resized.isContinuous())
        resized = resized.clone();
    // HWC -> CHW
    return torch::from_blob(resized.ptr<uint8_t>(0), {size, size, resized.channels()},
                            torch::kUInt8)
        .permute({2, 0, 1})
        .clone();
}

namespace {

// The image files below `folder` as (class name, file) pairs, sorted; the class is the first
// path component below the root (empty for files at the root). Throws Error when there are none.
std::vector<std::pair<std::string, fs::path>> listImages(const std::string &folder) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        throw Error(folder + ": no such folder.");
    std::vector<std::pair<std::string, fs::path>> files;
    for (auto it = fs::recursive_directory_iterator(
             folder, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file() || !isImageFile(it->path()))
            continue;
        fs::path rel = fs::relative(it->path(), folder);
        std::string cls = std::distance(rel.begin(), rel.end()) > 1 ? rel.begin()->string() : "";
        files.emplace_back(cls, it->path());
    }
    std::sort(files.begin(), files.end());
    if (files.empty())
        throw Error(folder + ": the folder holds no PNG or JPEG images.");
    return files;
}

} // namespace

Dataset loadImageFolder(const std::string &folder, int size, bool colour) {
    const auto files = listImages(folder);
    Dataset ds;
    ds.name = "folder:" + folder;
    const bool labelled =
        std::any_of(files.begin(), files.end(), [](const auto &f) { return !f.first.empty(); });
    std::map<std::string, int> classIndex;
    if (labelled) {
        for (const auto &f : files)
            if (!f.first.empty() && !classIndex.count(f.first))
                classIndex.emplace(f.first, 0);
        int k = 0;
        for (auto &entry : classIndex) {
            entry.second = k++;
            ds.classNames.push_back(entry.first);
        }
    }

    const int channels = colour ? 3 : 1;
    const int64_t itemBytes = int64_t(size) * size * channels;
    checkFitsInMemory(uint64_t(files.size()) * uint64_t(itemBytes), folder);
    // Decoded straight into one byte tensor, trimmed to the items read at the end.
    torch::Tensor all = torch::empty({int64_t(files.size()), channels, size, size}, torch::kUInt8);
    std::vector<int64_t> labels;
    int64_t n = 0, outside = 0, unreadable = 0;
    std::string firstOutside, firstUnreadable;
    for (const auto &[cls, path] : files) {
        if (labelled && cls.empty()) {
            if (outside++ == 0)
                firstOutside = path.string();
            continue;
        }
        const torch::Tensor image = readImageFile(path.string(), size, colour);
        if (!image.defined()) {
            if (unreadable++ == 0)
                firstUnreadable = path.string();
            continue;
        }
        all[n++].copy_(image);
        if (labelled)
            labels.push_back(classIndex.at(cls));
    }
    // "1 file was skipped because it is ...: PATH." or "N files were skipped because they
    // are ..., the first PATH."
    auto sentence = [](int64_t k, const std::string &one, const std::string &many,
                       const std::string &first) {
        return k == 1 ? "1 file was skipped because it " + one + ": " + first + "."
                      : std::to_string(k) + " files were skipped because they " + many +
                            ", the first " + first + ".";
    };
    if (outside > 0)
        ds.warnings.push_back(sentence(outside, "is not inside a class folder",
                                       "are not inside a class folder", firstOutside));
    if (unreadable > 0)
        ds.warnings.push_back(sentence(unreadable, "cannot be read by OpenCV",
                                       "cannot be read by OpenCV", firstUnreadable));
    if (n == 0)
        throw Error(folder + ": none of its " + std::to_string(files.size()) +
                    " image files could be read.");
    ds.images = n == int64_t(files.size()) ? all : all.slice(0, 0, n).clone();
    if (labelled) {
        ds.labels = torch::from_blob(labels.data(), {n}, torch::kLong).clone();
        ds.numClasses = int(ds.classNames.size());
    }
    return ds;
}

} // namespace latentlab
