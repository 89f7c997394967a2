// Writes a report file all-or-nothing: a temporary file next to it, renamed
// into place once every byte is written, so a failed run leaves no partial
// output behind.
#pragma once

#include <string>

namespace slimlink {

// Throws UserError naming the path if it cannot be written.
void writeFileAtomically(const std::string &path, const std::string &contents);

} // namespace slimlink
