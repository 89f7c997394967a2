// prune's plan for COMDAT groups on hand-made link graphs: a group lives or
// dies whole, and a group that stays keeps its signature symbol (ObjCopy
// would otherwise write a group naming a symbol that is gone).
#include "passes/prune.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace slimlink;

namespace {

// [1] .text.api (live), [2] .group {3, 4} signed by symbol 2,
// [3] .data.DW.ref (loaded), [4] .debug_types (not loaded).
PruneLiveness groupGraph(bool groupLive) {
  PruneLiveness r;
  ObjectGraph g;
  g.sections.resize(5);
  g.sections[1].name = ".text.api";
  g.sections[1].fileSize = 16;
  g.sections[1].alloc = true;
  g.sections[1].exec = true;
  g.sections[2].name = ".group";
  g.sections[2].fileSize = 12;
  g.sections[2].groupMembers = {3, 4};
  g.sections[2].signature = 2;
  g.sections[3].name = ".data.DW.ref";
  g.sections[3].fileSize = 8;
  g.sections[3].alloc = true;
  g.sections[3].group = 2;
  g.sections[4].name = ".debug_types";
  g.sections[4].fileSize = 64;
  g.sections[4].group = 2;
  g.symbols.resize(3);
  g.symbols[1].name = "api";
  g.symbols[1].section = 1;
  g.symbols[1].global = true;
  g.symbols[2].name = "DW.ref";
  g.symbols[2].section = 3;
  g.symbols[2].global = true;
  r.graphs.push_back(std::move(g));
  r.graphOf = {&r.graphs[0]};
  r.formatOf = {formatOf(llvm::Triple::ELF)};
  r.memberLive = {true};
  r.live = {{false, true, groupLive, groupLive, groupLive}};
  return r;
}

bool has(const std::vector<std::string> &v, const std::string &s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(PrunePlan, DeadGroupGoesWholeWithItsUnloadedMembers) {
  PruneLiveness live = groupGraph(false);
  PrunePlan plan = planPrune(live);
  const ObjectEdit &e = plan.edits.at(0);
  EXPECT_TRUE(has(e.removeSections, ".data.DW.ref"));
  EXPECT_TRUE(has(e.removeSections, ".debug_types"));
  EXPECT_TRUE(has(e.removeSections, ".group"));
  EXPECT_TRUE(has(e.removeSymbols, "DW.ref"));
  EXPECT_FALSE(has(e.removeSections, ".text.api"));
}

TEST(PrunePlan, LiveGroupKeepsEveryMemberAndItsSignature) {
  PruneLiveness live = groupGraph(true);
  PrunePlan plan = planPrune(live);
  const ObjectEdit &e = plan.edits.at(0);
  for (const char *s : {".data.DW.ref", ".debug_types", ".group"})
    EXPECT_FALSE(has(e.removeSections, s)) << s;
  EXPECT_FALSE(has(e.removeSymbols, "DW.ref"));
  EXPECT_FALSE(has(e.localizeSymbols, "DW.ref"));
}

TEST(PrunePlan, GroupThatStaysKeepsASignatureDefinedInDeadCode) {
  // The signature symbol is defined in a dead section outside the group
  // (legal ELF); the group stays because its member is not loaded.
  PruneLiveness live = groupGraph(false);
  ObjectGraph &g = live.graphs[0];
  g.sections[2].groupMembers = {4};
  g.sections[3].group = -1;
  PrunePlan plan = planPrune(live);
  const ObjectEdit &e = plan.edits.at(0);
  EXPECT_TRUE(has(e.removeSections, ".data.DW.ref"));
  EXPECT_FALSE(has(e.removeSections, ".group"));
  EXPECT_FALSE(has(e.removeSections, ".debug_types"));
  EXPECT_FALSE(has(e.removeSymbols, "DW.ref"));
}

} // namespace
