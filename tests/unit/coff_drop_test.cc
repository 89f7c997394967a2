// COFF's prune edge on hand-made inputs: planDrop names dead COMDATs by
// their 1-based numbers; removeSections writes classic and /bigobj objects
// without them, renumbering sections and symbols, and refuses to cut what
// a kept relocation names.
#include "formats/coff/coff.h"
#include "passes/liveness.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/COFF.h"
#include "llvm/Object/COFF.h"

#include <gtest/gtest.h>

namespace slimlink {
namespace {

namespace COFF = llvm::COFF;

GraphSection section(const char *name, bool root, int32_t linkOrder = -1) {
  GraphSection s;
  s.name = name;
  s.alloc = true;
  s.root = root;
  s.linkOrder = linkOrder;
  return s;
}

TEST(CoffDrop, DeadComdatsByNumber) {
  ObjectGraph g;
  g.sections = {section(".text", true), section(".text", false),
                section(".text", false), section(".pdata", false, 2)};
  DropCounts counts;
  ObjectEdit e = coff::planDrop(g, {true, true, false, false}, counts);
  EXPECT_EQ(e.removeSectionIndices, (std::vector<uint32_t>{3, 4}));
  EXPECT_EQ(counts.removed, 2u);
  EXPECT_TRUE(e.removeSections.empty()); // names repeat: never by name
}

TEST(CoffDrop, RootsStayAndAllLiveIsNoEdit) {
  ObjectGraph g;
  g.sections = {section(".drectve", true), section(".text", false)};
  DropCounts counts;
  EXPECT_TRUE(coff::planDrop(g, {false, true}, counts).empty());
  EXPECT_EQ(counts.removed, 0u);
}

// The walk over such a graph: an associative .pdata lives with its
// function, and a function only it names stays dead.
TEST(CoffDrop, AssociativeSectionsFollowTheirParent) {
  ObjectGraph g;
  g.sections = {section(".text", false), section(".text", false),
                section(".pdata", false, 0), section(".pdata", false, 1)};
  g.symbols = {{"f", 0, true}, {"g", 1, true}};
  g.relocs = {{2, 0}, {3, 1}};
  Link link({&g});
  std::vector<llvm::StringRef> roots = {"f"};
  Liveness live = computeLiveness(link, roots);
  EXPECT_EQ(live.live[0], (std::vector<bool>{true, false, true, false}));
  DropCounts counts;
  EXPECT_EQ(coff::planDrop(g, live.live[0], counts).removeSectionIndices,
            (std::vector<uint32_t>{2, 4}));
}

// A small object: .text$a (COMDAT, calls b), .text$b, .text$c (COMDAT),
// .pdata associative to .text$c; symbols: each section's definition record,
// a, b, c, and the undefined `ext` only c calls.
class ObjectBuilder {
public:
  explicit ObjectBuilder(bool big) : big(big) {}

  std::string build() {
    const std::string call("\xe8\0\0\0\0\xc3", 6); // call rel32; ret
    struct Sec { const char *name; uint32_t chars; std::string data;
                 std::vector<std::pair<uint32_t, uint16_t>> relocs; };
    uint32_t code = COFF::IMAGE_SCN_CNT_CODE | COFF::IMAGE_SCN_MEM_EXECUTE |
                    COFF::IMAGE_SCN_MEM_READ | COFF::IMAGE_SCN_LNK_COMDAT;
    // Symbol indices (2 slots per section symbol): .text$a 0, a 2,
    // .text$b 3, b 5, .text$c 6, c 8, .pdata 9, ext 11.
    std::vector<Sec> secs = {
        {".text$a", code, call, {{5, 4}}},
        {".text$b", code, "\xc3", {}},
        {".text$c", code, call, {{11, 4}}},
        {".pdata", COFF::IMAGE_SCN_CNT_INITIALIZED_DATA | COFF::IMAGE_SCN_MEM_READ |
                       COFF::IMAGE_SCN_LNK_COMDAT,
         std::string(12, '\0'), {{8, 3}}}};
    size_t hdr = big ? 56 : 20, symSize = big ? 20 : 18;
    std::string out(hdr + secs.size() * 40, '\0');
    std::vector<size_t> dataAt, relAt;
    for (Sec &s : secs) {
      dataAt.push_back(out.size());
      out += s.data;
      relAt.push_back(out.size());
      for (auto [sym, type] : s.relocs) {
        char r[10] = {};
        put32(r + 4, sym);
        put16(r + 8, type);
        out.append(r, 10);
      }
    }
    size_t symAt = out.size();
    auto symbol = [&](const char *name, uint32_t value, int32_t sec, uint8_t cls,
                      uint8_t aux) {
      std::string s(symSize, '\0');
      memcpy(s.data(), name, std::min<size_t>(8, strlen(name)));
      put32(s.data() + 8, value);
      if (big)
        put32(s.data() + 12, sec);
      else
        put16(s.data() + 12, uint16_t(sec));
      s[big ? 18 : 16] = cls;
      s[big ? 19 : 17] = aux;
      out += s;
    };
    auto definition = [&](uint32_t len, uint16_t nrel, uint32_t number, uint8_t sel) {
      std::string a(symSize, '\0');
      put32(a.data(), len);
      put16(a.data() + 4, nrel);
      put16(a.data() + 12, uint16_t(number));
      a[14] = sel;
      out += a;
    };
    const char *names[] = {"a", "b", "c"};
    for (uint32_t i = 0; i < 3; ++i) {
      symbol(secs[i].name, 0, i + 1, COFF::IMAGE_SYM_CLASS_STATIC, 1);
      definition(secs[i].data.size(), secs[i].relocs.size(), i + 1,
                 COFF::IMAGE_COMDAT_SELECT_NODUPLICATES);
      symbol(names[i], 0, i + 1, COFF::IMAGE_SYM_CLASS_EXTERNAL, 0);
    }
    symbol(".pdata", 0, 4, COFF::IMAGE_SYM_CLASS_STATIC, 1);
    definition(12, 1, 3, COFF::IMAGE_COMDAT_SELECT_ASSOCIATIVE);
    symbol("ext", 0, 0, COFF::IMAGE_SYM_CLASS_EXTERNAL, 0);
    uint32_t nsym = (out.size() - symAt) / symSize;
    out += std::string("\4\0\0\0", 4); // an empty string table
    char *h = out.data();
    if (big) {
      put16(h + 2, 0xFFFF);
      put16(h + 4, 2);
      put16(h + 6, COFF::IMAGE_FILE_MACHINE_AMD64);
      memcpy(h + 12, COFF::BigObjMagic, sizeof(COFF::BigObjMagic));
      put32(h + 44, secs.size());
      put32(h + 48, symAt);
      put32(h + 52, nsym);
    } else {
      put16(h, COFF::IMAGE_FILE_MACHINE_AMD64);
      put16(h + 2, secs.size());
      put32(h + 8, symAt);
      put32(h + 12, nsym);
    }
    for (size_t i = 0; i < secs.size(); ++i) {
      char *s = h + hdr + i * 40;
      memcpy(s, secs[i].name, strlen(secs[i].name));
      put32(s + 16, secs[i].data.size());
      put32(s + 20, dataAt[i]);
      put32(s + 24, secs[i].relocs.empty() ? 0 : relAt[i]);
      put16(s + 32, secs[i].relocs.size());
      put32(s + 36, secs[i].chars);
    }
    return out;
  }

private:
  static void put16(char *p, uint16_t v) { memcpy(p, &v, 2); }
  static void put32(char *p, uint32_t v) { memcpy(p, &v, 4); }
  bool big;
};

class CoffRemove : public testing::TestWithParam<bool> {};

std::vector<std::string> symbolNames(const llvm::object::COFFObjectFile &o) {
  std::vector<std::string> names;
  for (const llvm::object::SymbolRef &s : o.symbols())
    names.push_back(llvm::cantFail(s.getName()).str());
  return names;
}

// The one relocation of section `number`: the name of its symbol.
std::string relocTarget(const llvm::object::COFFObjectFile &o, int32_t number) {
  const llvm::object::coff_section *sec = llvm::cantFail(o.getSection(number));
  auto relocs = o.getRelocations(sec);
  if (relocs.size() != 1)
    return "relocations: " + std::to_string(relocs.size());
  auto sym = o.getSymbol(relocs[0].SymbolTableIndex);
  if (!sym)
    return llvm::toString(sym.takeError());
  return llvm::cantFail(o.getSymbolName(*sym)).str();
}

TEST_P(CoffRemove, RenumbersSectionsAndSymbols) {
  bool big = GetParam();
  std::string in = ObjectBuilder(big).build(), out;
  ASSERT_EQ(coff::removeSections(in, {1}, out), "");
  auto obj = llvm::object::COFFObjectFile::create(llvm::MemoryBufferRef(out, "o"));
  ASSERT_TRUE(bool(obj)) << llvm::toString(obj.takeError());
  const llvm::object::COFFObjectFile &o = **obj;
  EXPECT_EQ(o.getNumberOfSections(), 3u);
  EXPECT_EQ(o.getNumberOfSymbols(), 9u); // 6 symbols, 3 definition records
  EXPECT_EQ(symbolNames(o), (std::vector<std::string>{".text$b", "b", ".text$c",
                                                      "c", ".pdata", "ext"}));
  EXPECT_EQ(relocTarget(o, 2), "ext"); // c's call
  EXPECT_EQ(relocTarget(o, 3), "c");   // .pdata
  auto c = o.getSymbol(5);
  ASSERT_TRUE(bool(c));
  EXPECT_EQ(c->getSectionNumber(), 2);
  auto pdata = o.getSymbol(6);
  ASSERT_TRUE(bool(pdata));
  ASSERT_NE(pdata->getSectionDefinition(), nullptr);
  EXPECT_EQ(pdata->getSectionDefinition()->getNumber(big), 2); // associative to c
  auto text = o.getSymbol(0);
  ASSERT_TRUE(bool(text));
  EXPECT_EQ(text->getSectionDefinition()->getNumber(big), 1); // itself
  // Kept bytes are the same bytes.
  llvm::ArrayRef<uint8_t> bytes;
  ASSERT_FALSE(bool(o.getSectionContents(llvm::cantFail(o.getSection(2)), bytes)));
  EXPECT_EQ(llvm::toStringRef(bytes), llvm::StringRef("\xe8\0\0\0\0\xc3", 6));
}

TEST_P(CoffRemove, TakesUndefinedsOnlyDeadCodeNamed) {
  std::string in = ObjectBuilder(GetParam()).build(), out;
  ASSERT_EQ(coff::removeSections(in, {3, 4}, out), "");
  auto obj = llvm::object::COFFObjectFile::create(llvm::MemoryBufferRef(out, "o"));
  ASSERT_TRUE(bool(obj)) << llvm::toString(obj.takeError());
  EXPECT_EQ(symbolNames(**obj),
            (std::vector<std::string>{".text$a", "a", ".text$b", "b"}));
  EXPECT_EQ(relocTarget(**obj, 1), "b");
}

TEST_P(CoffRemove, RefusesWhatAKeptRelocationNames) {
  std::string in = ObjectBuilder(GetParam()).build(), out = "untouched";
  // .text$a calls b: removing .text$b alone would leave a dangling call.
  EXPECT_NE(coff::removeSections(in, {2}, out), "");
  // .pdata describes c: c cannot go without it.
  EXPECT_NE(coff::removeSections(in, {3}, out), "");
  EXPECT_EQ(out, "untouched");
  EXPECT_NE(coff::removeSections(in, {9}, out), "");
}

INSTANTIATE_TEST_SUITE_P(ClassicAndBigObj, CoffRemove, testing::Bool());

} // namespace
} // namespace slimlink
