// why: why is this code still here? Over the liveness graph of a link (the
// object members of one or more libraries, in order):
//  - chains: for a symbol, the path from an API root to it, one step per
//    item, each with the relocation (or rule) that leads to the next;
//  - dominators: per API root, the bytes it reaches and the bytes only it
//    keeps alive (its subtree in the dominator tree of the live graph), and
//    the symbols that keep the most bytes alive. A root's retained bytes are
//    what prune saves when that root leaves the API.
// Bytes are allocated section bytes: size's VM column.
#pragma once

#include "passes/api.h"
#include "passes/liveness.h"
#include "passes/set_link.h"

#include <memory>
#include <string>
#include <vector>

namespace slimlink {

struct WhyLink : SetLink {
  Liveness live; // from the API roots, with reasons
};

// Reads every object member of `in` (one graph per distinct content) and
// walks it from the API roots of each library (`api`, or each library's
// default API). Throws InputError for a member whose graph does not read.
WhyLink buildWhyLink(const InputSet &in, const ApiSpec &api);

struct WhyStep {
  std::string symbol;  // mangled, as in the symbol table ("" if none)
  std::string member;  // the archive member
  std::string library; // its library's path
  std::string section;
  std::string via;     // how this step makes the next one live ("" last)
};

struct WhyAnswer {
  std::string asked;
  std::string symbol;       // the mangled name it resolved to
  bool defined = false;     // some object of the link defines it
  bool reachable = false;   // live: kept by prune
  // Defined symbols whose names match `asked` (whyNameKey); `symbol` is one
  // of them, a live one if any is. 1 for a mangled name given exactly.
  size_t matches = 0;
  // Not defined: the nearest names that are (demangled), best first.
  std::vector<std::string> suggestions;
  std::vector<WhyStep> chain; // root first, the symbol last
};

// How a name a person types matches a symbol: both the name asked and each
// defined symbol's name go through whyNameKey, and equal keys match.
//  - a mangled name (Rust legacy _ZN..E, v0 _R.., C++ _Z.., MSVC ?..; with
//    Mach-O's extra leading '_') is demangled first;
//  - Rust's hashes go: a trailing "::h<16 hex>" (legacy) and "[<hex>]"
//    after a crate name (v0);
//  - "<T>::" around an inherent impl's self type, where a path starts,
//    goes: "<core::fmt::Formatter>::pad" (v0's form) is
//    "core::fmt::Formatter::pad" (legacy's, and the source's); a qualified
//    "<T as Trait>::f" keeps its brackets;
//  - "::<" (turbofish) is "<", and ", " in generic arguments is ",".
// So "core::fmt::Formatter::pad", "core::fmt::Formatter::pad::h0123456789abcdef"
// and "_ZN4core3fmt9Formatter3pad17h0123456789abcdefE" all match the v0
// symbol demangled "<core::fmt::Formatter>::pad".
std::string whyNameKey(llvm::StringRef name);

// `name`: mangled (exactly as in the symbol table, or any name matching by
// whyNameKey). Not defined: `suggestions` has the nearest defined names.
WhyAnswer explainSymbol(const InputSet &in, const WhyLink &w, llvm::StringRef name);

struct WhyRoot {
  std::string symbol;
  uint64_t reachable = 0, retained = 0;
};

struct WhyTop {
  std::string symbol; // the section's symbol, or "[section NAME]"
  uint64_t retained = 0;
};

// The dominator tree over the live graph, for the HTML treemap: node 0 is
// the link; every other node has a parent, a label and its own bytes.
struct WhyTree {
  std::vector<uint32_t> parent;
  std::vector<std::string> label;
  std::vector<uint64_t> self, retained;
  std::vector<char> apiRoot; // the node of an API root (a child of node 0)
};

struct WhySummary {
  std::vector<WhyRoot> roots; // in the order of the API
  std::vector<WhyTop> top;    // by retained bytes, largest first
  uint64_t liveBytes = 0;
  WhyTree tree;
};

WhySummary summarizeWhy(const InputSet &in, const WhyLink &w, size_t top,
                        bool withTree);

} // namespace slimlink
