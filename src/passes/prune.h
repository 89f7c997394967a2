// prune: drop every member and every section that the library's API cannot
// reach through relocations, the way a linker's --gc-sections would for a
// program that calls only the API.
//
// What is reachable is passes/liveness: roots are the API symbols (and
// --keep). How the dead sections are dropped is the member's format's
// business (ObjectFormat::planDrop): ELF empties what unwind tables or debug
// info still name, then rewrites those tables and removes it for good.
#pragma once

#include "formats/format.h"
#include "passes/api.h"
#include "passes/liveness.h"

#include <memory>

namespace slimlink {

struct PruneOptions {
  ApiSpec api;
  std::vector<std::string> keep; // extra root symbols
};

// What is reachable in one library: the walk's result, before any edit.
struct PruneLiveness {
  std::vector<ObjectGraph> graphs;            // one per distinct object
  std::vector<const ObjectGraph *> graphOf;   // per member; null: no object
  std::vector<const ObjectFormat *> formatOf; // per member; null: no object
  std::vector<std::vector<bool>> live;          // [member][section]
  std::vector<bool> memberLive;                 // per member
  std::vector<std::string> roots;               // API + --keep, as found
  std::vector<std::string> missingKeep;         // --keep symbols nobody defines
};

// The graph of each distinct object of a whole set, read once (in parallel)
// for every library that holds it: shrink walks N libraries that share std.
struct SetGraphs {
  std::vector<ObjectGraph> graphs;
  std::vector<const ObjectGraph *> byContent; // content id -> graph; null: no object
};
SetGraphs readSetGraphs(const InputSet &in);

// `shared`: the set's graphs, read once; null: read this library's own.
PruneLiveness findLive(const InputSet &in, uint32_t lib, const PruneOptions &opts,
                       const SetGraphs *shared = nullptr);

// Reads the graph of each distinct object member of `lib` (in parallel),
// through its format's edge. Throws InputError naming the first member that
// does not read. `graphOf` gets a pointer into `graphs` per member.
void readGraphs(const InputSet &in, uint32_t lib, std::vector<ObjectGraph> &graphs,
                std::vector<const ObjectGraph *> &graphOf);

struct PrunePlan {
  std::vector<bool> memberLive;  // per member
  std::vector<ObjectEdit> edits; // per member (live objects only)
  size_t sectionsRemoved = 0, sectionsEmptied = 0;
};

// The edits that drop what `live` says is dead.
PrunePlan planPrune(const PruneLiveness &live);

} // namespace slimlink
