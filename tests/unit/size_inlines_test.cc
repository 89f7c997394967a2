// The inlines view's range logic on hand-made inputs: a line table's rows
// become code ranges (each row to the next, empty rows dropped, neighbours
// of one name merged), and the view charges code bytes to them, cut to the
// code sections, every other byte staying in its section's row, so that the
// columns still sum to the totals.
#include "formats/dwarf_units.h"
#include "passes/size.h"
#include "size_builders.h"

#include <gtest/gtest.h>

using namespace slimlink;

namespace {

std::vector<LayoutLineRange> rangesOf(std::vector<LineRow> rows) {
  std::vector<LayoutLineRange> out;
  addLineRanges(rows, out);
  return out;
}

TEST(LineRanges, EachRowRunsToTheNext) {
  // 0x10 a, 0x14 a (same name: merged), 0x18 b (no bytes: 0x18 again),
  // 0x18 c, end of sequence at 0x20.
  auto r = rangesOf({{0x10, 1}, {0x14, 1}, {0x18, 2}, {0x18, 3}, {0x20, 0}});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].start, 0x10u);
  EXPECT_EQ(r[0].end, 0x18u);
  EXPECT_EQ(r[0].line, 1u);
  EXPECT_EQ(r[1].start, 0x18u);
  EXPECT_EQ(r[1].end, 0x20u);
  EXPECT_EQ(r[1].line, 3u);
}

TEST(LineRanges, BackwardsRowsAndLoneEndsGiveNothing) {
  // An address that goes back (a damaged table) covers no bytes.
  auto r = rangesOf({{0x30, 1}, {0x20, 2}, {0x28, 0}});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].start, 0x20u);
  EXPECT_EQ(r[0].end, 0x28u);
  EXPECT_EQ(r[0].line, 2u);
  EXPECT_TRUE(rangesOf({{0x40, 0}}).empty());
  EXPECT_TRUE(rangesOf({}).empty());
}

TEST(LineRanges, SequencesAreNotMergedIntoEachOther) {
  std::vector<LayoutLineRange> out;
  addLineRanges({{{0x10, 1}, {0x18, 0}}}, out);
  addLineRanges({{{0x18, 1}, {0x20, 0}}}, out);
  EXPECT_EQ(out.size(), 2u);
}

// One image: .text (code) at VM 0x1100..0x1200, file 0x100..0x200; .rodata
// at VM 0x1200..0x1240, file 0x200..0x240; headers before. Line ranges:
//   0x1000..0x1120 util.h:3  (starts before .text: only 0x1100.. counts)
//   0x1120..0x1180 main.c:7
//   0x1180..0x1190 util.h:3  (the same line inlined a second time)
//   0x1200..0x1220 data.c:1  (over .rodata, no code: not counted)
//   0x0..0x40      dead.c:9  (a dropped function's sequence, at 0)
// and 0x1190..0x1200 has no row.
SizeFile withLines() {
  SizeFile f = test::oneImageFile("lines.elf", 0x240, 0x1000);
  Layout &l = f.images[0].layout;
  LayoutSection text;
  text.name = ".text";
  text.file = {0x100, 0x100};
  text.vm = {0x1100, 0x100};
  text.code = true;
  LayoutSection rodata;
  rodata.name = ".rodata";
  rodata.file = {0x200, 0x40};
  rodata.vm = {0x1200, 0x40};
  l.sections = {{"", {}, {}}, text, rodata};
  l.symbols = {{"caller_a", 0x1100, 0x80, 1}, {"caller_b", 0x1180, 0x80, 1}};
  l.lines.read = true;
  l.lines.names = {"util.h:3", "main.c:7", "data.c:1", "dead.c:9"};
  l.lines.ranges = {{0x1000, 0x1120, 0}, {0x1120, 0x1180, 1},
                    {0x1180, 0x1190, 0}, {0x1200, 0x1220, 2},
                    {0x0, 0x40, 3}};
  return f;
}

const SizeRow *find(const std::vector<SizeRow> &rows, const std::string &name) {
  for (const SizeRow &r : rows)
    if (r.name == name)
      return &r;
  return nullptr;
}

TEST(InlinesView, CodeBytesGoToTheirLinesTheRestStays) {
  std::vector<SizeFile> files;
  files.push_back(withLines());
  SizeResult r = computeSize(files, {SizeView::Inlines});
  auto expect = [&](const char *name, uint64_t vm, uint64_t file) {
    const SizeRow *row = find(r.rows, name);
    ASSERT_TRUE(row) << name;
    EXPECT_EQ(row->vm, vm) << name;
    EXPECT_EQ(row->file, file) << name;
  };
  expect("util.h:3", 0x20 + 0x10, 0x20 + 0x10);
  expect("main.c:7", 0x60, 0x60);
  expect("[section .text]", 0x70, 0x70);
  expect("[section .rodata]", 0x40, 0x40);
  expect("[ELF header]", 0x40, 0x40);
  EXPECT_EQ(find(r.rows, "data.c:1"), nullptr);
  EXPECT_EQ(find(r.rows, "dead.c:9"), nullptr);
  uint64_t vm = 0, file = 0;
  for (const SizeRow &row : r.rows) {
    vm += row.vm;
    file += row.file;
  }
  EXPECT_EQ(vm, r.vm);
  EXPECT_EQ(file, r.file);
  EXPECT_EQ(file, 0x240u);
}

TEST(InlinesView, NestedUnderSymbols) {
  std::vector<SizeFile> files;
  files.push_back(withLines());
  SizeResult r = computeSize(files, {SizeView::Symbols, SizeView::Inlines});
  const SizeRow *a = find(r.rows, "caller_a");
  const SizeRow *b = find(r.rows, "caller_b");
  ASSERT_TRUE(a && b);
  // The header's line inlined into both callers.
  ASSERT_TRUE(find(a->children, "util.h:3"));
  ASSERT_TRUE(find(b->children, "util.h:3"));
  EXPECT_EQ(find(a->children, "util.h:3")->vm, 0x20u);
  EXPECT_EQ(find(b->children, "util.h:3")->vm, 0x10u);
  EXPECT_EQ(find(b->children, "[section .text]")->vm, 0x70u);
}

TEST(InlinesView, WithoutLineTablesEverythingStaysInSections) {
  std::vector<SizeFile> files;
  files.push_back(withLines());
  files[0].images[0].layout.lines = {};
  SizeResult r = computeSize(files, {SizeView::Inlines});
  EXPECT_EQ(find(r.rows, "[section .text]")->vm, 0x100u);
  EXPECT_EQ(find(r.rows, "util.h:3"), nullptr);
}

} // namespace
