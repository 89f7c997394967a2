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

// Rows keyed by the chosen views' labels, joined (each label followed by
// kSep). A hash map on one string per row: an ordered map of label vectors
// spent most of its time comparing long symbol names with long common
// prefixes, and every allocation per row costs at this scale (a million
// symbols).
constexpr char kSep = '\x1f';
struct RowSum {
  uint64_t vm = 0, file = 0;
};
using RowSums = std::unordered_map<std::string, RowSum>;

// The depth-th label of a joined key.
std::string_view labelAt(const std::string &joined, size_t depth) {
  size_t start = 0;
  for (size_t d = 0; d < depth; ++d)
    start = joined.find(kSep, start) + 1;
  return std::string_view(joined).substr(start, joined.find(kSep, start) - start);
}

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
    std::string key;
    for (SizeView v : views)
      key += (v == SizeView::InputFiles ? file.path
              : v == SizeView::Members  ? img.member
                                        : label) + kSep;
    return key;
  };
  if (!img.nonObject.empty()) {
    rows[fixed(img.nonObject)].file += img.size;
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

  // Symbols are described (crate found) once each, lazily.
  std::vector<std::optional<SymbolInfo>> described(wantSymbols ? l.symbols.size() : 0);
  bool rustImage = false;
  auto describe = [&](uint32_t i) -> const SymbolInfo & {
    if (!described[i])
      described[i] = describeSymbol(l.symbols[i].name, /*withText=*/false);
    return *described[i];
  };
  // Is this Rust at all? (for the intrinsics rule in the crates view)
  if (wantSymbols)
    rustImage = llvm::any_of(l.symbols, [](const LayoutSymbol &s) {
      return s.name.starts_with("_R") ||
             (s.name.starts_with("_ZN") && s.name.contains("17h"));
    });

  auto labelsOf = [&](const LabelKey &k, bool vmSpace, std::string &out) {
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
    auto push = [&](const std::string &label) {
      out += label;
      out += kSep;
    };
    for (SizeView v : views) {
      switch (v) {
      case SizeView::Sections:
        push(sec);
        break;
      case SizeView::Segments:
        push(k[LSegment] != None ? names.segments[k[LSegment]]
                      : l.relocatable     ? "[relocatable: no segments]"
                      : bracketed(sec)    ? sec
                                          : "[unmapped]");
        break;
      case SizeView::Symbols:
        push(k[LSymbol] != None ? l.symbols[k[LSymbol]].name.str()
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
        push(std::move(c));
        break;
      }
      case SizeView::Members:
        push(inArchive ? img.member
                                : llvm::sys::path::filename(file.path).str());
        break;
      case SizeView::CompileUnits:
        push(k[LUnit] != None      ? names.units[k[LUnit]]
                      : !l.wholeUnit.empty() ? l.wholeUnit
                                             : symbolFallback());
        break;
      case SizeView::InputFiles:
        push(file.path);
        break;
      }
    }
  };

  // The two spaces' atoms share most label keys; name each key once.
  // (Only an atom without a section is labelled differently by space.)
  std::unordered_map<LabelKey, std::pair<uint64_t, uint64_t>, LabelKeyHash>
      both;
  auto spaceKey = [](LabelKey k, bool vmSpace) {
    if (vmSpace && k[LSection] == None)
      k[LSection] = None - 1; // stands for "no section, VM space"
    return k;
  };
  for (auto &[k, n] : sweep(fs))
    both[spaceKey(k, false)].second += n;
  for (auto &[k, n] : sweep(vs))
    both[spaceKey(k, true)].first += n;
  for (auto &[k, n] : both) {
    bool vmSpace = k[LSection] == None - 1;
    LabelKey key = k;
    if (vmSpace)
      key[LSection] = None;
    std::string joined;
    labelsOf(key, vmSpace, joined);
    RowSum &r = rows[joined];
    r.vm += n.first;
    r.file += n.second;
  }
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
    std::string key;
    for (SizeView v : views)
      key += (v == SizeView::InputFiles ? f.path : label) + kSep;
    rows[key].file += n;
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

// Nests the rows, one level per view.
using KeyedSum = std::pair<const std::string, RowSum>;
static void nest(const std::vector<const KeyedSum *> &sums, size_t depth,
                 const std::vector<SizeView> &views, std::vector<SizeRow> &out) {
  bool symbol = views[depth] == SizeView::Symbols;
  if (depth + 1 == views.size()) { // full keys are unique: so is the last label
    out.reserve(sums.size());
    for (const KeyedSum *s : sums)
      out.push_back({std::string(labelAt(s->first, depth)), s->second.vm,
                     s->second.file, {}, symbol});
    return;
  }
  std::unordered_map<std::string_view, size_t> index;
  std::vector<std::vector<const KeyedSum *>> groups;
  for (const KeyedSum *s : sums) {
    std::string_view name = labelAt(s->first, depth);
    auto [it, added] = index.try_emplace(name, out.size());
    if (added) {
      out.push_back({std::string(name), 0, 0, {}, symbol});
      groups.emplace_back();
    }
    out[it->second].vm += s->second.vm;
    out[it->second].file += s->second.file;
    groups[it->second].push_back(s);
  }
  for (size_t i = 0; i < out.size(); ++i)
    nest(groups[i], depth + 1, views, out[i].children);
}

SizeResult computeSize(const std::vector<SizeFile> &files,
                       const std::vector<SizeView> &views) {
  SizeResult res;
  res.views = views;
  RowSums sums;
  for (const SizeFile &f : files) {
    res.files.push_back(f.path);
    // Images in parallel, each into its own sums, then merged (a single
    // image, the usual binary, straight into the totals).
    if (f.images.size() == 1) {
      attributeImage(f, f.images[0], views, sums);
    } else {
      std::vector<RowSums> partial(f.images.size());
      llvm::parallelFor(0, f.images.size(), [&](size_t i) {
        attributeImage(f, f.images[i], views, partial[i]);
      });
      for (RowSums &p : partial)
        for (auto &[joined, v] : p) {
          RowSum &r = sums[joined];
          r.vm += v.vm;
          r.file += v.file;
        }
    }
    if (f.archive)
      attributeArchive(f, views, sums);
  }
  std::vector<const KeyedSum *> all;
  all.reserve(sums.size());
  for (const KeyedSum &kv : sums) {
    all.push_back(&kv);
    res.vm += kv.second.vm;
    res.file += kv.second.file;
  }
  if (!views.empty())
    nest(all, 0, views, res.rows);
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
