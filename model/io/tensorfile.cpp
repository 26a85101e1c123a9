#include "model/io/tensorfile.h"

#include "model/error.h"

#include <torch/torch.h>

#include <cstring>

namespace latentlab {

namespace {

constexpr char kMagic[] = "LLTENSORS1\n";
constexpr size_t kMagicSize = sizeof(kMagic) - 1;
constexpr size_t kMaxName = 4096;
constexpr int kMaxRank = 8;
constexpr uint64_t kMaxExtent = uint64_t(1) << 40;

struct TypeCode {
    torch::ScalarType type;
    uint8_t code;
};
constexpr TypeCode kTypes[] = {{torch::kFloat, 0}, {torch::kDouble, 1}, {torch::kLong, 2}};

void put(std::string &out, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i)
        out += char((v >> (8 * i)) & 0xFF);
}

// Reads what it is asked for or throws: every length is checked against what is left.
class Reader {
public:
    Reader(const char *data, size_t size)
        : data_(data)
        , size_(size) {}

    uint64_t number(int bytes, const char *what) {
        need(size_t(bytes), what);
        uint64_t v = 0;
        for (int i = 0; i < bytes; ++i)
            v |= uint64_t(uint8_t(data_[pos_ + size_t(i)])) << (8 * i);
        pos_ += size_t(bytes);
        return v;
    }
    const char *bytes(size_t n, const char *what) {
        need(n, what);
        const char *p = data_ + pos_;
        pos_ += n;
        return p;
    }
    size_t left() const { return size_ - pos_; }

private:
    void need(size_t n, const char *what) const {
        if (n > size_ - pos_)
            throw Error(std::string("the tensor data ends inside ") + what + ".");
    }
    const char *data_;
    size_t size_;
    size_t pos_ = 0;
};

} // namespace

namespace {

const TypeCode &typeCodeOf(const std::string &name, const torch::Tensor &tensor) {
    for (const auto &t : kTypes)
        if (t.type == tensor.scalar_type() && tensor.dim() <= kMaxRank && name.size() <= kMaxName)
            return t;
    throw Error("tensor '" + name + "' cannot be written (type, rank or name).");
}

} // namespace

size_t encodedTensorsSize(const NamedTensors &tensors) {
    size_t size = kMagicSize + 4;
    for (const auto &[name, tensor] : tensors) {
        typeCodeOf(name, tensor);
        size += 4 + name.size() + 1 + 1 + 8 * size_t(tensor.dim()) + tensor.nbytes();
    }
    return size;
}

void appendTensors(std::string &out, const NamedTensors &tensors) {
    const size_t start = out.size();
    const size_t size = encodedTensorsSize(tensors);
    out.reserve(start + size);
    out.append(kMagic, kMagicSize);
    put(out, tensors.size(), 4);
    for (const auto &[name, tensor] : tensors) {
        put(out, name.size(), 4);
        out += name;
        put(out, typeCodeOf(name, tensor).code, 1);
        put(out, uint64_t(tensor.dim()), 1);
        for (int64_t d : tensor.sizes())
            put(out, uint64_t(d), 8);
        const torch::Tensor flat = tensor.detach().to(torch::kCPU).contiguous();
        out.append(static_cast<const char *>(flat.data_ptr()), flat.nbytes());
    }
    if (out.size() - start != size)
        throw Error("the tensors took " + std::to_string(out.size() - start) + " bytes where " +
                    std::to_string(size) + " were counted.");
}

std::string encodeTensors(const NamedTensors &tensors) {
    std::string out;
    appendTensors(out, tensors);
    return out;
}

NamedTensors decodeTensors(const char *data, size_t size) {
    Reader r(data, size);
    if (std::memcmp(r.bytes(kMagicSize, "its signature"), kMagic, kMagicSize) != 0)
        throw Error("the tensor data does not start with its signature.");
    const uint64_t count = r.number(4, "the tensor count");
    if (count > r.left() / 6) // no record is shorter than 6 bytes
        throw Error("the tensor data claims more tensors than it can hold.");
    NamedTensors out;
    for (uint64_t i = 0; i < count; ++i) {
        const uint64_t nameLength = r.number(4, "a name's length");
        if (nameLength > kMaxName)
            throw Error("a tensor name is longer than " + std::to_string(kMaxName) + " bytes.");
        std::string name(r.bytes(size_t(nameLength), "a name"), size_t(nameLength));
        const uint64_t code = r.number(1, "a type");
        const TypeCode *type = nullptr;
        for (const auto &t : kTypes)
            if (t.code == code)
                type = &t;
        if (!type)
            throw Error("tensor '" + name + "' has an unknown type " + std::to_string(code) + ".");
        const uint64_t rank = r.number(1, "a rank");
        if (rank > kMaxRank)
            throw Error("tensor '" + name + "' has rank " + std::to_string(rank) + ".");
        std::vector<int64_t> dims;
        const uint64_t element = uint64_t(torch::elementSize(type->type));
        uint64_t bytes = element;
        for (uint64_t d = 0; d < rank; ++d) {
            const uint64_t extent = r.number(8, "a dimension");
            // Each extent on its own (an empty tensor has a product of 0 whatever the others
            // say; fuzz_checkpoint), then, by checked division, their product must fit what is
            // left of the data.
            if (extent > kMaxExtent || (extent != 0 && bytes > r.left() / extent))
                throw Error("tensor '" + name + "' is larger than the data that holds it.");
            bytes *= extent;
            dims.push_back(int64_t(extent));
        }
        const char *elements = r.bytes(size_t(bytes), "a tensor's elements");
        torch::Tensor t = torch::empty(dims, torch::TensorOptions().dtype(type->type));
        if (bytes > 0)
            std::memcpy(t.data_ptr(), elements, size_t(bytes));
        out.emplace_back(std::move(name), std::move(t));
    }
    if (r.left() != 0)
        throw Error("the tensor data has unexpected bytes after its end.");
    return out;
}

} // namespace latentlab
