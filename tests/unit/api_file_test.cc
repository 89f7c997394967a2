// --api FILE in the forms people have: plain lists, Apple exported-symbols
// lists, GNU version scripts, Windows .def files; mistakes name the line.
#include "passes/api.h"
#include "support/diagnostics.h"

#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace slimlink;

namespace {

ApiSpec parse(const std::string &text) {
  llvm::SmallString<128> path;
  llvm::sys::fs::createTemporaryFile("api", "txt", path);
  std::ofstream(std::string(path)) << text;
  ApiSpec spec;
  try {
    readApiFile(std::string(path), spec);
  } catch (...) {
    llvm::sys::fs::remove(path);
    throw;
  }
  llvm::sys::fs::remove(path);
  return spec;
}

bool matches(const ApiSpec &s, llvm::StringRef name) {
  for (const std::string &n : s.names)
    if (n == name)
      return true;
  for (const auto &g : s.globs)
    if (g->pattern.match(name))
      return true;
  return false;
}

std::string errorOf(const std::string &text) {
  try {
    parse(text);
  } catch (const UserError &e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST(ApiFile, PlainListWithComments) {
  ApiSpec s = parse("# the API\nfoo_init\n  foo_run  # runs\n\nfoo_free\n");
  EXPECT_EQ(s.names, (std::vector<std::string>{"foo_init", "foo_run", "foo_free"}));
  EXPECT_TRUE(s.globs.empty());
}

TEST(ApiFile, AppleExportedSymbolsWithGlobs) {
  ApiSpec s = parse("_foo_init\n_foo_*\n# comment\n_bar?\n");
  EXPECT_TRUE(matches(s, "_foo_init"));
  EXPECT_TRUE(matches(s, "_foo_anything"));
  EXPECT_TRUE(matches(s, "_bar1"));
  EXPECT_FALSE(matches(s, "foo_init")) << "names are matched as spelled";
  EXPECT_FALSE(matches(s, "_bar12"));
}

TEST(ApiFile, GnuVersionScript) {
  ApiSpec s = parse("/* exports */\nFOO_1.0 {\n  global:\n    foo_init; foo_run;\n"
                    "    bar_*;  # globs\n  local: *;\n};\nFOO_2.0 { global: foo_v2; } FOO_1.0;\n");
  EXPECT_TRUE(matches(s, "foo_init"));
  EXPECT_TRUE(matches(s, "foo_run"));
  EXPECT_TRUE(matches(s, "bar_x"));
  EXPECT_TRUE(matches(s, "foo_v2"));
  EXPECT_FALSE(matches(s, "internal")) << "local: * is not API";
  ApiSpec anon = parse("{ global: a; local: *; };");
  EXPECT_TRUE(matches(anon, "a"));
  EXPECT_FALSE(matches(anon, "b"));
}

TEST(ApiFile, WindowsDefFile) {
  ApiSpec s = parse("; exports\nLIBRARY foo\nEXPORTS\n  foo_init @1\n"
                    "  foo_run=foo_run_impl PRIVATE\n  foo_data DATA\n");
  EXPECT_EQ(s.names, (std::vector<std::string>{"foo_init", "foo_run", "foo_data"}));
}

TEST(ApiFile, MistakesNameTheLine) {
  EXPECT_NE(errorOf("foo\nfoo bar\n").find("line 2"), std::string::npos);
  EXPECT_NE(errorOf("V { global: a; b\n};\n").find("line 2"), std::string::npos)
      << errorOf("V { global: a; b\n};\n");
  EXPECT_NE(errorOf("V {\n global: a;\n extern \"C++\" { x; };\n};").find("line 3"),
            std::string::npos);
  EXPECT_NE(errorOf("LIBRARY x\nfoo\n").find("line 2"), std::string::npos);
  EXPECT_NE(errorOf("V { global: a; };\n/* never closed\n").find("line 2"),
            std::string::npos);
}
