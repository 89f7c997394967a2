// size --duplicates' grouping on hand-made per-file rows: copies, sum - max,
// the order, the versions-differ flag and stripped inputs.
#include "passes/size_duplicates.h"

#include <gtest/gtest.h>

using namespace slimlink;

namespace {

SizeRow row(std::string name, uint64_t vm, uint64_t file,
            std::vector<SizeRow> children = {}) {
  SizeRow r;
  r.name = std::move(name);
  r.vm = vm;
  r.file = file;
  r.children = std::move(children);
  return r;
}

// One input's result, as computeSize(file, duplicatesViews(view)) gives it.
SizeResult input(std::string path, std::vector<SizeRow> rows,
                 SizeView view = SizeView::Crates) {
  SizeResult r;
  r.views = duplicatesViews(view);
  r.files = {std::move(path)};
  for (const SizeRow &x : rows) {
    r.vm += x.vm;
    r.file += x.file;
  }
  r.rows = std::move(rows);
  return r;
}

// std's non-generic entry point, built by one rustc (v0 and legacy), and by
// another (another crate disambiguator, another hash).
const char *kStdV0 = "_RNvNtCsjrHSEGnQ3l9_3std2rt19lang_start_internal";
const char *kStdV0Other = "_RNvNtCs1234abcdXYZ_3std2rt19lang_start_internal";
const char *kStdLegacy = "_ZN3std2rt19lang_start_internal17h640b073b2ab98941E";
const char *kStdLegacyOther =
    "_ZN3std2rt19lang_start_internal17h0123456789abcdefE";

} // namespace

TEST(SizeDuplicates, CopiesAndSumMinusMax) {
  std::vector<SizeResult> in;
  in.push_back(input("a.so", {row("std", 100, 120), row("alpha", 10, 10),
                              row("[C]", 5, 5)}));
  in.push_back(input("b.so", {row("std", 80, 150), row("beta", 7, 7),
                              row("[C]", 5, 5)}));
  in.push_back(input("c.so", {row("std", 90, 100), row("alpha", 4, 30)}));
  SizeDuplicates d = findDuplicates(in, SizeView::Crates);
  EXPECT_EQ(d.files, (std::vector<std::string>{"a.so", "b.so", "c.so"}));
  ASSERT_EQ(d.rows.size(), 2u) << "beta is in one file; [C] is no crate";
  const DuplicateRow &std_ = d.rows[0];
  EXPECT_EQ(std_.name, "std");
  EXPECT_EQ(std_.copies(), 3u);
  EXPECT_EQ(std_.files, (std::vector<std::string>{"a.so", "b.so", "c.so"}));
  EXPECT_EQ(std_.vm, 270u);
  EXPECT_EQ(std_.file, 370u);
  // Each space's own largest copy is the one kept.
  EXPECT_EQ(std_.duplicatedVm, 270u - 100u);
  EXPECT_EQ(std_.duplicatedFile, 370u - 150u);
  const DuplicateRow &alpha = d.rows[1];
  EXPECT_EQ(alpha.name, "alpha");
  EXPECT_EQ(alpha.files, (std::vector<std::string>{"a.so", "c.so"}));
  EXPECT_EQ(alpha.duplicatedVm, 4u);
  EXPECT_EQ(alpha.duplicatedFile, 10u);
  EXPECT_EQ(d.duplicatedVm, 170u + 4u);
  EXPECT_EQ(d.duplicatedFile, 220u + 10u);
  EXPECT_EQ(d.vm, 115u + 92u + 94u);
  EXPECT_EQ(d.file, 135u + 162u + 130u);
  EXPECT_FALSE(std_.versionsDiffer) << "no Rust names to tell";
  EXPECT_TRUE(d.unnamed.empty());
}

TEST(SizeDuplicates, SortedByDuplicatedFileBytesThenName) {
  std::vector<SizeResult> in;
  in.push_back(input("a", {row("b", 0, 10), row("a", 0, 10), row("c", 99, 5),
                           row("d", 0, 50)}));
  in.push_back(input("b", {row("b", 0, 10), row("a", 0, 10), row("c", 99, 5),
                           row("d", 0, 1)}));
  SizeDuplicates d = findDuplicates(in, SizeView::Sections);
  std::vector<std::string> order;
  for (const DuplicateRow &r : d.rows)
    order.push_back(r.name);
  // d's duplicated bytes are its smaller copy (1), under c's VM 99 but by
  // file bytes c has 5.
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(d.rows[3].duplicatedFile, 1u);
  EXPECT_EQ(d.rows[2].duplicatedVm, 99u);
}

TEST(SizeDuplicates, OneInputHasNoDuplicates) {
  SizeDuplicates d = findDuplicates(
      {input("a", {row("std", 1, 1), row("core", 2, 2)})}, SizeView::Crates);
  EXPECT_TRUE(d.rows.empty());
  EXPECT_EQ(d.duplicatedFile, 0u);
}

TEST(SizeDuplicates, SameBuildOfACrateIsOneVersion) {
  for (const char *sym : {kStdV0, kStdLegacy}) {
    std::vector<SizeResult> in;
    in.push_back(input("a", {row("std", 10, 10,
                                 {row(sym, 8, 8), row("[section .text]", 2, 2)})}));
    // b has a generic of its own beside the shared one: still one build.
    in.push_back(input("b", {row("std", 20, 20,
                                 {row(sym, 8, 8),
                                  row("_ZN3std2io5stdio6_print17h1111111111111111E",
                                      12, 12)})}));
    SizeDuplicates d = findDuplicates(in, SizeView::Crates);
    ASSERT_EQ(d.rows.size(), 1u);
    EXPECT_FALSE(d.rows[0].versionsDiffer) << sym;
  }
}

TEST(SizeDuplicates, OtherBuildsOfACrateDiffer) {
  for (auto [one, other] : {std::pair{kStdV0, kStdV0Other},
                            std::pair{kStdLegacy, kStdLegacyOther}}) {
    std::vector<SizeResult> in;
    in.push_back(input("a", {row("std", 10, 10, {row(one, 10, 10)})}));
    in.push_back(input("b", {row("std", 10, 12, {row(other, 10, 12)})}));
    in.push_back(input("c", {row("std", 10, 10, {row(one, 10, 10)})}));
    SizeDuplicates d = findDuplicates(in, SizeView::Crates);
    ASSERT_EQ(d.rows.size(), 1u);
    EXPECT_TRUE(d.rows[0].versionsDiffer) << one << " / " << other;
    EXPECT_EQ(d.rows[0].copies(), 3u);
    EXPECT_EQ(d.rows[0].duplicatedFile, 20u);
  }
}

TEST(SizeDuplicates, UnmangledNamesDoNotProveOneBuild) {
  // rust_eh_personality is in every build of std: the copies still differ.
  std::vector<SizeResult> in;
  in.push_back(input("a", {row("std", 10, 10, {row(kStdV0, 5, 5),
                                               row("rust_eh_personality", 5, 5)})}));
  in.push_back(input("b", {row("std", 10, 10, {row(kStdV0Other, 5, 5),
                                               row("rust_eh_personality", 5, 5)})}));
  EXPECT_TRUE(findDuplicates(in, SizeView::Crates).rows[0].versionsDiffer);
}

TEST(SizeDuplicates, SymbolsMatchByMangledName) {
  std::vector<SizeResult> in;
  in.push_back(input("a", {row(kStdLegacy, 0, 8), row("[section .text]", 0, 90)},
                     SizeView::Symbols));
  in.push_back(input("b", {row(kStdLegacyOther, 0, 8), row(kStdLegacy, 0, 6),
                           row("[section .text]", 0, 90)},
                     SizeView::Symbols));
  SizeDuplicates d = findDuplicates(in, SizeView::Symbols);
  ASSERT_EQ(d.rows.size(), 1u) << "another hash is another symbol; bracketed "
                                  "rows never match";
  EXPECT_EQ(d.rows[0].name, kStdLegacy);
  EXPECT_EQ(d.rows[0].duplicatedFile, 6u);
  EXPECT_FALSE(d.rows[0].versionsDiffer) << "only crates have versions";
}

TEST(SizeDuplicates, StrippedInputsAreNamed) {
  std::vector<SizeResult> in;
  in.push_back(input("a", {row("std", 10, 10), row("[section .text]", 5, 5)}));
  SizeResult stripped =
      input("s", {row("[section .text]", 15, 15), row("[symbol tables]", 1, 1)});
  stripped.stripped = {{"s", "exports only", 0}};
  in.push_back(std::move(stripped));
  // Stripped, but its dynamic symbols still name std.
  SizeResult dynamic = input("t", {row("std", 4, 4), row("[section .text]", 9, 9)});
  dynamic.stripped = {{"t", "no symbols", 0}};
  in.push_back(std::move(dynamic));
  SizeDuplicates d = findDuplicates(in, SizeView::Crates);
  EXPECT_EQ(d.stripped, (std::vector<std::string>{"s", "t"}));
  EXPECT_EQ(d.unnamed, (std::vector<std::string>{"s"}));
  ASSERT_EQ(d.rows.size(), 1u);
  EXPECT_EQ(d.rows[0].files, (std::vector<std::string>{"a", "t"}));
  EXPECT_EQ(d.rows[0].duplicatedFile, 4u);
  EXPECT_EQ(d.file, 15u + 16u + 13u) << "the totals are of every input";
}
