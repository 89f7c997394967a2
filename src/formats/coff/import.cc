// COFF short import objects: what a DLL's import library holds per symbol
// (IMPORT_OBJECT_HEADER, then the symbol's and the DLL's names). Rust
// staticlibs for Windows carry them (windows-sys, raw-dylib). They are not
// objects, a few dozen bytes each: slimlink keeps them in the library they
// came from, under the same name and with the same bytes, and never renames
// the symbols they define. Read here, not through LLVM's COFFImportFile:
// its reader trusts the header (found by fuzz/: damaged import members
// crashed it).
#include "formats/coff/coff.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/COFF.h"
#include "llvm/Object/COFF.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/StringSaver.h"

#include <mutex>

namespace slimlink {

using llvm::support::endian::read16le;
using llvm::support::endian::read32le;

static llvm::Triple::ArchType archOf(uint16_t machine) {
  switch (machine) {
  case llvm::COFF::IMAGE_FILE_MACHINE_AMD64:
    return llvm::Triple::x86_64;
  case llvm::COFF::IMAGE_FILE_MACHINE_ARM64:
    return llvm::Triple::aarch64;
  case llvm::COFF::IMAGE_FILE_MACHINE_I386:
    return llvm::Triple::x86;
  case llvm::COFF::IMAGE_FILE_MACHINE_ARMNT:
    return llvm::Triple::thumb;
  default:
    return llvm::Triple::UnknownArch;
  }
}

// "__imp_NAME" outlives the member's parse: the model's symbol names point
// into the mapped file, and this one is made up.
static llvm::StringRef saved(const std::string &s) {
  static std::mutex lock;
  static llvm::BumpPtrAllocator alloc;
  static llvm::UniqueStringSaver saver(alloc);
  std::lock_guard<std::mutex> guard(lock);
  return saver.save(s);
}

// A /bigobj object starts the same way (Sig1 0, Sig2 0xffff), with a
// Version of 2 or more: an import object's is 0.
bool coff::isImport(llvm::StringRef data) {
  return data.size() >= 6 && read16le(data.data()) == 0 &&
         read16le(data.data() + 2) == 0xffff && read16le(data.data() + 4) == 0;
}

std::string coff::readImport(llvm::StringRef data, coff::Import &out) {
  constexpr size_t headerSize = sizeof(llvm::object::coff_import_header);
  if (data.size() < headerSize)
    return "truncated COFF import object (" + std::to_string(data.size()) +
           " bytes, its header alone is " + std::to_string(headerSize) + ")";
  uint16_t machine = read16le(data.data() + 6);
  uint32_t sizeOfData = read32le(data.data() + 12);
  uint16_t typeInfo = read16le(data.data() + 18);
  if (sizeOfData != data.size() - headerSize)
    return "COFF import object claims " + std::to_string(sizeOfData) +
           " bytes of names, but holds " + std::to_string(data.size() - headerSize);
  out.arch = archOf(machine);
  if (out.arch == llvm::Triple::UnknownArch)
    return "COFF import object for unknown machine 0x" +
           llvm::utohexstr(machine);
  // The symbol's name, then the DLL's, each NUL-terminated.
  llvm::StringRef names = data.drop_front(headerSize);
  size_t end = names.find('\0');
  size_t dllEnd = end == llvm::StringRef::npos ? end : names.find('\0', end + 1);
  if (end == 0 || dllEnd == llvm::StringRef::npos)
    return "COFF import object's names are not NUL-terminated";
  out.symbol = names.take_front(end);
  out.dll = names.slice(end + 1, dllEnd);
  out.code = (typeInfo & 3) == llvm::COFF::IMPORT_CODE;
  out.impSymbol = saved("__imp_" + out.symbol.str());
  return {};
}

std::string coff::readImportMember(Member &m) {
  Import imp;
  if (std::string err = readImport(m.data, imp); !err.empty())
    return err;
  m.kind = MemberKind::Import;
  m.target = {llvm::Triple::COFF, imp.arch};
  m.symbols.push_back({imp.impSymbol, /*defined=*/true, /*weak=*/false});
  if (imp.code)
    m.symbols.push_back({imp.symbol, true, false});
  return {};
}

} // namespace slimlink
