#include "formats/dwarf_units.h"

#include "llvm/DebugInfo/DWARF/DWARFUnit.h"
#include "llvm/Object/ObjectFile.h"

namespace slimlink {

std::unique_ptr<llvm::DWARFContext>
openDwarf(const llvm::object::ObjectFile &obj,
          llvm::DWARFContext::ProcessDebugRelocations relocations) {
  auto ignore = [](llvm::Error e) { llvm::consumeError(std::move(e)); };
  return llvm::DWARFContext::create(obj, relocations, nullptr, "", ignore,
                                    ignore);
}

static std::string shortName(llvm::DWARFUnit &cu) {
  const char *name = cu.getUnitDIE(/*ExtractUnitDIEOnly=*/true).getShortName();
  return name ? name : "";
}

void readCompileUnits(llvm::DWARFContext &dwarf,
                      std::optional<uint64_t> debugInfoOffset, Layout &l,
                      uint64_t imageBase,
                      llvm::function_ref<std::string(llvm::DWARFUnit &)> name) {
  for (const auto &cu : dwarf.compile_units()) {
    LayoutCompileUnit u;
    u.name = name ? name(*cu) : shortName(*cu);
    if (u.name.empty())
      u.name = "[unnamed compile unit]";
    if (l.relocatable) {
      if (l.wholeUnit.empty())
        l.wholeUnit = u.name;
      continue;
    }
    if (auto ranges = cu->collectAddressRanges()) {
      for (const llvm::DWARFAddressRange &r : *ranges)
        if (r.HighPC > r.LowPC && r.LowPC >= imageBase)
          u.vm.push_back({r.LowPC - imageBase, r.HighPC - r.LowPC});
    } else {
      llvm::consumeError(ranges.takeError());
    }
    if (debugInfoOffset)
      u.file.push_back({*debugInfoOffset + cu->getOffset(),
                        cu->getNextUnitOffset() - cu->getOffset()});
    l.units.push_back(std::move(u));
  }
}

} // namespace slimlink
