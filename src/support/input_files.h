// Every file a run reads is remembered here, so that no output, whatever
// its path (a hard link, a symlink, ../x), can replace one: slimlink never
// writes over its own input.
#pragma once

#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <string>

namespace slimlink {

// Remembers `path` (as the file it is now: device and inode) as an input.
void rememberInput(const std::string &path);

// The input `path` is the same file as, or "" if none.
std::string inputAt(const std::string &path);

// The bytes of `path` if it is a regular file that can be read (a name
// found in a file - a debug link, a .dwo - could point at a device or a
// FIFO); else nothing, and `why`.
std::unique_ptr<llvm::MemoryBuffer> readRegularFile(const std::string &path,
                                                    std::string &why);

} // namespace slimlink
