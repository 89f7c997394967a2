#include "support/input_files.h"

#include "llvm/Support/FileSystem.h"

#include <map>
#include <mutex>

namespace slimlink {

namespace {
struct Inputs {
  std::mutex lock;
  std::map<std::pair<uint64_t, uint64_t>, std::string> byId;
};
Inputs &inputs() {
  static Inputs in;
  return in;
}
} // namespace

void rememberInput(const std::string &path) {
  llvm::sys::fs::UniqueID id;
  if (llvm::sys::fs::getUniqueID(path, id))
    return; // what cannot be read is reported by its reader
  Inputs &in = inputs();
  std::lock_guard<std::mutex> guard(in.lock);
  in.byId.try_emplace({id.getDevice(), id.getFile()}, path);
}

std::string inputAt(const std::string &path) {
  llvm::sys::fs::UniqueID id;
  if (llvm::sys::fs::getUniqueID(path, id))
    return {}; // does not exist (yet): no input
  Inputs &in = inputs();
  std::lock_guard<std::mutex> guard(in.lock);
  auto it = in.byId.find({id.getDevice(), id.getFile()});
  return it == in.byId.end() ? std::string() : it->second;
}

std::unique_ptr<llvm::MemoryBuffer> readRegularFile(const std::string &path,
                                                    std::string &why) {
  namespace fs = llvm::sys::fs;
  fs::file_status st;
  if (std::error_code ec = fs::status(path, st)) {
    why = "cannot open: " + ec.message();
    return nullptr;
  }
  if (st.type() != fs::file_type::regular_file) {
    why = "not a regular file";
    return nullptr;
  }
  auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!buf) {
    why = "cannot open: " + buf.getError().message();
    return nullptr;
  }
  return std::move(*buf);
}

} // namespace slimlink
