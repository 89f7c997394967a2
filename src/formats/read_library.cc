// Reads archive files into the model.
//
// Safety first: LLVM's object readers trust the extents they are given, so a
// member whose header claims more bytes than the file holds crashes them
// (seen: SIGSEGV in ELFObjectFile::create on a truncated Rust staticlib). We
// walk the archive, check every member's extent against the file, and only
// then hand the bytes to LLVM.
#include "formats/read_library.h"
#include "model/archive_index.h"
#include "model/universal.h"
#include "support/diagnostics.h"
#include "support/input_files.h"
#include "support/progress.h"
#include "support/read_buffers.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/BinaryFormat/Magic.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Parallel.h"

#include <exception>
#include <optional>
#include <unistd.h>

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

// Why a member's name cannot be written back as it is, or "" if it can.
// Outputs are written with LLVM's archive writer, and a reader must find
// the same members in them (found by fuzz/: each rule below broke a round
// trip): an empty name comes back as "/"; a control character ('\n' above
// all) corrupts the GNU long-name table; a name starting with "#1" reads as
// a BSD long name; trailing spaces are taken for padding; and a member named like a symbol or name table becomes one when it
// is the first member of an output.
static std::string unwritableName(llvm::StringRef name) {
  if (name.empty())
    return "empty member name";
  for (unsigned char ch : name)
    if (ch < 0x20 || ch == 0x7f)
      return "member name with control character " + std::to_string(ch);
  // Not only "#1/...": a GNU short name gets a '/' appended, so "#1" is
  // written as "#1/" too.
  if (name.starts_with("#1"))
    return "member name starting with \"#1\" (a BSD long-name marker)";
  // Name fields are padded with spaces, so readers drop trailing ones.
  if (name.ends_with(" "))
    return "member name ending with a space (name fields are space-padded)";
  for (llvm::StringRef special :
       {"/", "//", "/SYM64/", "ARFILENAMES/", "__.SYMDEF", "__.SYMDEF SORTED",
        "__.SYMDEF_64", "__.SYMDEF_64 SORTED"})
    if (name == special)
      return "a member named \"" + name.str() +
             "\", the name of an archive's own tables";
  return {};
}

// A BSD "#1/<len>" name is stored after the header, and LLVM checks its
// length against the member's size field only, not against the file; its
// getName() then reads up to <len> bytes past the end of a truncated file
// (found by fuzz/: heap-buffer-overflow). True for such a name.
static bool bsdNamePastEnd(llvm::StringRef file, uint64_t headerOffset) {
  // As LLVM reads it: the name field up to the first space.
  llvm::StringRef field = file.substr(headerOffset, 16).take_until(
      [](char ch) { return ch == ' '; });
  uint64_t len;
  if (!field.consume_front("#1/") || field.getAsInteger(10, len))
    return false; // not a BSD long name, or one LLVM rejects itself
  uint64_t start = headerOffset + 60;
  return start > file.size() || len > file.size() - start;
}

// A member's name, read only where it lies inside the file; else what is
// wrong with it (`problem`, "" when nothing is).
struct MemberName {
  llvm::StringRef name;
  std::string problem;
};
static MemberName nameInFile(llvm::StringRef file, const Archive::Child &c) {
  const char *pastEnd = "truncated: its name runs past the end of the file";
  if (bsdNamePastEnd(file, c.getChildOffset()))
    return {{}, pastEnd};
  auto name = c.getName();
  if (!name)
    return {{}, "bad name: " + takeMessage(name.takeError())};
  // Whatever the format, the name must lie in the file before we read it.
  if (name->data() < file.begin() ||
      name->size() > size_t(file.end() - name->data()))
    return {{}, pastEnd};
  return {*name, ""};
}

// Walks the archive's members, filling name, data and offset. The bytes are
// not parsed here; that happens in parallel afterwards.
static void listMembers(Library &lib, const Archive &ar) {
  // The archive's bytes: the whole file, or one slice of a universal file.
  llvm::StringRef file = ar.getMemoryBufferRef().getBuffer();
  // Counted first, so the list is allocated once: growing it copy by copy
  // touches fresh heap pages for every library.
  {
    size_t count = 0;
    llvm::Error err = llvm::Error::success();
    for (const Archive::Child &c : ar.children(err)) {
      // LLVM's step to the next member names this one in its error for a
      // next member past the end of the file, and so reads a name that runs
      // past it (found by fuzz/): stop before stepping from a member whose
      // name the walk below would not read; that walk reports it.
      if (!nameInFile(file, c).problem.empty())
        break;
      ++count;
    }
    llvm::consumeError(std::move(err)); // the walk below reports it
    lib.members.reserve(count);
  }
  llvm::Error err = llvm::Error::success();
  for (const Archive::Child &c : ar.children(err)) {
    uint64_t offset = c.getChildOffset();
    auto [name, problem] = nameInFile(file, c);
    if (problem.empty())
      problem = unwritableName(name);
    if (!problem.empty())
      throw InputError(lib.path,
                       "member at offset " + hexOffset(offset) + ": " + problem);
    // The size of the member's bytes, not getRawSize(): in BSD/Darwin
    // ("#1/<len>" names) and AIX big archives that also counts the name, so
    // the bytes would run into the next header (found by fuzz/, see
    // fuzz/regressions/read_archive/).
    auto size = c.getSize();
    if (!size)
      throw InputError(lib.path, name.str(), offset,
                       takeMessage(size.takeError()));
    uint64_t dataOffset = c.getDataOffset();
    if (dataOffset > file.size() || *size > file.size() - dataOffset)
      throw InputError(lib.path, name.str(), offset,
                       "truncated: member claims " + std::to_string(*size) +
                           " bytes but the file ends " +
                           std::to_string(file.size() -
                                          std::min(dataOffset, file.size())) +
                           " bytes after its header");
    Member m;
    m.name = name.str();
    m.offset = offset;
    m.data = file.substr(dataOffset, *size);
    lib.members.push_back(std::move(m));
  }
  if (err)
    throw InputError(lib.path, takeMessage(std::move(err)));
}

// The `arch` slice of a universal input (`data`, the whole file's bytes).
static llvm::MemoryBufferRef selectSlice(Library &lib, llvm::StringRef data,
                                         const std::string &arch) {
  std::vector<FatSlice> slices = readFatSlices(lib.path, data);
  if (arch.empty())
    throw InputError(lib.path, "is a universal (fat) file, which this verb "
                               "does not read slice by slice");
  for (const FatSlice &s : slices)
    if (s.arch == arch) {
      lib.slice = arch;
      lib.sliceOffset = s.offset;
      lib.fileSize = s.size;
      return llvm::MemoryBufferRef(data.substr(s.offset, s.size), lib.path);
    }
  std::string have;
  for (const FatSlice &s : slices)
    have += (have.empty() ? "" : ", ") + s.arch;
  throw InputError(lib.path, "has no " + arch + " slice (it holds " + have + ")");
}

// Fills each member's fingerprint and byte class from `bytes` (a copy of the
// file's bytes, or the file's own), then points its data into lib.file,
// where the model reads it from now on.
static void classifyMembers(Library &lib, llvm::StringRef bytes,
                           ByteClasses &classes) {
  llvm::StringRef kept = lib.file->getBuffer();
  for (Member &m : lib.members) {
    m.fingerprint = fingerprintOf(m.data);
    llvm::StringRef there(kept.data() + (m.data.data() - bytes.data()),
                          m.data.size());
    m.byteClass = classes.classify(m.fingerprint, m.data, there);
    m.data = there;
  }
  // Read through its mapping (too big for the buffers): its pages go back,
  // or RSS would hold every such copy until exit. Pages compared again
  // later come back from the page cache.
  if (bytes.data() == kept.data())
    releasePages(lib, kept);
  lib.fingerprinted = lib.classified = true;
}

// The library's name in errors is the buffer's identifier (its path). Its
// bytes are read from `bytes`: the file's own, or a copy of them that is
// gone when this returns.
static Library openLibrary(std::unique_ptr<llvm::MemoryBuffer> file,
                           llvm::StringRef bytes, const std::string &arch,
                           ByteClasses &classes) {
  Library lib;
  lib.path = file->getBufferIdentifier().str();
  lib.file = std::move(file);
  lib.fileSize = lib.file->getBufferSize();
  const std::string &path = lib.path;
  llvm::MemoryBufferRef ref(bytes, path);
  if (isUniversal(ref.getBuffer()))
    ref = selectSlice(lib, bytes, arch);
  if (llvm::identify_magic(ref.getBuffer()) != llvm::file_magic::archive) {
    if (!lib.slice.empty())
      throw InputError(path, "its " + lib.slice + " slice (at offset " +
                                 hexOffset(lib.sliceOffset) +
                                 ") is not an archive");
    throw InputError(path, "not an archive (no \"!<arch>\" signature at "
                           "offset 0x0)");
  }
  // AIX big archives hold XCOFF objects, which the model cannot read (their
  // symbols would be invisible to dedup's back-reference check); and LLVM
  // 19's reader leaks on malformed ones (found by fuzz/).
  if (ref.getBuffer().starts_with("<bigaf>\n"))
    throw InputError(path, "AIX big archives are not supported");
  // Archive::create reads the first member's name to find a BSD symbol
  // table: check a "#1/<len>" name fits first (see bsdNamePastEnd).
  if (ref.getBuffer().starts_with("!<arch>\n") &&
      bsdNamePastEnd(ref.getBuffer(), 8))
    throw InputError(path, "member at offset 0x8: truncated: its name runs "
                           "past the end of the file");
  if (std::string err = checkArchiveIndex(ref.getBuffer()); !err.empty())
    throw InputError(path, "member at offset 0x8: " + err);
  auto ar = Archive::create(ref);
  if (!ar)
    throw InputError(path, "malformed archive: " +
                               takeMessage(ar.takeError()));
  if ((*ar)->isThin())
    throw InputError(path, "thin archives are not supported: their members "
                           "live in other files");
  lib.kind = (*ar)->kind();
  listMembers(lib, **ar);
  // Last: nothing may throw once the members are classified, since other
  // libraries' members are compared with these through lib.file.
  classifyMembers(lib, bytes, classes);
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

// The libraries are opened; read their members and check them.
static InputSet readMembers(InputSet in, const ReadOptions &opts) {
  assignContents(in);

  // Parse one member of each content, in parallel across all libraries so
  // that a few big members (std's objects) do not serialize the work.
  std::vector<std::string> errors(in.contents.size());
  Progress progress("reading members", in.contents.size(), opts.progress);
  llvm::parallelFor(0, in.contents.size(), [&](size_t c) {
    MemberRef r = in.contents[c];
    mapAhead(in.at(r).data); // parsed now, written later
    errors[c] = readMember(in.libs[r.lib].members[r.index]);
    progress.advance();
  });
  // The first error in input order, so the message is deterministic.
  for (size_t c = 0; c < in.contents.size(); ++c)
    if (!errors[c].empty()) {
      const Member &m = in.at(in.contents[c]);
      throw InputError(in.libs[in.contents[c].lib].path, m.name, m.offset,
                       errors[c]);
    }
  // Identical bytes parse the same: copy the results to the twins.
  for (Library &lib : in.libs)
    for (Member &m : lib.members) {
      const Member &rep = in.at(in.contents[m.content]);
      if (&rep != &m) {
        m.kind = rep.kind;
        m.target = rep.target;
        m.symbols = rep.symbols;
      }
    }
  for (Library &lib : in.libs)
    checkTargets(lib);
  return in;
}

// A file's bytes read into `buffer` with large preads: the model keeps
// pointing into the mapping, but listing, fingerprinting and comparing read
// the copy, so the mapping's pages are touched only for the first copy of
// each content (what the passes parse and the writers copy). Null (read the
// mapping) for a small file, which LLVM reads rather than maps, and when the
// buffers' budget is spent.
static ReadBuffers::Buffer *readCopy(const std::string &path,
                                     const llvm::MemoryBuffer &mapped,
                                     ReadBuffers &buffers) {
  namespace fs = llvm::sys::fs;
  if (mapped.getBufferKind() != llvm::MemoryBuffer::MemoryBuffer_MMap)
    return nullptr;
  int fd;
  if (fs::openFileForRead(path, fd))
    return nullptr;
  auto closeFd = llvm::make_scope_exit([fd] { ::close(fd); });
  fs::file_status st;
  // Not the file that was mapped (replaced meanwhile): read the mapping.
  if (fs::status(fd, st) || st.getSize() != mapped.getBufferSize())
    return nullptr;
  ReadBuffers::Buffer *buffer = buffers.acquire(mapped.getBufferSize());
  if (buffer && !readWhole(fd, buffer->data, mapped.getBufferSize()).empty()) {
    buffers.release(buffer);
    return nullptr;
  }
  return buffer;
}

// Room for two threads' copies of a 128 MB library; a bigger one is read
// through its mapping. Peak RSS stays well under 1 GB.
static const uint64_t kReadBudget = 256 << 20;

static Library openFile(const std::string &path, const std::string &arch,
                        ReadBuffers &buffers, ByteClasses &classes) {
  std::unique_ptr<llvm::MemoryBuffer> mapped = mapFile(path);
  ReadBuffers::Buffer *copy = readCopy(path, *mapped, buffers);
  auto giveBack = llvm::make_scope_exit([&] { buffers.release(copy); });
  llvm::StringRef bytes = copy ? llvm::StringRef(copy->data, mapped->getBufferSize())
                               : mapped->getBuffer();
  return openLibrary(std::move(mapped), bytes, arch, classes);
}

// Opens and lists each library, in parallel. The error thrown is the first
// in input order, as if they were opened one at a time.
static std::vector<Library> openLibraries(
    size_t n, llvm::function_ref<Library(size_t, ByteClasses &)> open) {
  std::vector<Library> libs(n);
  std::vector<std::exception_ptr> errors(n);
  ByteClasses classes;
  llvm::parallelFor(0, n, [&](size_t i) {
    try {
      libs[i] = open(i, classes);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  });
  for (std::exception_ptr &e : errors)
    if (e)
      std::rethrow_exception(e);
  return libs;
}

InputSet readLibraries(const std::vector<std::string> &paths,
                       const ReadOptions &opts) {
  InputSet in;
  ReadBuffers buffers(kReadBudget);
  in.libs = openLibraries(paths.size(), [&](size_t i, ByteClasses &classes) {
    return openFile(paths[i], opts.arch, buffers, classes);
  });
  // In input order: a file named twice is remembered by its first name.
  for (const std::string &p : paths)
    rememberInput(p);
  return readMembers(std::move(in), opts);
}

InputSet readLibraryBuffers(std::vector<std::unique_ptr<llvm::MemoryBuffer>> files,
                            const ReadOptions &opts) {
  InputSet in;
  in.libs = openLibraries(files.size(), [&](size_t i, ByteClasses &classes) {
    llvm::StringRef bytes = files[i]->getBuffer();
    return openLibrary(std::move(files[i]), bytes, opts.arch, classes);
  });
  return readMembers(std::move(in), opts);
}

} // namespace slimlink
