// `slimlink size --diff`: the same rows of two results side by side, and
// demangling the rows that are shown.
#include "model/symbols.h"
#include "passes/size.h"

#include <algorithm>
#include <map>

namespace slimlink {

static std::vector<SizeDiffRow> diffRows(const std::vector<SizeRow> *a,
                                         const std::vector<SizeRow> *b) {
  std::map<std::string, std::pair<const SizeRow *, const SizeRow *>> byName;
  if (a)
    for (const SizeRow &r : *a)
      byName[r.name].first = &r;
  if (b)
    for (const SizeRow &r : *b)
      byName[r.name].second = &r;
  std::vector<SizeDiffRow> out;
  for (auto &[name, p] : byName) {
    SizeDiffRow d;
    d.name = name;
    d.symbol = (p.first ? p.first : p.second)->symbol;
    if (p.first) {
      d.oldVm = p.first->vm;
      d.oldFile = p.first->file;
    }
    if (p.second) {
      d.newVm = p.second->vm;
      d.newFile = p.second->file;
    }
    if (d.dVm() == 0 && d.dFile() == 0)
      continue;
    d.children = diffRows(p.first ? &p.first->children : nullptr,
                          p.second ? &p.second->children : nullptr);
    out.push_back(std::move(d));
  }
  std::sort(out.begin(), out.end(), [](const SizeDiffRow &x, const SizeDiffRow &y) {
    if (std::llabs(x.dFile()) != std::llabs(y.dFile()))
      return std::llabs(x.dFile()) > std::llabs(y.dFile());
    if (std::llabs(x.dVm()) != std::llabs(y.dVm()))
      return std::llabs(x.dVm()) > std::llabs(y.dVm());
    return x.name < y.name;
  });
  return out;
}

template <class Row> static void demangleAll(std::vector<Row> &rows) {
  for (Row &r : rows) {
    if (r.symbol)
      r.name = describeSymbol(r.name).demangled;
    demangleAll(r.children);
  }
}
void demangleRows(std::vector<SizeRow> &rows) { demangleAll(rows); }
void demangleRows(std::vector<SizeDiffRow> &rows) { demangleAll(rows); }

SizeDiff diffSizes(const SizeResult &before, const SizeResult &after) {
  SizeDiff d;
  d.views = after.views;
  d.oldFile = before.files.empty() ? "" : before.files[0];
  d.newFile = after.files.empty() ? "" : after.files[0];
  d.oldVm = before.vm;
  d.newVm = after.vm;
  d.oldSize = before.file;
  d.newSize = after.file;
  d.rows = diffRows(&before.rows, &after.rows);
  return d;
}

} // namespace slimlink
