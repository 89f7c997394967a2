// The dedup plan on hand-made models: no files, just the structs.
#include "passes/dedup.h"
#include "model_builders.h"

#include <gtest/gtest.h>

using namespace slimlink;

using namespace slimlink::test;

namespace {

// dedup_plan tests give bytes first: which members are equal is the point.
Member member(std::string name, const std::string &bytes,
              std::vector<Symbol> syms = {}) {
  return test::member(std::move(name), std::move(syms), bytes);
}

std::vector<std::string> names(const InputSet &in,
                               const std::vector<MemberRef> &refs) {
  std::vector<std::string> out;
  for (MemberRef r : refs)
    out.push_back(in.at(r).name);
  return out;
}

using Names = std::vector<std::string>;

} // namespace

TEST(DedupPlan, SharesIdenticalBytesKeepsUniqueOnesInOrder) {
  std::vector<Library> libs;
  libs.push_back(lib("a.a", {member("a.o", "AAA"), member("std.o", "STD"),
                             member("core.o", "CORE")}));
  libs.push_back(lib("b.a", {member("std.o", "STD"), member("b.o", "BBB"),
                             member("core.o", "CORE")}));
  InputSet in = inputs(std::move(libs));
  DedupPlan p = planDedup(in, {});
  EXPECT_EQ(names(in, p.common), (Names{"std.o", "core.o"}));
  EXPECT_EQ(p.sharedCount, 2u);
  EXPECT_EQ(names(in, p.slim[0]), (Names{"a.o"}));
  EXPECT_EQ(names(in, p.slim[1]), (Names{"b.o"}));
  EXPECT_TRUE(p.moved[1][0]);
  EXPECT_FALSE(p.moved[1][1]);
}

TEST(DedupPlan, NamesAreNeverTrusted) {
  std::vector<Library> libs;
  // Same name, different bytes (crate features, LTO): not shared.
  libs.push_back(lib("a.a", {member("x.o", "one"), member("p.o", "same")}));
  // Different name, same bytes (thin LTO renames): shared, first name wins.
  libs.push_back(lib("b.a", {member("x.o", "two"), member("q.o", "same")}));
  InputSet in = inputs(std::move(libs));
  DedupPlan p = planDedup(in, {});
  EXPECT_EQ(names(in, p.common), (Names{"p.o"}));
  EXPECT_EQ(names(in, p.slim[0]), (Names{"x.o"}));
  EXPECT_EQ(names(in, p.slim[1]), (Names{"x.o"}));
}

TEST(DedupPlan, EqualFingerprintDifferentBytesIsNotShared) {
  // The fingerprint samples head, tail and a few spots of big members: two
  // members that differ only elsewhere must be told apart by the compare.
  std::string a(100000, 'x'), b = a;
  b[50300] = 'y'; // between two sampled spots
  std::vector<Library> libs;
  libs.push_back(lib("a.a", {member("x.o", a)}));
  libs.push_back(lib("b.a", {member("x.o", b)}));
  InputSet in = inputs(std::move(libs));
  EXPECT_EQ(in.at({0, 0}).fingerprint, in.at({1, 0}).fingerprint);
  DedupPlan p = planDedup(in, {});
  EXPECT_TRUE(p.common.empty());
  EXPECT_EQ(in.contents.size(), 2u);
}

TEST(DedupPlan, BigIdenticalMembersAreShared) {
  std::string a(100000, 'x');
  std::vector<Library> libs;
  libs.push_back(lib("a.a", {member("x.o", a)}));
  libs.push_back(lib("b.a", {member("y.o", a)}));
  InputSet in = inputs(std::move(libs));
  EXPECT_EQ(names(in, planDedup(in, {}).common), (Names{"x.o"}));
}

TEST(DedupPlan, DuplicateContentInsideOneInputIsNotShared) {
  std::vector<Library> libs;
  libs.push_back(lib("a.a", {member("x.o", "dup"), member("x.o", "dup")}));
  libs.push_back(lib("b.a", {member("y.o", "other")}));
  InputSet in = inputs(std::move(libs));
  DedupPlan p = planDedup(in, {});
  EXPECT_TRUE(p.common.empty());
  EXPECT_EQ(names(in, p.slim[0]), (Names{"x.o", "x.o"}));
}

TEST(DedupPlan, BackReferenceGetsFallbackCopyFromFirstInput) {
  std::vector<Library> libs;
  // std (shared) calls __rust_alloc, which only each crate's shim defines.
  auto stdObj = [] {
    return member("std.o", "STD", {def("std_fn"), ref("__rust_alloc"),
                                   weakRef("__weak_hook"), ref("malloc")});
  };
  libs.push_back(lib("a.a", {member("a.o", "A", {ref("std_fn")}), stdObj(),
                             member("a_shim.o", "SHIM-A",
                                    {def("__rust_alloc"), ref("__rdl_alloc")}),
                             member("a_hook.o", "HOOK", {def("__weak_hook")})}));
  libs.push_back(lib("b.a", {member("b.o", "B", {ref("std_fn")}), stdObj(),
                             member("b_shim.o", "SHIM-B",
                                    {def("__rust_alloc")})}));
  InputSet in = inputs(std::move(libs));
  DedupPlan p = planDedup(in, {});
  EXPECT_EQ(names(in, p.common), (Names{"std.o", "a_shim.o"}));
  EXPECT_EQ(p.sharedCount, 1u);
  ASSERT_EQ(p.backrefs.size(), 1u);
  EXPECT_EQ(p.backrefs[0].symbol, "__rust_alloc");
  EXPECT_EQ(p.backrefs[0].definer, (MemberRef{0, 2}));
  // The slim libraries keep their own shims.
  EXPECT_EQ(names(in, p.slim[0]), (Names{"a.o", "a_shim.o", "a_hook.o"}));
  EXPECT_EQ(names(in, p.slim[1]), (Names{"b.o", "b_shim.o"}));
}

TEST(DedupPlan, BackReferencesCloseTransitively) {
  std::vector<Library> libs;
  auto shared = [] { return member("s.o", "S", {ref("f")}); };
  libs.push_back(lib("a.a", {shared(), member("f.o", "F", {def("f"), ref("g")}),
                             member("g.o", "G", {def("g")})}));
  libs.push_back(lib("b.a", {shared()}));
  InputSet in = inputs(std::move(libs));
  DedupPlan p = planDedup(in, {});
  EXPECT_EQ(names(in, p.common), (Names{"s.o", "f.o", "g.o"}));
  EXPECT_EQ(p.backrefs.size(), 2u);
}

TEST(DedupPlan, NonObjectsKeptOrDropped) {
  std::vector<Library> libs;
  Member meta = member("lib.rmeta", "META");
  meta.kind = MemberKind::Other;
  libs.push_back(lib("a.a", {member("a.o", "A"), meta}));
  libs.push_back(lib("b.a", {member("b.o", "B"), meta}));
  InputSet in = inputs(std::move(libs));
  EXPECT_EQ(names(in, planDedup(in, {}).common), (Names{"lib.rmeta"}));
  DedupPlan dropped = planDedup(in, {.dropNonObjects = true});
  EXPECT_TRUE(dropped.common.empty());
  EXPECT_EQ(dropped.dropped, 2u);
  EXPECT_EQ(names(in, planMerge(in, {.dropNonObjects = true})),
            (Names{"a.o", "b.o"}));
}

TEST(DedupPlan, MergeKeepsOneCopyOfEachDistinctMember) {
  std::vector<Library> libs;
  libs.push_back(lib("a.a", {member("a.o", "A"), member("s.o", "S")}));
  libs.push_back(lib("b.a", {member("s.o", "S"), member("b.o", "B"),
                             member("a2.o", "A")}));
  InputSet in = inputs(std::move(libs));
  EXPECT_EQ(names(in, planMerge(in, {})), (Names{"a.o", "s.o", "b.o"}));
}

TEST(DedupPlan, AgainstABaseKeepsWhatNoBaseHoldsAndFindsBackReferences) {
  std::vector<Library> libs;
  // The base: a common library whose std needs __rust_alloc, which only
  // the new library's shim defines (no fallback copy in this base).
  libs.push_back(lib("libcommon.a", {member("std.o", "STD", {def("std_fn"), ref("__rust_alloc")}),
                                     member("core.o", "CORE", {def("core_fn")})}));
  libs.push_back(lib("libnew.a", {member("std.o", "STD", {def("std_fn"), ref("__rust_alloc")}),
                                  member("new.o", "NEW", {def("new_api"), ref("std_fn")}),
                                  member("core.o", "CORE2", {def("core_fn")}),
                                  member("shim.o", "SHIM", {def("__rust_alloc")})}));
  InputSet in = inputs(std::move(libs));
  BasePlan p = planAgainstBase(in, 1, {});
  ASSERT_EQ(p.slim.size(), 1u);
  // core.o has another name's bytes here: kept (names are never trusted).
  EXPECT_EQ(names(in, p.slim[0]), (Names{"new.o", "core.o", "shim.o"}));
  EXPECT_EQ(p.inBase[1], (std::vector<bool>{true, false, false, false}));
  ASSERT_EQ(p.backrefs.size(), 1u);
  EXPECT_EQ(p.backrefs[0].symbol, "__rust_alloc");
  EXPECT_EQ(in.at(p.backrefs[0].definer).name, "shim.o");
}

// readLibraries sorts members into byte classes as it opens the libraries;
// assignContents then numbers contents from the classes. The classes must
// say exactly what a full compare says, and the numbering must stay the one
// the compare gives (output names and order depend on it).
namespace {
InputSet classified(std::vector<Library> libs) {
  ByteClasses classes;
  for (Library &l : libs) {
    for (Member &m : l.members) {
      m.fingerprint = fingerprintOf(m.data);
      m.byteClass = classes.classify(m.fingerprint, m.data, m.data);
    }
    l.fingerprinted = l.classified = true;
  }
  return inputs(std::move(libs));
}
} // namespace

TEST(ByteClasses, EqualBytesOnlyShareAClass) {
  std::string a(100000, 'x'), b = a, c = a;
  b[50300] = 'y'; // same size and fingerprint as a, other bytes
  ByteClasses classes;
  uint32_t ca = classes.classify(fingerprintOf(a), a, a);
  ASSERT_EQ(fingerprintOf(a), fingerprintOf(b));
  uint32_t cb = classes.classify(fingerprintOf(b), b, b);
  EXPECT_NE(ca, cb);
  // A copy elsewhere in memory (another library's bytes) joins a's class.
  EXPECT_EQ(classes.classify(fingerprintOf(c), c, c), ca);
  EXPECT_EQ(classes.classify(fingerprintOf(b), std::string(b), b), cb);
}

TEST(ByteClasses, NumberContentsAsTheCompareDoes) {
  // A fingerprint collision numbers the colliding content after every
  // other: the classes must keep that order, not number it where it comes.
  std::string a(100000, 'x'), b = a;
  b[50300] = 'y';
  auto make = [&] {
    std::vector<Library> libs;
    libs.push_back(lib("a.a", {member("x.o", a), member("s.o", "STD")}));
    libs.push_back(lib("b.a", {member("x.o", b), member("t.o", "T"),
                               member("s.o", "STD")}));
    libs.push_back(lib("c.a", {member("x.o", b), member("x2.o", a)}));
    return libs;
  };
  InputSet compared = inputs(make()), byClass = classified(make());
  ASSERT_EQ(compared.contents.size(), 4u);
  EXPECT_EQ(byClass.contents, compared.contents);
  for (uint32_t l = 0; l < compared.libs.size(); ++l)
    for (uint32_t i = 0; i < compared.libs[l].members.size(); ++i)
      EXPECT_EQ(byClass.at({l, i}).content, compared.at({l, i}).content)
          << l << " " << i;
}
