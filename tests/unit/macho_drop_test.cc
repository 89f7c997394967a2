// macho::planDrop on hand-made graphs: dead atoms that can be cut become
// merged byte ranges; live atoms and units that cannot be cut stay.
#include "formats/macho/macho.h"

#include <gtest/gtest.h>

namespace slimlink {
namespace {

GraphSection atom(uint64_t address, uint64_t size, bool cuttable = true) {
  GraphSection s;
  s.name = "__TEXT,__text";
  s.address = address;
  s.cutSize = cuttable ? size : 0;
  s.fileSize = s.vmSize = size;
  return s;
}

TEST(MachODrop, DeadAtomsBecomeMergedRanges) {
  ObjectGraph g;
  // Two dead neighbours, a live atom, a dead one, then debug info (not
  // cuttable) that is never live.
  g.sections = {atom(0, 0x10), atom(0x10, 0x20), atom(0x30, 8), atom(0x38, 8),
                atom(0x40, 0x100, false)};
  std::vector<bool> live = {false, false, true, false, false};
  DropCounts counts;
  ObjectEdit e = macho::planDrop(g, live, counts);
  using R = std::pair<uint64_t, uint64_t>;
  EXPECT_EQ(e.removeRanges, (std::vector<R>{{0, 0x30}, {0x38, 0x40}}));
  EXPECT_EQ(counts.removed, 3u);
  EXPECT_TRUE(e.removeSections.empty());
  EXPECT_TRUE(e.removeSymbols.empty());
}

TEST(MachODrop, AllLiveIsNoEdit) {
  ObjectGraph g;
  g.sections = {atom(0, 4), atom(4, 4)};
  DropCounts counts;
  ObjectEdit e = macho::planDrop(g, {true, true}, counts);
  EXPECT_TRUE(e.empty());
  EXPECT_EQ(counts.removed, 0u);
}

TEST(MachODrop, RangesComeSortedWhateverTheUnitOrder) {
  ObjectGraph g; // compact unwind entries may come before the code they describe
  g.sections = {atom(0x100, 0x20), atom(0, 0x10), atom(0x10, 0x10)};
  DropCounts counts;
  ObjectEdit e = macho::planDrop(g, {false, false, true}, counts);
  using R = std::pair<uint64_t, uint64_t>;
  EXPECT_EQ(e.removeRanges, (std::vector<R>{{0, 0x10}, {0x100, 0x120}}));
}

} // namespace
} // namespace slimlink
