// The PDB side of the inlines view on hand-made inputs: an inline site's
// binary annotations decoded into rows (as llvm-pdbutil shows them: code
// offsets from the procedure's start, lines from the inlinee's first), the
// innermost of nested ranges winning each byte, and file names made
// relative to the compile directory as DWARF's tables name them.
#include "formats/coff/pdb_lines.h"

#include <gtest/gtest.h>

using namespace slimlink;
using namespace slimlink::coff;

namespace {

// Opcodes (BinaryAnnotationsOpCode) and their compressed operands, as
// LLVM writes them; a signed operand is (|n| << 1) | sign.
enum : uint8_t {
  CodeOffsetBase = 2, // ChangeCodeOffsetBase
  CodeOffset = 3,     // ChangeCodeOffset
  CodeLength = 4,     // ChangeCodeLength
  File = 5,           // ChangeFile
  LineOffset = 6,     // ChangeLineOffset
  CodeAndLine = 11,   // ChangeCodeOffsetAndLineOffset: line << 4 | code
  LengthAndCode = 12, // ChangeCodeLengthAndCodeOffset: length, code
};

std::vector<SiteLine> decode(std::vector<uint8_t> bytes, uint64_t size = 0x100) {
  return inlineSiteLines(bytes, /*file=*/8, /*line=*/1, size);
}

void expectRow(const SiteLine &r, uint64_t start, uint64_t end, uint32_t file,
               uint32_t line) {
  EXPECT_EQ(r.start, start);
  EXPECT_EQ(r.end, end);
  EXPECT_EQ(r.file, file);
  EXPECT_EQ(r.line, line);
}

TEST(InlineSiteLines, RowsRunToTheNextOrForTheirLength) {
  // llvm-pdbutil: code 0x0 line 1 (+1), code 0x7 line 2, code end 0xE;
  // then past a gap of the caller's code: code 0x20 line 4 (+2), end 0x24.
  auto r = decode({CodeAndLine, 0x20, CodeAndLine, 0x27, CodeLength, 0x07,
                   LineOffset, 0x04, CodeOffset, 0x12, CodeLength, 0x04});
  ASSERT_EQ(r.size(), 3u);
  expectRow(r[0], 0x0, 0x7, 8, 2);
  expectRow(r[1], 0x7, 0xE, 8, 3);
  expectRow(r[2], 0x20, 0x24, 8, 5);
}

TEST(InlineSiteLines, FileChangesAndCombinedLengths) {
  // A change of file (a checksum offset), a negative line delta, and
  // ChangeCodeLengthAndCodeOffset (length 5 at +0x10).
  auto r = decode({CodeAndLine, 0x00, CodeLength, 0x03, File, 0x18,
                   LineOffset, 0x03, LengthAndCode, 0x05, 0x10});
  ASSERT_EQ(r.size(), 2u);
  expectRow(r[0], 0x0, 0x3, 8, 1);
  expectRow(r[1], 0x13, 0x18, 0x18, 0);
}

TEST(InlineSiteLines, DamageLeavesRowsOut) {
  // A row without an end is dropped, rows are cut at the procedure's end,
  // an operand cut short or separated code stops the decoding.
  EXPECT_TRUE(decode({CodeAndLine, 0x20}).empty());
  auto cut = decode({CodeOffset, 0x08, CodeLength, 0x7F}, /*size=*/0x10);
  ASSERT_EQ(cut.size(), 1u);
  expectRow(cut[0], 0x8, 0x10, 8, 1);
  EXPECT_TRUE(decode({CodeOffset, 0x40, CodeLength, 0x04}, 0x10).empty());
  auto stopped = decode({CodeOffset, 0x00, CodeLength, 0x02, CodeOffsetBase,
                         0x01, CodeOffset, 0x00, CodeLength, 0x02});
  ASSERT_EQ(stopped.size(), 1u);
  EXPECT_TRUE(decode({CodeOffset, 0xC0, 0x01}).empty());
  // A line delta below line 0: nothing from there.
  EXPECT_TRUE(decode({LineOffset, 0x05, CodeOffset, 0x0, CodeLength, 1}).empty());
  EXPECT_TRUE(decode({CodeAndLine, 0x50, CodeLength, 1}).empty());
}

TEST(InnermostLines, EachByteGoesToItsInnermostRange) {
  // A procedure's line table (depth 0): 0x100..0x140 line 0, 0x140..0x150
  // line 1; a site over 0x108..0x130 (line 2) with a site inside it over
  // 0x110..0x118 (line 3); a site at 0x148..0x160, past the table (line 2).
  std::vector<LayoutLineRange> out;
  innermostLines({{0x110, 0x118, 2, 3},
                  {0x100, 0x140, 0, 0},
                  {0x108, 0x130, 1, 2},
                  {0x140, 0x150, 0, 1},
                  {0x148, 0x160, 1, 2}},
                 out);
  std::vector<std::array<uint64_t, 3>> got;
  for (const LayoutLineRange &r : out)
    got.push_back({r.start, r.end, r.line});
  std::vector<std::array<uint64_t, 3>> want = {
      {0x100, 0x108, 0}, {0x108, 0x110, 2}, {0x110, 0x118, 3},
      {0x118, 0x130, 2}, {0x130, 0x140, 0}, {0x140, 0x148, 1},
      {0x148, 0x160, 2}};
  EXPECT_EQ(got, want);
}

TEST(InnermostLines, NeighboursOfOneLineMergeEmptyRangesGo) {
  std::vector<LayoutLineRange> out;
  innermostLines({{0x10, 0x18, 0, 4}, {0x18, 0x20, 1, 4}, {0x30, 0x30, 2, 5}},
                 out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].start, 0x10u);
  EXPECT_EQ(out[0].end, 0x20u);
}

TEST(SourceFileName, RelativeToTheCompileDirectoryLikeDwarf) {
  EXPECT_EQ(sourceFileName("/tmp/p/./util.h", "/tmp/p"), "util.h");
  EXPECT_EQ(sourceFileName("/tmp/p/include/util.h", "/tmp/p/"),
            "include/util.h");
  EXPECT_EQ(sourceFileName("/tmp/pq/util.h", "/tmp/p"), "/tmp/pq/util.h");
  EXPECT_EQ(sourceFileName("/usr/include/stdio.h", "/tmp/p"),
            "/usr/include/stdio.h");
  EXPECT_EQ(sourceFileName("/tmp/p/main.c", ""), "/tmp/p/main.c");
  EXPECT_EQ(sourceFileName("c:\\src\\app\\.\\inc\\util.h", "C:\\Src\\App"),
            "inc\\util.h");
  EXPECT_EQ(sourceFileName("C:\\other\\util.h", "C:\\src"),
            "C:\\other\\util.h");
}

} // namespace
