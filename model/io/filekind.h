#pragma once
// What a file holds, told by its first bytes whatever its name: the window's File > Open, a
// file dropped on it and `latentlab FILE...` decide here what to do with a path. The signatures
// themselves belong to their readers (startsLikeCheckpoint, startsLikeIdx, startsLikeZip).

#include <string>

namespace latentlab {

enum class FileKind {
    Folder,     // an image folder, perhaps
    Checkpoint, // a LatentLab checkpoint
    Idx,        // an IDX file, raw or gzipped
    Zip,        // a zip archive: TorchScript (or another PyTorch file, which openModel() names)
    Missing,    // nothing at that path
    Unreadable, // there, but it cannot be opened
    Other,      // none of the above
};

FileKind fileKindOf(const std::string &path);

} // namespace latentlab
