// Symbol-table edits of Mach-O objects that LLVM's ObjCopy does not offer
// for Mach-O (--weaken-symbol and --set-symbol-visibility are ELF only).
#include "formats/macho/macho.h"
#include "support/diagnostics.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Object/MachO.h"
#include "llvm/Support/Endian.h"

namespace slimlink {

using namespace llvm::MachO;
using llvm::support::endian::read32le;
using llvm::support::endian::read64le;
using llvm::support::endian::write32le;
using llvm::support::endian::write64le;

namespace {

// A 64-bit __LD,__compact_unwind entry holds its personality at offset 16.
constexpr uint64_t kEntrySize = 32, kPersonalityField = 16;
// relocation_info's second word: r_symbolnum:24, r_pcrel:1, r_length:2,
// r_extern:1, r_type:4 (little-endian bit order); a set top bit of the
// first word marks a scattered relocation (not used by x86_64 or arm64).
constexpr uint32_t kSymbolNumMask = 0xffffff, kExternBit = 1u << 27;
constexpr uint32_t kScattered = 0x80000000;

// Compact unwind entries that name a shared routine by address (r_extern =
// 0, as LLVM writes them when the routine is defined in the same object)
// are made to name its symbol instead: the linker counts personalities by
// what relocations name, so N objects' section-relative references would
// be N personalities even though only one copy of the weak symbol is kept.
// `symbolAt` maps the routines' addresses to their symbol indices.
void nameBySymbol(std::string &object,
                  const llvm::object::MachOObjectFile &macho,
                  const llvm::DenseMap<uint64_t, uint32_t> &symbolAt) {
  for (const llvm::object::SectionRef &sec : macho.sections()) {
    llvm::object::DataRefImpl ref = sec.getRawDataRefImpl();
    auto name = sec.getName();
    if (!name || *name != "__compact_unwind" ||
        macho.getSectionFinalSegmentName(ref) != "__LD") {
      if (!name)
        llvm::consumeError(name.takeError());
      continue;
    }
    section_64 hdr = macho.getSection64(ref);
    for (uint32_t i = 0; i < hdr.nreloc; ++i) {
      char *rel = object.data() + hdr.reloff + 8 * uint64_t(i);
      uint32_t address = read32le(rel), info = read32le(rel + 4);
      if ((address & kScattered) || (info & kExternBit) ||
          address % kEntrySize != kPersonalityField ||
          uint64_t(address) + 8 > hdr.size)
        continue;
      char *field = object.data() + hdr.offset + address;
      auto it = symbolAt.find(read64le(field));
      if (it == symbolAt.end())
        continue;
      write32le(rel + 4, (info & ~kSymbolNumMask) | kExternBit | it->second);
      write64le(field, 0); // an extern reference's addend
    }
  }
}

// `object` parsed as a Mach-O object, or null with the error in `err`
// (`notMachO` when it parses as another kind).
std::unique_ptr<llvm::object::MachOObjectFile>
parseMachO(const std::string &object, std::string &err, const char *notMachO) {
  auto obj = llvm::object::ObjectFile::createObjectFile(
      llvm::MemoryBufferRef(object, "object"));
  if (!obj) {
    err = "malformed object: " + takeMessage(obj.takeError());
    return nullptr;
  }
  if (!llvm::isa<llvm::object::MachOObjectFile>(obj->get())) {
    err = notMachO;
    return nullptr;
  }
  return std::unique_ptr<llvm::object::MachOObjectFile>(
      llvm::cast<llvm::object::MachOObjectFile>(obj->release()));
}

// Calls `edit` with the offset in `object` of the nlist entry of each
// external, non-debug symbol that `accept` takes by its n_type and whose
// name is one of `names`. LLVM's symbol reference is the address of its
// nlist entry, which lies in `object`'s bytes.
void forEachNamed(
    std::string &object, const llvm::object::MachOObjectFile &macho,
    const std::vector<std::string> &names,
    llvm::function_ref<bool(uint8_t type)> accept,
    llvm::function_ref<void(llvm::object::DataRefImpl ref, uint64_t offset,
                            uint8_t type)>
        edit) {
  llvm::StringSet<> wanted;
  for (const std::string &n : names)
    wanted.insert(n);
  for (const llvm::object::SymbolRef &sym : macho.symbols()) {
    llvm::object::DataRefImpl ref = sym.getRawDataRefImpl();
    uint8_t type = macho.is64Bit() ? macho.getSymbol64TableEntry(ref).n_type
                                   : macho.getSymbolTableEntry(ref).n_type;
    if ((type & N_STAB) || !(type & N_EXT) || !accept(type))
      continue;
    auto name = sym.getName();
    if (!name) {
      llvm::consumeError(name.takeError());
      continue;
    }
    if (wanted.contains(*name))
      edit(ref, ref.p - uintptr_t(object.data()), type);
  }
}

} // namespace

std::string macho::weakenDefinitions(std::string &object,
                                     const std::vector<std::string> &names) {
  const char *notLittleMachO = "not a little-endian Mach-O object";
  std::string err;
  auto macho = parseMachO(object, err, notLittleMachO);
  if (!macho)
    return err;
  if (!macho->isLittleEndian())
    return notLittleMachO;
  symtab_command st = macho->getSymtabLoadCommand();
  size_t entrySize = macho->is64Bit() ? sizeof(nlist_64) : sizeof(nlist);
  // n_desc lies at the same offset in both layouts (after strx, type, sect).
  constexpr size_t descOffset = 6;
  llvm::DenseMap<uint64_t, uint32_t> symbolAt;
  forEachNamed(
      object, *macho, names,
      [](uint8_t type) { return (type & N_TYPE) == N_SECT; },
      [&](llvm::object::DataRefImpl ref, uint64_t offset, uint8_t) {
        char *desc = object.data() + offset + descOffset;
        uint16_t v = llvm::support::endian::read16le(desc);
        llvm::support::endian::write16le(desc, v | N_WEAK_DEF);
        symbolAt[macho->getNValue(ref)] = (offset - st.symoff) / entrySize;
      });
  if (macho->is64Bit() && !symbolAt.empty())
    nameBySymbol(object, *macho, symbolAt);
  return {};
}

std::string macho::makeExternal(std::string &object,
                                const std::vector<std::string> &names) {
  std::string err;
  auto macho = parseMachO(object, err, "not a Mach-O object");
  if (!macho)
    return err;
  // n_type lies at the same offset in both layouts (after n_strx). A
  // reference never carries N_PEXT (clang writes hidden ones as plain
  // undefined externs), so only definitions change.
  constexpr size_t typeOffset = 4;
  forEachNamed(
      object, *macho, names, [](uint8_t type) { return type & N_PEXT; },
      [&](llvm::object::DataRefImpl, uint64_t offset, uint8_t type) {
        object[offset + typeOffset] = char(type & ~N_PEXT);
      });
  return {};
}

} // namespace slimlink
