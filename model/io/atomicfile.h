#pragma once
// Files written so that a crash at any moment leaves the previous complete file or the new
// complete file: a temporary file next to it, flushed and fsynced, renamed over it, and the
// folder fsynced.

#include <string>

namespace latentlab {

// Writes `bytes` to `path`. Throws Error naming the path, `what` ("the checkpoint") and the C
// library's reason; the previous file at `path` is then untouched and no temporary file is left.
void writeFileAtomically(const std::string &path, const std::string &bytes,
                         const std::string &what);

} // namespace latentlab
