#include "model/data/idx.h"

#include "model/data/dataset.h"
#include "model/error.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace latentlab {

namespace {

// Largest data part a header may describe: beyond any real data set, so such a header is
// corrupt. What a file really holds is checked against it, and memory before anything is read.
constexpr uint64_t kMaxHeaderBytes = uint64_t(1) << 40;

struct GzCloser {
    void operator()(gzFile f) const { gzclose(f); }
};
using GzHandle = std::unique_ptr<std::remove_pointer_t<gzFile>, GzCloser>;

std::string typeName(uint8_t code) {
    switch (code) {
    case 0x08:
        return "unsigned byte";
    case 0x09:
        return "signed byte";
    case 0x0B:
        return "16-bit integer";
    case 0x0C:
        return "32-bit integer";
    case 0x0D:
        return "float";
    case 0x0E:
        return "double";
    default:
        return "unknown type";
    }
}

// Reads up to n bytes; returns how many were read. gzread reads raw files too.
size_t readSome(gzFile f, uint8_t *dst, size_t n, const std::string &path) {
    size_t total = 0;
    while (total < n) {
        const unsigned chunk = static_cast<unsigned>(std::min<size_t>(n - total, 1u << 24));
        int got = gzread(f, dst + total, chunk);
        if (got < 0) {
            int code = 0;
            const char *msg = gzerror(f, &code);
            throw Error(path + ": the file cannot be decompressed (" + msg + ").");
        }
        if (got == 0)
            break;
        total += static_cast<size_t>(got);
    }
    return total;
}

} // namespace

bool startsLikeIdx(std::string_view head) {
    constexpr std::string_view kGzip("\x1f\x8b", 2);
    return (head.size() >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08) ||
           head.substr(0, 2) == kGzip;
}

namespace {

// The header's dimensions, checked; `read(dst, n)` returns how many of n bytes it read.
template <class Read>
std::vector<uint32_t> readHeader(const std::string &path, uint64_t maxBytes, uint64_t &values,
                                 Read read) {
    uint8_t magic[4];
    if (read(magic, 4) != 4)
        throw Error(path + ": the file is too short to be an IDX file.");
    if (magic[0] != 0 || magic[1] != 0)
        throw Error(path + ": not an IDX file (the magic number does not start with two zero "
                           "bytes).");
    if (magic[2] != 0x08)
        throw Error(path + ": IDX data of type " + typeName(magic[2]) +
                    " is not supported; LatentLab reads unsigned-byte IDX files.");
    const int ndims = magic[3];
    if (ndims < 1 || ndims > 4)
        throw Error(path + ": the header says " + std::to_string(ndims) +
                    " dimensions; IDX images and labels have 1 to 4.");
    std::vector<uint32_t> dims;
    values = 1;
    for (int i = 0; i < ndims; ++i) {
        uint8_t b[4];
        if (read(b, 4) != 4)
            throw Error(path + ": the file ends inside its header.");
        uint32_t d = (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | b[3];
        dims.push_back(d);
        if (d != 0 && values > maxBytes / d) // checked before multiplying: no wrap-around
            throw Error(path + ": the header describes more than " +
                        std::to_string(maxBytes >> 30) +
                        " GiB of data; the file is corrupt or not an IDX file.");
        values *= d;
    }
    return dims;
}

std::string truncatedText(const std::string &path, const std::vector<uint32_t> &dims,
                          uint64_t expected, uint64_t got) {
    const uint64_t itemSize = dims[0] ? expected / dims[0] : 1;
    return path + ": truncated: the header says " + std::to_string(dims[0]) + " items (" +
           std::to_string(expected) + " bytes of data) but the file holds " + std::to_string(got) +
           " bytes (" + std::to_string(itemSize ? got / itemSize : 0) + " whole items).";
}

const std::string kTooLong = ": the file holds more data than its header describes; it is corrupt.";

} // namespace

IdxArray readIdx(const std::string &path) {
    GzHandle file(gzopen(path.c_str(), "rb"));
    if (!file)
        throw Error(path + ": cannot open the file.");
    gzbuffer(file.get(), 1 << 18);

    IdxArray out;
    uint64_t expected = 0;
    out.dims = readHeader(path, kMaxHeaderBytes, expected, [&](uint8_t *dst, size_t n) {
        return readSome(file.get(), dst, n, path);
    });
    checkFitsInMemory(expected, path); // read whole: said before reading

    // Read in bounded chunks so that a header that lies about its size costs no more memory
    // than the file really holds.
    out.data.reserve(std::min<uint64_t>(expected, 64u << 20));
    uint64_t got = 0;
    std::vector<uint8_t> chunk(1 << 20);
    while (got < expected) {
        size_t want = static_cast<size_t>(std::min<uint64_t>(chunk.size(), expected - got));
        size_t n = readSome(file.get(), chunk.data(), want, path);
        out.data.insert(out.data.end(), chunk.begin(), chunk.begin() + n);
        got += n;
        if (n < want)
            break;
    }
    if (got < expected)
        throw Error(truncatedText(path, out.dims, expected, got));
    uint8_t extra;
    if (readSome(file.get(), &extra, 1, path) != 0)
        throw Error(path + kTooLong);
    return out;
}

IdxTensor mapIdx(const std::string &path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error(path + ": cannot open the file.");
    const std::unique_ptr<int, void (*)(int *)> closer(new int(fd), [](int *f) {
        ::close(*f);
        delete f;
    });
    uint8_t head[2] = {0, 0};
    const bool gzipped = ::pread(fd, head, 2, 0) == 2 && head[0] == 0x1f && head[1] == 0x8b;
    struct stat info {};
    if (gzipped || ::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        IdxArray array = readIdx(path); // unpacked into memory (a pipe too)
        auto *held = new std::vector<uint8_t>(std::move(array.data));
        IdxTensor out{std::move(array.dims), {}};
        out.data = torch::from_blob(
            held->data(), {int64_t(held->size())}, [held](void *) { delete held; }, torch::kUInt8);
        return out;
    }

    uint64_t offset = 0, values = 0;
    const uint64_t fileSize = uint64_t(info.st_size);
    IdxTensor out;
    out.dims = readHeader(path, kMaxHeaderBytes, values, [&](uint8_t *dst, size_t n) -> size_t {
        const ssize_t got = ::pread(fd, dst, n, off_t(offset));
        offset += got > 0 ? uint64_t(got) : 0;
        return got > 0 ? size_t(got) : 0;
    });
    const uint64_t held = fileSize - offset;
    if (held < values)
        throw Error(truncatedText(path, out.dims, values, held));
    if (held > values)
        throw Error(path + kTooLong);
    if (values == 0) {
        out.data = torch::empty({0}, torch::kUInt8);
        return out;
    }
    // Read-only: a writable private mapping is charged in full against memory when it is made,
    // so a file larger than memory and swap could not be mapped. Nothing writes into images.
    void *base = ::mmap(nullptr, fileSize, PROT_READ, MAP_PRIVATE, fd, 0);
    if (base == MAP_FAILED)
        throw Error(path + ": cannot map the file into memory (" + std::strerror(errno) + ").");
    out.data = torch::from_blob(
        static_cast<uint8_t *>(base) + offset, {int64_t(values)},
        [base, fileSize](void *) { ::munmap(base, fileSize); }, torch::kUInt8);
    return out;
}

void writeIdx(const std::string &path, const IdxArray &array) {
    const bool gz = path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
    std::vector<uint8_t> header = {0, 0, 0x08, static_cast<uint8_t>(array.dims.size())};
    uint64_t expected = 1;
    for (uint32_t d : array.dims) {
        header.push_back(uint8_t(d >> 24));
        header.push_back(uint8_t(d >> 16));
        header.push_back(uint8_t(d >> 8));
        header.push_back(uint8_t(d));
        expected *= d;
    }
    if (expected != array.data.size())
        throw Error(path + ": the dimensions do not match the data size; nothing was written.");

    if (gz) {
        GzHandle f(gzopen(path.c_str(), "wb6"));
        if (!f)
            throw Error(path + ": cannot open the file for writing.");
        bool ok = gzwrite(f.get(), header.data(), unsigned(header.size())) == int(header.size());
        size_t written = 0;
        while (ok && written < array.data.size()) {
            unsigned n = unsigned(std::min<size_t>(array.data.size() - written, 1u << 24));
            ok = gzwrite(f.get(), array.data.data() + written, n) == int(n);
            written += n;
        }
        if (gzclose(f.release()) != Z_OK || !ok)
            throw Error(path + ": writing failed.");
        return;
    }
    std::unique_ptr<FILE, int (*)(FILE *)> f(std::fopen(path.c_str(), "wb"), &std::fclose);
    if (!f)
        throw Error(path + ": cannot open the file for writing.");
    bool ok = std::fwrite(header.data(), 1, header.size(), f.get()) == header.size() &&
              std::fwrite(array.data.data(), 1, array.data.size(), f.get()) == array.data.size();
    if (std::fclose(f.release()) != 0 || !ok)
        throw Error(path + ": writing failed.");
}

} // namespace latentlab
