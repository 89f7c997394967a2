#include "formats/dwarf_units.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/DebugInfo/DWARF/DWARFDebugLine.h"
#include "llvm/DebugInfo/DWARF/DWARFUnit.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/Parallel.h"
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
// One unit's line table, read on its own (in parallel with the others'):
// its ranges, named by ids into its own `names` until they are merged.
struct UnitLines {
  std::vector<LayoutLineRange> ranges;
  std::vector<std::string> names;
};

// Names "file:line" of one unit's table, each made once.
class UnitNames {
public:
  UnitNames(const llvm::DWARFDebugLine::LineTable &table,
            const std::string &compDir, std::vector<std::string> &names)
      : table(table), compDir(compDir), names(names) {}

  uint32_t id(uint64_t fileIndex, uint32_t line) {
    auto [it, added] = ids.try_emplace((fileIndex << 32) | line, 0);
    if (!added)
      return it->second;
    auto [f, fresh] = files.try_emplace(fileIndex);
    if (fresh) {
      std::string name;
      if (!table.getFileNameByIndex(
              fileIndex, compDir,
              llvm::DILineInfoSpecifier::FileLineInfoKind::RelativeFilePath,
              name))
        name = "[unknown file]";
      // "./util.h" (clang's include directory ".") is "util.h".
      llvm::SmallString<128> clean(name);
      llvm::sys::path::remove_dots(clean, /*remove_dot_dot=*/false);
      f->second = std::string(clean);
    }
    names.push_back(f->second + ":" + std::to_string(line));
    return it->second = names.size() - 1;
  }

private:
  const llvm::DWARFDebugLine::LineTable &table;
  const std::string &compDir;
  std::vector<std::string> &names;
  llvm::DenseMap<uint64_t, uint32_t> ids; // (file index, line) -> id
  llvm::DenseMap<uint64_t, std::string> files;
};

// A unit's line table at `offset` in its line section, parsed apart from
// DWARFContext's cache (which keeps every row of every table): its rows
// are dropped once they are ranges.
UnitLines readUnitLines(const llvm::DWARFContext &dwarf, llvm::DWARFUnit &cu,
                        uint64_t offset, const std::string &compDir,
                        uint64_t imageBase) {
  UnitLines out;
  llvm::DWARFDataExtractor data(dwarf.getDWARFObj(), cu.getLineSection(),
                                dwarf.isLittleEndian(),
                                cu.getAddressByteSize());
  llvm::DWARFDebugLine::LineTable table;
  auto ignore = [](llvm::Error e) { llvm::consumeError(std::move(e)); };
  if (llvm::Error e = table.parse(data, &offset, dwarf, &cu, ignore)) {
    llvm::consumeError(std::move(e));
    return out;
  }
  UnitNames names(table, compDir, out.names);
  std::vector<LineRow> sequence;
  // LLVM keeps only the sequences it found valid (a sequence of a
  // function the linker dropped may start at 0): their rows alone.
  for (const llvm::DWARFDebugLine::Sequence &seq : table.Sequences) {
    if (seq.LowPC < imageBase)
      continue;
    sequence.clear();
    for (uint32_t i = seq.FirstRowIndex; i < seq.LastRowIndex; ++i) {
      const llvm::DWARFDebugLine::Row &row = table.Rows[i];
      sequence.push_back({row.Address.Address - imageBase,
                          row.EndSequence ? 0 : names.id(row.File, row.Line)});
    }
    addLineRanges(sequence, out.ranges);
  }
  return out;
}
} // namespace

void readSourceLines(llvm::DWARFContext &dwarf, Layout &l, uint64_t imageBase) {
  if (l.relocatable)
    return;
  // Each unit's table offset and compile directory first (the units and
  // their DIEs are parsed lazily, not to be done from several threads).
  struct Unit {
    llvm::DWARFUnit *cu;
    uint64_t offset;
    std::string compDir;
  };
  std::vector<Unit> units;
  for (const auto &cu : dwarf.compile_units()) {
    llvm::DWARFDie die = cu->getUnitDIE(/*ExtractUnitDIEOnly=*/true);
    if (auto offset = llvm::dwarf::toSectionOffset(
            die.find(llvm::dwarf::DW_AT_stmt_list)))
      units.push_back({cu.get(), *offset, cu->getCompilationDir()});
  }
  std::vector<UnitLines> read(units.size());
  llvm::parallelFor(0, units.size(), [&](size_t i) {
    read[i] = readUnitLines(dwarf, *units[i].cu, units[i].offset,
                            units[i].compDir, imageBase);
  });
  // Merged: one id per name across the units.
  l.lines.read = !units.empty();
  llvm::StringMap<uint32_t> ids;
  std::vector<uint32_t> global;
  size_t total = 0;
  for (const UnitLines &u : read)
    total += u.ranges.size();
  l.lines.ranges.reserve(l.lines.ranges.size() + total);
  for (UnitLines &u : read) {
    global.clear();
    for (std::string &name : u.names) {
      auto [it, fresh] = ids.try_emplace(name, l.lines.names.size());
      if (fresh)
        l.lines.names.push_back(std::move(name));
      global.push_back(it->second);
    }
    for (LayoutLineRange r : u.ranges) {
      r.line = global[r.line];
      l.lines.ranges.push_back(r);
    }
    u = UnitLines();
  }
}

} // namespace slimlink
