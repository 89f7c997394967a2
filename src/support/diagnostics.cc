#include "support/diagnostics.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace slimlink {

InputError::InputError(const std::string &file, const std::string &what)
    : UserError(file + ": " + what) {}

InputError::InputError(const std::string &file, const std::string &member,
                       uint64_t offset, const std::string &what)
    : UserError(file + ": member '" + member + "' at offset " +
                hexOffset(offset) + ": " + what) {}

std::string takeMessage(llvm::Error err) {
  return llvm::toString(std::move(err));
}

std::string hexOffset(uint64_t offset) {
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format_hex(offset, 0);
  return s;
}

void warn(const std::string &msg) {
  llvm::errs() << "slimlink: warning: " << msg << "\n";
}

void note(const std::string &msg) {
  llvm::errs() << "slimlink: note: " << msg << "\n";
}

} // namespace slimlink
