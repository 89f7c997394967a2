// size --budget on hand-made sizes: the budget file's grammar and its
// errors (file and line), sizes in SI and binary units, and the verdict of
// every limit kind (TOTAL, a row of any view, growth), rows that are not
// there, growth without an old file.
#include "passes/size_budget.h"
#include "support/diagnostics.h"

#include <gtest/gtest.h>

using namespace slimlink;

namespace {

// The message parseBudget throws for `text`, or "" if it reads.
std::string errorOf(const std::string &text) {
  try {
    parseBudget(text, "b.txt");
  } catch (const InputError &e) {
    return e.what();
  }
  return "";
}

BudgetSizes sizes(uint64_t total,
                  std::map<std::pair<SizeView, std::string>, uint64_t> rows) {
  BudgetSizes s;
  s.total = total;
  s.rows = std::move(rows);
  return s;
}

} // namespace

TEST(SizeBudget, ByteSizes) {
  EXPECT_EQ(parseByteSize("0"), 0u);
  EXPECT_EQ(parseByteSize("300"), 300u);
  EXPECT_EQ(parseByteSize("300B"), 300u);
  EXPECT_EQ(parseByteSize("512K"), 512000u) << "K is 1000, as size prints kB";
  EXPECT_EQ(parseByteSize("512k"), 512000u);
  EXPECT_EQ(parseByteSize("512kB"), 512000u);
  EXPECT_EQ(parseByteSize("2.5M"), 2500000u);
  EXPECT_EQ(parseByteSize("2.5MB"), 2500000u);
  EXPECT_EQ(parseByteSize("1G"), 1000000000u);
  EXPECT_EQ(parseByteSize("64Ki"), 65536u);
  EXPECT_EQ(parseByteSize("64KiB"), 65536u);
  EXPECT_EQ(parseByteSize("1.5Mi"), 1572864u);
  EXPECT_EQ(parseByteSize("0.001K"), 1u);
  EXPECT_EQ(parseByteSize("1.0001K"), std::nullopt) << "not whole bytes";
  EXPECT_EQ(parseByteSize("0.5"), std::nullopt);
  for (const char *bad : {"", "K", "-1K", "1.K", ".5K", "1e3", "12Q", "1 K",
                          "99999999999999999G"})
    EXPECT_EQ(parseByteSize(bad), std::nullopt) << bad;
}

TEST(SizeBudget, ParsesLimits) {
  Budget b = parseBudget("# the app\n"
                         "TOTAL 2.5M\n"
                         "\n"
                         "  crates/std   512K   # std's share\n"
                         "sections/.text\t1M\r\n"
                         "inputfiles/lib/libfoo.so 300K\n"
                         "symbols/<(A, B) as Trait>::f 1K\n"
                         "growth TOTAL 16K\n"
                         "growth crates/std 4Ki\n",
                         "b.txt");
  EXPECT_EQ(b.file, "b.txt");
  ASSERT_EQ(b.limits.size(), 7u);
  EXPECT_EQ(b.limits[0].path(), "TOTAL");
  EXPECT_FALSE(b.limits[0].view);
  EXPECT_EQ(b.limits[0].bytes, 2500000u);
  EXPECT_EQ(b.limits[0].line, 2u);
  EXPECT_EQ(b.limits[1].view, SizeView::Crates);
  EXPECT_EQ(b.limits[1].row, "std");
  EXPECT_EQ(b.limits[1].line, 4u);
  EXPECT_EQ(b.limits[2].view, SizeView::Sections);
  EXPECT_EQ(b.limits[2].row, ".text");
  EXPECT_EQ(b.limits[3].view, SizeView::InputFiles);
  EXPECT_EQ(b.limits[3].row, "lib/libfoo.so") << "split at the first '/'";
  EXPECT_EQ(b.limits[4].row, "<(A, B) as Trait>::f") << "names with spaces";
  EXPECT_EQ(b.limits[5].kind, BudgetLimit::Growth);
  EXPECT_FALSE(b.limits[5].view);
  EXPECT_EQ(b.limits[6].kind, BudgetLimit::Growth);
  EXPECT_EQ(b.limits[6].path(), "crates/std");
  EXPECT_EQ(b.limits[6].bytes, 4096u);
  EXPECT_EQ(budgetViews(b),
            (std::vector<SizeView>{SizeView::Crates, SizeView::Sections,
                                   SizeView::InputFiles, SizeView::Symbols}));
  EXPECT_EQ(budgetViews(parseBudget("TOTAL 1M\n", "t")),
            std::vector<SizeView>{SizeView::Sections})
      << "TOTAL alone is measured on one view";
}

TEST(SizeBudget, ErrorsNameFileAndLine) {
  EXPECT_EQ(errorOf("TOTAL 1M\ncrate/std 5K\n"),
            "b.txt: line 2: unknown view 'crate' (views: sections, segments, "
            "symbols, rawsymbols, shortsymbols, fullsymbols, crates, members, "
            "compileunits, inlines, inputfiles)");
  EXPECT_EQ(errorOf("\n\nTOTAL\n"),
            "b.txt: line 3: 'TOTAL' has no size: write PATH SIZE (e.g. "
            "'crates/std 512K')");
  EXPECT_NE(errorOf("TOTAL 1X\n").find("b.txt: line 1: '1X' is not a size"),
            std::string::npos);
  EXPECT_NE(errorOf("total 1M\n").find("line 1: 'total' is not a path"),
            std::string::npos)
      << "TOTAL is upper case, as the table prints it";
  EXPECT_NE(errorOf("crates/ 1M\n").find("line 1: 'crates/' is not a path"),
            std::string::npos);
  EXPECT_NE(errorOf("growth 1M\n").find("line 1: 'growth' needs a path"),
            std::string::npos);
  EXPECT_EQ(errorOf("crates/std 1M\n# x\ncrates/std 2M\n"),
            "b.txt: line 3: crates/std has a limit already (line 1)");
  EXPECT_EQ(errorOf("crates/std 1M\ngrowth crates/std 2K\n"), "")
      << "a size and a growth limit on one row";
  EXPECT_EQ(errorOf("sections/.text#1 1M\n"), "")
      << "'#' inside a name is no comment";
}

TEST(SizeBudget, SizeLimits) {
  Budget b = parseBudget("TOTAL 1000\ncrates/std 100\nsections/.text 50\n"
                         "inputfiles/a.so 700\ncrates/ghost 10\n",
                         "b.txt");
  BudgetSizes now = sizes(1001, {{{SizeView::Crates, "std"}, 100},
                                 {{SizeView::Sections, ".text"}, 80},
                                 {{SizeView::InputFiles, "a.so"}, 600}});
  BudgetVerdict v = checkBudget(b, now);
  ASSERT_EQ(v.checks.size(), 5u);
  EXPECT_EQ(v.checks[0].value, 1001);
  EXPECT_EQ(v.checks[0].over(), 1) << "one byte over";
  EXPECT_EQ(v.checks[1].over(), 0) << "at the limit is within it";
  EXPECT_EQ(v.checks[2].over(), 30);
  EXPECT_EQ(v.checks[3].over(), 0);
  EXPECT_FALSE(v.checks[4].found);
  EXPECT_EQ(v.checks[4].value, 0) << "a row not there is 0 bytes";
  EXPECT_EQ(v.checks[4].over(), 0);
  EXPECT_EQ(v.exceeded(), 2u);
  EXPECT_FALSE(v.ok());
  EXPECT_TRUE(checkBudget(parseBudget("TOTAL 2K\n", "t"), now).ok());
}

TEST(SizeBudget, GrowthLimits) {
  Budget b = parseBudget("TOTAL 10K\ngrowth TOTAL 100\ngrowth crates/std 10\n"
                         "growth crates/new 5\ngrowth crates/gone 0\n",
                         "b.txt");
  BudgetSizes old = sizes(1000, {{{SizeView::Crates, "std"}, 500},
                                 {{SizeView::Crates, "gone"}, 40}});
  BudgetSizes now = sizes(1100, {{{SizeView::Crates, "std"}, 511},
                                 {{SizeView::Crates, "new"}, 5}});
  BudgetVerdict v = checkBudget(b, now, &old);
  EXPECT_EQ(v.checks[1].value, 100);
  EXPECT_EQ(v.checks[1].over(), 0) << "grew by the limit exactly";
  EXPECT_EQ(v.checks[2].value, 11);
  EXPECT_EQ(v.checks[2].over(), 1);
  EXPECT_EQ(v.checks[3].value, 5) << "a new row grew by all of it";
  EXPECT_TRUE(v.checks[3].found);
  EXPECT_EQ(v.checks[4].value, -40) << "a row gone shrank";
  EXPECT_EQ(v.checks[4].over(), 0);
  EXPECT_EQ(v.exceeded(), 1u);
  // Without an old file, growth is not checked (and does not fail).
  BudgetVerdict alone = checkBudget(b, now);
  EXPECT_EQ(alone.unchecked(), 4u);
  EXPECT_TRUE(alone.ok());
  EXPECT_FALSE(alone.checks[2].checked);
  EXPECT_EQ(alone.checks[2].over(), 0);
}

TEST(SizeBudget, SizesOfRows) {
  auto row = [](std::string name, uint64_t file,
                std::vector<SizeRow> children = {}) {
    SizeRow r;
    r.name = std::move(name);
    r.file = file;
    r.children = std::move(children);
    return r;
  };
  SizeResult crates;
  crates.views = {SizeView::Crates};
  crates.file = 300;
  crates.rows = {row("std", 200), row("[C]", 100)};
  // A universal file: the view's rows are inside each slice's.
  SizeResult sections;
  sections.views = {SizeView::Sections};
  sections.file = 300;
  sections.sliced = true;
  sections.rows = {row("[slice arm64]", 150, {row(".text", 100), row("[padding]", 50)}),
                   row("[slice x86_64]", 140, {row(".text", 90), row(".data", 50)}),
                   row("[fat header]", 10)};
  BudgetSizes s = budgetSizes({crates, sections});
  EXPECT_EQ(s.total, 300u);
  EXPECT_EQ((s.rows[{SizeView::Crates, "std"}]), 200u);
  EXPECT_EQ((s.rows[{SizeView::Sections, ".text"}]), 190u) << "summed over slices";
  EXPECT_EQ((s.rows[{SizeView::Sections, ".data"}]), 50u);
  EXPECT_EQ(s.rows.count({SizeView::Sections, "[slice arm64]"}), 0u);
}
