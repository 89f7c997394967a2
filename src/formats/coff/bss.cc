// Uninitialized data around ObjCopy. A COFF object's .bss has a size
// (SizeOfRawData) and no bytes in the file (PointerToRawData 0). LLVM 19's
// ObjCopy writes that many zeros into its output, and allocates them first:
// a 16 KB arena made a 9 KB object 20 KB, a 256 MB one costs 256 MB of
// memory and of output, and a damaged header's near 4 GB more memory than
// a machine may have (found by fuzz/edit_object: out-of-memory in
// WritableMemoryBuffer). So ObjCopy never sees those sizes: before it, each
// moves to the section's VirtualSize, which objects leave 0 and ObjCopy
// copies as it is; after it, it moves back. The flag that says a section is
// uninitialized data does not matter: ObjCopy writes zeros for every section
// with a size and no bytes, and so do we move every such size.
#include "formats/coff/coff.h"

#include "llvm/Object/COFF.h"
#include "llvm/Support/Endian.h"

namespace slimlink {

namespace {

using llvm::support::endian::read32le;
using llvm::support::endian::write32le;

// Field offsets in a section header (IMAGE_SECTION_HEADER).
constexpr size_t VirtualSize = 8, SizeOfRawData = 16, PointerToRawData = 20;

// The file offset of each section header of a COFF object.
std::vector<size_t> sectionHeaders(llvm::StringRef object) {
  std::vector<size_t> out;
  auto obj = llvm::object::ObjectFile::createObjectFile(
      llvm::MemoryBufferRef(object, "object"));
  if (!obj) {
    llvm::consumeError(obj.takeError());
    return out;
  }
  const auto *coff = llvm::dyn_cast<llvm::object::COFFObjectFile>(obj->get());
  if (!coff || coff->getDOSHeader())
    return out;
  for (const llvm::object::SectionRef &ref : coff->sections())
    out.push_back(reinterpret_cast<const char *>(coff->getCOFFSection(ref)) -
                  object.data());
  return out;
}

// A size and no bytes in the file.
bool sizeOnly(const char *header) {
  return read32le(header + PointerToRawData) == 0 &&
         read32le(header + SizeOfRawData) != 0;
}

// A size moved aside: no bytes, no raw size, a VirtualSize.
bool hidden(const char *header) {
  return read32le(header + PointerToRawData) == 0 &&
         read32le(header + SizeOfRawData) == 0 &&
         read32le(header + VirtualSize) != 0;
}

} // namespace

std::string coff::hideBssSizes(llvm::StringRef object, std::string &out) {
  std::vector<size_t> headers = sectionHeaders(object);
  bool any = false;
  for (size_t i = 0; i < headers.size(); ++i) {
    const char *h = object.data() + headers[i];
    // Would read as one we moved aside, and be changed after ObjCopy.
    if (hidden(h))
      return "COFF section " + std::to_string(i + 1) +
             " has no bytes and a VirtualSize (" +
             std::to_string(read32le(h + VirtualSize)) +
             "), which objects leave 0";
    any |= sizeOnly(h);
  }
  if (!any)
    return {};
  out = object.str();
  for (size_t at : headers) {
    char *h = out.data() + at;
    if (sizeOnly(h)) {
      write32le(h + VirtualSize, read32le(h + SizeOfRawData));
      write32le(h + SizeOfRawData, 0);
    }
  }
  return {};
}

void coff::restoreBssSizes(llvm::StringRef objcopyInput, std::string &object) {
  std::vector<size_t> before = sectionHeaders(objcopyInput);
  if (llvm::none_of(before, [&](size_t at) {
        return hidden(objcopyInput.data() + at);
      }))
    return;
  for (size_t at : sectionHeaders(object)) {
    char *h = object.data() + at;
    if (hidden(h)) {
      write32le(h + SizeOfRawData, read32le(h + VirtualSize));
      write32le(h + VirtualSize, 0);
    }
  }
}

} // namespace slimlink
