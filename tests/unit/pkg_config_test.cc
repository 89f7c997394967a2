// --pkg-config's files: the static line, and with --shared one file for the
// shared library and one per module, for each platform's linker.
#include "write/pkg_config.h"

#include <gtest/gtest.h>

using namespace slimlink;

namespace {

Target target(llvm::Triple::ObjectFormatType format, llvm::Triple::ArchType arch) {
  Target t;
  t.format = format;
  t.arch = arch;
  return t;
}

// The Libs: (or Requires:) line of a .pc text.
std::string field(const std::string &pc, const std::string &name) {
  size_t at = pc.find("\n" + name + ": ");
  if (at == std::string::npos)
    return "(none)";
  at += name.size() + 3;
  return pc.substr(at, pc.find('\n', at) - at);
}

} // namespace

TEST(PkgConfig, StaticLineIsSlimThenCommonThenNative) {
  std::string pc = pkgConfigText("set", {"out/libplug_a.a", "out/libcommon.a"},
                                 target(llvm::Triple::ELF, llvm::Triple::x86_64),
                                 true);
  EXPECT_EQ(field(pc, "Libs"), "-L${libdir} -lplug_a -lcommon");
  EXPECT_EQ(field(pc, "Libs.private"), "-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc");
}

TEST(PkgConfig, SharedElf) {
  auto files = sharedPkgConfigFiles("out", "set", {"out/libplug_a.a", "out/libplug_b.a"},
                                    "libcommon.so",
                                    target(llvm::Triple::ELF, llvm::Triple::x86_64));
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].first, "out/set.pc");
  EXPECT_EQ(field(files[0].second, "Libs"), "-L${libdir} -lcommon");
  EXPECT_EQ(files[1].first, "out/set-plug_a.pc");
  EXPECT_EQ(field(files[1].second, "Name"), "set-plug_a");
  EXPECT_EQ(field(files[1].second, "Requires"), "set");
  // $ORIGIN unquoted: pkg-config's output is not read by a shell twice.
  EXPECT_EQ(field(files[1].second, "Libs"),
            "-Wl,--whole-archive ${libdir}/libplug_a.a -Wl,--no-whole-archive "
            "-Wl,-rpath,$ORIGIN");
  EXPECT_EQ(files[2].first, "out/set-plug_b.pc");
  EXPECT_EQ(field(files[1].second, "Libs.private"), "(none)");
}

TEST(PkgConfig, SharedMachO) {
  auto files = sharedPkgConfigFiles("out", "set", {"out/libplug1.a"}, "libcommon.dylib",
                                    target(llvm::Triple::MachO, llvm::Triple::aarch64));
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(field(files[0].second, "Libs"), "-L${libdir} -lcommon");
  EXPECT_EQ(field(files[1].second, "Libs"),
            "-Wl,-force_load,${libdir}/libplug1.a -Wl,-rpath,@loader_path "
            "-Wl,-undefined,dynamic_lookup");
}

TEST(PkgConfig, SharedMinGWLinksTheImportLibraryAndRustsNativeLibraries) {
  auto files = sharedPkgConfigFiles("out", "set", {"out/libplug_a.a"}, "libcommon.dll.a",
                                    target(llvm::Triple::COFF, llvm::Triple::x86_64));
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(field(files[0].second, "Libs"), "-L${libdir} -lcommon");
  std::string libs = field(files[1].second, "Libs");
  EXPECT_EQ(libs.rfind("-Wl,--whole-archive ${libdir}/libplug_a.a -Wl,--no-whole-archive -lkernel32", 0), 0u)
      << libs;
  EXPECT_NE(libs.find("-lgcc_eh"), std::string::npos) << libs;
}

TEST(PkgConfig, SharedLibraryNotNamedLibGoesByItsPath) {
  auto files = sharedPkgConfigFiles("out", "set", {"out/libplug_a.a"}, "common.so",
                                    target(llvm::Triple::ELF, llvm::Triple::x86_64));
  EXPECT_EQ(field(files[0].second, "Libs"), "${libdir}/common.so");
}
