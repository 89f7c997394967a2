#include "model/universal.h"
#include "support/diagnostics.h"

#include "llvm/BinaryFormat/MachO.h"
#include "llvm/BinaryFormat/Magic.h"
#include "llvm/Object/MachOUniversal.h"

namespace slimlink {

bool isUniversal(llvm::StringRef data) {
  return llvm::identify_magic(data) == llvm::file_magic::macho_universal_binary;
}

std::vector<FatSlice> readFatSlices(const std::string &path,
                                    llvm::StringRef data) {
  // LLVM checks the header: every slice inside the file, none overlapping,
  // no architecture twice, offsets aligned.
  auto fat = llvm::object::MachOUniversalBinary::create(
      llvm::MemoryBufferRef(data, path));
  if (!fat)
    throw InputError(path, "malformed universal (fat) file: " +
                               takeMessage(fat.takeError()));
  std::vector<FatSlice> out;
  for (const auto &obj : (*fat)->objects())
    out.push_back({obj.getArchFlagName(), obj.getCPUType(), obj.getCPUSubType(),
                   obj.getAlign(), obj.getOffset(), obj.getSize()});
  if (out.empty())
    throw InputError(path, "universal (fat) file with no slices");
  for (const FatSlice &s : out)
    if (s.arch.empty())
      throw InputError(path, "universal (fat) file: slice at offset " +
                                 hexOffset(s.offset) +
                                 " is for an unknown CPU type " +
                                 std::to_string(s.cpuType));
  return out;
}

uint64_t fatHeaderSize(llvm::StringRef data, size_t slices) {
  bool is64 = uint8_t(data[3]) == (llvm::MachO::FAT_MAGIC_64 & 0xff);
  return sizeof(llvm::MachO::fat_header) +
         slices * (is64 ? sizeof(llvm::MachO::fat_arch_64)
                        : sizeof(llvm::MachO::fat_arch));
}

bool isSliceArch(llvm::StringRef name) {
  return llvm::object::MachOObjectFile::isValidArch(name);
}

std::string sliceArchNames() {
  std::string names;
  for (llvm::StringRef n : llvm::object::MachOObjectFile::getValidArchs())
    names += (names.empty() ? "" : ", ") + n.str();
  return names;
}

} // namespace slimlink
