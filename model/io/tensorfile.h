#pragma once
// Named tensors in a plain binary format that LatentLab writes and reads itself: the weights and
// optimiser states inside a checkpoint (format version 2 on). Written by hand because the
// alternative, LibTorch's archive, is a TorchScript module whose reader compiles code found in
// the file and crashes on damaged input (fuzz_checkpoint); this reader checks every length
// against the bytes it has before it allocates or copies anything.
//
// Layout (integers little-endian): "LLTENSORS1\n", u32 count, then per tensor: u32 name length,
// name, u8 type (0 float32, 1 float64, 2 int64), u8 rank (at most 8), u64 per dimension, and
// the elements, row-major.

#include <torch/types.h>

#include <string>
#include <utility>
#include <vector>

namespace latentlab {

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

// Tensors of another type are refused with Error; they are copied to the CPU to be written.
std::string encodeTensors(const NamedTensors &tensors);
// The same bytes appended to `out`, which grows once, to the size encodedTensorsSize() says:
// a checkpoint's tens of MiB then pass through one allocation of the exact size instead of a
// doubling string's many (docs/RELIABILITY.md, "Memory and the C library").
void appendTensors(std::string &out, const NamedTensors &tensors);
size_t encodedTensorsSize(const NamedTensors &tensors);
// Throws Error("...") describing the first thing that is wrong; the caller adds the file name.
NamedTensors decodeTensors(const char *data, size_t size);

} // namespace latentlab
