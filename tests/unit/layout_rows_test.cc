// Symbols of formats that give them no size (Mach-O, COFF), sized to the
// next symbol and then cut at the function bounds the file records, on
// hand-made inputs: a stripped file's export does not swallow the unnamed
// functions after it, and the bytes cut off still add up.
#include "formats/layout_rows.h"
#include "passes/size.h"

#include <gtest/gtest.h>

using namespace slimlink;

namespace {

// One code section at 0x1000..0x1400 (file 0x1000..0x1400 too), as a
// stripped dylib has it: two exports, unnamed functions between them.
//   0x1000 exported_tiny (4 bytes)   0x1004 unnamed   0x1100 unnamed
//   0x1200 exported_big (0x80)       0x1280 unnamed ... 0x1400
Layout stripped() {
  Layout l;
  l.fileSize = 0x1400;
  l.segments = {{"__TEXT", {0, 0x1400}, {0, 0x1400}}};
  LayoutSection text;
  text.name = "__TEXT,__text";
  text.file = {0x1000, 0x400};
  text.vm = {0x1000, 0x400};
  text.code = true;
  l.sections.push_back(text);
  l.fullSymbols = true;
  addSizedSymbols({{"exported_big", 0x1200, 0, false},
                   {"exported_tiny", 0x1000, 0, false}},
                  [](uint32_t) { return uint64_t(0x1400); },
                  [](const UnsizedSymbol &) { return uint32_t(0); }, l);
  return l;
}

uint64_t sizeOf(const Layout &l, llvm::StringRef name) {
  for (const LayoutSymbol &s : l.symbols)
    if (s.name == name)
      return s.size;
  ADD_FAILURE() << "no symbol " << name.str();
  return 0;
}

} // namespace

TEST(FunctionBounds, NextSymbolSwallowsWithoutBounds) {
  Layout l = stripped();
  EXPECT_EQ(sizeOf(l, "exported_tiny"), 0x200u);
  EXPECT_EQ(sizeOf(l, "exported_big"), 0x200u);
}

TEST(FunctionBounds, CutAtTheNextStart) {
  Layout l = stripped();
  FunctionBounds b{{0x1280, 0x1000, 0x1100, 0x1004, 0x1200, 0x1004}, {}};
  cutAtFunctionBounds(l.symbols, b);
  EXPECT_EQ(sizeOf(l, "exported_tiny"), 4u);
  EXPECT_EQ(sizeOf(l, "exported_big"), 0x80u);
  EXPECT_EQ(unnamedStarts(l.symbols, b), 3u) << "0x1004, 0x1100, 0x1280";
}

TEST(FunctionBounds, CutAtAnEnd) {
  Layout l = stripped();
  // .pdata: the big function ends at 0x1240, and what follows is no one's.
  cutAtFunctionBounds(l.symbols, {{0x1000, 0x1200}, {0x1010, 0x1240}});
  EXPECT_EQ(sizeOf(l, "exported_tiny"), 0x10u);
  EXPECT_EQ(sizeOf(l, "exported_big"), 0x40u);
}

TEST(FunctionBounds, NeverLonger) {
  Layout l;
  l.symbols = {{"sized", 0x100, 0x10, 0}, {"at_end", 0x200, 0x20, 0}};
  // A bound past a symbol's end, one at its own address, none after it.
  cutAtFunctionBounds(l.symbols, {{0x100, 0x180}, {0x200}});
  EXPECT_EQ(l.symbols[0].size, 0x10u);
  EXPECT_EQ(l.symbols[1].size, 0x20u);
  cutAtFunctionBounds(l.symbols, {});
  EXPECT_EQ(l.symbols[0].size, 0x10u);
  EXPECT_EQ(unnamedStarts(l.symbols, {{0x100, 0x200}, {}}), 0u);
}

TEST(FunctionBounds, CutBytesAreUnnamedAndRowsSum) {
  SizeFile f;
  f.path = "stripped.dylib";
  f.size = 0x1400;
  SizeImage img;
  img.size = 0x1400;
  img.layout = stripped();
  cutAtFunctionBounds(img.layout.symbols,
                      {{0x1000, 0x1004, 0x1100, 0x1200, 0x1280}, {}});
  f.images.push_back(std::move(img));
  std::vector<SizeFile> files;
  files.push_back(std::move(f));
  SizeResult r = computeSize(files, {SizeView::Symbols});
  uint64_t file = 0, vm = 0;
  int unnamed = 0;
  for (const SizeRow &row : r.rows) {
    file += row.file;
    vm += row.vm;
    if (row.name == "exported_tiny") {
      EXPECT_EQ(row.file, 4u);
    } else if (row.name == "exported_big") {
      EXPECT_EQ(row.file, 0x80u);
    } else if (row.name == "[section __TEXT,__text]") {
      EXPECT_EQ(row.file, 0x400u - 4 - 0x80);
      ++unnamed;
    }
  }
  EXPECT_EQ(unnamed, 1) << "the bytes cut off are [section __TEXT,__text]";
  EXPECT_EQ(file, r.file);
  EXPECT_EQ(vm, r.vm);
  EXPECT_EQ(r.file, 0x1400u);
}

TEST(FunctionBounds, StrippedFileIsReported) {
  SizeFile f;
  f.path = "stripped.dylib";
  f.size = 0x1400;
  SizeImage img;
  img.size = 0x1400;
  img.layout = stripped();
  cutAtFunctionBounds(img.layout.symbols,
                      {{0x1000, 0x1004, 0x1100, 0x1200, 0x1280}, {}});
  img.layout.fullSymbols = false;
  img.layout.namesLeft = "exports only";
  f.images.push_back(std::move(img));
  std::vector<SizeFile> files;
  files.push_back(std::move(f));
  SizeResult r = computeSize(files, {SizeView::Symbols});
  ASSERT_EQ(r.stripped.size(), 1u);
  EXPECT_EQ(r.stripped[0].path, "stripped.dylib");
  EXPECT_EQ(r.stripped[0].namesLeft, "exports only");
  EXPECT_EQ(r.stripped[0].unnamedCode, 0x400u - 4 - 0x80);
  // The sections view names nothing: nothing to say.
  EXPECT_TRUE(computeSize(files, {SizeView::Sections}).stripped.empty());
}
