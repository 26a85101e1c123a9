#pragma once
// Files for people and other programs: codes as CSV, interpolation frames as a video (or, where
// OpenCV has no encoder for it, as numbered PNGs).

#include <torch/types.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace latentlab {

// losses.csv as latentlab-cli train writes it: "step,<loss>,<loss>,..." then one row per step.
struct LossTable {
    std::vector<std::string> names;          // the losses, without "step"
    std::vector<int64_t> steps;              // one per row
    std::vector<std::vector<double>> values; // one per row, in the order of the names
};

// Writes losses.csv: the header, then a row per step as it comes (numbers locale-free, 7
// significant digits). flush() hands the rows written so far to the file, for a window that
// follows the run.
class LossesCsvWriter {
public:
    // `append`: go on with the file a resumed run left (its header stays), where there is
    // one; else start the file anew. Throws Error naming the path when it cannot be written.
    LossesCsvWriter(const std::string &path, const std::vector<std::string> &names, bool append);
    // One row: the step, then each loss in the order of the names.
    void write(int64_t step, const std::vector<std::pair<std::string, double>> &values);
    void flush();

private:
    std::string path_;
    std::ofstream out_;
};

// Reads losses.csv. A last line without its newline (a trainer writing it now) is left out,
// as are rows of the wrong length. Throws Error naming the path when it cannot be read or its
// header is not a loss table.
LossTable readLossesCsv(const std::string &path);

// index,label,z0,z1,... one row per code; the label column is empty when labels is undefined.
// `columns` names the value columns instead of z0, z1, ... (a layout's x, y); `items` (int64
// [N]) gives the index column's values, row numbers when undefined (a selection's items).
// Throws Error naming the path when it cannot be written.
void writeCodesCsv(const std::string &path, const torch::Tensor &codes, const torch::Tensor &labels,
                   const std::vector<std::string> &columns = {},
                   const torch::Tensor &items = torch::Tensor());

// The same table written a part at a time, so that no whole table need be in memory: rows go to
// a temporary file next to `path`, renamed over it by finish(). Until then, and after any
// failure, the previous file at `path` is untouched; a writer dropped unfinished removes its
// temporary file.
class CodesCsvWriter {
public:
    // Throws Error naming the path when it cannot be written.
    CodesCsvWriter(std::string path, int64_t width, const std::vector<std::string> &columns = {});
    ~CodesCsvWriter();
    CodesCsvWriter(const CodesCsvWriter &) = delete;
    CodesCsvWriter &operator=(const CodesCsvWriter &) = delete;

    // Rows for codes [n, width]; labels [n] or undefined; items [n] (int64) gives the index
    // column, else the rows are numbered on from the previous part.
    void append(const torch::Tensor &codes, const torch::Tensor &labels,
                const torch::Tensor &items = torch::Tensor());
    int64_t rows() const { return rows_; }
    void finish();

private:
    std::string path_, part_;
    std::unique_ptr<std::ofstream> out_;
    int64_t width_ = 0, rows_ = 0;
};

// frames [N, C, H, W] in [0, 1], each magnified `scale` times. Returns false when OpenCV cannot
// encode this format here (nothing is left behind then); throws Error for other failures.
bool writeVideo(const std::string &path, const torch::Tensor &frames, double fps, int scale);

// The same frames as folder/frame_000.png, frame_001.png, ... (the folder is created).
void writeImageSequence(const std::string &folder, const torch::Tensor &frames, int scale);

} // namespace latentlab
