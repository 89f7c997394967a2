// Checks of an archive's own symbol index ("/" and COFF's second linker
// member, "/SYM64/", "__.SYMDEF"). slimlink never uses an input's index:
// every output gets a new one built from its members. But a damaged index
// means a damaged file, which the user should hear about rather than get an
// output that silently differs from it; and LLVM's reader trusts the
// counts when asked for symbols.
#include "model/archive_index.h"

#include "llvm/Support/Endian.h"

namespace slimlink {

using namespace llvm::support::endian;

namespace {

// One member header: its name field, its data.
struct RawMember {
  llvm::StringRef name, data;
  uint64_t next = 0; // offset of the following header
};

std::optional<RawMember> memberAt(llvm::StringRef file, uint64_t off) {
  if (off + 60 > file.size())
    return std::nullopt;
  RawMember m;
  m.name = file.substr(off, 16).rtrim(' ');
  uint64_t size;
  if (file.substr(off + 48, 10).trim(' ').getAsInteger(10, size) ||
      size > file.size() - off - 60)
    return std::nullopt; // the member walk reports it
  m.data = file.substr(off + 60, size);
  m.next = off + 60 + size + (size & 1);
  return m;
}

// n NUL-terminated names must fit in `strings`.
bool holdsNames(llvm::StringRef strings, uint64_t n) {
  for (uint64_t i = 0; i < n; ++i) {
    size_t end = strings.find('\0');
    if (end == llvm::StringRef::npos)
      return false;
    strings = strings.drop_front(end + 1);
  }
  return true;
}

std::string bad(const char *which, const std::string &what) {
  return std::string("damaged archive index (") + which + "): " + what;
}

// "/": a big-endian count, that many big-endian member offsets, the names.
std::string checkGnu(llvm::StringRef d, unsigned width, const char *which) {
  if (d.size() < width)
    return bad(which, "shorter than its symbol count");
  uint64_t n = width == 4 ? read32be(d.data()) : read64be(d.data());
  if (n > (d.size() - width) / width)
    return bad(which, "claims " + std::to_string(n) + " symbols, but has room "
                      "for " + std::to_string((d.size() - width) / width));
  if (!holdsNames(d.drop_front(width + n * width), n))
    return bad(which, "holds fewer names than its " + std::to_string(n) + " symbols");
  return {};
}

// COFF's second "/": little-endian member count and offsets, symbol count,
// 16-bit member indices, the names.
std::string checkCoffSecond(llvm::StringRef d) {
  const char *which = "second linker member";
  if (d.size() < 8)
    return bad(which, "shorter than its two counts");
  uint64_t m = read32le(d.data());
  if (m > (d.size() - 8) / 4)
    return bad(which, "claims " + std::to_string(m) + " members, past its end");
  llvm::StringRef rest = d.drop_front(4 + 4 * m);
  uint64_t n = read32le(rest.data());
  if (n > (rest.size() - 4) / 2)
    return bad(which, "claims " + std::to_string(n) + " symbols, past its end");
  if (!holdsNames(rest.drop_front(4 + 2 * n), n))
    return bad(which, "holds fewer names than its " + std::to_string(n) + " symbols");
  return {};
}

// "__.SYMDEF": little-endian size of the ranlib array, the array (string
// offset, member offset), size of the names, the names.
std::string checkBsd(llvm::StringRef d, unsigned width, const char *which) {
  if (d.size() < width)
    return bad(which, "shorter than its table size");
  uint64_t bytes = width == 4 ? read32le(d.data()) : read64le(d.data());
  if (bytes % (2 * width) || bytes > d.size() - width ||
      d.size() - width - bytes < width)
    return bad(which, "its table of " + std::to_string(bytes) +
                          " bytes runs past its end");
  llvm::StringRef after = d.drop_front(width + bytes);
  uint64_t strsize = width == 4 ? read32le(after.data()) : read64le(after.data());
  if (strsize > after.size() - width)
    return bad(which, "its " + std::to_string(strsize) +
                          " bytes of names run past its end");
  for (uint64_t k = 0; k < bytes / (2 * width); ++k) {
    const char *entry = d.data() + width + k * 2 * width;
    uint64_t strx = width == 4 ? read32le(entry) : read64le(entry);
    if (strx >= strsize)
      return bad(which, "symbol " + std::to_string(k) + " has its name past "
                        "the names");
  }
  return {};
}

} // namespace

std::string checkArchiveIndex(llvm::StringRef file) {
  if (!file.starts_with("!<arch>\n"))
    return {};
  auto first = memberAt(file, 8);
  if (!first)
    return {};
  if (first->name == "/") {
    if (std::string e = checkGnu(first->data, 4, "first linker member"); !e.empty())
      return e;
    if (auto second = memberAt(file, first->next); second && second->name == "/")
      return checkCoffSecond(second->data);
    return {};
  }
  if (first->name == "/SYM64/")
    return checkGnu(first->data, 8, "/SYM64/");
  // BSD names: "__.SYMDEF" in the name field, or "#1/<len>" with the name
  // in the data.
  llvm::StringRef name = first->name, data = first->data;
  if (name.consume_front("#1/")) {
    uint64_t len;
    if (name.getAsInteger(10, len) || len > data.size())
      return {};
    name = data.take_front(len).rtrim('\0');
    data = data.drop_front(len);
  }
  if (name == "__.SYMDEF" || name == "__.SYMDEF SORTED")
    return checkBsd(data, 4, "__.SYMDEF");
  if (name == "__.SYMDEF_64" || name == "__.SYMDEF_64 SORTED")
    return checkBsd(data, 8, "__.SYMDEF_64");
  return {};
}

} // namespace slimlink
