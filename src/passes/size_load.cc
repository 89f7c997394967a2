// `slimlink size`: reading an input into SizeFile - one image for an ELF or
// Mach-O file, one per member for an archive (read by the shared archive
// reader, which checks every member's extent first), and for a universal
// (fat) file one such SizeFile per slice.
#include "formats/format.h"
#include "formats/read_library.h"
#include "model/library.h"
#include "model/universal.h"
#include "passes/size.h"
#include "support/diagnostics.h"
#include "support/input_files.h"

#include "llvm/BinaryFormat/Magic.h"
#include "llvm/Object/Archive.h"
#include "llvm/Support/Parallel.h"

namespace slimlink {

static std::string nonObjectLabel(const Member &m) {
  if (m.kind == MemberKind::Bitcode)
    return "[bitcode]";
  if (m.kind == MemberKind::Import) // COFF short import objects (a .lib's)
    return "[import objects]";
  if (llvm::StringRef(m.name).ends_with(".rmeta"))
    return "[rust metadata]";
  return "[non-object member]";
}

// An archive's members, each an image. `data` (the file, or one slice of a
// universal file) stays mapped by the caller: offsets count from its start.
// Errors name `where`: the file, or the file and the slice.
static void loadArchive(const std::string &where, llvm::StringRef data,
                        LayoutParts parts, SizeFile &f) {
  f.archive = true;
  std::vector<std::unique_ptr<llvm::MemoryBuffer>> bufs;
  bufs.push_back(llvm::MemoryBuffer::getMemBuffer(
      data, where, /*RequiresNullTerminator=*/false));
  InputSet in = readLibraryBuffers(std::move(bufs), {.progress = false});
  Library &lib = in.libs[0];
  f.headers.push_back({"[archive headers]", {0, 8}, {}}); // "!<arch>\n"
  f.images.resize(lib.members.size());
  std::vector<std::string> errors(lib.members.size());
  llvm::parallelFor(0, lib.members.size(), [&](size_t i) {
    const Member &m = lib.members[i];
    SizeImage &img = f.images[i];
    img.member = m.name;
    img.memberCrate = crateOfMember(m.name);
    img.base = m.data.data() - data.data();
    img.size = m.data.size();
    const ObjectFormat *format =
        m.kind == MemberKind::Object ? formatOf(m) : nullptr;
    if (!format)
      img.nonObject = nonObjectLabel(m);
    else
      errors[i] = format->readLayout(m.data, parts, img.layout);
  });
  for (size_t i = 0; i < errors.size(); ++i)
    if (!errors[i].empty())
      throw InputError(where, lib.members[i].name, lib.members[i].offset,
                       errors[i]);
  // A member's header runs to its bytes: a BSD "#1/<len>" name is stored
  // after the header and counts as header too.
  for (const Member &m : lib.members) {
    uint64_t dataStart = m.data.data() - data.data();
    f.headers.push_back(
        {"[archive headers]", {m.offset, dataStart - m.offset}, {}});
  }
}

// A thin image or archive: a whole file or one slice of a universal file.
static SizeFile loadThin(const std::string &path, const std::string &where,
                         llvm::StringRef data, LayoutParts parts) {
  SizeFile f;
  f.path = path;
  f.size = data.size();
  if (llvm::identify_magic(data) == llvm::file_magic::archive) {
    loadArchive(where, data, parts, f);
    return f;
  }
  const ObjectFormat *format = formatOfFile(data);
  if (!format)
    throw InputError(where, "not an ELF file or an archive, nor Mach-O, "
                           "COFF or PE (no \\x7fELF, Mach-O, COFF, MZ+PE or "
                           "!<arch> signature at offset 0x0)");
  SizeImage img;
  img.size = f.size;
  if (std::string err = format->readLayout(data, parts, img.layout);
      !err.empty())
    throw InputError(where, err);
  f.images.push_back(std::move(img));
  return f;
}

static SizeFile loadSlice(const std::string &path, llvm::StringRef data,
                          const FatSlice &s, LayoutParts parts) {
  std::string where =
      path + " (" + s.arch + " slice at offset " + hexOffset(s.offset) + ")";
  SizeFile f = loadThin(path, where, data.substr(s.offset, s.size), parts);
  f.arch = s.arch;
  f.offset = s.offset;
  return f;
}

static std::string sliceNames(const std::vector<FatSlice> &slices) {
  std::string s;
  for (const FatSlice &x : slices)
    s += (s.empty() ? "" : ", ") + x.arch;
  return s;
}

// The architecture a Mach-O image's header names ("arm64", "?" for an
// unknown CPU), or "" for other bytes: the Mach-O edge reads it.
static std::string machOArch(llvm::StringRef data) {
  return formatOf(llvm::Triple::MachO)->fileArch(data);
}

// The format of a file that is not universal, for --arch's error: "ELF",
// "PE", "COFF", or "" for bytes no reader knows.
static std::string formatName(llvm::StringRef data) {
  if (llvm::identify_magic(data) == llvm::file_magic::pecoff_executable)
    return "PE";
  const ObjectFormat *format = formatOfFile(data);
  return format ? format->name() : "";
}

static std::string withArticle(const std::string &word) {
  return (word == "ELF" ? "an " : "a ") + word;
}

// --arch on a file that is not universal: a thin Mach-O image, or an
// archive of Mach-O objects, is read as it is if it is for ARCH (so that
// --diff compares a universal file's slice with a thin build); any other
// file has no slices to pick from, and is refused. Bytes no reader knows
// are left to loadThin, which says what is wrong with them.
static void checkThinArch(const std::string &path, llvm::StringRef data,
                          const std::string &arch) {
  auto notUniversal = [&](const std::string &what) {
    return InputError(path, "--arch " + arch + " picks a slice of a universal "
                            "(fat) Mach-O file; this is " + what);
  };
  if (llvm::identify_magic(data) != llvm::file_magic::archive) {
    std::string have = machOArch(data);
    if (have.empty() && !formatName(data).empty())
      throw notUniversal(withArticle(formatName(data)) + " file");
    if (!have.empty() && have != arch)
      throw InputError(path, "has no " + arch + " slice (it is a thin " +
                                 have + " file)");
    return;
  }
  auto ar = llvm::object::Archive::create(llvm::MemoryBufferRef(data, path));
  if (!ar) {
    llvm::consumeError(ar.takeError());
    return;
  }
  if ((*ar)->isThin())
    return; // its members are other files
  // The members' architectures: every Mach-O one must be for ARCH. The
  // loop's error is checked before anything is thrown (llvm::Error).
  bool machO = false, unreadable = false;
  std::string other, member, memberArch;
  llvm::Error err = llvm::Error::success();
  for (const llvm::object::Archive::Child &c : (*ar)->children(err)) {
    auto bytes = c.getBuffer();
    if (!bytes) {
      llvm::consumeError(bytes.takeError());
      unreadable = true;
      break;
    }
    std::string have = machOArch(*bytes);
    if (have.empty()) {
      if (other.empty())
        other = formatName(*bytes);
      continue;
    }
    if (have != arch) {
      auto name = c.getName();
      member = name ? name->str() : "?";
      if (!name)
        llvm::consumeError(name.takeError());
      memberArch = have; // never "": machOArch gives "?" for unknown CPUs
      break;
    }
    machO = true;
  }
  if (err) {
    llvm::consumeError(std::move(err));
    unreadable = true;
  }
  if (unreadable)
    return; // loadThin says what is wrong with it
  if (!memberArch.empty())
    throw InputError(path, "has no " + arch + " slice (it is a thin archive; "
                           "its member '" + member + "' is for " + memberArch +
                           ")");
  if (!machO)
    throw notUniversal(other.empty() ? std::string("an archive")
                                     : "an archive of " + other + " objects");
}

SizeFile loadSizeFile(const std::string &path,
                      const std::vector<SizeView> &views,
                      const std::string &arch) {
  LayoutParts parts;
  parts.symbols = llvm::any_of(views, isSymbolView) ||
                  llvm::is_contained(views, SizeView::Crates);
  parts.units = llvm::is_contained(views, SizeView::CompileUnits);
  auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!buf)
    throw InputError(path, "cannot open: " + buf.getError().message());
  rememberInput(path);
  llvm::StringRef data = (*buf)->getBuffer();

  if (!isUniversal(data)) {
    if (!arch.empty())
      checkThinArch(path, data, arch);
    parts.dwp = path + ".dwp"; // split DWARF's package, beside the file
    SizeFile f = loadThin(path, path, data, parts);
    f.buffer = std::move(*buf);
    return f;
  }

  // readFatSlices has checked that every slice lies inside the file.
  std::vector<FatSlice> slices = readFatSlices(path, data);
  if (!arch.empty()) {
    for (const FatSlice &s : slices)
      if (s.arch == arch) {
        SizeFile f = loadSlice(path, data, s, parts);
        f.buffer = std::move(*buf);
        return f;
      }
    throw InputError(path, "has no " + arch + " slice (it holds " +
                               sliceNames(slices) + ")");
  }
  SizeFile f;
  f.path = path;
  f.size = data.size();
  f.headers.push_back(
      {"[fat header]", {0, fatHeaderSize(data, slices.size())}, {}});
  for (const FatSlice &s : slices)
    f.slices.push_back(loadSlice(path, data, s, parts));
  f.buffer = std::move(*buf);
  return f;
}

} // namespace slimlink
