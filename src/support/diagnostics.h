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
// main() prints it as "slimlink: error: <what>" and exits with status 1
// (`size`: 2, so that a CI tells a broken run from a budget exceeded).
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

// A check that ran and failed, not an error of the run (size --budget: over
// budget): its report is out; main() prints "slimlink: <what>" and exits
// with status 1, which `size` keeps for this alone (its errors exit 2).
class CheckFailed : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Consumes an llvm::Error and returns its message (every Error must be
// consumed, or LLVM aborts in debug builds and leaks in release ones).
std::string takeMessage(llvm::Error err);

std::string hexOffset(uint64_t offset);

void warn(const std::string &msg);
// Something the user may not expect, that changes nothing of the result
// ("slimlink: note: ..." on stderr).
void note(const std::string &msg);

} // namespace slimlink
