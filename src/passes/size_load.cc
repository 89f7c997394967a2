// `slimlink size`: reading an input into SizeFile - one image for an ELF
// file, one per member for an archive (read by the shared archive reader,
// which checks every member's extent first).
#include "formats/format.h"
#include "model/library.h"
#include "passes/size.h"
#include "support/diagnostics.h"
#include "support/input_files.h"

#include "llvm/BinaryFormat/Magic.h"
#include "llvm/Support/Parallel.h"

namespace slimlink {

static std::string nonObjectLabel(const Member &m) {
  if (m.kind == MemberKind::Bitcode)
    return "[bitcode]";
  if (llvm::StringRef(m.name).ends_with(".rmeta"))
    return "[rust metadata]";
  return "[non-object member]";
}

SizeFile loadSizeFile(const std::string &path,
                      const std::vector<SizeView> &views) {
  LayoutParts parts;
  parts.symbols = llvm::is_contained(views, SizeView::Symbols) ||
                  llvm::is_contained(views, SizeView::Crates);
  parts.units = llvm::is_contained(views, SizeView::CompileUnits);
  SizeFile f;
  f.path = path;
  auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!buf)
    throw InputError(path, "cannot open: " + buf.getError().message());
  rememberInput(path);
  llvm::StringRef data = (*buf)->getBuffer();
  f.size = data.size();
  llvm::file_magic magic = llvm::identify_magic(data);

  if (magic != llvm::file_magic::archive) {
    const ObjectFormat *format = formatOfFile(data);
    if (!format)
      throw InputError(path, "not an ELF file or an archive (no \\x7fELF or "
                             "!<arch> signature at offset 0x0)");
    f.buffer = std::move(*buf);
    parts.dwp = path + ".dwp"; // split DWARF's package, beside the file
    SizeImage img;
    img.size = f.size;
    if (std::string err = format->readLayout(data, parts, img.layout);
        !err.empty())
      throw InputError(path, err);
    f.images.push_back(std::move(img));
    return f;
  }

  // Archives: the shared reader validates every member's extent.
  f.archive = true;
  InputSet in = readLibraries({path}, {.progress = false});
  Library &lib = in.libs[0];
  const char *start = lib.file->getBufferStart();
  f.headers.push_back({"[archive headers]", {0, 8}, {}}); // "!<arch>\n"
  f.images.resize(lib.members.size());
  std::vector<std::string> errors(lib.members.size());
  llvm::parallelFor(0, lib.members.size(), [&](size_t i) {
    const Member &m = lib.members[i];
    SizeImage &img = f.images[i];
    img.member = m.name;
    img.memberCrate = crateOfMember(m.name);
    img.base = m.data.data() - start;
    img.size = m.data.size();
    const ObjectFormat *format =
        m.kind == MemberKind::Object ? formatOf(m) : nullptr;
    if (!format || !format->hasLayout())
      img.nonObject = nonObjectLabel(m);
    else
      errors[i] = format->readLayout(m.data, parts, img.layout);
  });
  for (size_t i = 0; i < errors.size(); ++i)
    if (!errors[i].empty())
      throw InputError(path, lib.members[i].name, lib.members[i].offset,
                       errors[i]);
  for (const Member &m : lib.members) {
    uint64_t dataStart = m.data.data() - start;
    f.headers.push_back(
        {"[archive headers]", {m.offset, dataStart - m.offset}, {}});
  }
  f.buffer = std::move(lib.file);
  return f;
}

} // namespace slimlink
