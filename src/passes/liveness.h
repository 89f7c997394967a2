// liveness: what a linker's --gc-sections keeps of a link, and why.
//
// The link is a list of objects in link order (the members of one library
// for prune, of several for `why`), each with its graph (formats/). The walk
// starts from root symbols and follows what a linker follows:
//  - a relocation to a global binds to its first definition in link order,
//    and keeps the object's own definition too (a COMDAT copy must stay a
//    whole group for the linker to discard it as a duplicate);
//  - a relocation to a local keeps the section it points into, except that
//    unwind tables keep exception tables and personalities, not code;
//  - a COMDAT group lives or dies whole; an SHF_LINK_ORDER section lives with
//    the section it describes;
//  - a section that goes live pulls its object into the link, and a pulled
//    object keeps its must-keep sections (init/fini arrays, notes, retained
//    sections) and its unwind tables;
//  - on ELF, a reference to __start_SEC or __stop_SEC that nothing defines
//    (the linker makes them) keeps every section named SEC, a C identifier,
//    in every object of the link that is pulled in: GNU ld's rule (lld keeps
//    them too without -z start-stop-gc, and keeps __libc_* ones always).
//    That is how registries work (Rust's linkme and inventory-style tables,
//    many C projects): nothing else refers to the entries. The rule is the
//    ELF edge's (ObjectFormat::boundedSection); lld's Mach-O and COFF
//    MarkLive have none.
// For each live item it keeps the first reason it went live (lld's
// --why-live), so `why` can print the chain from a root to any item.
#pragma once

#include "formats/format.h"
#include "model/link_graph.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"

#include <cstdint>
#include <vector>

namespace slimlink {

// A section of one object of the link, or (section == the object's section
// count) the object itself: "the linker pulled it".
struct LiveNode {
  uint32_t object = 0, section = 0;
  bool operator==(const LiveNode &) const = default;
};

enum class LiveBecause : uint8_t {
  Root,      // defines a root symbol
  Reference, // a relocation in `from` names `symbol`
  Group,     // in the same COMDAT group as `from`
  LinkOrder, // SHF_LINK_ORDER: describes `from`
  Pulled,    // the object: one of its sections (`from`) went live
  KeptByObject, // a must-keep section (or unwind table) of a pulled object
  StartStop, // `from` refers to __start_/__stop_ of its name (`symbol`)
};

struct LiveReason {
  LiveBecause because = LiveBecause::Root;
  LiveNode from;            // the item that made this one live (not for Root)
  uint32_t symbol = ~0u;    // Reference: index into from's graph's symbols;
                            // Root: index into the root list
  uint32_t reloc = ~0u;     // Reference: index into from's graph's relocs
};

// The objects of a link and how they refer to each other: symbol binding
// and each section's outgoing edges. Shared by the walk and by `why`.
class Link {
public:
  // `objects[i]` null: not an object (a linker ignores it). `edges[i]`:
  // the format of objects[i], for its rules (ELF's __start_); empty (or
  // null) for graphs without a format's rules.
  explicit Link(std::vector<const ObjectGraph *> objects,
                std::vector<const ObjectFormat *> edges = {});

  size_t objectCount() const { return objects.size(); }
  const ObjectGraph *graph(uint32_t object) const { return objects[object]; }
  LiveNode objectNode(uint32_t object) const {
    return {object, uint32_t(objects[object]->sections.size())};
  }
  bool isObjectNode(LiveNode n) const {
    return n.section == objects[n.object]->sections.size();
  }

  // Where a global symbol binds: its first definition in link order.
  const LiveNode *definer(llvm::StringRef symbol) const;

  // Every item that `n` going live makes live, with the reason. StartStop
  // successors count only in objects that are pulled in anyway.
  void forEachSuccessor(LiveNode n,
                        llvm::function_ref<void(LiveNode, const LiveReason &)> f) const;

private:
  // Per distinct graph: relocations by the section they patch, and the
  // SHF_LINK_ORDER sections that describe each section.
  struct Index {
    std::vector<uint32_t> relocStart, relocs; // CSR over sections
    std::vector<uint32_t> orderStart, ordered;
  };
  const ObjectFormat *edge(uint32_t object) const {
    return object < edges.size() ? edges[object] : nullptr;
  }

  std::vector<const ObjectGraph *> objects;
  std::vector<const ObjectFormat *> edges;
  std::vector<const Index *> indexOf;
  std::vector<Index> indices;
  llvm::StringMap<LiveNode> definers;
  // SEC -> the sections named SEC, for each SEC an undefined symbol stands
  // for the bounds of (ObjectFormat::boundedSection).
  llvm::StringMap<std::vector<LiveNode>> bounded;
};

struct Liveness {
  std::vector<std::vector<bool>> live; // [object][section]
  std::vector<bool> objectLive;        // pulled into the link
  // The first reason each item went live (filled when asked for).
  std::vector<std::vector<LiveReason>> reason; // [object][section]
  std::vector<LiveReason> objectReason;
  // The roots that something defines, in the order given, and where.
  std::vector<llvm::StringRef> roots;
  std::vector<LiveNode> rootNodes;
  std::vector<llvm::StringRef> missing; // roots nothing defines

  bool isLive(LiveNode n, const Link &link) const {
    return link.isObjectNode(n) ? objectLive[n.object] : live[n.object][n.section];
  }
  const LiveReason &why(LiveNode n, const Link &link) const {
    return link.isObjectNode(n) ? objectReason[n.object]
                                : reason[n.object][n.section];
  }
};

// Walks `link` from the symbols `roots`. Roots nothing defines are listed in
// `missing`, in order.
Liveness computeLiveness(const Link &link, llvm::ArrayRef<llvm::StringRef> roots,
                         bool recordReasons = false);

} // namespace slimlink
