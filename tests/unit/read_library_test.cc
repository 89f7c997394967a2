// The archive reader on hand-made archive files: valid, damaged, not archives.
#include "model/library.h"
#include "formats/read_library.h"
#include "support/diagnostics.h"

#include "llvm/Support/FileSystem.h"

#include <fstream>
#include <gtest/gtest.h>

using namespace slimlink;

namespace {

std::string header(const std::string &name, size_t size) {
  char h[61];
  snprintf(h, sizeof h, "%-16s%-12s%-6s%-6s%-8s%-10zu`\n", name.c_str(), "0",
           "0", "0", "644", size);
  return std::string(h, 60);
}

std::string writeTemp(const std::string &bytes) {
  llvm::SmallString<128> path;
  int fd;
  EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("slimlink-test", "a", fd, path));
  ::close(fd);
  std::ofstream(std::string(path), std::ios::binary) << bytes;
  return std::string(path);
}

std::string errorOf(const std::string &bytes) {
  std::string path = writeTemp(bytes);
  try {
    readLibraries({path}, {.progress = false});
  } catch (const InputError &e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
    return msg;
  }
  return "no error";
}

} // namespace

TEST(ReadLibrary, ReadsMembersAndNames) {
  std::string ar = "!<arch>\n" + header("hello.txt/", 5) + "hello" + "\n" +
                   header("x.o/", 2) + "xy";
  auto libs = readLibraries({writeTemp(ar)}, {.progress = false}).libs;
  ASSERT_EQ(libs[0].members.size(), 2u);
  EXPECT_EQ(libs[0].members[0].name, "hello.txt");
  EXPECT_EQ(libs[0].members[0].data, "hello");
  EXPECT_EQ(libs[0].members[0].kind, MemberKind::Other);
  EXPECT_EQ(libs[0].members[1].offset, 8u + 60 + 5 + 1);
}

TEST(ReadLibrary, NotAnArchive) {
  EXPECT_NE(errorOf("\x7f" "ELF not really").find("not an archive"),
            std::string::npos);
}

TEST(ReadLibrary, MemberRunningPastTheEndNamesMemberAndOffset) {
  std::string msg = errorOf("!<arch>\n" + header("ok.o/", 2) + "ok" +
                            header("big.o/", 1000) + "short");
  // LLVM or our own extent check: either way the offset of the bad header.
  EXPECT_NE(msg.find("0x46"), std::string::npos) << msg;
}

TEST(ReadLibrary, NonDigitSize) {
  std::string bad = "!<arch>\n" + header("x.o/", 2);
  bad.replace(8 + 48, 3, "1x2");
  std::string msg = errorOf(bad + "xy");
  EXPECT_NE(msg.find("size"), std::string::npos) << msg;
}

TEST(ReadLibrary, TruncatedElfMemberIsAnErrorNotACrash) {
  // A valid ELF header claiming section headers far past the member's end.
  std::string elf(64, '\0');
  elf[0] = 0x7f; elf[1] = 'E'; elf[2] = 'L'; elf[3] = 'F';
  elf[4] = 2; elf[5] = 1; elf[6] = 1;
  elf[16] = 1;                  // ET_REL
  elf[18] = 62;                 // EM_X86_64
  elf[20] = 1;                  // EV_CURRENT
  elf[40] = 0x00; elf[41] = 0x10; // e_shoff = 4096
  elf[52] = 64;                 // e_ehsize
  elf[58] = 64;                 // e_shentsize
  elf[60] = 3;                  // e_shnum
  std::string msg = errorOf("!<arch>\n" + header("t.o/", elf.size()) + elf);
  EXPECT_NE(msg.find("member 't.o' at offset 0x8"), std::string::npos) << msg;
  EXPECT_NE(msg.find("past the end"), std::string::npos) << msg;
}

TEST(ReadLibrary, BsdLongNameIsNotPartOfTheBytes) {
  // BSD/Darwin: "#1/<n>" in the name field; the name is the first n bytes of
  // the member, counted in its size field.
  std::string ar = "!<arch>\n" + header("#1/12", 12 + 3) + "long_name.ob" +
                   "abc" + "\n" + header("#1/4", 4 + 2) + "ab.o" + "xy";
  auto libs = readLibraries({writeTemp(ar)}, {.progress = false}).libs;
  ASSERT_EQ(libs[0].members.size(), 2u);
  EXPECT_EQ(libs[0].members[0].name, "long_name.ob");
  EXPECT_EQ(libs[0].members[0].data, "abc");
  EXPECT_EQ(libs[0].members[1].name, "ab.o");
  EXPECT_EQ(libs[0].members[1].data, "xy");
}
