// Errors slimlink reports to the user. Every error about an input names the
// file and, where there is one, the member and its offset, so the user can
// look at the exact bytes.
#pragma once

#include "llvm/Support/Error.h"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace slimlink {

// Thrown for anything the user must fix: bad input, bad options, I/O failure.
// main() prints it as "slimlink: error: <what>" and exits with status 1.
class UserError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Bad input: "<file>: <what>" or "<file>: member '<name>' at offset 0x..: <what>".
class InputError : public UserError {
public:
  InputError(const std::string &file, const std::string &what);
  InputError(const std::string &file, const std::string &member,
             uint64_t offset, const std::string &what);
};

// Consumes an llvm::Error and returns its message (every Error must be
// consumed, or LLVM aborts in debug builds and leaks in release ones).
std::string takeMessage(llvm::Error err);

std::string hexOffset(uint64_t offset);

void warn(const std::string &msg);

} // namespace slimlink
