// `slimlink size`: reading an input into SizeFile - one image for an ELF or
// Mach-O file, one per member for an archive (read by the shared archive
// reader, which checks every member's extent first), and for a universal
// (fat) file one such SizeFile per slice. A linked file's symbols and
// compile units may come from its debug file (kept apart: --debug-file, or
// found where its format says).
#include "formats/format.h"
#include "formats/read_library.h"
#include "model/library.h"
#include "model/universal.h"
#include "passes/size.h"
#include "support/diagnostics.h"
#include "support/input_files.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/BinaryFormat/Magic.h"
#include "llvm/Object/Archive.h"
#include "llvm/Support/FileSystem.h"
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

static std::unique_ptr<llvm::MemoryBuffer> readGiven(const std::string &path) {
  std::string why;
  auto buf = readRegularFile(path, why);
  if (!buf)
    throw InputError(path, why);
  return buf;
}

// The debug file's symbols and compile units, for a linked file `l` that
// lacks them (stripped). The debug file's code sections are empty (NOBITS)
// copies of the file's: its symbols go into the file's sections of the same
// names; its units keep their code ranges, not their debug info (bytes
// of the debug file, not of the file sized). Where the file has symbols of
// its own (the dynamic ones), the debug file's of those names must lie at
// the same addresses.
static void takeDebugInfo(const std::string &path, const std::string &debugPath,
                          Layout &d, Layout &l) {
  if (d.relocatable)
    throw InputError(debugPath, "is an object, not the debug file of " + path);
  llvm::StringMap<llvm::SmallVector<uint64_t, 1>> own;
  for (const LayoutSymbol &s : l.symbols)
    own[s.name].push_back(s.addr);
  for (const LayoutSymbol &s : d.symbols) {
    auto it = own.find(s.name);
    if (it != own.end() && !llvm::is_contained(it->second, s.addr))
      throw InputError(debugPath, "is not the debug file of " + path +
                                      ": its symbol " + s.name.str() +
                                      " lies at " + hexOffset(s.addr) +
                                      ", the file's at " +
                                      hexOffset(it->second[0]));
  }
  if (!l.fullSymbols && d.fullSymbols) {
    // A debug file's section is the file's of its name (where both have an
    // address, the same one; of pieces of one name, as a PE file's .rdata
    // around the directories cut out of it, the one at that address). Its
    // .tdata is NOBITS, as .tbss: the address is the file's to say. The
    // file's .tbss takes no memory of its own, and its symbols are left
    // out, as they are of the file's own table.
    llvm::StringMap<llvm::SmallVector<uint32_t, 1>> byName;
    for (uint32_t i = 0; i < l.sections.size(); ++i)
      byName[l.sections[i].name].push_back(i);
    // The debug file's symbols are kept in place (no second table of them).
    size_t kept = 0;
    for (LayoutSymbol s : d.symbols) {
      const LayoutSection &sec = d.sections[s.section];
      auto it = byName.find(sec.name);
      if (it == byName.end())
        continue;
      uint32_t in = it->second[0];
      for (uint32_t i : it->second)
        if (!sec.vm.empty() && l.sections[i].vm.start == sec.vm.start)
          in = i;
      if (l.sections[in].vm.empty() ||
          (!sec.vm.empty() && sec.vm.start != l.sections[in].vm.start))
        continue;
      s.section = in;
      d.symbols[kept++] = s;
    }
    d.symbols.resize(kept);
    l.symbols = std::move(d.symbols);
    l.nameStorage = d.nameStorage;
    l.fullSymbols = true;
  }
  if (l.units.empty())
    for (LayoutCompileUnit u : d.units) {
      u.file.clear();
      l.units.push_back(std::move(u));
    }
  // Source lines are code addresses: the file's, whichever file had them.
  if (!l.lines.read)
    l.lines = std::move(d.lines); // millions of ranges in a big file
}

// A linked file's debug file, if it needs one: the first of debug.given
// that belongs to it, else (if the views need what it lacks) the first its
// format finds that does. Its layout is read with the same parts, and
// passes the same checks, as any input's.
static void readDebugFile(const std::string &path, LayoutParts parts,
                          const DebugFiles &debug, SizeFile &f) {
  llvm::StringRef data = f.buffer->getBuffer();
  const ObjectFormat *format = formatOfFile(data);
  Layout &l = f.images[0].layout;
  if (!format || l.relocatable)
    return;
  auto use = [&](const std::string &debugPath,
                 std::unique_ptr<llvm::MemoryBuffer> buf, bool given) {
    Layout d;
    if (std::string err =
            format->readDebugLayout(data, buf->getBuffer(), parts, d);
        !err.empty())
      throw InputError(debugPath, err);
    takeDebugInfo(path, debugPath, d, l);
    rememberInput(debugPath);
    f.debugFile = debugPath;
    f.debugGiven = given;
    f.debugBuffer = std::move(buf);
  };
  for (const std::string &g : debug.given) {
    auto buf = readGiven(g);
    if (format->debugFileMismatch(data, buf->getBuffer()).empty())
      return use(g, std::move(buf), true);
  }
  if (!debug.search ||
      (!(parts.symbols && !l.fullSymbols) && !(parts.units && l.units.empty()) &&
       !(parts.lines && !l.lines.read)))
    return;
  // One found that is another build's is passed over, but not silently:
  // the user expected its names (said once, if no other one is the file's).
  std::string otherBuild;
  for (const std::string &p : format->debugFilePaths(data, path, debug.root)) {
    bool same = false;
    if (llvm::sys::fs::equivalent(p, path, same) || same)
      continue; // not there, or the file itself
    std::string why;
    auto buf = readRegularFile(p, why);
    if (!buf)
      continue;
    why = format->debugFileMismatch(data, buf->getBuffer());
    if (why.empty())
      return use(p, std::move(buf), false);
    if (otherBuild.empty())
      otherBuild = p + " is not the debug file of " + path + " (" + why +
                   "): passed over, " + path + " is sized without it";
  }
  if (!otherBuild.empty())
    f.notes.push_back(std::move(otherBuild));
}

void checkDebugFilesUsed(const std::vector<const SizeFile *> &files,
                         const DebugFiles &debug) {
  for (const std::string &g : debug.given) {
    if (llvm::any_of(files, [&](const SizeFile *f) { return f->debugFile == g; }))
      continue;
    // Why not: against the first input that could have one.
    auto buf = readGiven(g);
    for (const SizeFile *f : files) {
      if (f->archive || !f->slices.empty() || f->images.size() != 1 ||
          f->images[0].layout.relocatable)
        continue;
      llvm::StringRef data = f->buffer->getBuffer();
      std::string why =
          formatOfFile(data)->debugFileMismatch(data, buf->getBuffer());
      if (why.empty())
        why = "it took the debug file " + f->debugFile;
      throw InputError(g, (files.size() == 1
                               ? "is not the debug file of "
                               : "is the debug file of none of the inputs; "
                                 "not of ") +
                              f->path + ": " + why);
    }
    throw InputError(g, "is the debug file of none of the inputs: none is "
                        "a linked file (an executable or shared library)");
  }
}

SizeFile loadSizeFile(const std::string &path,
                      const std::vector<SizeView> &views,
                      const std::string &arch, const DebugFiles &debug) {
  LayoutParts parts;
  parts.symbols = llvm::any_of(views, isSymbolView) ||
                  llvm::is_contained(views, SizeView::Crates);
  parts.units = llvm::is_contained(views, SizeView::CompileUnits);
  parts.lines = llvm::is_contained(views, SizeView::Inlines);
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
    if (!f.archive)
      readDebugFile(path, parts, debug, f);
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
