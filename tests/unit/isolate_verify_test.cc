// The API rule, the isolate plan and verify's checks on hand-made models.
#include "passes/isolate.h"
#include "passes/verify.h"
#include "model_builders.h"

#include <gtest/gtest.h>

using namespace slimlink;

using namespace slimlink::test;

namespace {

// A Rust staticlib as rustc lays it out: the crate's own codegen unit, std,
// and the crate's allocator shim.
Library rustLib(std::string crate) {
  static std::vector<std::unique_ptr<std::string>> names;
  names.push_back(std::make_unique<std::string>(crate + "_run"));
  names.push_back(std::make_unique<std::string>("_RNvCs123_5" + crate + "6helper"));
  Library l;
  l.path = "/some/dir/lib" + crate + ".a";
  l.members.push_back(member(crate + "-0123456789abcdef." + crate +
                                 ".0123456789abcdef-cgu.0.rcgu.o",
                             {def(*names[names.size() - 2]),
                              def("rust_eh_personality"), def(*names.back()),
                              ref("_RNvCsX_3std2io5print")}));
  l.members.push_back(member("std-0123456789abcdef.std.0123456789abcdef-cgu.0.rcgu.o",
                             {def("_RNvCsX_3std2io5print"), def("std_c_hook"),
                              ref("__rust_alloc"), ref("malloc")},
                             "STD"));
  l.members.push_back(member(crate + "-0123456789abcdef.shimshimshim.rcgu.o",
                             {def("__rust_alloc"), ref("__rdl_alloc")}));
  return l;
}

} // namespace

TEST(Api, DefaultIsOwnCratesUnmangledSymbols) {
  Library lib = rustLib("alpha");
  auto api = apiSymbols(lib, {});
  ASSERT_EQ(api.size(), 1u);
  EXPECT_EQ(api[0], "alpha_run"); // not std's std_c_hook, not the runtime
}

TEST(Api, DefaultSurvivesARenamedArchive) {
  // A build system's name for the archive: the crate comes from its first
  // Rust member, as rustc writes the crate's own code first.
  Library lib = rustLib("alpha");
  lib.path = "/some/dir/libalpha_static.a";
  EXPECT_EQ(apiSymbols(lib, {}), (std::vector<llvm::StringRef>{"alpha_run"}));
}

TEST(Api, ExplicitSpecWins) {
  Library lib = rustLib("alpha");
  ApiSpec spec;
  spec.names = {"std_c_hook", "not_defined_here"};
  spec.regex = std::make_shared<llvm::Regex>("^alpha_");
  auto api = apiSymbols(lib, spec);
  EXPECT_EQ(api, (std::vector<llvm::StringRef>{"alpha_run", "std_c_hook"}));
}

TEST(Isolate, RenamesEveryDefinedNonApiSymbolWithOneTag) {
  Library lib = rustLib("alpha");
  IsolatePlan p = planIsolate(lib, {.api = {}, .tag = "T"});
  EXPECT_FALSE(p.renames.contains("alpha_run"));
  EXPECT_EQ(p.renames.lookup("rust_eh_personality"), "rust_eh_personality.slimlink.T");
  EXPECT_EQ(p.renames.lookup("__rust_alloc"), "__rust_alloc.slimlink.T");
  EXPECT_TRUE(p.renames.contains("std_c_hook"));
  // Undefined-only symbols (libc) are not the library's to rename.
  EXPECT_FALSE(p.renames.contains("malloc"));
  EXPECT_FALSE(p.renames.contains("__rdl_alloc"));
}

TEST(Isolate, DefaultTagsDifferBetweenLibraries) {
  std::vector<Library> libs;
  libs.push_back(rustLib("alpha"));
  libs.push_back(rustLib("beta"));
  InputSet in = inputs(std::move(libs));
  std::string a = planIsolate(in.libs[0], {}).tag, b = planIsolate(in.libs[1], {}).tag;
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("alpha_", 0), 0u) << a;
}

TEST(Verify, SameLibrariesPassDespiteIdenticalStdAndShims) {
  std::vector<Library> a, b;
  for (auto *v : {&a, &b}) {
    v->push_back(rustLib("alpha"));
    v->push_back(rustLib("beta"));
  }
  InputSet before = inputs(std::move(a)), after = inputs(std::move(b));
  VerifyResult r = verifyLibraries(before, after, {});
  EXPECT_EQ(r.apiSymbols, 2u);
  // std is byte-identical; the shims define the same set: both harmless.
  // rust_eh_personality sits in each crate's own member (as with LTO): not.
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].kind, VerifyProblem::DuplicateStrong);
  EXPECT_EQ(r.problems[0].symbol, "rust_eh_personality");
}

TEST(Verify, MissingApiAndNewUndefined) {
  std::vector<Library> a, b;
  a.push_back(rustLib("alpha"));
  b.push_back(rustLib("alpha"));
  b[0].members.erase(b[0].members.begin() + 1); // std gone
  b[0].members.erase(b[0].members.begin());     // the crate's own code gone
  b[0].members.push_back(member("user.o", {ref("_RNvCsX_3std2io5print")}));
  InputSet before = inputs(std::move(a)), after = inputs(std::move(b));
  VerifyResult r = verifyLibraries(before, after, {});
  std::vector<std::pair<VerifyProblem::Kind, std::string>> got;
  for (auto &p : r.problems)
    got.push_back({p.kind, p.symbol});
  EXPECT_EQ(got, (std::vector<std::pair<VerifyProblem::Kind, std::string>>{
                     {VerifyProblem::MissingApi, "alpha_run"},
                     {VerifyProblem::NewUndefined, "_RNvCsX_3std2io5print"}}));
  // __rdl_alloc was unresolved in the inputs too (libc-like): not new.
}
