// latentlab-cli encode, decode, interpolate and export: scripting access to a trained checkpoint.

#include "commands.h"

#include "model/analysis/interpolation.h"
#include "model/data/imageio.h"
#include "model/device.h"
#include "model/error.h"
#include "model/io/checkpoint.h"
#include "model/io/export.h"
#include "model/io/pythonexport.h"
#include "model/numbers.h"

#include <nlohmann/json.hpp>

#include <torch/torch.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace latentlab::cli {

void addDataOptions(Args &args, bool required) {
    args.option("data", "SPEC",
                std::string("mnist, lines, lines:N, idx:PATH or folder:PATH") +
                    (required ? "" : " (default: the checkpoint's)"));
    args.option("image-size", "N", "folder:PATH images are resized to N x N", "28");
    args.flag("colour", "folder:PATH images are read in colour (default: grey)");
}

DataOptions dataOptions(const Args &args, const Context &ctx, uint64_t seed) {
    DataOptions o;
    o.dataDir = defaultMnistDir(ctx.executable);
    o.seed = seed;
    o.folderImageSize = int(args.integer("image-size", 4, 1024));
    o.folderColour = args.has("colour");
    return o;
}

void addThreadsOption(Args &args) {
    args.option("threads", "N", "CPU threads to compute on (default: one per core)");
}

void applyThreadsOption(const Args &args) {
    if (args.has("threads"))
        setComputeThreads(int(args.integer("threads", 1, 1024)));
}

Dataset loadData(const std::string &spec, const DataOptions &options) {
    return loadDataset(spec, options);
}

void makeOutputFolder(const std::filesystem::path &out) {
    std::error_code ec;
    std::filesystem::create_directories(out, ec);
    if (!std::filesystem::is_directory(out))
        throw Error(out.string() + ": cannot create the output folder.");
}

void writeJsonFile(const std::filesystem::path &path, const nlohmann::ordered_json &json) {
    std::ofstream out(path);
    out << json.dump(2) << '\n';
    if (!out)
        throw Error(path.string() + ": cannot write.");
}

const char *const kModelFileHelp =
    "a LatentLab checkpoint, or a TorchScript model (docs/INTEROP.md)";

std::string dataSpecFor(const Args &args, const ModelConfig &config) {
    if (args.has("data"))
        return args.text("data");
    if (config.data.empty())
        throw UsageError("--data is needed: " + config.script + " takes " + config.imageShape() +
                         " images and names no data set of its own");
    return config.data;
}

namespace {

std::vector<float> parseCode(const std::string &text) {
    std::vector<float> values;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        const std::optional<double> v = parseNumber(item);
        if (!v)
            throw UsageError("--code: '" + item +
                             "' is not a number (write decimals with a point)");
        values.push_back(float(*v));
    }
    return values;
}

} // namespace

ProgressLine::ProgressLine(std::string what, int64_t total, std::string unit)
    : what_(std::move(what))
    , unit_(std::move(unit))
    , total_(total) {
    start_ = last_ =
        std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void ProgressLine::update(int64_t done) {
    const double now =
        std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    if (now - last_ < 2.0 || done <= 0 || done >= total_)
        return;
    last_ = now;
    const double left = (now - start_) * double(total_ - done) / double(done);
    std::cerr << what_ << ": " << done << " of " << total_ << ' ' << unit_ << ", "
              << formatDuration(left) << " left" << std::endl;
}

torch::Tensor encodeAll(Trainer &trainer, const Dataset &data, CodesCsvWriter *csv) {
    constexpr int64_t kChunk = 10000;
    const int64_t n = data.size();
    ProgressLine progress("encode", n);
    std::vector<torch::Tensor> parts;
    for (int64_t begin = 0; begin < n; begin += kChunk) {
        const int64_t end = std::min(n, begin + kChunk);
        torch::Tensor codes = trainer.encode(data.images.slice(0, begin, end));
        if (csv)
            csv->append(codes, data.hasLabels() ? data.labels.slice(0, begin, end) : data.labels);
        else
            parts.push_back(std::move(codes));
        progress.update(end);
    }
    if (csv)
        return {};
    return parts.empty() ? trainer.encode(data.images) : torch::cat(parts);
}

int runEncode(int argc, char **argv, const Context &ctx) {
    Args args("encode", "--checkpoint FILE [--data SPEC] --out FILE.csv",
              "Encodes every item of a data set and writes index,label,z0,z1,... as CSV.");
    args.option("checkpoint", "FILE", kModelFileHelp);
    addDataOptions(args, false);
    args.option("out", "FILE", "the CSV file to write");
    args.option("device", "auto|cpu|cuda", "where to run", "cpu");
    if (!args.parse(argc, argv))
        return 0;
    const std::string checkpoint = args.required("checkpoint");
    const std::string out = args.required("out");
    auto trainer = openModel(checkpoint, args.text("device"));
    const ModelConfig &c = trainer->config();
    Dataset data = loadData(dataSpecFor(args, c), dataOptions(args, ctx, c.seed));
    trainer->setData(data);
    CodesCsvWriter csv(out, c.codeSize());
    encodeAll(*trainer, data, &csv);
    csv.finish();
    std::cout << "wrote " << data.size() << " codes of size " << c.codeSize() << " to " << out
              << '\n';
    return 0;
}

int runDecode(int argc, char **argv, const Context &) {
    Args args("decode", "--checkpoint FILE --code Z0,Z1,... --out FILE.png",
              "Decodes one code into an image of the model's size times --scale.");
    args.option("checkpoint", "FILE", kModelFileHelp);
    args.option("code", "Z0,Z1,...", "the code, comma-separated, as many values as the code size");
    args.option("label", "K", "the label (the supervised AAE decodes a style with a label)", "0");
    args.option("scale", "N", "magnify the image N times", "4");
    args.option("out", "FILE", "the PNG file to write");
    if (!args.parse(argc, argv))
        return 0;
    const std::string out = args.required("out");
    const std::vector<float> values = parseCode(args.required("code"));
    auto trainer = openModel(args.required("checkpoint"), "cpu");
    const ModelConfig &c = trainer->config();
    if (int(values.size()) != c.codeSize())
        throw UsageError("--code has " + std::to_string(values.size()) +
                         " values but the model's code size is " + std::to_string(c.codeSize()));
    const int64_t label = args.integer("label", 0, std::max(c.numClasses - 1, 0));
    torch::Tensor code = torch::tensor(values).view({1, -1});
    writeImage(out, trainer->decode(code, torch::full({1}, label, torch::kLong))[0],
               int(args.integer("scale", 1, 64)));
    std::cout << "wrote " << out << '\n';
    return 0;
}

int runInterpolate(int argc, char **argv, const Context &ctx) {
    Args args("interpolate", "--checkpoint FILE --from I --to J --out FILE.png [OPTIONS]",
              "Encodes items I and J of the data set, decodes the path between their codes and\n"
              "writes the frames as one strip (the ends included).");
    args.option("checkpoint", "FILE", kModelFileHelp);
    addDataOptions(args, false);
    args.option("from", "I", "index of the first item");
    args.option("to", "J", "index of the second item");
    args.option("steps", "N", "frames in the strip, ends included", "10");
    args.option("mode", "linear|slerp", "straight line, or spherical interpolation", "linear");
    args.option("scale", "N", "magnify the frames N times", "3");
    args.option("out", "FILE", "the PNG file to write");
    if (!args.parse(argc, argv))
        return 0;
    const std::string out = args.required("out");
    const InterpolationMode mode = interpolationModeFromString(args.text("mode"));
    const int steps = int(args.integer("steps", 2, 1000));
    auto trainer = openModel(args.required("checkpoint"), "cpu");
    const ModelConfig &c = trainer->config();
    Dataset data = loadData(dataSpecFor(args, c), dataOptions(args, ctx, c.seed));
    trainer->setData(data);
    const int64_t from = args.integer("from", 0, data.size() - 1);
    const int64_t to = args.integer("to", 0, data.size() - 1);
    torch::Tensor ends = trainer->encode(data.images.index_select(0, torch::tensor({from, to})));
    torch::Tensor path = interpolationPath(ends[0], ends[1], steps, mode);
    torch::Tensor labels;
    if (c.kind == ModelKind::AaeSupervised && data.hasLabels())
        labels = torch::full({steps}, data.labels[from].item<int64_t>(), torch::kLong);
    writeImageGrid(out, trainer->decode(path, labels), steps, int(args.integer("scale", 1, 64)));
    std::cout << "wrote " << out << " (" << steps << " frames from item " << from << " to item "
              << to << ", " << args.text("mode") << ")\n";
    return 0;
}

int runExport(int argc, char **argv, const Context &) {
    Args args("export", "--checkpoint FILE --out FILE.pth",
              "Writes the checkpoint's configuration and weights in a file that Python's plain\n"
              "torch.load reads; resources/python/latentlab_models.py rebuilds the networks\n"
              "from it (docs/INTEROP.md).");
    args.option("checkpoint", "FILE", "a checkpoint written by latentlab-cli train or the window");
    args.option("out", "FILE.pth", "the file to write (not the checkpoint itself)");
    if (!args.parse(argc, argv))
        return 0;
    const std::string checkpoint = args.required("checkpoint");
    const std::string out = args.required("out");
    std::error_code ec;
    if (std::filesystem::equivalent(checkpoint, out, ec))
        throw UsageError("--out is the checkpoint itself; give the export a file of its own");
    auto trainer = loadCheckpoint(checkpoint, "cpu");
    exportForPython(trainer->config(), trainer->model(), trainer->steps(), out);
    std::cout << "wrote " << out << " (" << toString(trainer->config().kind) << ", code size "
              << trainer->config().codeSize() << ", step " << trainer->steps() << ")\n";
    return 0;
}

} // namespace latentlab::cli
