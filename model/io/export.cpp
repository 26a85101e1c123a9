#include "model/io/export.h"

#include "model/data/imageio.h"
#include "model/error.h"
#include "model/numbers.h"

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <torch/torch.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace latentlab {

void writeCodesCsv(const std::string &path, const torch::Tensor &codes, const torch::Tensor &labels,
                   const std::vector<std::string> &columns, const torch::Tensor &items) {
    CodesCsvWriter out(path, codes.size(1), columns);
    out.append(codes, labels, items);
    out.finish();
}

CodesCsvWriter::CodesCsvWriter(std::string path, int64_t width,
                               const std::vector<std::string> &columns)
    : path_(std::move(path))
    , width_(width) {
    // A file is replaced whole at the end; anything else (/dev/stdout, a pipe) is written to.
    std::error_code ec;
    const bool special = fs::exists(path_, ec) && !fs::is_regular_file(path_, ec);
    part_ = special ? path_ : path_ + ".part";
    out_ = std::make_unique<std::ofstream>(part_);
    if (!*out_)
        throw Error(path_ + ": cannot write.");
    *out_ << "index,label";
    for (int64_t j = 0; j < width_; ++j)
        *out_ << ',' << (size_t(j) < columns.size() ? columns[size_t(j)] : "z" + std::to_string(j));
    *out_ << '\n';
}

CodesCsvWriter::~CodesCsvWriter() {
    if (out_) { // not finished: leave the previous file as it was
        out_.reset();
        if (part_ != path_)
            std::remove(part_.c_str());
    }
}

void CodesCsvWriter::append(const torch::Tensor &codes, const torch::Tensor &labels,
                            const torch::Tensor &items) {
    if (!out_)
        throw Error(path_ + ": rows added after the file was finished.");
    const torch::Tensor z = codes.to(torch::kFloat).contiguous();
    const int64_t n = z.size(0);
    if (z.size(1) != width_)
        throw Error(path_ + ": rows of " + std::to_string(z.size(1)) + " values in a table of " +
                    std::to_string(width_) + ".");
    const float *p = z.data_ptr<float>();
    const torch::Tensor l = labels.defined() ? labels.to(torch::kLong).contiguous() : labels;
    const torch::Tensor index = items.defined() ? items.to(torch::kLong).contiguous() : items;
    std::ofstream &out = *out_;
    for (int64_t i = 0; i < n; ++i) {
        out << (index.defined() ? index.data_ptr<int64_t>()[i] : rows_ + i) << ',';
        if (l.defined())
            out << l.data_ptr<int64_t>()[i];
        for (int64_t j = 0; j < width_; ++j)
            out << ',' << formatNumber(p[i * width_ + j], 6);
        out << '\n';
    }
    rows_ += n;
    if (!out)
        throw Error(path_ + ": writing failed.");
}

void CodesCsvWriter::finish() {
    if (!out_)
        return;
    out_->close();
    const bool written = !out_->fail();
    out_.reset();
    if (part_ == path_) {
        if (!written)
            throw Error(path_ + ": writing failed.");
        return;
    }
    if (!written || std::rename(part_.c_str(), path_.c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        std::remove(part_.c_str());
        throw Error(path_ + ": writing failed (" + reason + ").");
    }
}

bool writeVideo(const std::string &path, const torch::Tensor &frames, double fps, int scale) {
    if (frames.size(0) == 0)
        throw Error(path + ": there are no frames to write.");
    const int h = int(frames.size(2)) * scale, w = int(frames.size(3)) * scale;
    cv::VideoWriter writer;
    try {
        writer.open(path, cv::VideoWriter::fourcc('m', 'p', '4', 'v'), fps, cv::Size(w, h), true);
    } catch (const cv::Exception &) {
        return false;
    }
    if (!writer.isOpened()) {
        std::error_code ec;
        std::filesystem::remove(path, ec);
        return false;
    }
    for (int64_t i = 0; i < frames.size(0); ++i) {
        const torch::Tensor inner = imageBytes(frames[i], scale); // [h, w, C]
        const int type = inner.size(2) == 3 ? CV_8UC3 : CV_8UC1;
        cv::Mat mat(h, w, type, inner.data_ptr<uint8_t>());
        cv::Mat bgr;
        cv::cvtColor(mat, bgr, type == CV_8UC3 ? cv::COLOR_RGB2BGR : cv::COLOR_GRAY2BGR);
        writer.write(bgr);
    }
    writer.release();
    return true;
}

void writeImageSequence(const std::string &folder, const torch::Tensor &frames, int scale) {
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (!std::filesystem::is_directory(folder))
        throw Error(folder + ": cannot create the folder.");
    for (int64_t i = 0; i < frames.size(0); ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "frame_%03lld.png", static_cast<long long>(i));
        writeImage((std::filesystem::path(folder) / name).string(), frames[i], scale);
    }
}

LossesCsvWriter::LossesCsvWriter(const std::string &path, const std::vector<std::string> &names,
                                 bool append)
    : path_(path) {
    append = append && std::filesystem::exists(path);
    out_.open(path, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
    if (!out_)
        throw Error(path + ": cannot write.");
    if (append)
        return;
    out_ << "step";
    for (const auto &name : names)
        out_ << ',' << name;
    out_ << '\n';
}

void LossesCsvWriter::write(int64_t step,
                            const std::vector<std::pair<std::string, double>> &values) {
    out_ << step;
    for (const auto &value : values)
        out_ << ',' << formatNumber(value.second, 7);
    out_ << '\n';
}

void LossesCsvWriter::flush() {
    out_.flush();
    if (!out_)
        throw Error(path_ + ": cannot write (is the disk full?).");
}

LossTable readLossesCsv(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path + ": cannot be read.");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto split = [](std::string_view line) {
        std::vector<std::string_view> fields;
        size_t start = 0;
        for (size_t comma; (comma = line.find(',', start)) != std::string_view::npos;
             start = comma + 1)
            fields.push_back(line.substr(start, comma - start));
        fields.push_back(line.substr(start));
        return fields;
    };
    LossTable table;
    size_t at = text.find('\n');
    if (at == std::string::npos)
        throw Error(path + ": not a table of losses (no header line).");
    const auto header = split(std::string_view(text).substr(0, at));
    if (header.size() < 2 || header[0] != "step")
        throw Error(path + ": not a table of losses (its header does not start with \"step,\").");
    for (size_t i = 1; i < header.size(); ++i)
        table.names.emplace_back(header[i]);
    for (size_t start = at + 1; (at = text.find('\n', start)) != std::string::npos;
         start = at + 1) {
        const auto fields = split(std::string_view(text).substr(start, at - start));
        if (fields.size() != header.size())
            continue;
        const auto step = parseInteger(fields[0]);
        std::vector<double> row;
        for (size_t i = 1; i < fields.size(); ++i)
            if (const auto v = parseNumber(fields[i]))
                row.push_back(*v);
        if (!step || row.size() != table.names.size())
            continue;
        table.steps.push_back(*step);
        table.values.push_back(std::move(row));
    }
    return table;
}

} // namespace latentlab
