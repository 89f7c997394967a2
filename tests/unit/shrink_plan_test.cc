// shrink's plan on a hand-made set: which members stay, which distinct
// rewrites run, and the names they give. No files, no rewriting.
#include "passes/shrink.h"
#include "passes/isolate.h"
#include "model_builders.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace slimlink;
using namespace slimlink::test;

namespace {

Member elf(Member m) {
  m.target = {llvm::Triple::ELF, llvm::Triple::x86_64};
  return m;
}

// One function per section: .text.<name>, defined global; `calls` are
// relocations from the first section to undefined symbols.
ObjectGraph graph(std::vector<std::string> defines,
                  std::vector<std::string> calls = {}) {
  static std::vector<std::unique_ptr<std::string>> storage;
  auto keep = [](std::string s) -> llvm::StringRef {
    storage.push_back(std::make_unique<std::string>(std::move(s)));
    return *storage.back();
  };
  ObjectGraph g;
  g.sections.resize(1 + defines.size());
  g.symbols.resize(1);
  for (size_t k = 0; k < defines.size(); ++k) {
    GraphSection &s = g.sections[1 + k];
    s.name = keep(".text." + defines[k]);
    s.fileSize = 16;
    s.alloc = s.exec = true;
    g.symbols.push_back({.name = keep(defines[k]), .section = int32_t(1 + k),
                         .global = true});
  }
  for (const std::string &c : calls) {
    g.relocs.push_back({.from = 1, .symbol = uint32_t(g.symbols.size())});
    g.symbols.push_back({.name = keep(c), .global = true});
  }
  return g;
}

// liba: a.o (API a_run, calls print), std, dead.o (reached by nothing);
// libb: b.o (API b_run, calls print), the same std.
InputSet twoLibraries() {
  std::vector<Library> libs;
  libs.push_back(lib("liba.a", {elf(member("a.o", {def("a_run"), ref("print")})),
                                elf(member("std.o", {def("print"), def("unused")}, "STD")),
                                elf(member("dead.o", {def("dead_fn")}))}));
  libs.push_back(lib("libb.a", {elf(member("b.o", {def("b_run"), ref("print")})),
                                elf(member("std.o", {def("print"), def("unused")}, "STD"))}));
  return inputs(std::move(libs));
}

struct TwoLibraries {
  InputSet in = twoLibraries();
  SetGraphs graphs;

  TwoLibraries() {
    // Contents in order: a.o, std, dead.o, b.o.
    graphs.graphs = {graph({"a_run"}, {"print"}), graph({"print", "unused"}),
                     graph({"dead_fn"}), graph({"b_run"}, {"print"})};
    for (const ObjectGraph &g : graphs.graphs)
      graphs.byContent.push_back(&g);
  }

  ShrinkPlan plan(bool keepNames) {
    ApiSpec api;
    api.names = {"a_run", "b_run"};
    return planShrink(in, graphs, {.api = api, .keepNames = keepNames, .tag = "T"});
  }
};

bool has(const std::vector<std::string> &v, const std::string &s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

} // namespace

TEST(ShrinkPlan, SharedMemberIsRewrittenOnceAndDeadOnesDropped) {
  TwoLibraries set;
  ASSERT_EQ(set.in.contents.size(), 4u);
  ShrinkPlan p = set.plan(false);
  ASSERT_EQ(p.members.size(), 2u);
  const auto &a = p.members[0], &b = p.members[1];
  EXPECT_TRUE(a[0].keep && a[1].keep && b[0].keep && b[1].keep);
  EXPECT_FALSE(a[2].keep); // dead.o: the API reaches nothing in it
  EXPECT_FALSE(a[2].rewrite);
  ASSERT_TRUE(a[1].rewrite && b[1].rewrite);
  EXPECT_EQ(*a[1].rewrite, *b[1].rewrite); // one std, one rewrite
  EXPECT_EQ(p.rewrites.size(), 3u);
  EXPECT_EQ(p.objectCopies, 4u);
  EXPECT_EQ(p.apiSymbols, 2u);
}

TEST(ShrinkPlan, PrivateNamesAreShortAndUnusedOnesLocal) {
  TwoLibraries set;
  ShrinkPlan p = set.plan(false);
  const ShrinkRewrite &std = p.rewrites[*p.members[0][1].rewrite];
  // print is numbered 1 (a_run is 0); unused is named by nothing: local.
  EXPECT_EQ(std.renames.lookup("print"), "T_1");
  EXPECT_FALSE(std.renames.contains("unused"));
  EXPECT_TRUE(has(std.edit.localizeSymbols, "unused"));
  EXPECT_TRUE(std.edit.shortNames);
  EXPECT_TRUE(std.edit.stripDebug);
  EXPECT_EQ(std.edit.renames, nullptr); // the plan is data; the writer points it
  const ShrinkRewrite &a = p.rewrites[*p.members[0][0].rewrite];
  EXPECT_EQ(a.renames.lookup("print"), "T_1");
  EXPECT_FALSE(a.renames.contains("a_run")); // API
  EXPECT_EQ(p.shortNames,
            (std::vector<std::pair<std::string, std::string>>{{"T_1", "print"}}));
  EXPECT_EQ(p.privateSymbols, 2u); // print, once in each library
}

TEST(ShrinkPlan, KeepNamesUsesIsolatesSuffix) {
  TwoLibraries set;
  ShrinkPlan p = set.plan(true);
  const ShrinkRewrite &std = p.rewrites[*p.members[1][1].rewrite];
  EXPECT_EQ(std.renames.lookup("print"), "print" + privateSuffix("T"));
  EXPECT_EQ(std.renames.lookup("print"), "print.slimlink.T");
  EXPECT_FALSE(std.edit.shortNames);
  EXPECT_TRUE(p.shortNames.empty());
}
