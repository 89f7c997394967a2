// Universal ("fat") Mach-O files: one image (an archive, an object, a
// binary) per architecture, behind a fat header. iOS and macOS frameworks
// ship them. slimlink processes them slice by slice: a verb runs once per
// architecture (cli/slices.h), reading that architecture's slice of every
// input, and its outputs are put back together in the same order
// (write/universal_writer.h).
#pragma once

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace slimlink {

struct FatSlice {
  std::string arch; // "arm64", "x86_64", "arm64e": lipo's names
  uint32_t cpuType = 0, cpuSubType = 0;
  uint32_t alignLog2 = 0; // the slice's alignment in the file, as 2^n
  uint64_t offset = 0, size = 0;
};

// Whether `name` is an architecture a slice can be named by (lipo's names),
// and all such names, for messages.
bool isSliceArch(llvm::StringRef name);
std::string sliceArchNames();

// Whether `data` starts with a fat header.
bool isUniversal(llvm::StringRef data);

// The slices of a universal file, in header order. Throws InputError naming
// `path` for a damaged header or a slice outside the file.
std::vector<FatSlice> readFatSlices(const std::string &path, llvm::StringRef data);

// The bytes of the fat header and its table of `slices` entries (fat_arch,
// or fat_arch_64 after FAT_MAGIC_64).
uint64_t fatHeaderSize(llvm::StringRef data, size_t slices);

} // namespace slimlink
