#include "formats/dwarf_units.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/DebugInfo/DWARF/DWARFDebugLine.h"
#include "llvm/DebugInfo/DWARF/DWARFUnit.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/Path.h"

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

void addLineRanges(llvm::ArrayRef<LineRow> sequence,
                   std::vector<LayoutLineRange> &out) {
  size_t first = out.size(); // ranges of this sequence start here
  for (size_t i = 0; i + 1 < sequence.size(); ++i) {
    uint64_t start = sequence[i].address, end = sequence[i + 1].address;
    if (end <= start)
      continue; // a row of no bytes (several rows at one address)
    if (out.size() > first && out.back().end == start &&
        out.back().line == sequence[i].name)
      out.back().end = end;
    else
      out.push_back({start, end, sequence[i].name});
  }
}

namespace {
// Line names ("file:line") across the units, each kept once.
class LineNames {
public:
  explicit LineNames(Layout &l) : l(l) {}

  // The id of `file`:`line`, where `file` is the unit's file `fileIndex`.
  uint32_t id(const llvm::DWARFDebugLine::LineTable &table,
              const std::string &compDir, uint64_t fileIndex, uint32_t line) {
    uint64_t key = (fileIndex << 32) | line;
    auto [it, added] = unitIds.try_emplace(key, 0);
    if (!added)
      return it->second;
    std::string name;
    if (!table.getFileNameByIndex(
            fileIndex, compDir,
            llvm::DILineInfoSpecifier::FileLineInfoKind::RelativeFilePath,
            name))
      name = "[unknown file]";
    // "./util.h" (clang's include directory ".") is "util.h".
    llvm::SmallString<128> clean(name);
    llvm::sys::path::remove_dots(clean, /*remove_dot_dot=*/false);
    name = std::string(clean) + ":" + std::to_string(line);
    auto [n, fresh] = ids.try_emplace(name, uint32_t(l.lines.names.size()));
    if (fresh)
      l.lines.names.push_back(std::move(name));
    return it->second = n->second;
  }

  // A new unit: its file indices name other files.
  void nextUnit() { unitIds.clear(); }

private:
  Layout &l;
  llvm::StringMap<uint32_t> ids;
  llvm::DenseMap<uint64_t, uint32_t> unitIds; // (file index, line) -> id
};
} // namespace

void readSourceLines(llvm::DWARFContext &dwarf, Layout &l, uint64_t imageBase) {
  if (l.relocatable)
    return;
  LineNames names(l);
  std::vector<LineRow> sequence;
  for (const auto &cu : dwarf.compile_units()) {
    const llvm::DWARFDebugLine::LineTable *table =
        dwarf.getLineTableForUnit(cu.get());
    if (!table)
      continue;
    l.lines.read = true;
    names.nextUnit();
    std::string compDir = cu->getCompilationDir();
    // LLVM keeps only the sequences it found valid (a sequence of a
    // function the linker dropped may start at 0): their rows alone.
    for (const llvm::DWARFDebugLine::Sequence &seq : table->Sequences) {
      if (seq.LowPC < imageBase)
        continue;
      sequence.clear();
      for (uint32_t i = seq.FirstRowIndex; i < seq.LastRowIndex; ++i) {
        const llvm::DWARFDebugLine::Row &row = table->Rows[i];
        sequence.push_back(
            {row.Address.Address - imageBase,
             row.EndSequence ? 0 : names.id(*table, compDir, row.File, row.Line)});
      }
      addLineRanges(sequence, l.lines.ranges);
    }
  }
}

} // namespace slimlink
