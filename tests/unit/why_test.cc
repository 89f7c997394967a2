// why's chains and dominators on a hand-made link: one object whose
// sections call each other, roots given by name.
#include "model_builders.h"
#include "passes/why.h"

#include <gtest/gtest.h>

using namespace slimlink;

namespace {

// Sections 1..n named ".text.<name>", each defining <name> (global) with
// `bytes` VM bytes, and calls between them.
struct OneObject {
  InputSet in;
  WhyLink w;
  ObjectGraph *g;

  OneObject(std::vector<std::pair<std::string, uint64_t>> defs,
            std::vector<std::pair<std::string, std::string>> calls,
            std::vector<llvm::StringRef> roots) {
    std::vector<Library> libs;
    libs.push_back(test::lib("lib.a", {test::member("obj.o")}));
    in = test::inputs(std::move(libs));
    w.objects = {{0, 0}};
    w.graphs.push_back(std::make_unique<ObjectGraph>());
    g = w.graphs[0].get();
    g->sections.emplace_back();
    g->symbols.emplace_back();
    static std::vector<std::unique_ptr<std::string>> names;
    for (auto &[name, bytes] : defs) {
      names.push_back(std::make_unique<std::string>(".text." + name));
      GraphSection s;
      s.name = *names.back();
      s.alloc = s.exec = true;
      s.vmSize = s.fileSize = bytes;
      g->sections.push_back(s);
      names.push_back(std::make_unique<std::string>(name));
      GraphSymbol sym;
      sym.name = *names.back();
      sym.section = g->sections.size() - 1;
      sym.global = true;
      g->symbols.push_back(sym);
    }
    auto index = [&](const std::string &name) {
      for (uint32_t i = 1; i < g->symbols.size(); ++i)
        if (g->symbols[i].name == name)
          return i;
      ADD_FAILURE() << name;
      return 0u;
    };
    for (auto &[from, to] : calls)
      g->relocs.push_back({uint32_t(g->symbols[index(from)].section), index(to)});
    w.link = std::make_unique<Link>(std::vector<const ObjectGraph *>{g});
    w.live = computeLiveness(*w.link, roots, true);
  }
};

const WhyRoot &root(const WhySummary &s, const std::string &name) {
  for (const WhyRoot &r : s.roots)
    if (r.symbol == name)
      return r;
  static WhyRoot none;
  ADD_FAILURE() << "no root " << name;
  return none;
}

} // namespace

TEST(Why, RetainedIsWhatOnlyThatRootKeepsAlive) {
  // a -> b -> d, a -> c -> d; e -> f; a and e both -> shared; dead unused.
  OneObject o({{"a", 1}, {"b", 2}, {"c", 4}, {"d", 8}, {"e", 16}, {"f", 32},
               {"shared", 64}, {"dead", 128}},
              {{"a", "b"}, {"a", "c"}, {"b", "d"}, {"c", "d"}, {"e", "f"},
               {"a", "shared"}, {"e", "shared"}},
              {"a", "e"});
  WhySummary s = summarizeWhy(o.in, o.w, 10, /*withTree=*/true);
  EXPECT_EQ(root(s, "a").retained, 1u + 2 + 4 + 8);
  EXPECT_EQ(root(s, "a").reachable, 1u + 2 + 4 + 8 + 64);
  EXPECT_EQ(root(s, "e").retained, 16u + 32);
  EXPECT_EQ(s.liveBytes, 127u);
  ASSERT_FALSE(s.top.empty());
  EXPECT_EQ(s.top[0].symbol, "shared") << "roots are listed apart";
  EXPECT_EQ(s.top[0].retained, 64u);
  // The tree: every node's retained bytes are its own plus its children's.
  std::vector<uint64_t> sum(s.tree.parent.size());
  for (size_t n = s.tree.parent.size(); n-- > 1;)
    sum[s.tree.parent[n]] += s.tree.retained[n];
  for (size_t n = 0; n < s.tree.parent.size(); ++n)
    EXPECT_EQ(s.tree.retained[n], s.tree.self[n] + sum[n]) << s.tree.label[n];
}

TEST(Why, ARootAnotherRootReachesRetainsNothing) {
  // b is API, and a (API too) calls it: without b in the API, b stays; and
  // without a, b and c stay for b.
  OneObject o({{"a", 1}, {"b", 2}, {"c", 4}}, {{"a", "b"}, {"b", "c"}}, {"a", "b"});
  WhySummary s = summarizeWhy(o.in, o.w, 10, false);
  EXPECT_EQ(root(s, "a").retained, 1u);
  EXPECT_EQ(root(s, "a").reachable, 1u + 2 + 4);
  EXPECT_EQ(root(s, "b").retained, 0u);
  EXPECT_EQ(root(s, "b").reachable, 2u + 4);
}

TEST(Why, ChainsRunFromARootAlongTheShortestPath) {
  OneObject o({{"api", 1}, {"long1", 1}, {"long2", 1}, {"target", 1}, {"dead", 1}},
              {{"api", "long1"}, {"long1", "long2"}, {"long2", "target"},
               {"api", "target"}},
              {"api"});
  WhyAnswer a = explainSymbol(o.in, o.w, "target");
  ASSERT_TRUE(a.reachable);
  ASSERT_EQ(a.chain.size(), 2u);
  EXPECT_EQ(a.chain[0].symbol, "api");
  EXPECT_EQ(a.chain[0].section, ".text.api");
  EXPECT_EQ(a.chain[0].member, "obj.o");
  EXPECT_FALSE(a.chain[0].via.empty());
  EXPECT_EQ(a.chain[1].symbol, "target");
  EXPECT_TRUE(a.chain[1].via.empty());

  WhyAnswer dead = explainSymbol(o.in, o.w, "dead");
  EXPECT_TRUE(dead.defined);
  EXPECT_FALSE(dead.reachable);
  EXPECT_TRUE(dead.chain.empty());
  EXPECT_FALSE(explainSymbol(o.in, o.w, "nowhere").defined);
}

TEST(Why, NamesMatchInTheFormsPeopleType) {
  // v0's <core::fmt::Formatter>::pad: as the source, legacy and backtraces
  // spell it, with and without a hash, mangled either way.
  std::string pad = whyNameKey("<core::fmt::Formatter>::pad");
  EXPECT_EQ(pad, "core::fmt::Formatter::pad");
  EXPECT_EQ(whyNameKey("core::fmt::Formatter::pad"), pad);
  EXPECT_EQ(whyNameKey("core::fmt::Formatter::pad::h0123456789abcdef"), pad);
  EXPECT_EQ(whyNameKey("_ZN4core3fmt9Formatter3pad17h0123456789abcdefE"), pad);
  EXPECT_EQ(whyNameKey("__ZN4core3fmt9Formatter3pad17h0123456789abcdefE"), pad);
  EXPECT_EQ(whyNameKey("_RNvMsa_NtCsgEmfK2I1SDS_4core3fmtNtB5_9Formatter3pad"), pad);
  EXPECT_EQ(whyNameKey(" core[1a2b3c]::fmt::Formatter::pad "), pad);
  // Inside generic arguments and with a turbofish too.
  EXPECT_EQ(whyNameKey("<alloc::vec::Vec<u8, alloc::alloc::Global>>::push"),
            "alloc::vec::Vec<u8,alloc::alloc::Global>::push");
  EXPECT_EQ(whyNameKey("core::ptr::drop_in_place::<alloc::string::String>"),
            "core::ptr::drop_in_place<alloc::string::String>");
  // A qualified path keeps its brackets; slices and arrays stay as they are.
  EXPECT_EQ(whyNameKey("<&T as core::fmt::Display>::fmt"),
            "<&T as core::fmt::Display>::fmt");
  EXPECT_EQ(whyNameKey("<[f32]>::len"), "[f32]::len");
  EXPECT_EQ(whyNameKey("<<alloc::vec::Vec<u8>>::push as core::ops::Fn>::call"),
            "<alloc::vec::Vec<u8>::push as core::ops::Fn>::call");
  EXPECT_EQ(whyNameKey("<fn() -> u8 as core::fmt::Debug>::fmt"),
            "<fn() -> u8 as core::fmt::Debug>::fmt");
  EXPECT_NE(whyNameKey("core::fmt::Formatter::padd"), pad);
  EXPECT_EQ(whyNameKey("plain_c_function"), "plain_c_function");
}

TEST(Why, ANameNoSymbolHasGetsTheNearestOnesAndNoChain) {
  const char *pad = "_RNvMsa_NtCsgEmfK2I1SDS_4core3fmtNtB5_9Formatter3pad";
  OneObject o({{"api", 1}, {pad, 1}, {"other", 1}}, {{"api", pad}}, {"api"});
  for (const char *asked :
       {"core::fmt::Formatter::pad", "core::fmt::Formatter::pad::h0123456789abcdef",
        "<core::fmt::Formatter>::pad", pad}) {
    WhyAnswer a = explainSymbol(o.in, o.w, asked);
    EXPECT_TRUE(a.defined) << asked;
    EXPECT_TRUE(a.reachable) << asked;
    EXPECT_EQ(a.symbol, pad) << asked;
    EXPECT_EQ(a.matches, 1u) << asked;
    EXPECT_TRUE(a.suggestions.empty()) << asked;
  }
  WhyAnswer typo = explainSymbol(o.in, o.w, "core::fmt::Formatter::padd");
  EXPECT_FALSE(typo.defined);
  EXPECT_FALSE(typo.reachable);
  ASSERT_FALSE(typo.suggestions.empty());
  EXPECT_EQ(typo.suggestions[0], "<core::fmt::Formatter>::pad");
  WhyAnswer last = explainSymbol(o.in, o.w, "Formatter::pad");
  ASSERT_FALSE(last.suggestions.empty()) << "the same last segment";
  EXPECT_EQ(last.suggestions[0], "<core::fmt::Formatter>::pad");
}
