// The object members of a set of libraries as one link, in input order:
// what a linker sees given all of them. `why` and `verify` walk it.
#pragma once

#include "passes/api.h"
#include "passes/liveness.h"

#include <memory>

namespace slimlink {

struct SetLink {
  std::vector<MemberRef> objects;                   // link order
  std::vector<std::unique_ptr<ObjectGraph>> graphs; // one per distinct content
  std::unique_ptr<Link> link;                       // over `objects`
};

// Reads the graph of every distinct object member (in parallel) through its
// format's edge. Throws InputError for the first member that does not read.
SetLink readSetLink(const InputSet &in);

// The API roots of every library of the set, first appearance first.
std::vector<llvm::StringRef> apiRoots(const InputSet &in, const ApiSpec &api);

} // namespace slimlink
