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
#include "model/symbols.h"
#include "support/diagnostics.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/Parallel.h"
#include "llvm/Support/Path.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Allocator.h"

#include <cstring>
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <array>
#include <exception>
#include <mutex>

namespace slimlink {

static const char *const viewNames[] = {
    "sections", "segments",     "symbols",   "crates",
    "members",  "compileunits", "inputfiles", "rawsymbols",
    "shortsymbols", "fullsymbols", "inlines"};

std::optional<SizeView> parseSizeView(llvm::StringRef name) {
  for (size_t i = 0; i < std::size(viewNames); ++i)
    if (name == viewNames[i])
      return SizeView(i);
  return std::nullopt;
}
const char *sizeViewName(SizeView v) { return viewNames[size_t(v)]; }
bool isSymbolView(SizeView v) {
  return v == SizeView::Symbols || v == SizeView::RawSymbols ||
         v == SizeView::ShortSymbols || v == SizeView::FullSymbols;
}


namespace {

constexpr uint32_t None = UINT32_MAX;

struct Iv {
  uint64_t start, end;
  uint32_t label;
};

// Sorts and clips so that no two intervals overlap: the earlier (the longer
// at the same start) keeps the bytes.
bool ivOrder(const Iv &a, const Iv &b) {
  if (a.start != b.start)
    return a.start < b.start;
  if (a.end != b.end)
    return a.end > b.end;
  return a.label < b.label;
}

void disjoint(std::vector<Iv> &v) {
  // Symbols come in address order already (attributeImage sorts them once
  // for both spaces).
  if (!std::is_sorted(v.begin(), v.end(), ivOrder))
    std::sort(v.begin(), v.end(), ivOrder);
  // In place: a layer of a big file's source lines is millions long.
  size_t n = 0;
  uint64_t covered = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    Iv iv = v[i];
    iv.start = std::max(iv.start, covered);
    if (iv.end <= iv.start)
      continue;
    v[n++] = iv;
    covered = iv.end;
  }
  v.resize(n);
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

enum Layer { LSection, LSegment, LSymbol, LUnit, LLine, NumLayers };

struct Space {
  std::vector<Iv> layers[NumLayers];
  std::vector<Iv> domain; // the bytes to account for
};

using LabelKey = std::array<uint32_t, NumLayers>;
struct Atom {
  LabelKey key;
  bool vm = false; // of the VM space, else of the file's
  uint64_t size = 0;
};

// Sizes by labels, for llvm::DenseMap. No layer has an id this high (the
// section layer's None - 1 is the highest real one).
struct LabelKeyInfo {
  static LabelKey special(uint32_t v) {
    LabelKey k;
    k.fill(0);
    k[LSection] = v;
    return k;
  }
  static LabelKey getEmptyKey() { return special(None - 2); }
  static LabelKey getTombstoneKey() { return special(None - 3); }
  static unsigned getHashValue(const LabelKey &k) {
    uint64_t h = 0;
    for (uint32_t x : k)
      h = (h ^ x) * 0x9E3779B97F4A7C15ull;
    return unsigned(h >> 32);
  }
  static bool isEqual(const LabelKey &a, const LabelKey &b) { return a == b; }
};
struct AtomSum {
  uint64_t vm = 0, file = 0;
};
using LabelSums = llvm::DenseMap<LabelKey, AtomSum, LabelKeyInfo>;

// Cuts the space at every boundary of every layer and hands each atom's
// labels and size to `emit(key, size)`; neighbours with the same labels
// are merged first.
template <class Emit> void sweep(Space &s, bool vmSpace, Emit emit) {
  for (auto &l : s.layers)
    disjoint(l);
  disjoint(s.domain);
  // Every layer is sorted and disjoint, so its boundaries (start, end,
  // start, ...) are sorted: the next cut is the least of the layers' next
  // ones, and no list of all the cuts is made.
  std::vector<const std::vector<Iv> *> all; // the layers with intervals
  for (auto &l : s.layers)
    if (!l.empty())
      all.push_back(&l);
  all.push_back(&s.domain);
  std::vector<size_t> next(all.size(), 0); // boundary index per layer
  constexpr uint64_t End = UINT64_MAX;
  auto boundary = [&](size_t l) {
    const std::vector<Iv> &ivs = *all[l];
    if (next[l] / 2 >= ivs.size())
      return End;
    const Iv &iv = ivs[next[l] / 2];
    return next[l] % 2 ? iv.end : iv.start;
  };
  auto least = [&] {
    uint64_t x = End;
    for (size_t l = 0; l < all.size(); ++l)
      x = std::min(x, boundary(l));
    return x;
  };
  Cursor dom{s.domain};
  std::vector<Cursor> cur;
  for (auto &l : s.layers)
    cur.push_back(Cursor{l});
  bool pending = false;
  LabelKey pendingKey{};
  uint64_t pendingSize = 0;
  for (uint64_t a = least(); a != End;) {
    for (size_t l = 0; l < all.size(); ++l)
      while (boundary(l) == a)
        ++next[l];
    uint64_t b = least();
    if (b == End)
      break;
    if (dom.at(a) != None) {
      LabelKey key;
      for (int l = 0; l < NumLayers; ++l)
        key[l] = cur[l].at(a);
      // Only an atom without a section is labelled differently by space.
      if (vmSpace && key[LSection] == None)
        key[LSection] = None - 1; // "no section, VM space"
      if (pending && key == pendingKey) {
        pendingSize += b - a;
      } else {
        if (pending)
          emit(pendingKey, pendingSize);
        pending = true;
        pendingKey = key;
        pendingSize = b - a;
      }
    }
    a = b;
  }
  if (pending)
    emit(pendingKey, pendingSize);
}

// At most how many atoms a sweep of `s` makes: one between two successive
// boundaries, and an interval has two.
size_t atomBound(const Space &s) {
  size_t n = s.domain.size();
  for (const std::vector<Iv> &l : s.layers)
    n += l.size();
  return 2 * n + 1;
}

// The order that puts atoms with equal labels next to each other: a
// counting sort on the symbol (most atoms have one, and a symbol has about
// two: its file and VM bytes), then a sort of each symbol's few atoms. Of
// indices, not copies of the atoms: a big file has millions, and on some
// machines each page of memory first touched costs more than the sort.
std::vector<uint32_t> groupAtoms(const std::vector<Atom> &atoms,
                                 size_t nsymbols) {
  auto bucket = [&](const Atom &a) -> size_t {
    return a.key[LSymbol] < nsymbols ? a.key[LSymbol] : nsymbols;
  };
  std::vector<uint32_t> start(nsymbols + 2, 0);
  for (const Atom &a : atoms)
    ++start[bucket(a) + 1];
  for (size_t b = 1; b < start.size(); ++b)
    start[b] += start[b - 1];
  std::vector<uint32_t> order(atoms.size());
  std::vector<uint32_t> next(start.begin(), start.end() - 1);
  for (uint32_t i = 0; i < atoms.size(); ++i)
    order[next[bucket(atoms[i])]++] = i;
  for (size_t b = 0; b < nsymbols; ++b)
    if (start[b + 1] - start[b] > 1)
      std::sort(order.begin() + start[b], order.begin() + start[b + 1],
                [&](uint32_t x, uint32_t y) {
                  return atoms[x].key < atoms[y].key;
                });
  // The atoms of no symbol (the gaps between symbols: as many, with few
  // distinct labels) by a counting sort on their labels' rank, not a
  // comparison sort of them all.
  llvm::MutableArrayRef<uint32_t> gaps(order.data() + start[nsymbols],
                                       start[nsymbols + 1] - start[nsymbols]);
  llvm::DenseMap<LabelKey, uint32_t, LabelKeyInfo> idOf;
  std::vector<LabelKey> distinct;
  std::vector<uint32_t> idOfGap(gaps.size());
  for (size_t k = 0; k < gaps.size(); ++k) {
    auto [it, added] = idOf.try_emplace(atoms[gaps[k]].key, distinct.size());
    if (added)
      distinct.push_back(atoms[gaps[k]].key);
    idOfGap[k] = it->second;
  }
  std::vector<uint32_t> byLabel(distinct.size()), rank(distinct.size());
  for (uint32_t d = 0; d < distinct.size(); ++d)
    byLabel[d] = d;
  std::sort(byLabel.begin(), byLabel.end(),
            [&](uint32_t x, uint32_t y) { return distinct[x] < distinct[y]; });
  for (uint32_t r = 0; r < byLabel.size(); ++r)
    rank[byLabel[r]] = r;
  std::vector<uint32_t> at(distinct.size() + 1, 0);
  for (uint32_t id : idOfGap)
    ++at[rank[id] + 1];
  for (size_t r = 1; r < at.size(); ++r)
    at[r] += at[r - 1];
  std::vector<uint32_t> sorted(gaps.size());
  for (size_t k = 0; k < gaps.size(); ++k)
    sorted[at[rank[idOfGap[k]]]++] = gaps[k];
  std::copy(sorted.begin(), sorted.end(), gaps.begin());
  return order;
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
    // A PE section's file bytes (padded to FileAlignment) and memory
    // (VirtualSize, zero-filled past the file bytes) differ in size: what
    // both have maps. (ELF and Mach-O sections have one size or no bytes.)
    uint64_t both = std::min(s.file.size, s.vm.size);
    uint64_t a = std::max(vm.start, s.vm.start);
    uint64_t b = std::min(vm.end(), s.vm.start + both);
    if (a < b)
      each(Extent{s.file.start + (a - s.vm.start), b - a});
  }
}

bool bracketed(llvm::StringRef s) { return s.starts_with("["); }



// An arena for label strings. Not ArenaSaver: its save() is compiled
// into libLLVM while the arena's Allocate() is inlined here, and under ASan
// (our code instrumented, libLLVM not) the two disagree about which arena
// bytes are poisoned. Keeping every arena access inline keeps them in step.
class ArenaSaver {
public:
  explicit ArenaSaver(llvm::BumpPtrAllocator &alloc) : alloc(alloc) {}
  llvm::BumpPtrAllocator &getAllocator() { return alloc; }
  llvm::StringRef save(llvm::StringRef s) {
    char *p = alloc.Allocate<char>(s.size() + 1);
    if (!s.empty())
      memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return llvm::StringRef(p, s.size());
  }
  llvm::StringRef save(const std::string &s) { return save(llvm::StringRef(s)); }
  llvm::StringRef save(const char *s) { return save(llvm::StringRef(s)); }
  llvm::StringRef save(const llvm::Twine &t) {
    llvm::SmallString<128> buf;
    return save(t.toStringRef(buf));
  }

private:
  llvm::BumpPtrAllocator &alloc;
};

// Rows keyed by the chosen views' labels: references to strings that live
// as long as the computation (symbol and section names in the mapped file,
// the rest in a per-image arena). Building a std::string key per row
// and freeing them all again was most of the run on a big binary. The key
// itself is small (the labels are in the arena too) and carries its hash, so
// that probes of the map rarely read a label.
struct RowKey {
  const llvm::StringRef *l = nullptr; // one label per view
  uint32_t n = 0;
  uint64_t hash = 0;
};
RowKey makeKey(llvm::ArrayRef<llvm::StringRef> labels, ArenaSaver &saver) {
  RowKey k;
  auto *l = saver.getAllocator().Allocate<llvm::StringRef>(labels.size());
  std::copy(labels.begin(), labels.end(), l);
  k.l = l;
  k.n = labels.size();
  for (llvm::StringRef s : labels)
    k.hash = (k.hash ^ llvm::xxh3_64bits(s)) * 0x9E3779B97F4A7C15ull + s.size();
  return k;
}
// For llvm::DenseMap (open addressing: no allocation per row).
struct RowKeyInfo {
  static RowKey special(uintptr_t p) {
    RowKey k;
    k.l = reinterpret_cast<const llvm::StringRef *>(p);
    return k;
  }
  static RowKey getEmptyKey() { return special(~uintptr_t(0)); }
  static RowKey getTombstoneKey() { return special(~uintptr_t(1)); }
  static unsigned getHashValue(const RowKey &k) {
    return unsigned(k.hash ^ (k.hash >> 32));
  }
  // Called for every bucket a probe passes, with the empty and tombstone
  // keys too: the cheap tests first.
  static bool isEqual(const RowKey &a, const RowKey &b) {
    if (a.l == b.l)
      return true;
    if (a.hash != b.hash || a.n != b.n)
      return false;
    // The special keys' pointers must not be followed.
    for (const RowKey *k : {&a, &b})
      if (k->l == getEmptyKey().l || k->l == getTombstoneKey().l)
        return false;
    return std::equal(a.l, a.l + a.n, b.l);
  }
};
struct RowSum {
  uint64_t vm = 0, file = 0;
};
using RowSums = llvm::DenseMap<RowKey, RowSum, RowKeyInfo>;

// The names behind a Space's label ids.
struct ImageLabels {
  std::vector<llvm::StringRef> sections, segments, units, lines;
  std::vector<SectionRole> roles; // per entry of `sections`
};

struct ImageSpaces {
  Space fs, vs; // file and VM space
  ImageLabels names;
};

// The inlines view's layer: source lines' code ranges, cut to the code
// sections (a line table may name code the linker dropped, at address 0 or
// wherever its tombstone points), in both spaces.
void addLines(const Layout &l, const std::vector<uint32_t> &byVm,
              ImageSpaces &sp) {
  for (const std::string &n : l.lines.names)
    sp.names.lines.push_back(n);
  std::vector<Extent> code; // in address order, as byVm
  for (uint32_t i : byVm)
    if (l.sections[i].code)
      code.push_back(l.sections[i].vm);
  std::vector<Iv> inCode;
  inCode.reserve(l.lines.ranges.size());
  for (const LayoutLineRange &r : l.lines.ranges) {
    auto it = std::upper_bound(code.begin(), code.end(), r.start,
                               [](uint64_t a, Extent e) { return a < e.start; });
    if (it != code.begin())
      --it;
    for (; it != code.end() && it->start < r.end; ++it) {
      uint64_t a = std::max(r.start, it->start), b = std::min(r.end, it->end());
      if (a < b)
        inCode.push_back({a, b, r.line});
    }
  }
  sp.fs.layers[LLine].reserve(inCode.size());
  for (const Iv &iv : inCode)
    vmToFile(byVm, l, {iv.start, iv.end - iv.start}, [&](Extent f) {
      sp.fs.layers[LLine].push_back({f.start, f.end(), iv.label});
    });
  sp.vs.layers[LLine] = std::move(inCode);
}

// An image's layers in both spaces: sections and headers, loaded segments,
// and (if the views need them) symbols and compile units, which have VM
// addresses and are mapped to file offsets through their sections.
ImageSpaces buildSpaces(const SizeImage &img, bool wantSymbols, bool wantUnits,
                        bool wantLines, ArenaSaver &saver) {
  const Layout &l = img.layout;
  ImageSpaces sp;
  Space &fs = sp.fs, &vs = sp.vs;
  ImageLabels &names = sp.names;
  for (const LayoutHeader &h : l.headers) {
    uint32_t id = names.sections.size();
    names.sections.push_back(h.name);
    names.roles.push_back(SectionRole::Other);
    fs.layers[LSection].push_back({h.file.start, h.file.end(), id});
    if (!h.vm.empty())
      vs.layers[LSection].push_back({h.vm.start, h.vm.end(), id});
  }
  std::vector<uint32_t> byVm; // allocated sections, by address
  for (uint32_t i = 0; i < l.sections.size(); ++i) {
    const LayoutSection &s = l.sections[i];
    uint32_t id = names.sections.size();
    names.sections.push_back(s.group());
    names.roles.push_back(s.role);
    if (!s.file.empty())
      fs.layers[LSection].push_back({s.file.start, s.file.end(), id});
    if (!s.vm.empty()) {
      vs.layers[LSection].push_back({s.vm.start, s.vm.end(), id});
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

  if (wantSymbols) {
    // In address order (the longest first at an address), so that both
    // spaces' symbol layers come out sorted.
    // The sort keys sit beside the indices (not looked up through them):
    // sorting a big file's 100k+ symbols was mostly cache misses.
    struct ByAddr {
      uint64_t addr, size;
      uint32_t i;
    };
    std::vector<ByAddr> order(l.symbols.size());
    for (uint32_t i = 0; i < order.size(); ++i)
      order[i] = {l.symbols[i].addr, l.symbols[i].size, i};
    std::sort(order.begin(), order.end(), [](const ByAddr &a, const ByAddr &b) {
      if (a.addr != b.addr)
        return a.addr < b.addr;
      if (a.size != b.size)
        return a.size > b.size;
      return a.i < b.i;
    });
    fs.layers[LSymbol].reserve(order.size());
    vs.layers[LSymbol].reserve(order.size());
    for (const ByAddr &o : order) {
      uint32_t i = o.i;
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
  if (wantLines)
    addLines(l, byVm, sp);
  return sp;
}

// Turns an atom's label ids into the views' row names.
class Labeler {
public:
  Labeler(const SizeFile &file, const SizeImage &img,
          const std::vector<SizeView> &views, const ImageLabels &names,
          ArenaSaver &saver)
      : file(file), img(img), l(img.layout), views(views), names(names),
        saver(saver) {
    if (!llvm::is_contained(views, SizeView::Crates))
      return;
    described.resize(l.symbols.size());
    // Is this Rust at all? (for crateOfUnmangled)
    rustImage = llvm::any_of(l.symbols, [](const LayoutSymbol &s) {
      return s.name.starts_with("_R") ||
             (s.name.starts_with("_ZN") && s.name.contains("17h"));
    });
    // Every symbol's language and crate, up front, in parallel.
    llvm::parallelFor(0, l.symbols.size(), [&](size_t i) {
      SymbolInfo si = describeSymbol(l.symbols[i].name, /*withText=*/false);
      described[i] = {si.lang, std::move(si.crate)};
    });
  }

  RowKey operator()(const LabelKey &k, bool vmSpace) {
    llvm::StringRef sec = k[LSection] != None ? names.sections[k[LSection]]
                          : vmSpace || l.relocatable || k[LSegment] != None
                              ? "[padding]"
                              : "[unmapped]";
    llvm::SmallVector<llvm::StringRef, 8> key(views.size());
    for (size_t i = 0; i < views.size(); ++i)
      key[i] = label(views[i], k, sec);
    return makeKey(key, saver);
  }

private:
  const SizeFile &file;
  const SizeImage &img;
  const Layout &l;
  const std::vector<SizeView> &views;
  const ImageLabels &names;
  ArenaSaver &saver;
  struct Described {
    SymbolLang lang = SymbolLang::C;
    std::string crate;
  };
  std::vector<Described> described; // per symbol, for the crates view
  bool rustImage = false;
  llvm::DenseMap<llvm::StringRef, llvm::StringRef> crates; // saved once each

  llvm::StringRef intern(llvm::StringRef s) {
    auto it = crates.find(s);
    if (it != crates.end())
      return it->second;
    llvm::StringRef saved = saver.save(s);
    crates.try_emplace(saved, saved);
    return saved;
  }

  // Bytes of a section that no symbol (unit) claims.
  llvm::StringRef unclaimed(llvm::StringRef sec) {
    return bracketed(sec) ? sec : saver.save("[section " + sec + "]");
  }

  llvm::StringRef crate(const LabelKey &k, llvm::StringRef sec) {
    bool inArchive = file.archive;
    if (k[LSymbol] == None) {
      if (inArchive)
        return img.memberCrate;
      SectionRole role =
          k[LSection] != None ? names.roles[k[LSection]] : SectionRole::Other;
      // A format's own tables are bracketed pseudo-sections with a role
      // (Mach-O's "[string table]"): filed by role, as ELF's .strtab is.
      if (bracketed(sec) && role != SectionRole::Other)
        sec = "";
      return saver.save(crateOfSection(sec, role));
    }
    const Described &d = described[k[LSymbol]];
    if (d.lang == SymbolLang::Rust)
      return intern(d.crate);
    if (inArchive)
      return img.memberCrate;
    if (d.lang == SymbolLang::Cxx)
      return "[C++]";
    llvm::StringRef name = l.symbols[k[LSymbol]].name;
    if (rustImage) {
      if (const char *c = crateOfUnmangled(name))
        return c;
      // A PDB names a Rust function no public names (a local one) by its
      // path without the hash ("hello::shapes::twice"). C names have no
      // "::"; a C++ static function linked into a Rust image, named so
      // too, goes to its namespace's name.
      if (std::string c = crateOfPath(name); !c.empty())
        return intern(c);
    }
    // Elsewhere such a name (a PDB's, for a C++ function with no public:
    // "shapes::`anonymous namespace'::twice") is C++'s.
    if (name.contains("::"))
      return "[C++]";
    return "[C]";
  }

  llvm::StringRef label(SizeView v, const LabelKey &k, llvm::StringRef sec) {
    switch (v) {
    case SizeView::Sections:
      return sec;
    case SizeView::Segments:
      return k[LSegment] != None ? names.segments[k[LSegment]]
             : l.relocatable     ? "[relocatable: no segments]"
             : bracketed(sec)    ? sec
                                 : "[unmapped]";
    case SizeView::Symbols:
    case SizeView::RawSymbols:
    case SizeView::ShortSymbols:
    case SizeView::FullSymbols:
      return k[LSymbol] != None ? l.symbols[k[LSymbol]].name : unclaimed(sec);
    case SizeView::Crates:
      return crate(k, sec);
    case SizeView::Members:
      return file.archive ? llvm::StringRef(img.member)
                          : llvm::sys::path::filename(file.path);
    case SizeView::CompileUnits:
      return k[LUnit] != None       ? names.units[k[LUnit]]
             : !l.wholeUnit.empty() ? llvm::StringRef(l.wholeUnit)
                                    : unclaimed(sec);
    case SizeView::InputFiles:
      return file.path;
    case SizeView::Inlines:
      return k[LLine] != None ? names.lines[k[LLine]] : unclaimed(sec);
    }
    return {};
  }
};

// One image: both spaces swept, each distinct set of atom labels named and
// added to the rows.
void attributeImage(const SizeFile &file, const SizeImage &img,
                    const std::vector<SizeView> &views, RowSums &rows,
                    ArenaSaver &saver) {
  if (!img.nonObject.empty()) { // one row, whatever the view
    llvm::SmallVector<llvm::StringRef, 8> key;
    for (SizeView v : views)
      key.push_back(v == SizeView::InputFiles ? llvm::StringRef(file.path)
                    : v == SizeView::Members  ? llvm::StringRef(img.member)
                                              : llvm::StringRef(img.nonObject));
    rows[makeKey(key, saver)].file += img.size;
    return;
  }
  bool wantSymbols = llvm::any_of(views, isSymbolView) ||
                     llvm::is_contained(views, SizeView::Crates);
  bool wantUnits = llvm::is_contained(views, SizeView::CompileUnits);
  bool wantLines = llvm::is_contained(views, SizeView::Inlines);
  ImageSpaces sp = buildSpaces(img, wantSymbols, wantUnits, wantLines, saver);
  Labeler labelsOf(file, img, views, sp.names, saver);

  // The two sweeps are independent: one on each core. Then the atoms of
  // both, grouped by labels, so that each distinct set of labels is named
  // once (the two spaces share most of them).
  auto name = [&](LabelKey key, uint64_t vm, uint64_t fileBytes) {
    bool vmSpace = key[LSection] == None - 1;
    if (vmSpace)
      key[LSection] = None;
    RowSum &r = rows[labelsOf(key, vmSpace)];
    r.vm += vm;
    r.file += fileBytes;
  };
  if (!wantSymbols) {
    // Without symbols, few distinct label sets (sections, units, lines)
    // cover many atoms (a big file's source lines: millions): summed by
    // labels as the sweeps go, no atom kept.
    LabelSums sums[2];
    llvm::parallelFor(0, 2, [&](size_t i) {
      sweep(i ? sp.vs : sp.fs, i == 1, [&](const LabelKey &k, uint64_t n) {
        (i ? sums[i][k].vm : sums[i][k].file) += n;
      });
    });
    for (const LabelSums &space : sums)
      for (const auto &[key, sum] : space)
        name(key, sum.vm, sum.file);
    return;
  }
  // Room for all of both spaces' atoms up front (only what is written is
  // touched): the VM atoms then join the file's without a copy of either.
  std::vector<Atom> atoms, vmAtoms;
  atoms.reserve(atomBound(sp.fs) + atomBound(sp.vs));
  vmAtoms.reserve(atomBound(sp.vs));
  llvm::parallelFor(0, 2, [&](size_t i) {
    std::vector<Atom> &out = i ? vmAtoms : atoms;
    sweep(i ? sp.vs : sp.fs, i == 1, [&](const LabelKey &k, uint64_t n) {
      out.push_back({k, i == 1, n});
    });
  });
  atoms.insert(atoms.end(), vmAtoms.begin(), vmAtoms.end());
  vmAtoms = std::vector<Atom>();
  std::vector<uint32_t> order = groupAtoms(atoms, img.layout.symbols.size());
  for (size_t i = 0; i < order.size();) {
    LabelKey key = atoms[order[i]].key;
    uint64_t vm = 0, fileBytes = 0;
    for (; i < order.size() && atoms[order[i]].key == key; ++i)
      (atoms[order[i]].vm ? vm : fileBytes) += atoms[order[i]].size;
    name(key, vm, fileBytes);
  }
}

// Archive bytes outside members: member headers, the index, long names.
void attributeArchive(const SizeFile &f, const std::vector<SizeView> &views,
                      RowSums &rows, ArenaSaver &saver) {
  std::vector<Iv> taken;
  std::vector<llvm::StringRef> names;
  for (const LayoutHeader &h : f.headers) {
    taken.push_back({h.file.start, h.file.end(), uint32_t(names.size())});
    names.push_back(h.name);
  }
  uint32_t memberLabel = names.size();
  for (const SizeImage &img : f.images)
    taken.push_back({img.base, img.base + img.size, memberLabel});
  disjoint(taken);
  auto add = [&](llvm::StringRef label, uint64_t n) {
    llvm::SmallVector<llvm::StringRef, 8> key;
    for (SizeView v : views)
      key.push_back(v == SizeView::InputFiles ? llvm::StringRef(f.path)
                                              : label);
    rows[makeKey(key, saver)].file += n;
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

} // namespace

// How a symbols view names its rows: its own way, or -C's (`symbols`).
static Demangle modeOf(SizeView v, Demangle symbols) {
  return v == SizeView::RawSymbols     ? Demangle::None
         : v == SizeView::ShortSymbols ? Demangle::Short
         : v == SizeView::FullSymbols  ? Demangle::Full
                                       : symbols;
}

// Nests the rows, one level per view.
using KeyedSum = llvm::detail::DenseMapPair<RowKey, RowSum>;

// Rust legacy names that differ only in their hash (a generic's instances:
// most of a Rust binary's names) read the same, and are named once: for
// each of `n` names, the index of the first name that reads as it does by
// legacyTextKey (its own index if none before, or if it has no such key).
static std::vector<uint32_t>
firstOfSameText(size_t n, llvm::function_ref<llvm::StringRef(size_t)> nameOf) {
  std::vector<uint32_t> keyLength(n);
  llvm::parallelFor(0, n, [&](size_t i) {
    keyLength[i] = legacyTextKey(nameOf(i)).size();
  });
  std::vector<uint32_t> first(n);
  llvm::DenseMap<llvm::StringRef, uint32_t> firstOf;
  for (size_t i = 0; i < n; ++i)
    first[i] = keyLength[i] ? firstOf
                                  .try_emplace(nameOf(i).take_front(keyLength[i]),
                                               uint32_t(i))
                                  .first->second
                            : uint32_t(i);
  return first;
}

// The last level of a symbols view that demangles, its rows named as they
// are made, in parallel (no copy of each mangled name first: a big binary
// has 100k+). A generic's instances make one row first (firstOfSameText),
// named once; rows that still read the same are merged after
// (mergeSameNames).
static void nestNamed(const std::vector<const KeyedSum *> &sums, size_t depth,
                      Demangle mode, std::vector<SizeRow> &out) {
  std::vector<uint32_t> first = firstOfSameText(
      sums.size(), [&](size_t i) { return sums[i]->getFirst().l[depth]; });
  std::vector<llvm::StringRef> mangled; // each row's first sum's name
  mangled.reserve(sums.size());
  out.reserve(sums.size());
  std::vector<uint32_t> rowOf(sums.size()); // of each first sum
  for (size_t i = 0; i < sums.size(); ++i) {
    const RowSum &sum = sums[i]->getSecond();
    if (first[i] != i) {
      SizeRow &row = out[rowOf[first[i]]];
      row.vm += sum.vm;
      row.file += sum.file;
      continue;
    }
    rowOf[i] = out.size();
    out.push_back({std::string(), sum.vm, sum.file, {}, false});
    mangled.push_back(sums[i]->getFirst().l[depth]);
  }
  llvm::parallelFor(0, out.size(), [&](size_t j) {
    out[j].name = symbolName(mangled[j], mode);
  });
}

static void nest(const std::vector<const KeyedSum *> &sums, size_t depth,
                 const std::vector<SizeView> &views, Demangle symbols,
                 std::vector<SizeRow> &out) {
  bool symbol = isSymbolView(views[depth]);
  if (depth + 1 == views.size()) { // full keys are unique: so is the last label
    if (symbol && modeOf(views[depth], symbols) != Demangle::None)
      return nestNamed(sums, depth, modeOf(views[depth], symbols), out);
    out.reserve(sums.size());
    for (const KeyedSum *s : sums)
      out.push_back({s->getFirst().l[depth].str(), s->getSecond().vm,
                     s->getSecond().file, {}, symbol});
    return;
  }
  llvm::DenseMap<llvm::StringRef, size_t> index;
  std::vector<std::vector<const KeyedSum *>> groups;
  for (const KeyedSum *s : sums) {
    llvm::StringRef name = s->getFirst().l[depth];
    auto [it, added] = index.try_emplace(name, out.size());
    if (added) {
      out.push_back({name.str(), 0, 0, {}, symbol});
      groups.emplace_back();
    }
    out[it->second].vm += s->getSecond().vm;
    out[it->second].file += s->getSecond().file;
    groups[it->second].push_back(s);
  }
  for (size_t i = 0; i < out.size(); ++i)
    nest(groups[i], depth + 1, views, symbols, out[i].children);
}

// Adds `rows` to `into`, a row of the same name at one level into one.
static void mergeRows(std::vector<SizeRow> &into, std::vector<SizeRow> rows) {
  // The index refers to `into`'s own names (no copy of each): room for all
  // the rows is made first, so that no name moves while it is indexed.
  into.reserve(into.size() + rows.size());
  llvm::DenseMap<llvm::StringRef, size_t> index;
  index.reserve(into.size() + rows.size());
  for (size_t i = 0; i < into.size(); ++i)
    index.try_emplace(into[i].name, i);
  for (SizeRow &r : rows) {
    auto it = index.find(r.name);
    if (it == index.end()) {
      into.push_back(std::move(r));
      index.try_emplace(into.back().name, into.size() - 1);
      continue;
    }
    SizeRow &d = into[it->second];
    d.vm += r.vm;
    d.file += r.file;
    mergeRows(d.children, std::move(r.children));
  }
}

// A row's name with its hash, worked out beforehand (in parallel).
struct HashedName {
  llvm::StringRef name;
  uint64_t hash = 0;
};
struct HashedNameInfo {
  static HashedName getEmptyKey() {
    return {llvm::DenseMapInfo<llvm::StringRef>::getEmptyKey(), 0};
  }
  static HashedName getTombstoneKey() {
    return {llvm::DenseMapInfo<llvm::StringRef>::getTombstoneKey(), 0};
  }
  static unsigned getHashValue(const HashedName &k) {
    return unsigned(k.hash ^ (k.hash >> 32));
  }
  static bool isEqual(const HashedName &a, const HashedName &b) {
    return a.hash == b.hash &&
           llvm::DenseMapInfo<llvm::StringRef>::isEqual(a.name, b.name);
  }
};

// mergeRows of `rows` into none, in place: a big binary's level has 100k+
// rows, and a second vector of them would double their memory. Each name's
// first row keeps its place among the others and takes in the later ones.
// Rows of one name share their name's hash, so shards by hash merge apart,
// in parallel (one pass over 100k+ rows was mostly cache misses, on one
// thread); the rows left then close up, in their order.
static void mergeSameNamed(std::vector<SizeRow> &rows) {
  std::vector<uint64_t> hashes(rows.size());
  llvm::parallelFor(0, rows.size(), [&](size_t i) {
    hashes[i] = llvm::xxh3_64bits(rows[i].name);
  });
  // Any count of shards makes the same merges: a few rows take one.
  const unsigned shardBits = rows.size() < 8192 ? 0 : 4;
  std::vector<uint8_t> taken(rows.size()); // merged into an earlier row
  llvm::parallelFor(0, size_t(1) << shardBits, [&](size_t shard) {
    llvm::DenseMap<HashedName, size_t, HashedNameInfo> index;
    index.reserve((rows.size() >> shardBits) + 16);
    for (size_t i = 0; i < rows.size(); ++i) {
      if (shardBits && hashes[i] >> (64 - shardBits) != shard)
        continue;
      auto [it, added] = index.try_emplace({rows[i].name, hashes[i]}, i);
      if (added)
        continue;
      SizeRow &d = rows[it->second];
      d.vm += rows[i].vm;
      d.file += rows[i].file;
      mergeRows(d.children, std::move(rows[i].children));
      taken[i] = 1;
    }
  });
  size_t kept = 0; // rows[0, kept) are the merged rows, never moved again
  for (size_t i = 0; i < rows.size(); ++i)
    if (!taken[i]) {
      if (kept != i)
        rows[kept] = std::move(rows[i]);
      ++kept;
    }
  rows.erase(rows.begin() + kept, rows.end());
}

// Names each symbol row as `mode` says; demangleRows then leaves it. A
// generic's instances are made one row first (firstOfSameText), in place
// as mergeSameNamed does, and named once.
static void nameSymbolRows(std::vector<SizeRow> &rows, Demangle mode) {
  if (mode != Demangle::None) {
    std::vector<uint32_t> first =
        firstOfSameText(rows.size(), [&](size_t i) {
          return rows[i].symbol ? llvm::StringRef(rows[i].name)
                                : llvm::StringRef();
        });
    std::vector<uint32_t> at(rows.size()); // where each kept row went
    size_t kept = 0; // rows[0, kept) stay, never moved again
    for (size_t i = 0; i < rows.size(); ++i) {
      if (first[i] != i) {
        SizeRow &d = rows[at[first[i]]];
        d.vm += rows[i].vm;
        d.file += rows[i].file;
        mergeRows(d.children, std::move(rows[i].children));
        continue;
      }
      if (kept != i)
        rows[kept] = std::move(rows[i]);
      at[i] = kept++;
    }
    rows.erase(rows.begin() + kept, rows.end());
    llvm::parallelFor(0, rows.size(), [&](size_t i) {
      if (rows[i].symbol)
        rows[i].name = symbolName(rows[i].name, mode);
    });
  }
  for (SizeRow &r : rows)
    r.symbol = false;
}

// The symbols view's rows are grouped by mangled name, and several can read
// the same once demangled: a generic's instances in several crates (v0:
// "<&str as core::fmt::Debug>::fmt" instantiated by each), legacy names
// that differ only in their hash ("hashbrown::raw::RawTable<T,A>::
// reserve_rehash"). bloaty keys a level's rows by their label, so one name
// is one row there; so here: every symbol row demangled (in parallel), and
// rows of one name merged, their children by name too, at every level.
// `symbols`: how the `symbols` view demangles (-C); the other symbol views
// have their own way.
static void mergeSameNames(std::vector<SizeRow> &rows,
                           const std::vector<SizeView> &views, size_t depth,
                           Demangle symbols) {
  if (depth >= views.size())
    return;
  if (isSymbolView(views[depth])) {
    Demangle mode = modeOf(views[depth], symbols);
    // nest names the last level's rows itself; others are named here.
    if (llvm::any_of(rows, [](const SizeRow &r) { return r.symbol; }))
      nameSymbolRows(rows, mode);
    if (mode != Demangle::None) // mangled names are one row each already
      mergeSameNamed(rows);
  }
  for (SizeRow &r : rows)
    mergeSameNames(r.children, views, depth + 1, symbols);
}

static SizeResult computeRows(llvm::ArrayRef<const SizeFile *> files,
                              const std::vector<SizeView> &views,
                              Demangle symbols);

// A universal file: a row per slice with the slice's own rows inside, and
// the fat header and the alignment padding between slices beside them.
static void addUniversal(const SizeFile &f, const std::vector<SizeView> &views,
                         Demangle symbols, SizeResult &res) {
  std::vector<SizeRow> rows;
  std::vector<Extent> taken;
  for (const LayoutHeader &h : f.headers) {
    rows.push_back({h.name, 0, h.file.size, {}, false});
    taken.push_back(h.file);
  }
  for (const SizeFile &s : f.slices) {
    SizeResult sub = computeRows({&s}, views, symbols);
    for (SizeResult::Stripped &p : sub.stripped) {
      p.path += " (" + s.arch + ")";
      res.stripped.push_back(std::move(p));
    }
    rows.push_back({"[slice " + s.arch + "]", sub.vm, sub.file,
                    std::move(sub.rows), false});
    taken.push_back({s.offset, s.size});
  }
  // readFatSlices has checked that slices do not overlap.
  std::sort(taken.begin(), taken.end(),
            [](Extent a, Extent b) { return a.start < b.start; });
  uint64_t at = 0, padding = 0;
  for (Extent e : taken) {
    padding += e.start > at ? e.start - at : 0;
    at = std::max(at, e.end());
  }
  padding += f.size > at ? f.size - at : 0;
  if (padding)
    rows.push_back({"[padding]", 0, padding, {}, false});
  for (const SizeRow &r : rows) {
    res.vm += r.vm;
    res.file += r.file;
  }
  res.sliced = true;
  mergeRows(res.rows, std::move(rows));
}

SizeResult computeSize(const std::vector<SizeFile> &files,
                       const std::vector<SizeView> &views, Demangle symbols) {
  std::vector<const SizeFile *> all;
  for (const SizeFile &f : files)
    all.push_back(&f);
  return computeRows(all, views, symbols);
}

SizeResult computeSize(const SizeFile &file, const std::vector<SizeView> &views,
                       Demangle symbols) {
  return computeRows({&file}, views, symbols);
}

// VM bytes of the code sections that no symbol covers.
static uint64_t unnamedCode(const Layout &l) {
  std::vector<Extent> named;
  for (const LayoutSymbol &s : l.symbols)
    if (s.size)
      named.push_back({s.addr, s.size});
  std::sort(named.begin(), named.end(),
            [](Extent a, Extent b) { return a.start < b.start; });
  uint64_t n = 0;
  for (const LayoutSection &s : l.sections) {
    if (!s.code || s.vm.empty())
      continue;
    uint64_t at = s.vm.start; // bytes before `at` are counted
    for (Extent e : named) {
      if (e.end() <= at)
        continue;
      if (e.start >= s.vm.end())
        break;
      if (e.start > at)
        n += e.start - at;
      at = std::min(e.end(), s.vm.end());
    }
    if (at < s.vm.end())
      n += s.vm.end() - at;
  }
  return n;
}

// A file whose objects all lack their full symbol table: which names are
// left, and how much code has none.
static std::optional<SizeResult::Stripped> strippedOf(const SizeFile &f) {
  SizeResult::Stripped s{f.path, "", 0};
  bool anyLayout = false;
  for (const SizeImage &img : f.images) {
    if (!img.nonObject.empty())
      continue;
    if (img.layout.fullSymbols)
      return std::nullopt;
    anyLayout = true;
    if (s.namesLeft.empty())
      s.namesLeft = img.layout.namesLeft;
    s.unnamedCode += unnamedCode(img.layout);
  }
  if (!anyLayout)
    return std::nullopt;
  if (s.namesLeft.empty())
    s.namesLeft = "no symbols";
  return s;
}

static SizeResult computeRows(llvm::ArrayRef<const SizeFile *> files,
                              const std::vector<SizeView> &views,
                              Demangle symbols) {
  SizeResult res;
  bool named = llvm::any_of(views, isSymbolView) ||
               llvm::is_contained(views, SizeView::Crates);
  res.views = views;
  // All files' sums: in shards by the keys' hashes when there are several
  // files, so that the shards merge in parallel.
  std::vector<RowSums> sums(1);
  std::vector<const SizeFile *> universal;
  // Label strings made up on the way ("[section .text]", crate names) live
  // here until the rows are built.
  std::vector<std::unique_ptr<llvm::BumpPtrAllocator>> arenas;
  std::mutex arenasLock;
  auto saverFor = [&] {
    std::lock_guard<std::mutex> guard(arenasLock);
    arenas.push_back(std::make_unique<llvm::BumpPtrAllocator>());
    return ArenaSaver(*arenas.back());
  };
  auto addSums = [](RowSums &into, const auto &from) {
    for (const KeyedSum &kv : from) {
      RowSum &r = into[kv.getFirst()];
      r.vm += kv.getSecond().vm;
      r.file += kv.getSecond().file;
    }
  };
  // One file's bytes into `into`: its images in parallel, each into its own
  // sums, then merged (a single image, the usual binary, straight in).
  auto attributeFile = [&](const SizeFile &f, RowSums &into) {
    if (f.images.size() == 1) {
      into.reserve(f.images[0].layout.symbols.size() + 64);
      ArenaSaver saver = saverFor();
      attributeImage(f, f.images[0], views, into, saver);
    } else {
      std::vector<RowSums> partial(f.images.size());
      std::vector<ArenaSaver> savers;
      for (size_t i = 0; i < f.images.size(); ++i)
        savers.push_back(saverFor());
      llvm::parallelFor(0, f.images.size(), [&](size_t i) {
        attributeImage(f, f.images[i], views, partial[i], savers[i]);
      });
      for (RowSums &p : partial)
        addSums(into, p);
    }
    if (f.archive) {
      ArenaSaver saver = saverFor();
      attributeArchive(f, views, into, saver);
    }
  };
  std::vector<const SizeFile *> thin;
  for (const SizeFile *file : files) {
    const SizeFile &f = *file;
    res.files.push_back(f.path);
    if (!f.slices.empty())
      universal.push_back(&f);
    else
      thin.push_back(&f);
  }
  // Which files are stripped: each file's symbols sorted once more, so
  // alongside the attribution, in parallel too.
  std::vector<std::optional<SizeResult::Stripped>> stripped(thin.size());
  auto findStripped = [&](size_t i) {
    if (named)
      stripped[i] = strippedOf(*thin[i]);
  };
  if (thin.size() == 1) {
    findStripped(0);
    attributeFile(*thin[0], sums[0]);
  } else {
    // Several files: in parallel across the files, each into its own sums,
    // merged in input order. Their images' loops then run inline: over
    // many small files, the hand-offs between threads of a parallel loop
    // per file cost more than the work.
    // Each file's sums are then split by shard, and the shards merged in
    // parallel, each from the files in input order (one table merged on one
    // thread was mostly cache misses: 130k rows of 200 libraries, 18 ms).
    constexpr unsigned shardBits = 4; // a fixed count: the same sums always
    using Split = std::array<std::vector<KeyedSum>, 1 << shardBits>;
    std::vector<Split> split(thin.size());
    std::vector<std::exception_ptr> errors(thin.size());
    llvm::parallelFor(0, thin.size(), [&](size_t i) {
      try {
        findStripped(i);
        RowSums one;
        attributeFile(*thin[i], one);
        for (const KeyedSum &kv : one)
          split[i][kv.getFirst().hash >> (64 - shardBits)].push_back(kv);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    });
    for (const std::exception_ptr &e : errors)
      if (e)
        std::rethrow_exception(e);
    sums.resize(size_t(1) << shardBits);
    llvm::parallelFor(0, sums.size(), [&](size_t shard) {
      size_t most = 0; // rows, if no two files share one
      for (const Split &s : split)
        most += s[shard].size();
      sums[shard].reserve(most); // one table, not one per doubling
      for (Split &s : split) {
        addSums(sums[shard], s[shard]);
        s[shard] = {};
      }
    });
  }
  for (std::optional<SizeResult::Stripped> &s : stripped)
    if (s)
      res.stripped.push_back(std::move(*s));
  std::vector<const KeyedSum *> all;
  size_t rows = 0;
  for (const RowSums &shard : sums)
    rows += shard.size();
  all.reserve(rows);
  for (const RowSums &shard : sums)
    for (const KeyedSum &kv : shard) {
      all.push_back(&kv);
      res.vm += kv.getSecond().vm;
      res.file += kv.getSecond().file;
    }
  if (!views.empty())
    nest(all, 0, views, symbols, res.rows);
  // The rows own their names now: the sums and their labels' arenas go, and
  // demangling below reuses their memory rather than the system's fresh
  // pages (which cost a fault and zeroing each).
  all = {};
  sums = {};
  arenas.clear();
  if (llvm::any_of(views, isSymbolView))
    mergeSameNames(res.rows, views, 0, symbols);
  for (const SizeFile *f : universal)
    addUniversal(*f, views, symbols, res);
  return res;
}

} // namespace slimlink
