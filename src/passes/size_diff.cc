// `slimlink size` after the attribution: --diff (the same rows of two
// results side by side), the names of symbol rows (-C and the symbols
// views), and --source-filter.
#include "model/symbols.h"
#include "passes/size.h"
#include "support/diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/Support/Regex.h"

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
      r.name = demangleSymbol(r.name);
    demangleAll(r.children);
  }
}
void demangleRows(std::vector<SizeRow> &rows) { demangleAll(rows); }
void demangleRows(std::vector<SizeDiffRow> &rows) { demangleAll(rows); }

// The end of the '<' group that opens at s[open]: the index after its '>'
// ("->" of a Rust fn type closes nothing), or s.size() if unclosed.
static size_t pastAngles(llvm::StringRef s, size_t open) {
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == '<')
      ++depth;
    else if (s[i] == '>' && !(i > 0 && s[i - 1] == '-') && --depth == 0)
      return i + 1;
  }
  return s.size();
}

// Drops template and generic argument lists: "std::vector<int>::push_back"
// -> "std::vector::push_back", "core::ptr::drop_in_place::<T>" ->
// "core::ptr::drop_in_place". A '<' after a name (or Rust's "::") opens
// one; other '<' open a qualified path ("<T as Trait>::f") and stay, as do
// C++'s operator<, operator<< and operator<=.
static std::string withoutGenericArguments(llvm::StringRef s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    llvm::StringRef before = out;
    bool afterName = !before.empty() && (llvm::isAlnum(before.back()) ||
                                         before.back() == '_' ||
                                         before.ends_with("::"));
    if (s[i] != '<' || !afterName || before.ends_with("operator")) {
      out += s[i++];
      continue;
    }
    if (before.ends_with("::"))
      out.resize(out.size() - 2);
    i = pastAngles(s, i);
  }
  return out;
}

// Drops a trailing parameter list and what may follow it (" const", "&"):
// "f(int, char) const" -> "f". Names that do not end so stay.
static std::string withoutParameters(llvm::StringRef s) {
  llvm::StringRef t = s.rtrim();
  for (llvm::StringRef q : {" const", " volatile", " &&", " &", "&&", "&",
                            " __ptr64", " __restrict"})
    t.consume_back(q);
  if (!t.ends_with(")"))
    return s.str();
  int depth = 0;
  for (size_t i = t.size(); i-- > 0;) {
    if (t[i] == ')')
      ++depth;
    else if (t[i] == '(' && --depth == 0)
      return i ? t.take_front(i).str() : s.str();
  }
  return s.str();
}

// bloaty's "short" names, slimlink's way: no argument lists (C++ parameters,
// return types and template arguments; Rust generic arguments) and no
// hashes (legacy "::h<16 hex>", v0 crate disambiguators "[<hex>]").
static std::string shortName(llvm::StringRef mangled) {
  SymbolInfo si = describeSymbol(mangled);
  std::string text = si.demangled;
  if (si.lang == SymbolLang::Cxx && mangled.starts_with("_Z")) {
    // The function's name alone: no return type, parameters or qualifiers.
    llvm::ItaniumPartialDemangler d;
    std::string m = mangled.str();
    if (!d.partialDemangle(m.c_str()) && d.isFunction()) {
      size_t n = 0;
      if (char *name = d.getFunctionName(nullptr, &n)) {
        text = name;
        std::free(name);
      }
    }
  }
  if (si.lang == SymbolLang::Cxx)
    text = withoutParameters(text);
  text = withoutGenericArguments(text);
  static const llvm::Regex legacyHash("::h[0-9a-f]{16}$"),
      crateHash("([A-Za-z0-9_])\\[[0-9a-f]+\\]");
  text = legacyHash.sub("", text);
  while (crateHash.match(text))
    text = crateHash.sub("\\1", text);
  return text;
}

std::string symbolName(llvm::StringRef mangled, Demangle mode) {
  switch (mode) {
  case Demangle::None:
    return mangled.str();
  case Demangle::Short:
    return shortName(mangled);
  case Demangle::Full:
    break;
  }
  return demangleSymbol(mangled);
}

static bool keepMatching(SizeRow &row, const llvm::Regex &re, bool matched);

// Keeps the rows of `rows` that keepMatching keeps, and sets `vm` and
// `file` to what stays of them.
static void keepMatchingRows(std::vector<SizeRow> &rows, const llvm::Regex &re,
                             uint64_t &vm, uint64_t &file) {
  std::vector<SizeRow> kept;
  vm = file = 0;
  for (SizeRow &row : rows)
    if (keepMatching(row, re, false)) {
      vm += row.vm;
      file += row.file;
      kept.push_back(std::move(row));
    }
  rows = std::move(kept);
}

// Keeps `row` if its name or an outer one (`matched`) matches, else what of
// its children does; false if nothing of it stays.
static bool keepMatching(SizeRow &row, const llvm::Regex &re, bool matched) {
  if (matched || re.match(row.name))
    return true;
  keepMatchingRows(row.children, re, row.vm, row.file);
  return !row.children.empty();
}

SizeFilter filterRows(SizeResult &r, const std::string &pattern) {
  llvm::Regex re(pattern);
  std::string error;
  if (!re.isValid(error))
    throw UserError("--source-filter '" + pattern + "': " + error);
  SizeFilter f;
  uint64_t vm = 0, file = 0;
  keepMatchingRows(r.rows, re, vm, file);
  f.omittedVm = r.vm - vm;
  f.omittedFile = r.file - file;
  r.vm = vm;
  r.file = file;
  return f;
}

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
