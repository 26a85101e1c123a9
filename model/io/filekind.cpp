#include "model/io/filekind.h"

#include "model/data/idx.h"
#include "model/io/checkpoint.h"
#include "model/nets/scriptedmodel.h"

#include <filesystem>
#include <fstream>

namespace latentlab {

FileKind fileKindOf(const std::string &path) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status))
        return FileKind::Missing;
    if (std::filesystem::is_directory(status))
        return FileKind::Folder;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return FileKind::Unreadable;
    char bytes[32] = {};
    in.read(bytes, sizeof bytes);
    const std::string_view head(bytes, size_t(in.gcount()));
    if (startsLikeCheckpoint(head))
        return FileKind::Checkpoint;
    if (startsLikeIdx(head))
        return FileKind::Idx;
    if (startsLikeZip(head))
        return FileKind::Zip;
    return FileKind::Other;
}

} // namespace latentlab
