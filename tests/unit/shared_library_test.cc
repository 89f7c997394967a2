// --shared's plan on hand-made models: what the shared library exports, and
// when a set cannot share one std.
#include "passes/shared_library.h"
#include "model_builders.h"

#include <gtest/gtest.h>

using namespace slimlink;
using namespace slimlink::test;

using Names = std::vector<std::string>;

namespace {
const char *kStd = "std-1a2b3c4d5e6f7a8b.std.9c8d7e6f5a4b3c2d-cgu.0.rcgu.o";
const char *kOtherStd = "std-0000000000000001.std.9c8d7e6f5a4b3c2d-cgu.0.rcgu.o";
} // namespace

TEST(SharedLibraryPlan, ExportsWhatSlimLibrariesImportFromCommonOnly) {
  // std is shared; each plugin imports some of it, defines its own shim
  // (which common also holds, as a fallback copy), and imports a host
  // symbol nobody here defines.
  Member std = member(kStd, {def("std_print"), def("std_alloc"),
                             def("std_unused"), ref("shim_alloc")}, "STD");
  std::vector<Library> libs;
  libs.push_back(lib("a.a", {member("a.o", {def("a_api"), ref("std_print"),
                                            ref("host_fn"), ref("shim_alloc")}),
                             member("a_shim.o", {def("shim_alloc"), ref("std_alloc")}),
                             std}));
  libs.push_back(lib("b.a", {std, member("b.o", {def("b_api"), ref("std_alloc"),
                                                 ref("b_local")}),
                             member("b2.o", {def("b_local")})}));
  InputSet in = inputs(std::move(libs));
  DedupPlan plan = planDedup(in, {});
  SharedLibraryPlan p = planSharedLibrary(in, plan);
  // std_unused: no module asks; shim_alloc: each module has its own;
  // host_fn: nothing here defines it; b_local: b's own.
  EXPECT_EQ(p.exports, (Names{"std_alloc", "std_print"}));
}

TEST(SharedLibraryPlan, HiddenExportsAreMadeVisibleWhereTheyAreHeld) {
  // Rust's std defines its internal symbols hidden, and the allocator shim
  // each crate has references them hidden: both sides of the export get
  // the edit, nothing else does.
  Symbol hiddenDef = def("rdl_alloc"), hiddenRef = ref("rdl_alloc");
  hiddenDef.hidden = hiddenRef.hidden = true;
  Symbol hiddenOther = def("std_private");
  hiddenOther.hidden = true;
  Member std = member(kStd, {hiddenDef, hiddenOther, def("std_print")}, "STD");
  std::vector<Library> libs;
  libs.push_back(lib("a.a", {member("a_shim.o", {def("rust_alloc"), hiddenRef}),
                             member("a.o", {ref("std_print"), ref("rust_alloc")}),
                             std}));
  libs.push_back(lib("b.a", {std, member("b.o", {ref("std_print")})}));
  InputSet in = inputs(std::move(libs));
  DedupPlan plan = planDedup(in, {});
  SharedLibraryPlan p = planSharedLibrary(in, plan);
  EXPECT_EQ(p.exports, (Names{"rdl_alloc", "std_print"}));
  ASSERT_EQ(p.madeVisible.size(), 2u);
  EXPECT_EQ(p.madeVisible.at(in.libs[0].members[0].content), (Names{"rdl_alloc"}));
  EXPECT_EQ(p.madeVisible.at(in.libs[0].members[2].content), (Names{"rdl_alloc"}));
}

TEST(SharedLibraryPlan, NothingSharedExportsNothing) {
  std::vector<Library> libs;
  libs.push_back(lib("a.a", {member("a.o", {def("a_api"), ref("x")})}));
  libs.push_back(lib("b.a", {member("b.o", {def("x")})}));
  InputSet in = inputs(std::move(libs));
  DedupPlan plan = planDedup(in, {});
  EXPECT_TRUE(plan.common.empty());
  EXPECT_TRUE(planSharedLibrary(in, plan).exports.empty());
}

TEST(SharedStdMismatch, OneStdBuildIsFine) {
  std::vector<Library> libs;
  libs.push_back(lib("a.a", {member("a.o"), member(kStd, {}, "STD")}));
  libs.push_back(lib("b.a", {member(kStd, {}, "STD2"), member("b.o")}));
  libs.push_back(lib("c.a", {member("c.o")})); // C: no std at all
  EXPECT_EQ(sharedStdMismatch(inputs(std::move(libs))), "");
}

TEST(SharedStdMismatch, TwoStdBuildsNameBothLibraries) {
  std::vector<Library> libs;
  libs.push_back(lib("a.a", {member("a.o"), member(kStd)}));
  libs.push_back(lib("old.a", {member(kOtherStd), member("b.o")}));
  std::string why = sharedStdMismatch(inputs(std::move(libs)));
  EXPECT_NE(why.find("old.a holds std-0000000000000001 but a.a holds "
                     "std-1a2b3c4d5e6f7a8b"),
            std::string::npos)
      << why;
}
