// The liveness walk on hand-made link graphs: what a linker keeps, and the
// first reason each item went live.
#include "passes/liveness.h"

#include <gtest/gtest.h>

using namespace slimlink;

namespace {

// A tiny builder: sections by name, symbols defined in them, references.
struct G {
  ObjectGraph g;
  G() {
    g.sections.emplace_back(); // index 0: the null section, as in ELF
    g.symbols.emplace_back();  // index 0: the null symbol
  }
  uint32_t sec(llvm::StringRef name, bool exec = true) {
    GraphSection s;
    s.name = name;
    s.alloc = true;
    s.exec = exec;
    s.fileSize = s.vmSize = 16;
    g.sections.push_back(s);
    return g.sections.size() - 1;
  }
  uint32_t def(llvm::StringRef name, uint32_t section, bool global = true) {
    GraphSymbol s;
    s.name = name;
    s.section = section;
    s.global = global;
    g.symbols.push_back(s);
    return g.symbols.size() - 1;
  }
  uint32_t undef(llvm::StringRef name) {
    GraphSymbol s;
    s.name = name;
    s.global = true;
    g.symbols.push_back(s);
    return g.symbols.size() - 1;
  }
  void ref(uint32_t from, uint32_t symbol) { g.relocs.push_back({from, symbol}); }
};

} // namespace

TEST(Liveness, FollowsReferencesAndRecordsTheFirstReason) {
  G a;
  uint32_t api = a.sec(".text.api"), helper = a.sec(".text.helper"),
           dead = a.sec(".text.dead");
  a.def("api", api);
  uint32_t h = a.def("helper", helper, /*global=*/false);
  a.def("dead", dead);
  a.ref(api, h);
  Link link({&a.g});
  Liveness live = computeLiveness(link, {"api"}, /*recordReasons=*/true);
  ASSERT_EQ(live.roots.size(), 1u);
  EXPECT_TRUE(live.live[0][api]);
  EXPECT_TRUE(live.live[0][helper]);
  EXPECT_FALSE(live.live[0][dead]);
  EXPECT_TRUE(live.objectLive[0]);
  EXPECT_EQ(live.reason[0][api].because, LiveBecause::Root);
  const LiveReason &why = live.reason[0][helper];
  EXPECT_EQ(why.because, LiveBecause::Reference);
  EXPECT_EQ(why.from, (LiveNode{0, api}));
  EXPECT_EQ(why.symbol, h);
}

TEST(Liveness, GlobalsBindToTheirFirstDefinitionInLinkOrder) {
  G a, b, c;
  uint32_t api = a.sec(".text.api");
  a.def("api", api);
  a.ref(api, a.undef("shared"));
  uint32_t inB = b.sec(".text.shared");
  b.def("shared", inB);
  uint32_t inC = c.sec(".text.shared");
  c.def("shared", inC);
  Link link({&a.g, &b.g, &c.g});
  Liveness live = computeLiveness(link, {"api", "nobody"});
  EXPECT_TRUE(live.live[1][inB]);
  EXPECT_FALSE(live.live[2][inC]);
  EXPECT_FALSE(live.objectLive[2]) << "a linker never pulls the second definer";
  ASSERT_EQ(live.missing.size(), 1u);
  EXPECT_EQ(live.missing[0], "nobody");
}

TEST(Liveness, PulledObjectsKeepTheirMustKeepSectionsAndUnwindKeepsNoCode) {
  G a;
  uint32_t api = a.sec(".text.api"), ctor = a.sec(".text.ctor"),
           init = a.sec(".init_array", false), eh = a.sec(".eh_frame", false),
           lsda = a.sec(".gcc_except_table.api", false),
           other = a.sec(".text.other");
  a.g.sections[init].root = true;
  a.g.sections[eh].ehFrame = true;
  a.def("api", api);
  a.ref(init, a.def("ctor", ctor, false));
  a.ref(eh, a.def(".text.other", other, false)); // an FDE of dead code
  a.ref(eh, a.def("lsda", lsda, false));
  Link link({&a.g});
  Liveness live = computeLiveness(link, {"api"}, true);
  EXPECT_TRUE(live.live[0][init]);
  EXPECT_TRUE(live.live[0][ctor]) << "what the kept initializer calls";
  EXPECT_TRUE(live.live[0][eh]);
  EXPECT_TRUE(live.live[0][lsda]);
  EXPECT_FALSE(live.live[0][other]) << "unwind entries keep no code alive";
  EXPECT_EQ(live.reason[0][init].because, LiveBecause::KeptByObject);
  EXPECT_EQ(live.objectReason[0].because, LiveBecause::Pulled);
}

TEST(Liveness, GroupsLiveWholeAndLinkOrderFollows) {
  G a;
  uint32_t api = a.sec(".text.api"), group = a.sec(".group", false),
           f = a.sec(".text.f"), fdata = a.sec(".data.f", false),
           meta = a.sec(".meta.f", false);
  a.g.sections[group].groupMembers = {f, fdata};
  a.g.sections[f].group = group;
  a.g.sections[fdata].group = group;
  a.g.sections[meta].linkOrder = f;
  a.def("api", api);
  a.ref(api, a.def("f", f));
  Link link({&a.g});
  Liveness live = computeLiveness(link, {"api"});
  EXPECT_TRUE(live.live[0][group]);
  EXPECT_TRUE(live.live[0][fdata]);
  EXPECT_TRUE(live.live[0][meta]);
}

TEST(Liveness, StartStopKeepsTablesOfPulledObjectsOnly) {
  G reg, entryA, entryB, lone;
  uint32_t api = reg.sec(".text.registry_sum");
  reg.def("registry_sum", api);
  reg.ref(api, reg.undef("__start_mytab"));
  reg.ref(api, reg.undef("__stop_mytab"));
  reg.ref(api, reg.undef("a_func")); // pulls entryA
  uint32_t aFunc = entryA.sec(".text.a_func");
  entryA.def("a_func", aFunc);
  uint32_t aTab = entryA.sec("mytab", false);
  // entryB is pulled only later, through a_func.
  entryA.ref(aFunc, entryA.undef("b_func"));
  uint32_t bFunc = entryB.sec(".text.b_func");
  entryB.def("b_func", bFunc);
  uint32_t bTab = entryB.sec("mytab", false);
  uint32_t loneTab = lone.sec("mytab", false); // nothing pulls this object
  uint32_t dotted = lone.sec(".my.tab", false);
  const ObjectFormat *elf = formatOf(llvm::Triple::ELF);
  Link link({&reg.g, &entryA.g, &entryB.g, &lone.g}, {elf, elf, elf, elf});
  Liveness live = computeLiveness(link, {"registry_sum"}, true);
  EXPECT_TRUE(live.live[1][aTab]);
  EXPECT_TRUE(live.live[2][bTab]) << "pulled after the reference was seen";
  EXPECT_FALSE(live.live[3][loneTab]) << "__start_ pulls no object in";
  EXPECT_FALSE(live.objectLive[3]);
  EXPECT_FALSE(live.live[3][dotted]);
  EXPECT_EQ(live.reason[2][bTab].because, LiveBecause::StartStop);
  EXPECT_EQ(live.reason[2][bTab].from, (LiveNode{0, api}));
}

TEST(Liveness, StartStopNamesOnlyCIdentifiers) {
  const ObjectFormat *elf = formatOf(llvm::Triple::ELF);
  EXPECT_EQ(elf->boundedSection("__start_mytab"), "mytab");
  EXPECT_EQ(elf->boundedSection("__stop_linkme_FOO"), "linkme_FOO");
  EXPECT_EQ(elf->boundedSection("__start_.init"), "");
  EXPECT_EQ(elf->boundedSection("__start_"), "");
  EXPECT_EQ(elf->boundedSection("__start_9x"), "");
  EXPECT_EQ(elf->boundedSection("start_x"), "");
}

// lld keeps the rule in its ELF MarkLive only: on Mach-O and COFF (and on
// graphs without a format) such a reference is an ordinary undefined symbol.
TEST(Liveness, StartStopIsElfsRuleOnly) {
  for (const ObjectFormat *edge : {formatOf(llvm::Triple::MachO),
                                   formatOf(llvm::Triple::COFF),
                                   static_cast<const ObjectFormat *>(nullptr)}) {
    if (edge) {
      EXPECT_EQ(edge->boundedSection("__start_mytab"), "") << edge->name();
    }
    G reg, entry;
    uint32_t api = reg.sec(".text.registry_sum");
    reg.def("registry_sum", api);
    reg.ref(api, reg.undef("__start_mytab"));
    reg.ref(api, reg.undef("a_func"));
    uint32_t aFunc = entry.sec(".text.a_func");
    entry.def("a_func", aFunc);
    uint32_t tab = entry.sec("mytab", false);
    Link link({&reg.g, &entry.g}, {edge, edge});
    Liveness live = computeLiveness(link, {"registry_sum"});
    EXPECT_TRUE(live.objectLive[1]);
    EXPECT_FALSE(live.live[1][tab]) << (edge ? edge->name() : "no format");
  }
}

TEST(Liveness, AStartStopSymbolSomeoneDefinesIsAnOrdinarySymbol) {
  G a, b;
  uint32_t api = a.sec(".text.api");
  a.def("api", api);
  a.ref(api, a.undef("__start_tab"));
  uint32_t mark = b.sec(".text.mark");
  b.def("__start_tab", mark);
  uint32_t tab = b.sec("tab", false);
  const ObjectFormat *elf = formatOf(llvm::Triple::ELF);
  Link link({&a.g, &b.g}, {elf, elf});
  Liveness live = computeLiveness(link, {"api"});
  EXPECT_TRUE(live.live[1][mark]);
  EXPECT_FALSE(live.live[1][tab]);
}

// An FDE's exception table (LSDA) stays only with the code the FDE
// describes, as lld's and GNU ld's --gc-sections keep it; the code itself is
// never kept by its unwind entry. Order matters: here the code goes live
// after the unwind table has been walked.
TEST(Liveness, ExceptionTablesLiveOnlyWithTheirCode) {
  G a;
  uint32_t api = a.sec(".text.api"), live = a.sec(".text.live"),
           dead = a.sec(".text.dead");
  uint32_t lsdaLive = a.sec(".gcc_except_table.live", false),
           lsdaDead = a.sec(".gcc_except_table.dead", false);
  uint32_t eh = a.sec(".eh_frame", false);
  a.g.sections[eh].ehFrame = true;
  a.def("api", api);
  uint32_t l = a.def("live", live, false), d = a.def("dead", dead, false);
  uint32_t ll = a.def("", lsdaLive, false), ld = a.def("", lsdaDead, false);
  a.ref(eh, l); // FDE 1: code pointer, then its LSDA
  a.ref(eh, ll);
  a.g.relocs.back().onlyWith = live;
  a.ref(eh, d); // FDE 2
  a.ref(eh, ld);
  a.g.relocs.back().onlyWith = dead;
  // api -> m1 -> m2 -> live: the unwind table is walked before `live` is.
  uint32_t m1 = a.sec(".text.m1"), m2 = a.sec(".text.m2");
  a.ref(api, a.def("m1", m1, false));
  a.ref(m1, a.def("m2", m2, false));
  a.ref(m2, l);
  Link link({&a.g});
  Liveness r = computeLiveness(link, {"api"}, /*recordReasons=*/true);
  EXPECT_TRUE(r.live[0][eh]);
  EXPECT_TRUE(r.live[0][live]);
  EXPECT_TRUE(r.live[0][lsdaLive]);
  EXPECT_FALSE(r.live[0][dead]);
  EXPECT_FALSE(r.live[0][lsdaDead]);
  EXPECT_EQ(r.reason[0][lsdaLive].because, LiveBecause::Reference);
  EXPECT_EQ(r.reason[0][lsdaLive].from, (LiveNode{0, eh}));
}
