#include "formats/layout_rows.h"

#include <algorithm>
#include <tuple>

namespace slimlink {

std::string segmentName(unsigned index, bool read, bool write, bool execute) {
  std::string s = "LOAD #" + std::to_string(index) + " [";
  s += read ? 'R' : '-';
  s += write ? 'W' : '-';
  s += execute ? 'X' : '-';
  return s + "]";
}

Extent vmOf(const Layout &l, Extent f) {
  for (const LayoutSegment &s : l.segments)
    if (!f.empty() && f.start >= s.file.start && f.end() <= s.file.end())
      return {s.vm.start + (f.start - s.file.start), f.size};
  return {};
}

Extent inFile(const Layout &l, uint64_t off, uint64_t size) {
  return {off, std::min(size, l.fileSize - std::min(off, l.fileSize))};
}

void addTable(Layout &l, const char *name, SectionRole role, uint64_t off,
              uint64_t size, bool startPastEnd) {
  if (size == 0 || (off >= l.fileSize && !startPastEnd))
    return;
  LayoutSection s;
  s.name = name;
  s.role = role;
  s.file = inFile(l, off, size);
  l.sections.push_back(std::move(s));
}

void addSizedSymbols(std::vector<UnsizedSymbol> syms,
                     llvm::function_ref<uint64_t(uint32_t)> sectionEnd,
                     llvm::function_ref<uint32_t(const UnsizedSymbol &)> row,
                     Layout &l) {
  std::sort(syms.begin(), syms.end(),
            [](const UnsizedSymbol &a, const UnsizedSymbol &b) {
              return std::tie(a.section, a.addr, a.local) <
                     std::tie(b.section, b.addr, b.local);
            });
  for (size_t i = 0; i < syms.size(); ++i) {
    const UnsizedSymbol &s = syms[i];
    uint64_t end = sectionEnd(s.section);
    for (size_t j = i + 1; j < syms.size() && syms[j].section == s.section; ++j)
      if (syms[j].addr > s.addr) {
        end = syms[j].addr;
        break;
      }
    l.symbols.push_back({s.name, s.addr, end - s.addr, row(s)});
  }
}

static std::vector<uint64_t> sorted(std::vector<uint64_t> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

void cutAtFunctionBounds(llvm::MutableArrayRef<LayoutSymbol> syms,
                         const FunctionBounds &bounds) {
  std::vector<uint64_t> cuts = bounds.starts;
  cuts.insert(cuts.end(), bounds.ends.begin(), bounds.ends.end());
  cuts = sorted(std::move(cuts));
  for (LayoutSymbol &s : syms) {
    auto next = std::upper_bound(cuts.begin(), cuts.end(), s.addr);
    if (next != cuts.end() && *next - s.addr < s.size)
      s.size = *next - s.addr;
  }
}

size_t unnamedStarts(llvm::ArrayRef<LayoutSymbol> syms,
                     const FunctionBounds &bounds) {
  std::vector<uint64_t> named;
  named.reserve(syms.size());
  for (const LayoutSymbol &s : syms)
    named.push_back(s.addr);
  named = sorted(std::move(named));
  size_t n = 0;
  for (uint64_t start : sorted(bounds.starts))
    n += !std::binary_search(named.begin(), named.end(), start);
  return n;
}

void boundImageSymbols(Layout &l, size_t first, const FunctionBounds &bounds,
                       bool anyLocal) {
  llvm::MutableArrayRef<LayoutSymbol> added(l.symbols.data() + first,
                                            l.symbols.size() - first);
  cutAtFunctionBounds(added, bounds);
  if (!l.fullSymbols) {
    l.namesLeft = "no symbols";
  } else if (!anyLocal && unnamedStarts(added, bounds)) {
    l.fullSymbols = false;
    l.namesLeft = "exports only";
  }
}

} // namespace slimlink
