#pragma once
// Reader and writer for the IDX format of MNIST, Fashion-MNIST and KMNIST, raw or gzipped.
// The reader checks the magic number, the dimensions and the sizes against the file before it
// trusts them, so a corrupt or lying file gives an Error that names it, never a crash or a huge
// allocation.

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace latentlab {

struct IdxArray {
    std::vector<uint32_t> dims;
    std::vector<uint8_t> data; // unsigned bytes, row-major
};

// The first bytes of an unsigned-byte IDX file (two zero bytes, type 0x08), or of a gzip file,
// which readIdx() opens the same way (what it holds shows only once it is unpacked).
bool startsLikeIdx(std::string_view head);

// Reads an unsigned-byte IDX file (.gz is detected from its content). Throws Error, also when
// the data would not fit in memory (checkFitsInMemory), before reading it.
IdxArray readIdx(const std::string &path);

struct IdxTensor {
    std::vector<uint32_t> dims;
    torch::Tensor data; // uint8, one dimension: every value, row-major
};

// Like readIdx(), but an uncompressed file is memory-mapped (read-only, pages read from disk as
// they are touched, so a file larger than memory opens at once) instead of read; a gzipped one
// (or a pipe) is read into memory. The file's size is checked against the header first. Throws
// Error.
IdxTensor mapIdx(const std::string &path);

// Writes an unsigned-byte IDX file, gzipped when the path ends in ".gz". Throws Error.
void writeIdx(const std::string &path, const IdxArray &array);

} // namespace latentlab
