#include "passes/size_duplicates.h"
#include "model/symbols.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>

namespace slimlink {

bool duplicatesView(SizeView v) {
  return v == SizeView::Crates || v == SizeView::Symbols ||
         v == SizeView::Sections;
}

std::vector<SizeView> duplicatesViews(SizeView view) {
  if (view == SizeView::Crates)
    return {SizeView::Crates, SizeView::RawSymbols};
  if (view == SizeView::Symbols)
    return {SizeView::RawSymbols};
  return {view};
}

namespace {

bool named(const SizeRow &r) {
  return !r.name.empty() && r.name[0] != '[';
}

// A copy of one name in one input.
struct Copy {
  size_t input;
  const SizeRow *row;
};

// The Rust mangled names inside a crate's row: one build of a crate has the
// same ones wherever it is linked.
llvm::StringSet<> rustNames(const SizeRow &crate) {
  llvm::StringSet<> names;
  for (const SizeRow &s : crate.children)
    if (named(s) &&
        describeSymbol(s.name, /*withText=*/false).lang == SymbolLang::Rust)
      names.insert(s.name);
  return names;
}

// Whether some copy (with Rust names to tell) shares none of them with the
// largest copy.
bool versionsDiffer(const std::vector<Copy> &copies, size_t largest) {
  llvm::StringSet<> ref = rustNames(*copies[largest].row);
  if (ref.empty())
    return false;
  for (size_t i = 0; i < copies.size(); ++i) {
    if (i == largest)
      continue;
    llvm::StringSet<> mine = rustNames(*copies[i].row);
    if (!mine.empty() &&
        llvm::none_of(mine, [&](const auto &n) { return ref.contains(n.getKey()); }))
      return true;
  }
  return false;
}

} // namespace

SizeDuplicates findDuplicates(const std::vector<SizeResult> &perFile,
                              SizeView view) {
  SizeDuplicates d;
  d.view = view;
  // Each name's copies, names in order of first appearance (sorted below).
  llvm::StringMap<size_t> index;
  std::vector<std::vector<Copy>> copies;
  std::vector<llvm::StringRef> names;
  for (size_t i = 0; i < perFile.size(); ++i) {
    const SizeResult &r = perFile[i];
    d.files.insert(d.files.end(), r.files.begin(), r.files.end());
    for (const SizeResult::Stripped &s : r.stripped)
      d.stripped.push_back(s.path);
    d.vm += r.vm;
    d.file += r.file;
    bool any = false;
    for (const SizeRow &row : r.rows) {
      if (!named(row))
        continue;
      any = true;
      auto [it, added] = index.try_emplace(row.name, copies.size());
      if (added) {
        copies.emplace_back();
        names.push_back(it->getKey());
      }
      copies[it->second].push_back({i, &row});
    }
    if (!any)
      d.unnamed.insert(d.unnamed.end(), r.files.begin(), r.files.end());
  }
  for (size_t k = 0; k < copies.size(); ++k) {
    const std::vector<Copy> &c = copies[k];
    if (c.size() < 2)
      continue;
    DuplicateRow row;
    row.name = names[k].str();
    uint64_t maxVm = 0, maxFile = 0;
    size_t largest = 0;
    for (size_t j = 0; j < c.size(); ++j) {
      const SizeRow &x = *c[j].row;
      for (const std::string &f : perFile[c[j].input].files)
        row.files.push_back(f);
      row.vm += x.vm;
      row.file += x.file;
      maxVm = std::max(maxVm, x.vm);
      if (x.file > maxFile || j == 0) {
        maxFile = x.file;
        largest = j;
      }
    }
    row.duplicatedVm = row.vm - maxVm;
    row.duplicatedFile = row.file - maxFile;
    if (view == SizeView::Crates)
      row.versionsDiffer = versionsDiffer(c, largest);
    d.duplicatedVm += row.duplicatedVm;
    d.duplicatedFile += row.duplicatedFile;
    d.rows.push_back(std::move(row));
  }
  std::sort(d.rows.begin(), d.rows.end(),
            [](const DuplicateRow &a, const DuplicateRow &b) {
              if (a.duplicatedFile != b.duplicatedFile)
                return a.duplicatedFile > b.duplicatedFile;
              return a.name < b.name;
            });
  return d;
}

} // namespace slimlink
