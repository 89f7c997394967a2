// The attribution engine of `slimlink size` (see size.h for the idea).
//
// Per image and per address space (file, VM), each kind of thing that claims
// bytes is a "layer" of disjoint intervals: sections (and headers), loaded
// segments, symbols, compile units. Where things of one layer overlap (symbol
// aliases, a symbol running past its section), the first in address order,
// the longest at equal addresses, keeps the bytes. A sweep over every
// boundary of every layer cuts the space into atoms; each atom's labels are
// looked up once per layer and its bytes added to the row its labels name.
#include "passes/size.h"
#include "formats/formats.h"
#include "model/library.h"
#include "model/symbols.h"
#include "support/diagnostics.h"

#include "llvm/BinaryFormat/Magic.h"
#include "llvm/Support/Parallel.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace slimlink {

static const char *const viewNames[] = {
    "sections", "segments",     "symbols",   "crates",
    "members",  "compileunits", "inputfiles"};

std::optional<SizeView> parseSizeView(llvm::StringRef name) {
  for (size_t i = 0; i < std::size(viewNames); ++i)
    if (name == viewNames[i])
      return SizeView(i);
  return std::nullopt;
}
const char *sizeViewName(SizeView v) { return viewNames[size_t(v)]; }

// ---------------------------------------------------------------- loading

static std::string nonObjectLabel(const Member &m) {
  if (m.kind == MemberKind::Bitcode)
    return "[bitcode]";
  if (llvm::StringRef(m.name).ends_with(".rmeta"))
    return "[rust metadata]";
  return "[non-object member]";
}

SizeFile loadSizeFile(const std::string &path, bool withUnits) {
  SizeFile f;
  f.path = path;
  auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!buf)
    throw InputError(path, "cannot open: " + buf.getError().message());
  llvm::StringRef data = (*buf)->getBuffer();
  f.size = data.size();
  llvm::file_magic magic = llvm::identify_magic(data);

  if (magic != llvm::file_magic::archive) {
    if (!data.starts_with("\x7f" "ELF"))
      throw InputError(path, "not an ELF file or an archive (no \\x7fELF or "
                             "!<arch> signature at offset 0x0)");
    f.buffer = std::move(*buf);
    SizeImage img;
    img.size = f.size;
    if (std::string err = readElfLayout(data, withUnits, img.layout);
        !err.empty())
      throw InputError(path, err);
    f.images.push_back(std::move(img));
    return f;
  }

  // Archives: the shared reader validates every member's extent.
  f.archive = true;
  InputSet in = readLibraries({path}, {.progress = false});
  Library &lib = in.libs[0];
  const char *start = lib.file->getBufferStart();
  f.headers.push_back({"[archive headers]", {0, 8}, {}}); // "!<arch>\n"
  f.images.resize(lib.members.size());
  std::vector<std::string> errors(lib.members.size());
  llvm::parallelFor(0, lib.members.size(), [&](size_t i) {
    const Member &m = lib.members[i];
    SizeImage &img = f.images[i];
    img.member = m.name;
    img.memberCrate = crateOfMember(m.name);
    img.base = m.data.data() - start;
    img.size = m.data.size();
    if (m.kind != MemberKind::Object || m.target.format != llvm::Triple::ELF)
      img.nonObject = nonObjectLabel(m);
    else
      errors[i] = readElfLayout(m.data, withUnits, img.layout);
  });
  for (size_t i = 0; i < errors.size(); ++i)
    if (!errors[i].empty())
      throw InputError(path, lib.members[i].name, lib.members[i].offset,
                       errors[i]);
  for (const Member &m : lib.members) {
    uint64_t dataStart = m.data.data() - start;
    f.headers.push_back(
        {"[archive headers]", {m.offset, dataStart - m.offset}, {}});
  }
  f.buffer = std::move(lib.file);
  return f;
}

// ---------------------------------------------------------------- layers

namespace {

constexpr uint32_t None = UINT32_MAX;

struct Iv {
  uint64_t start, end;
  uint32_t label;
};

// Sorts and clips so that no two intervals overlap: the earlier (the longer
// at the same start) keeps the bytes.
std::vector<Iv> disjoint(std::vector<Iv> v) {
  std::sort(v.begin(), v.end(), [](const Iv &a, const Iv &b) {
    if (a.start != b.start)
      return a.start < b.start;
    if (a.end != b.end)
      return a.end > b.end;
    return a.label < b.label;
  });
  std::vector<Iv> out;
  uint64_t covered = 0;
  for (Iv iv : v) {
    iv.start = std::max(iv.start, covered);
    if (iv.end <= iv.start)
      continue;
    out.push_back(iv);
    covered = iv.end;
  }
  return out;
}

// Walks a disjoint layer with monotonically increasing positions.
struct Cursor {
  const std::vector<Iv> &ivs;
  size_t i = 0;
  uint32_t at(uint64_t x) {
    while (i < ivs.size() && ivs[i].end <= x)
      ++i;
    return i < ivs.size() && ivs[i].start <= x ? ivs[i].label : None;
  }
};

enum Layer { LSection, LSegment, LSymbol, LUnit, NumLayers };

struct Space {
  std::vector<Iv> layers[NumLayers];
  std::vector<Iv> domain; // the bytes to account for
};

using LabelKey = std::array<uint32_t, NumLayers>;
struct LabelKeyHash {
  size_t operator()(const LabelKey &k) const {
    size_t h = 0;
    for (uint32_t x : k)
      h = h * 1000003u ^ x;
    return h;
  }
};
using AtomSums = std::unordered_map<LabelKey, uint64_t, LabelKeyHash>;

// Cuts the space at every boundary and adds each atom's size to its labels.
AtomSums sweep(Space &s) {
  for (auto &l : s.layers)
    l = disjoint(std::move(l));
  s.domain = disjoint(std::move(s.domain));
  std::vector<uint64_t> cuts;
  for (auto *l : {&s.layers[0], &s.layers[1], &s.layers[2], &s.layers[3],
                  &s.domain})
    for (const Iv &iv : *l) {
      cuts.push_back(iv.start);
      cuts.push_back(iv.end);
    }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  Cursor dom{s.domain};
  std::vector<Cursor> cur;
  for (auto &l : s.layers)
    cur.push_back(Cursor{l});
  AtomSums sums;
  for (size_t k = 0; k + 1 < cuts.size(); ++k) {
    uint64_t a = cuts[k], b = cuts[k + 1];
    if (dom.at(a) == None)
      continue;
    LabelKey key;
    for (int l = 0; l < NumLayers; ++l)
      key[l] = cur[l].at(a);
    sums[key] += b - a;
  }
  return sums;
}

// VM range -> file ranges, through the sections that hold it.
template <class F>
void vmToFile(const std::vector<uint32_t> &byVm, const Layout &l, Extent vm,
              F each) {
  auto it = std::upper_bound(byVm.begin(), byVm.end(), vm.start,
                             [&](uint64_t a, uint32_t s) {
                               return a < l.sections[s].vm.start;
                             });
  if (it != byVm.begin())
    --it;
  for (; it != byVm.end() && l.sections[*it].vm.start < vm.end(); ++it) {
    const LayoutSection &s = l.sections[*it];
    if (s.file.empty() || s.file.size != s.vm.size)
      continue;
    uint64_t a = std::max(vm.start, s.vm.start);
    uint64_t b = std::min(vm.end(), s.vm.end());
    if (a < b)
      each(Extent{s.file.start + (a - s.vm.start), b - a});
  }
}

bool bracketed(llvm::StringRef s) { return s.starts_with("["); }

// Objects built with -ffunction-sections (all of Rust's) have a section per
// function: ".text._ZN3foo3barE". Per-function sections are the symbols
// view's job; the sections view groups them under the output section a
// linker would put them in.
std::string sectionGroup(llvm::StringRef name) {
  static const char *const groups[] = {
      ".rela.data.rel.ro", ".rela.gcc_except_table", ".rela.text",
      ".rela.rodata", ".rela.tdata", ".rela.data", ".data.rel.ro",
      ".gcc_except_table", ".text", ".rodata", ".tdata", ".tbss", ".data",
      ".bss", ".ldata", ".lrodata", ".lbss"};
  for (llvm::StringRef g : groups)
    if (name.starts_with(g) && name.size() > g.size() && name[g.size()] == '.')
      return g.str();
  return name.str();
}

// The crates view's row for bytes no symbol claims, outside archives.
std::string crateOfSection(llvm::StringRef sec) {
  if (bracketed(sec))
    return sec.str();
  if (sec.starts_with(".debug") || sec.starts_with(".zdebug"))
    return "[debug info]";
  if (sec == ".symtab" || sec == ".strtab" || sec == ".dynsym" ||
      sec == ".dynstr" || sec == ".gnu.hash" || sec == ".hash" ||
      sec == ".shstrtab" || sec.starts_with(".gnu.version"))
    return "[symbol tables]";
  if (sec.starts_with(".rela") || sec.starts_with(".rel."))
    return "[relocations]";
  if (sec.starts_with(".eh_frame") || sec == ".gcc_except_table")
    return "[unwind info]";
  return "[section " + sec.str() + "]";
}

// compiler_builtins' C-ABI intrinsics (__udivti3, __floatsidf, __muloti4):
// unmangled, so only their shape says where they come from.
bool looksLikeIntrinsic(llvm::StringRef n) {
  if (!n.consume_front("__") || n.size() < 3)
    return false;
  char last = n.back();
  if (last < '2' || last > '4')
    return false;
  return llvm::all_of(n.drop_back(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// Rows keyed by the chosen views' labels, joined.
using RowSums = std::map<std::vector<std::string>, std::pair<uint64_t, uint64_t>>;

struct ImageLabels {
  std::vector<std::string> sections, segments;
  std::vector<uint32_t> symbolOf; // layer label -> symbol index
  std::vector<std::string> units;
};

// One image: both spaces swept, the atoms' label indices turned into the
// views' row names.
void attributeImage(const SizeFile &file, const SizeImage &img,
                    const std::vector<SizeView> &views, RowSums &rows) {
  const Layout &l = img.layout;
  bool inArchive = file.archive;

  auto fixed = [&](const std::string &label) {
    std::vector<std::string> key;
    for (SizeView v : views)
      key.push_back(v == SizeView::InputFiles ? file.path
                    : v == SizeView::Members  ? img.member
                                              : label);
    return key;
  };
  if (!img.nonObject.empty()) {
    rows[fixed(img.nonObject)].second += img.size;
    return;
  }

  ImageLabels names;
  Space fs, vs;
  // Sections and format headers.
  for (const LayoutHeader &h : l.headers) {
    uint32_t id = names.sections.size();
    names.sections.push_back(h.name);
    fs.layers[LSection].push_back({h.file.start, h.file.end(), id});
    if (!h.vm.empty())
      vs.layers[LSection].push_back({h.vm.start, h.vm.end(), id});
  }
  std::vector<uint32_t> sectionLabel(l.sections.size());
  std::vector<uint32_t> byVm;
  for (uint32_t i = 0; i < l.sections.size(); ++i) {
    const LayoutSection &s = l.sections[i];
    sectionLabel[i] = names.sections.size();
    names.sections.push_back(l.relocatable ? sectionGroup(s.name) : s.name);
    if (!s.file.empty())
      fs.layers[LSection].push_back({s.file.start, s.file.end(), sectionLabel[i]});
    if (!s.vm.empty()) {
      vs.layers[LSection].push_back({s.vm.start, s.vm.end(), sectionLabel[i]});
      byVm.push_back(i);
    }
  }
  std::sort(byVm.begin(), byVm.end(), [&](uint32_t a, uint32_t b) {
    return l.sections[a].vm.start < l.sections[b].vm.start;
  });
  // Loaded segments; they are also the VM space of a linked file.
  for (const LayoutSegment &s : l.segments) {
    uint32_t id = names.segments.size();
    names.segments.push_back(s.name);
    fs.layers[LSegment].push_back({s.file.start, s.file.end(), id});
    vs.layers[LSegment].push_back({s.vm.start, s.vm.end(), id});
    vs.domain.push_back({s.vm.start, s.vm.end(), 0});
  }
  if (l.segments.empty())
    for (uint32_t i : byVm)
      vs.domain.push_back({l.sections[i].vm.start, l.sections[i].vm.end(), 0});
  fs.domain.push_back({0, img.size, 0});

  bool wantSymbols = false, wantUnits = false;
  for (SizeView v : views) {
    wantSymbols |= v == SizeView::Symbols || v == SizeView::Crates;
    wantUnits |= v == SizeView::CompileUnits;
  }
  if (wantSymbols)
    for (uint32_t i = 0; i < l.symbols.size(); ++i) {
      const LayoutSymbol &sym = l.symbols[i];
      const LayoutSection &sec = l.sections[sym.section];
      if (sec.vm.empty())
        continue;
      uint64_t a = std::max(sym.addr, sec.vm.start);
      uint64_t b = std::min(sym.addr + sym.size, sec.vm.end());
      if (a >= b)
        continue;
      vs.layers[LSymbol].push_back({a, b, i});
      vmToFile(byVm, l, {a, b - a}, [&](Extent f) {
        fs.layers[LSymbol].push_back({f.start, f.end(), i});
      });
    }
  if (wantUnits)
    for (uint32_t u = 0; u < l.units.size(); ++u) {
      names.units.push_back(l.units[u].name);
      for (Extent e : l.units[u].vm) {
        vs.layers[LUnit].push_back({e.start, e.end(), u});
        vmToFile(byVm, l, e, [&](Extent f) {
          fs.layers[LUnit].push_back({f.start, f.end(), u});
        });
      }
      for (Extent e : l.units[u].file)
        fs.layers[LUnit].push_back({e.start, e.end(), u});
    }

  // Symbols are described (demangled, crate found) once each, lazily.
  std::unordered_map<uint32_t, SymbolInfo> described;
  bool rustImage = false;
  auto describe = [&](uint32_t i) -> const SymbolInfo & {
    auto it = described.find(i);
    if (it == described.end()) {
      it = described.emplace(i, describeSymbol(l.symbols[i].name)).first;
    }
    return it->second;
  };
  // Is this Rust at all? (for the intrinsics rule in the crates view)
  if (wantSymbols)
    rustImage = llvm::any_of(l.symbols, [](const LayoutSymbol &s) {
      return s.name.starts_with("_R") ||
             (s.name.starts_with("_ZN") && s.name.contains("17h"));
    });

  auto labelsOf = [&](const LabelKey &k, bool vmSpace) {
    std::string sec;
    if (k[LSection] != None)
      sec = names.sections[k[LSection]];
    else if (vmSpace || l.relocatable || k[LSegment] != None)
      sec = "[padding]";
    else
      sec = "[unmapped]";
    auto symbolFallback = [&] {
      return bracketed(sec) ? sec : "[section " + sec + "]";
    };
    std::vector<std::string> key;
    for (SizeView v : views) {
      switch (v) {
      case SizeView::Sections:
        key.push_back(sec);
        break;
      case SizeView::Segments:
        key.push_back(k[LSegment] != None ? names.segments[k[LSegment]]
                      : l.relocatable     ? "[relocatable: no segments]"
                      : bracketed(sec)    ? sec
                                          : "[unmapped]");
        break;
      case SizeView::Symbols:
        key.push_back(k[LSymbol] != None ? describe(k[LSymbol]).demangled
                                         : symbolFallback());
        break;
      case SizeView::Crates: {
        std::string c;
        if (k[LSymbol] != None) {
          const SymbolInfo &si = describe(k[LSymbol]);
          if (si.lang == SymbolLang::Rust)
            c = si.crate;
          else if (inArchive)
            c = img.memberCrate;
          else if (si.lang == SymbolLang::Cxx)
            c = "[C++]";
          else if (rustImage && looksLikeIntrinsic(l.symbols[k[LSymbol]].name))
            c = "compiler_builtins";
          else
            c = "[C]";
        } else {
          c = inArchive ? img.memberCrate : crateOfSection(sec);
        }
        key.push_back(std::move(c));
        break;
      }
      case SizeView::Members:
        key.push_back(inArchive ? img.member
                                : llvm::sys::path::filename(file.path).str());
        break;
      case SizeView::CompileUnits:
        key.push_back(k[LUnit] != None      ? names.units[k[LUnit]]
                      : !l.wholeUnit.empty() ? l.wholeUnit
                                             : symbolFallback());
        break;
      case SizeView::InputFiles:
        key.push_back(file.path);
        break;
      }
    }
    return key;
  };

  for (auto &[k, n] : sweep(fs))
    rows[labelsOf(k, false)].second += n;
  for (auto &[k, n] : sweep(vs))
    rows[labelsOf(k, true)].first += n;
}

// Archive bytes outside members: member headers, the index, long names.
void attributeArchive(const SizeFile &f, const std::vector<SizeView> &views,
                      RowSums &rows) {
  std::vector<Iv> taken;
  std::vector<std::string> names;
  for (const LayoutHeader &h : f.headers) {
    taken.push_back({h.file.start, h.file.end(), uint32_t(names.size())});
    names.push_back(h.name);
  }
  uint32_t memberLabel = names.size();
  for (const SizeImage &img : f.images)
    taken.push_back({img.base, img.base + img.size, memberLabel});
  taken = disjoint(std::move(taken));
  auto add = [&](const std::string &label, uint64_t n) {
    std::vector<std::string> key;
    for (SizeView v : views)
      key.push_back(v == SizeView::InputFiles ? f.path : label);
    rows[key].second += n;
  };
  uint64_t at = 0;
  for (const Iv &iv : taken) {
    if (iv.start > at)
      add("[archive index]", iv.start - at);
    if (iv.label != memberLabel)
      add(names[iv.label], iv.end - iv.start);
    at = iv.end;
  }
  if (at < f.size)
    add("[archive index]", f.size - at);
}

bool rowOrder(const SizeRow &a, const SizeRow &b) {
  if (a.file != b.file)
    return a.file > b.file;
  if (a.vm != b.vm)
    return a.vm > b.vm;
  return a.name < b.name;
}

void sortRows(std::vector<SizeRow> &rows) {
  std::sort(rows.begin(), rows.end(), rowOrder);
  for (SizeRow &r : rows)
    sortRows(r.children);
}

} // namespace

SizeResult computeSize(const std::vector<SizeFile> &files,
                       const std::vector<SizeView> &views) {
  SizeResult res;
  res.views = views;
  RowSums sums;
  for (const SizeFile &f : files) {
    res.files.push_back(f.path);
    // Images in parallel, each into its own sums, merged in order.
    std::vector<RowSums> partial(f.images.size());
    llvm::parallelFor(0, f.images.size(), [&](size_t i) {
      attributeImage(f, f.images[i], views, partial[i]);
    });
    for (RowSums &p : partial)
      for (auto &[k, v] : p) {
        sums[k].first += v.first;
        sums[k].second += v.second;
      }
    if (f.archive)
      attributeArchive(f, views, sums);
  }
  // Nest: one level per view.
  for (auto &[key, v] : sums) {
    std::vector<SizeRow> *level = &res.rows;
    for (const std::string &name : key) {
      // Rows at one level are few enough for a search from the back (the
      // map's order keeps equal prefixes adjacent).
      if (level->empty() || level->back().name != name)
        level->push_back({name, 0, 0, {}});
      SizeRow &r = level->back();
      r.vm += v.first;
      r.file += v.second;
      level = &r.children;
    }
    res.vm += v.first;
    res.file += v.second;
  }
  sortRows(res.rows);
  return res;
}

// ---------------------------------------------------------------- diff

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
