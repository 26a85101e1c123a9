#include "model/io/checkpoint.h"

#include "model/nets/scriptedmodel.h"

#include "model/error.h"
#include "model/io/atomicfile.h"
#include "model/io/checkpointv1.h"
#include "model/io/tensorfile.h"

#include <torch/torch.h>
#include <zlib.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace latentlab {

namespace {

constexpr char kMagic[] = "LATENTLAB CHECKPOINT\n";
constexpr size_t kMagicSize = sizeof(kMagic) - 1;

void putU32(std::string &out, uint32_t v) {
    for (int i = 0; i < 4; ++i)
        out += char((v >> (8 * i)) & 0xFF);
}

void putU64(std::string &out, uint64_t v) {
    for (int i = 0; i < 8; ++i)
        out += char((v >> (8 * i)) & 0xFF);
}

uint64_t getLE(const std::string &s, size_t pos, int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
        v |= uint64_t(uint8_t(s[pos + i])) << (8 * i);
    return v;
}

uint32_t crcOf(const std::string &s, size_t begin, size_t end) {
    uLong crc = crc32(0L, Z_NULL, 0);
    for (size_t pos = begin; pos < end;) {
        const uInt n = uInt(std::min<size_t>(end - pos, 1u << 30));
        crc = crc32(crc, reinterpret_cast<const Bytef *>(s.data() + pos), n);
        pos += n;
    }
    return uint32_t(crc);
}

// LatentLab 0.1 printed the configuration's numbers through the C library's locale, so a
// checkpoint it saved under a comma-decimal locale holds lines like `  "lr_recon": 0,001,`. Each
// member sat on a line of its own, which makes the repair unambiguous.
std::string repairCommaDecimals(const std::string &text) {
    static const std::regex member(R"(^(\s*"[a-z_]+": -?[0-9]+),([0-9]+(?:e[-+][0-9]+)?,?)$)");
    std::istringstream lines(text);
    std::string out, line;
    while (std::getline(lines, line))
        out += std::regex_replace(line, member, "$1.$2") + '\n';
    if (!out.empty() && (text.empty() || text.back() != '\n'))
        out.pop_back();
    return out;
}

ModelConfig parseConfig(const std::string &text) {
    try {
        return ModelConfig::fromJsonText(text);
    } catch (const Error &) {
        const std::string repaired = repairCommaDecimals(text);
        if (repaired == text)
            throw;
        return ModelConfig::fromJsonText(repaired);
    }
}

struct Parsed {
    ModelConfig config;
    std::string bytes; // whole file
    size_t payloadPos = 0;
    size_t payloadSize = 0;
    uint32_t version = 0;
};

// The configuration stored in a checkpoint, checked, and checked to fit in the `payloadSize`
// bytes of weights: nothing is allocated for a model the file could not hold.
ModelConfig storedConfig(const std::string &path, const std::string &text, size_t payloadSize) {
    ModelConfig config;
    try {
        config = parseConfig(text);
        config.validate();
    } catch (const Error &e) {
        throw Error(path + ": the stored configuration is invalid: " + e.what());
    }
    if (double(payloadSize) < config.minimumWeightBytes())
        throw Error(path + ": the configuration describes a larger model than the file holds; "
                           "the file is damaged.");
    return config;
}

Parsed parseFile(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path + ": cannot open the checkpoint.");
    Parsed p;
    p.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    const std::string &s = p.bytes;

    if (s.size() < kMagicSize || s.compare(0, kMagicSize, kMagic) != 0) {
        if (s.size() >= 2 && s[0] == 'P' && s[1] == 'K')
            throw Error(path + ": this is a PyTorch / TorchScript archive, not a LatentLab "
                               "checkpoint.");
        throw Error(path + ": not a LatentLab checkpoint (it does not start with the "
                           "checkpoint signature).");
    }
    size_t pos = kMagicSize;
    auto need = [&](size_t n, const char *what) {
        if (s.size() < pos + n)
            throw Error(path + ": the checkpoint is truncated (it ends inside the " +
                        std::string(what) + ").");
    };
    need(4, "header");
    const uint32_t version = uint32_t(getLE(s, pos, 4));
    p.version = version;
    pos += 4;
    if (version < 1 || version > kCheckpointVersion)
        throw Error(path + ": checkpoint format version " + std::to_string(version) +
                    "; this LatentLab reads versions 1 to " + std::to_string(kCheckpointVersion) +
                    ".");
    need(8, "header");
    const uint64_t configSize = getLE(s, pos, 8);
    pos += 8;
    if (configSize > s.size())
        throw Error(path + ": the checkpoint is truncated (it ends inside the configuration).");
    need(size_t(configSize), "configuration");
    const size_t configPos = pos;
    pos += size_t(configSize);
    need(8, "weights header");
    const uint64_t payloadSize = getLE(s, pos, 8);
    pos += 8;
    if (payloadSize > s.size())
        throw Error(path + ": the checkpoint is truncated (it ends inside the weights).");
    need(size_t(payloadSize), "weights");
    p.payloadPos = pos;
    p.payloadSize = size_t(payloadSize);
    pos += size_t(payloadSize);
    need(4, "checksum");
    const uint32_t stored = uint32_t(getLE(s, pos, 4));
    if (s.size() != pos + 4)
        throw Error(path + ": the checkpoint has unexpected bytes after its end; it is damaged.");
    if (crcOf(s, configPos, pos) != stored)
        throw Error(path + ": the checkpoint's checksum does not match; the file is damaged.");

    p.config = storedConfig(path, s.substr(configPos, size_t(configSize)), p.payloadSize);
    return p;
}

} // namespace

namespace {

// Directions are stored beside the state as "direction.<n>.<name>", n keeping their order;
// older versions of LatentLab do not look for them.
constexpr char kDirectionPrefix[] = "direction.";

void addDirections(NamedTensors &state, const std::vector<Direction> &directions) {
    for (size_t i = 0; i < directions.size(); ++i) {
        std::string number = std::to_string(i); // at least three digits: 000, 001, ...
        number.insert(0, number.size() < 3 ? 3 - number.size() : 0, '0');
        state.emplace_back(kDirectionPrefix + number + "." + directions[i].name,
                           directions[i].vector);
    }
}

std::vector<Direction> takeDirections(const NamedTensors &state) {
    const size_t prefix = sizeof kDirectionPrefix - 1;
    std::vector<std::pair<std::string, Direction>> found;
    for (const auto &[name, tensor] : state)
        if (name.compare(0, prefix, kDirectionPrefix) == 0 && name.size() > prefix + 4)
            found.push_back({name, {name.substr(prefix + 4), tensor}});
    std::sort(found.begin(), found.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    std::vector<Direction> directions;
    for (auto &f : found)
        directions.push_back(std::move(f.second));
    return directions;
}

} // namespace

void saveCheckpoint(const Trainer &trainer, const std::string &path,
                    std::vector<Direction> directions) {
    checkDirections(directions, trainer.config().codeSize());
    NamedTensors state = trainer.state();
    addDirections(state, directions);
    const std::string config = trainer.config().toJsonText();
    const size_t weightsSize = encodedTensorsSize(state);

    // One buffer of the file's exact size: the weights are encoded straight into it.
    std::string bytes;
    bytes.reserve(kMagicSize + 4 + 8 + config.size() + 8 + weightsSize + 4);
    bytes.append(kMagic, kMagicSize);
    putU32(bytes, kCheckpointVersion);
    const size_t checked = bytes.size() + 8;
    putU64(bytes, config.size());
    bytes += config;
    putU64(bytes, weightsSize);
    appendTensors(bytes, state);
    putU32(bytes, crcOf(bytes, checked, bytes.size()));
    writeFileAtomically(path, bytes, "the checkpoint");
}

bool startsLikeCheckpoint(std::string_view head) {
    return head.substr(0, kMagicSize) == std::string_view(kMagic, kMagicSize);
}

ModelConfig readCheckpointConfig(const std::string &path) {
    return parseFile(path).config;
}

Checkpoint readCheckpoint(const std::string &path, const std::string &device) {
    Parsed p = parseFile(path);
    if (!device.empty())
        p.config.device = device;
    Checkpoint out{std::make_unique<Trainer>(p.config), {}};
    const char *payload = p.bytes.data() + p.payloadPos;
    if (p.version >= 2) {
        NamedTensors state;
        try {
            state = decodeTensors(payload, p.payloadSize);
        } catch (const Error &e) {
            throw Error(path + ": the weights cannot be read (" + e.what() +
                        "); the file is damaged.");
        }
        out.trainer->setState(state, path);
        try {
            out.directions = takeDirections(state);
            checkDirections(out.directions, p.config.codeSize());
        } catch (const Error &e) {
            throw Error(path + ": " + e.what());
        }
        return out;
    }
    // Version 1 held a LibTorch archive, read by LibTorch itself. The checksum keeps damaged
    // files away from it; a file made to pass the checksum can still crash LibTorch's reader
    // (docs/RELIABILITY.md).
    NamedTensors state;
    try {
        state = stateFromVersion1(*out.trainer, payload, p.payloadSize, path);
    } catch (const Error &) {
        throw;
    } catch (const std::exception &) {
        // c10::Error, and what LibTorch's unpickler lets through on damaged archives (an
        // std::out_of_range, found by fuzz_checkpoint).
        throw Error(path + ": the weights in the checkpoint cannot be read; the file is damaged.");
    }
    out.trainer->setState(state, path);
    return out;
}

std::unique_ptr<Trainer> loadCheckpoint(const std::string &path, const std::string &device) {
    return readCheckpoint(path, device).trainer;
}

Checkpoint readModel(const std::string &path, const std::string &device) {
    if (torchArchiveKind(path) == TorchArchive::NotZip)
        return readCheckpoint(path, device);
    // TorchScript; or a torch.save file or another zip archive, which ScriptedModel names.
    auto script = ScriptedModel::open(path);
    return {std::make_unique<Trainer>(script->config(), script), {}};
}

std::unique_ptr<Trainer> openModel(const std::string &path, const std::string &device) {
    return readModel(path, device).trainer;
}

} // namespace latentlab
