// Reads archive files into the model.
//
// Safety first: LLVM's object readers trust the extents they are given, so a
// member whose header claims more bytes than the file holds crashes them
// (seen: SIGSEGV in ELFObjectFile::create on a truncated Rust staticlib). We
// walk the archive, check every member's extent against the file, and only
// then hand the bytes to LLVM.
#include "model/library.h"
#include "support/diagnostics.h"
#include "support/progress.h"

#include "llvm/BinaryFormat/Magic.h"
#include "llvm/Support/Parallel.h"
#include "llvm/Support/xxhash.h"

#include <optional>

namespace slimlink {

using llvm::object::Archive;

static std::unique_ptr<llvm::MemoryBuffer> mapFile(const std::string &path) {
  // IsVolatile=false lets LLVM mmap the file instead of reading it.
  auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!buf)
    throw InputError(path, "cannot open: " + buf.getError().message());
  return std::move(*buf);
}

// Walks the archive's members, filling name, data and offset. The bytes are
// not parsed here; that happens in parallel afterwards.
static void listMembers(Library &lib, const Archive &ar) {
  llvm::StringRef file = lib.file->getBuffer();
  llvm::Error err = llvm::Error::success();
  for (const Archive::Child &c : ar.children(err)) {
    uint64_t offset = c.getChildOffset();
    auto name = c.getName();
    if (!name)
      throw InputError(lib.path, "member at offset " + hexOffset(offset) +
                                     ": bad name: " +
                                     takeMessage(name.takeError()));
    auto rawSize = c.getRawSize();
    if (!rawSize)
      throw InputError(lib.path, name->str(), offset,
                       takeMessage(rawSize.takeError()));
    uint64_t dataOffset = c.getDataOffset();
    if (dataOffset > file.size() || *rawSize > file.size() - dataOffset)
      throw InputError(lib.path, name->str(), offset,
                       "truncated: member claims " + std::to_string(*rawSize) +
                           " bytes but the file ends " +
                           std::to_string(file.size() -
                                          std::min(dataOffset, file.size())) +
                           " bytes after its header");
    Member m;
    m.name = name->str();
    m.offset = offset;
    m.data = file.substr(dataOffset, *rawSize);
    lib.members.push_back(std::move(m));
  }
  if (err)
    throw InputError(lib.path, takeMessage(std::move(err)));
}

static Library openLibrary(const std::string &path) {
  Library lib;
  lib.path = path;
  lib.file = mapFile(path);
  llvm::MemoryBufferRef ref = lib.file->getMemBufferRef();
  if (llvm::identify_magic(ref.getBuffer()) != llvm::file_magic::archive)
    throw InputError(path, "not an archive (no \"!<arch>\" signature at "
                           "offset 0x0)");
  auto ar = Archive::create(ref);
  if (!ar)
    throw InputError(path, "malformed archive: " +
                               takeMessage(ar.takeError()));
  if ((*ar)->isThin())
    throw InputError(path, "thin archives are not supported: their members "
                           "live in other files");
  lib.kind = (*ar)->kind();
  listMembers(lib, **ar);
  return lib;
}

// Every object of one library must be for one target: a linker refuses to mix.
static void checkTargets(Library &lib) {
  const Member *first = nullptr;
  for (const Member &m : lib.members) {
    if (!m.target.known())
      continue;
    if (!first) {
      first = &m;
      lib.target = m.target;
    } else if (!(m.target == first->target)) {
      throw InputError(lib.path, m.name, m.offset,
                       "is " + m.target.str() + " but member '" + first->name +
                           "' is " + first->target.str() +
                           "; one archive cannot mix targets");
    }
  }
}

std::vector<Library> readLibraries(const std::vector<std::string> &paths,
                                   const ReadOptions &opts) {
  std::vector<Library> libs;
  for (const std::string &p : paths)
    libs.push_back(openLibrary(p));

  // Parse and hash all members of all libraries in one parallel loop, so a
  // few big members (std's objects) do not serialize the work per library.
  std::vector<Member *> all;
  std::vector<size_t> libOf;
  for (size_t i = 0; i < libs.size(); ++i)
    for (Member &m : libs[i].members) {
      all.push_back(&m);
      libOf.push_back(i);
    }
  std::vector<std::string> errors(all.size());
  Progress progress("reading members", all.size(), opts.progress);
  llvm::parallelFor(0, all.size(), [&](size_t i) {
    Member &m = *all[i];
    m.hash = llvm::xxh3_64bits(m.data);
    errors[i] = readMember(m);
    progress.advance();
  });
  // Report the first error in input order, so the message is deterministic.
  for (size_t i = 0; i < all.size(); ++i)
    if (!errors[i].empty())
      throw InputError(libs[libOf[i]].path, all[i]->name, all[i]->offset,
                       errors[i]);

  for (Library &lib : libs)
    checkTargets(lib);
  return libs;
}

} // namespace slimlink
