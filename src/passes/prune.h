// prune: drop every member and every section that the library's API cannot
// reach through relocations, the way a linker's --gc-sections would for a
// program that calls only the API.
//
// Roots: the API symbols (and --keep). Whatever a linked object must keep
// stays with it: init/fini arrays, ctors/dtors, notes, retained sections,
// COMDAT group mates, SHF_LINK_ORDER companions. Unwind tables (.eh_frame)
// stay with their object but keep no code alive; the exception tables and
// personality routines they name do stay.
//
// A dead section that something kept still names (an .eh_frame entry, debug
// info) cannot vanish without rewriting those tables, so it is emptied
// instead: made SHT_NOBITS, its bytes and relocations gone, its header left.
#pragma once

#include "model/link_graph.h"
#include "passes/api.h"
#include "write/rewrite_object.h"

namespace slimlink {

struct PruneOptions {
  ApiSpec api;
  std::vector<std::string> keep; // extra root symbols
};

// What is reachable in one library: the walk's result, before any edit.
struct PruneLiveness {
  std::vector<ObjectGraph> graphs;            // one per distinct object
  std::vector<const ObjectGraph *> graphOf;   // per member; null: no object
  std::vector<std::vector<bool>> live;          // [member][section]
  std::vector<bool> memberLive;                 // per member
  std::vector<llvm::StringRef> roots;           // API + --keep, as found
  std::vector<std::string> missingKeep;         // --keep symbols nobody defines
};

PruneLiveness findLive(const InputSet &in, uint32_t lib, const PruneOptions &opts);

struct PrunePlan {
  std::vector<bool> memberLive;  // per member
  std::vector<ObjectEdit> edits; // per member (live objects only)
  size_t sectionsRemoved = 0, sectionsEmptied = 0;
};

// The edits that drop what `live` says is dead.
PrunePlan planPrune(const PruneLiveness &live);

} // namespace slimlink
