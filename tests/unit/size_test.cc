// The size engine on hand-made layouts (exact byte accounting, overlaps,
// bracketed rows) and the crate-of-symbol rule on real rustc 1.95 symbols.
#include "model/symbols.h"
#include "passes/size.h"
#include "size_builders.h"

#include "llvm/Demangle/Demangle.h"

#include <gtest/gtest.h>

#include <deque>

using namespace slimlink;

// ------------------------------------------------------------ symbols

TEST(SymbolCrate, V0GenericChargedToInstantiatingCrate) {
  // core's quicksort, instantiated by std (the trailing "Cs..._3std").
  auto c = v0Crates(
      "_RINvNtNtNtNtCsgEmfK2I1SDS_4core5slice4sort6stable9quicksort9quicksort"
      "NtNtCs4X4t9plMPHF_9addr2line4line12LineSequenceNCINvMNtCslNYArtu3iFV_"
      "5alloc5sliceSB15_11sort_by_keyyNCINvMs_B17_NtB17_5Lines5parseINtNtNtCs"
      "duwmD7cSIQq_5gimli4read12endian_slice11EndianSliceNtNtB3i_9endianity12"
      "LittleEndianEEs_0E0ECsjrHSEGnQ3l9_3std");
  EXPECT_EQ(c.defining, "core");
  EXPECT_EQ(c.instantiating, "std");
  // <[u8]>::copy_within, instantiated by miniz_oxide.
  SymbolInfo s = describeSymbol(
      "_RINvMNtCsgEmfK2I1SDS_4core5sliceSh11copy_withinINtNtNtB5_3ops5range14"
      "RangeInclusivejEECsfEOYDRpO4Ta_11miniz_oxide");
  EXPECT_EQ(s.lang, SymbolLang::Rust);
  EXPECT_EQ(s.crate, "miniz_oxide");
  EXPECT_EQ(s.demangled,
            "<[u8]>::copy_within::<core::ops::range::RangeInclusive<usize>>");
}

TEST(SymbolCrate, V0InstantiatingCrateAsBackref) {
  // "...EB7_": a back-reference to std's crate root earlier in the name.
  auto c = v0Crates("_RINvMNtNtCsjrHSEGnQ3l9_3std4sync9once_lockINtB3_8OnceLock"
                    "NtNtB7_2fs4FileE10initializeNCNvNtNtNtB7_3sys6random5linux"
                    "9getrandom0NtNtNtB7_2io5error5ErrorEB7_");
  EXPECT_EQ(c.defining, "std");
  EXPECT_EQ(c.instantiating, "std");
}

TEST(SymbolCrate, V0ClosuresWithEmptyIdentifiers) {
  // "00": two closures' empty names (decimal 0, twice), not the number 00.
  auto c = v0Crates("_RNCNCNvNtNtCsjrHSEGnQ3l9_3std3sys9backtrace10__print_fmts_00B9_");
  EXPECT_EQ(c.defining, "std");
  EXPECT_EQ(c.instantiating, "std");
}

TEST(SymbolCrate, V0NonGenericHasNoInstantiatingCrate) {
  auto c = v0Crates("_RNvNtCsjrHSEGnQ3l9_3std2rt19lang_start_internal");
  EXPECT_EQ(c.defining, "std");
  EXPECT_EQ(c.instantiating, "");
  EXPECT_EQ(v0Crates("_RNvNtCsjrHSEGnQ3l9_3std2rt19lang_start_int").defining, "")
      << "a truncated name must not parse";
}

TEST(SymbolCrate, Legacy) {
  SymbolInfo s = describeSymbol("_ZN5hello4main17h640b073b2ab98941E");
  EXPECT_EQ(s.lang, SymbolLang::Rust);
  EXPECT_EQ(s.demangled, "hello::main");
  EXPECT_EQ(s.crate, "hello");
  // ThinLTO's ".llvm.<hash>" suffix; $LT$-escapes undone.
  s = describeSymbol("_ZN9hashbrown3raw21RawTable$LT$T$C$A$GT$14reserve_rehash"
                     "17ha6625e5014e3914fE.llvm.6761865776240915224");
  EXPECT_EQ(s.demangled, "hashbrown::raw::RawTable<T,A>::reserve_rehash");
  EXPECT_EQ(s.crate, "hashbrown");
  // <&T as core::fmt::Display>::fmt: no crate in the type, so the trait's.
  s = describeSymbol("_ZN44_$LT$$RF$T$u20$as$u20$core..fmt..Display$GT$3fmt"
                     "17h0d8d5d4f8a68931bE");
  EXPECT_EQ(s.demangled, "<&T as core::fmt::Display>::fmt");
  EXPECT_EQ(s.crate, "core");
}

// Legacy-shaped names ("_ZN" length-prefixed components "E") are read
// without LLVM's demangler: what it prints is what comes out, the names it
// spells its own way included, and the text alone agrees with the whole.
TEST(SymbolCrate, LegacyShapeReadsAsTheDemanglerDoes) {
  for (const char *m :
       {"_ZN3foo3barE", "_ZN3fooE", "_ZN12_GLOBAL__N_13fooE",
        "_ZN3foo12_GLOBAL__N_1E", "_ZN03fooE", "_ZN3foo9barE", "_ZN3foo3bar",
        "_ZN3foo3barEi", "_ZNK3foo3barEv", "_ZN4core3fmt5write17h0123456789abcdefE",
        "_ZN4core3fmt5write17h0123456789abcdefE.cold"}) {
    SymbolInfo s = describeSymbol(m);
    if (s.lang != SymbolLang::Rust) {
      EXPECT_EQ(s.demangled, llvm::demangle(m)) << m;
    }
    EXPECT_EQ(demangleSymbol(m), s.demangled) << m;
  }
  EXPECT_EQ(describeSymbol("_ZN12_GLOBAL__N_13fooE").demangled,
            "(anonymous namespace)::foo");
  EXPECT_EQ(describeSymbol("_ZN4core3fmt5write17h0123456789abcdefE").demangled,
            "core::fmt::write");
}

// A generic's instances differ only in their hash: one key, one text.
TEST(SymbolCrate, LegacyTextKeyLeavesOutTheHash) {
  const char *a = "_ZN4core3ptr13drop_in_place17h0123456789abcdefE";
  const char *b = "_ZN4core3ptr13drop_in_place17hfedcba9876543210E.llvm.42";
  EXPECT_EQ(legacyTextKey(a), "_ZN4core3ptr13drop_in_place");
  EXPECT_EQ(legacyTextKey(a), legacyTextKey(b));
  EXPECT_EQ(demangleSymbol(a), demangleSymbol(b));
  // Not legacy names, or not read without the demangler: no key.
  for (const char *m :
       {"_Z4areaii", "_ZN3foo3barE", "_ZN17h0123456789abcdefE",
        "_ZN12_GLOBAL__N_117h0123456789abcdefE",
        "_ZN3fo:17h0123456789abcdefE", "_ZN3foo17h0123456789abcdef3barE"})
    EXPECT_EQ(legacyTextKey(m), "") << m;
}

TEST(SymbolCrate, CAndCxxHaveNoCrate) {
  SymbolInfo s = describeSymbol("_Z4areaii");
  EXPECT_EQ(s.lang, SymbolLang::Cxx);
  EXPECT_EQ(s.demangled, "area(int, int)");
  EXPECT_EQ(s.crate, "");
  s = describeSymbol("main");
  EXPECT_EQ(s.lang, SymbolLang::C);
  EXPECT_EQ(s.demangled, "main");
}

// ------------------------------------------------------------ engine

// A 1000-byte "executable": two loaded segments, headers, sections, gaps.
//   file  0..64 ELF header      (LOAD #0 maps file 0..400 at 0x1000)
//        64..100 padding in LOAD #0
//       100..400 .text  at 0x1100
//       400..500 .data  at 0x2400 (LOAD #1: file 400..500, VM 0x2400..0x2600)
//                .bss   at 0x2500..0x2600 (no file bytes)
//       500..600 unmapped
//       600..700 .symtab
//       700..900 unmapped
//       900..1000 section headers
static SizeFile handMade() {
  SizeFile f;
  f.path = "hand.elf";
  f.size = 1000;
  SizeImage img;
  img.size = 1000;
  Layout &l = img.layout;
  l.fileSize = 1000;
  l.segments = {{"LOAD #0 [R-X]", {0, 400}, {0x1000, 0x400}},
                {"LOAD #1 [RW-]", {400, 100}, {0x2400, 0x200}}};
  l.headers = {{"[ELF header]", {0, 64}, {0x1000, 64}},
               {"[section headers]", {900, 100}, {}}};
  l.sections = {{"", {}, {}},
                {".text", {100, 300}, {0x1100, 300}},
                {".data", {400, 100}, {0x2400, 100}},
                {".bss", {}, {0x2500, 0x100}},
                {".symtab", {600, 100}, {}, ~0u, SectionRole::SymbolTable}};
  l.symbols = {
      {"f1", 0x1100, 0x80, 1},
      {"f1_alias", 0x1100, 0x40, 1}, // shorter at the same address: loses
      {"f2", 0x1150, 0x60, 1},       // overlaps f1's tail: gets 0x1180..
      {"tail", 0x1200, 0x100, 1},    // runs past .text's end: clipped
      {"buffer", 0x2500, 0x80, 3},   // in .bss: VM only
  };
  f.images.push_back(std::move(img));
  return f;
}

static const SizeRow *find(const std::vector<SizeRow> &rows,
                           const std::string &name) {
  for (const SizeRow &r : rows)
    if (r.name == name)
      return &r;
  return nullptr;
}

TEST(SizeEngine, SectionsAccountForEveryByte) {
  std::vector<SizeFile> files;
  files.push_back(handMade());
  SizeResult r = computeSize(files, {SizeView::Sections});
  EXPECT_EQ(r.file, 1000u);
  EXPECT_EQ(r.vm, 0x400u + 0x200u);
  auto expect = [&](const char *name, uint64_t vm, uint64_t file) {
    const SizeRow *row = find(r.rows, name);
    ASSERT_TRUE(row) << name;
    EXPECT_EQ(row->vm, vm) << name;
    EXPECT_EQ(row->file, file) << name;
  };
  expect("[ELF header]", 64, 64);
  expect(".text", 300, 300);
  expect(".data", 100, 100);
  expect(".bss", 0x100, 0);
  expect(".symtab", 0, 100);
  expect("[section headers]", 0, 100);
  expect("[unmapped]", 0, 300);
  // File: 64..100 inside LOAD #0. VM: 0x1040..0x1100, 0x122c..0x1400 and
  // 0x2464..0x2500 (between .data and .bss).
  expect("[padding]", (0x100 - 64) + (0x400 - 0x100 - 300) + (0x100 - 100), 36);
}

TEST(SizeEngine, OverlappingSymbolsAreCountedOnce) {
  std::vector<SizeFile> files;
  files.push_back(handMade());
  SizeResult r = computeSize(files, {SizeView::Symbols});
  EXPECT_EQ(r.file, 1000u);
  EXPECT_EQ(find(r.rows, "f1")->file, 0x80u);
  EXPECT_EQ(find(r.rows, "f1_alias"), nullptr);
  EXPECT_EQ(find(r.rows, "f2")->file, 0x11b0u - 0x1180u);
  EXPECT_EQ(find(r.rows, "tail")->file, 0x1100u + 300 - 0x1200u);
  EXPECT_EQ(find(r.rows, "[section .text]")->file, 0x1200u - 0x11b0u);
  EXPECT_EQ(find(r.rows, "buffer")->vm, 0x80u);
  EXPECT_EQ(find(r.rows, "buffer")->file, 0u);
  // .data has no symbols at all.
  EXPECT_EQ(find(r.rows, "[section .data]")->file, 100u);
  EXPECT_EQ(find(r.rows, "[section .bss]")->vm, 0x80u);
}

TEST(SizeEngine, NestedViewsSumToTheirParents) {
  std::vector<SizeFile> files;
  files.push_back(handMade());
  SizeResult r = computeSize(files, {SizeView::Segments, SizeView::Sections});
  uint64_t file = 0, vm = 0;
  for (const SizeRow &row : r.rows) {
    uint64_t cf = 0, cv = 0;
    for (const SizeRow &c : row.children) {
      cf += c.file;
      cv += c.vm;
    }
    EXPECT_EQ(cf, row.file) << row.name;
    EXPECT_EQ(cv, row.vm) << row.name;
    file += row.file;
    vm += row.vm;
  }
  EXPECT_EQ(file, 1000u);
  EXPECT_EQ(vm, r.vm);
  const SizeRow *load0 = find(r.rows, "LOAD #0 [R-X]");
  ASSERT_TRUE(load0);
  EXPECT_EQ(load0->file, 400u);
  EXPECT_EQ(load0->vm, 0x400u);
  EXPECT_TRUE(find(load0->children, ".text"));
}

TEST(SizeEngine, DiffSortsByAbsoluteChange) {
  std::vector<SizeFile> a, b;
  a.push_back(handMade());
  b.push_back(handMade());
  b[0].size = b[0].images[0].size = b[0].images[0].layout.fileSize = 900;
  b[0].images[0].layout.sections[4].file = {}; // .symtab stripped
  b[0].images[0].layout.headers[1].file = {800, 100};
  SizeDiff d = diffSizes(computeSize(a, {SizeView::Sections}),
                         computeSize(b, {SizeView::Sections}));
  EXPECT_EQ(d.newSize - d.oldSize, -100);
  int64_t sum = 0;
  for (const SizeDiffRow &row : d.rows)
    sum += row.dFile();
  EXPECT_EQ(sum, -100);
  ASSERT_FALSE(d.rows.empty());
  EXPECT_EQ(d.rows[0].name, ".symtab");
  EXPECT_EQ(d.rows[0].dFile(), -100);
}

TEST(SizeEngine, CratesOfSymbolsAndOfUnclaimedBytes) {
  std::vector<SizeFile> files;
  files.push_back(handMade());
  Layout &l = files[0].images[0].layout;
  l.symbols = {
      {"_RNvNtCsjrHSEGnQ3l9_3std2rt19lang_start_internal", 0x1100, 0x40, 1},
      {"_ZN5hello4main17h640b073b2ab98941E", 0x1140, 0x20, 1},
      {"_Z4areaii", 0x1160, 0x10, 1},
      {"__udivti3", 0x1170, 0x10, 1}, // Rust binary: compiler_builtins
      {"memcpy", 0x1180, 0x10, 1},
      {"rust_eh_personality", 0x1190, 0x10, 1}, // std's, unmangled
  };
  l.sections.push_back({".debug_info", {700, 150}, {}, ~0u, SectionRole::Debug});
  SizeResult r = computeSize(files, {SizeView::Crates});
  auto file = [&](const char *name) -> uint64_t {
    const SizeRow *row = find(r.rows, name);
    return row ? row->file : 0;
  };
  EXPECT_EQ(file("std"), 0x40u + 0x10u);
  EXPECT_EQ(file("hello"), 0x20u);
  EXPECT_EQ(file("[C++]"), 0x10u);
  EXPECT_EQ(file("compiler_builtins"), 0x10u);
  EXPECT_EQ(file("[C]"), 0x10u);
  EXPECT_EQ(file("[debug info]"), 150u);
  EXPECT_EQ(file("[symbol tables]"), 100u); // .symtab
  EXPECT_EQ(file("[section .text]"), 300u - 0xa0u);
  EXPECT_EQ(r.file, 1000u);
}

// Over several files, rows that read the same are one row: a Rust generic's
// instances (legacy names that differ only in their hash, in one file or
// two), one C++ function in two files, and the unclaimed bytes of .text,
// whatever the view's level; the raw view keeps every mangled name apart.
TEST(SizeEngine, SymbolsThatReadTheSameAreOneRow) {
  std::vector<SizeFile> files;
  files.push_back(handMade());
  files.push_back(handMade());
  files[0].images[0].layout.symbols = {
      {"_ZN3foo3bar17h1111111111111111E", 0x1100, 0x40, 1},
      {"_Z4areaii", 0x1140, 0x20, 1},
      {"_ZN3foo3bar17h3333333333333333E", 0x1160, 0x10, 1},
  };
  files[1].images[0].layout.symbols = {
      {"_ZN3foo3bar17h2222222222222222E.llvm.9", 0x1100, 0x30, 1},
      {"_Z4areaii", 0x1140, 0x10, 1},
  };
  const uint64_t bar = 0x40 + 0x10 + 0x30, area = 0x20 + 0x10;
  const uint64_t unclaimed = 2 * 300 - bar - area;
  SizeResult r = computeSize(files, {SizeView::Symbols});
  ASSERT_TRUE(find(r.rows, "foo::bar"));
  EXPECT_EQ(find(r.rows, "foo::bar")->file, bar);
  ASSERT_TRUE(find(r.rows, "area(int, int)"));
  EXPECT_EQ(find(r.rows, "area(int, int)")->file, area);
  ASSERT_TRUE(find(r.rows, "[section .text]"));
  EXPECT_EQ(find(r.rows, "[section .text]")->file, unclaimed);
  size_t named = 0;
  for (const SizeRow &row : r.rows)
    named += row.name == "foo::bar" || row.name == "area(int, int)";
  EXPECT_EQ(named, 2u);
  EXPECT_EQ(r.file, 2000u);
  // Symbols inside sections, and sections inside symbols.
  r = computeSize(files, {SizeView::Sections, SizeView::Symbols});
  const SizeRow *text = find(r.rows, ".text");
  ASSERT_TRUE(text && find(text->children, "foo::bar"));
  EXPECT_EQ(find(text->children, "foo::bar")->file, bar);
  r = computeSize(files, {SizeView::Symbols, SizeView::Sections});
  ASSERT_TRUE(find(r.rows, "foo::bar"));
  EXPECT_EQ(find(r.rows, "foo::bar")->file, bar);
  ASSERT_EQ(find(r.rows, "foo::bar")->children.size(), 1u);
  EXPECT_EQ(find(r.rows, "foo::bar")->children[0].file, bar);
  // -d rawsymbols: every mangled name its own row.
  r = computeSize(files, {SizeView::RawSymbols});
  EXPECT_TRUE(find(r.rows, "_ZN3foo3bar17h1111111111111111E"));
  EXPECT_TRUE(find(r.rows, "_ZN3foo3bar17h2222222222222222E.llvm.9"));
  EXPECT_EQ(find(r.rows, "_Z4areaii")->file, area); // one name as linked
}

// A level of over 8,192 rows merges its same-named rows in shards, in
// parallel: here C++ constructors' complete and base object symbols (C1,
// C2: two names as linked, one as read), 4,900 classes' worth, in two files.
TEST(SizeEngine, ManyRowsThatReadTheSameAreOneRowEach) {
  std::vector<SizeFile> files;
  const int classes = 4900;
  std::deque<std::string> names; // the symbols' names refer to them
  for (int n = 0; n < 2; ++n) {
    SizeFile f =
        test::oneImageFile("many" + std::to_string(n) + ".elf", 40000, 0x10000);
    Layout &l = f.images[0].layout;
    l.sections = {{"", {}, {}}, {".text", {64, 39936}, {0x10040, 39936}}};
    for (int k = 0; k < classes; ++k) {
      std::string c = "A" + std::to_string(k);
      std::string nested = "_ZN" + std::to_string(c.size()) + c;
      names.push_back(nested + "C1Ev");
      l.symbols.push_back({names.back(), 0x10040u + 8u * k, 4, 1});
      names.push_back(nested + "C2Ev");
      l.symbols.push_back({names.back(), 0x10044u + 8u * k, 4, 1});
    }
    files.push_back(std::move(f));
  }
  SizeResult r = computeSize(files, {SizeView::Symbols});
  size_t constructors = 0;
  for (const SizeRow &row : r.rows)
    constructors += llvm::StringRef(row.name).ends_with("()");
  EXPECT_EQ(constructors, size_t(classes));
  for (int k : {0, 1, 777, classes - 1}) {
    std::string c = "A" + std::to_string(k);
    const SizeRow *row = find(r.rows, c + "::" + c + "()");
    ASSERT_TRUE(row) << c;
    EXPECT_EQ(row->file, 16u) << c; // 4 + 4 bytes in each file
  }
  EXPECT_EQ(r.file, 80000u);
  // Inside a level that is not the first, too.
  r = computeSize(files, {SizeView::Sections, SizeView::Symbols});
  const SizeRow *text = find(r.rows, ".text");
  ASSERT_TRUE(text);
  EXPECT_EQ(text->children.size(), size_t(classes) + 1); // + unclaimed bytes
  ASSERT_TRUE(find(text->children, "A9::A9()"));
  EXPECT_EQ(find(text->children, "A9::A9()")->file, 16u);
}

TEST(SizeEngine, ArchiveBytesOutsideMembers) {
  // "!<arch>\n" (8), a symbol index member (8..60), one member's header
  // (60..120) and bytes (120..220), a padding byte at 220.
  SizeFile f;
  f.path = "lib.a";
  f.archive = true;
  f.size = 221;
  f.headers = {{"[archive headers]", {0, 8}, {}},
               {"[archive headers]", {60, 60}, {}}};
  SizeImage img;
  img.member = "std-0123456789abcdef.std.0123456789abcdef-cgu.0.rcgu.o";
  img.memberCrate = "std";
  img.base = 120;
  img.size = 100;
  img.layout.fileSize = 100;
  img.layout.relocatable = true;
  img.layout.headers = {{"[ELF header]", {0, 64}, {}}};
  // The format's edge groups ".text.foo" under ".text" (groupSize 5).
  img.layout.sections = {{"", {}, {}}, {".text.foo", {64, 36}, {0, 36}, 5}};
  f.images.push_back(std::move(img));
  std::vector<SizeFile> files;
  files.push_back(std::move(f));

  SizeResult m = computeSize(files, {SizeView::Members});
  EXPECT_EQ(m.file, 221u);
  EXPECT_EQ(m.vm, 36u);
  EXPECT_EQ(find(m.rows, "[archive headers]")->file, 68u);
  EXPECT_EQ(find(m.rows, "[archive index]")->file, 52u + 1u);
  EXPECT_EQ(find(m.rows, files[0].images[0].member)->file, 100u);

  SizeResult c = computeSize(files, {SizeView::Crates});
  EXPECT_EQ(find(c.rows, "std")->file, 100u) << "a member's bytes are its crate's";
  SizeResult s = computeSize(files, {SizeView::Sections});
  EXPECT_EQ(find(s.rows, ".text")->vm, 36u) << "per-function sections grouped";
}
