// shrink: the whole pipeline over a set of libraries, as one unit — what a
// build system calls. For each library: prune to what its API reaches, strip
// debug info and bitcode, make every non-API symbol private to the set; then
// dedup across the set, so one pruned copy of std serves every library.
//
// Two details make the pieces compose:
//  - a member that several libraries share is pruned to the union of what
//    each needs, so its pruned bytes stay identical and dedup can share them;
//  - private names use one tag for the whole set, so shared code keeps one
//    name everywhere; only a symbol that libraries define differently (std
//    inside LTO objects) gets a name per group of libraries that agree.
//
// Names are bytes too (a Rust staticlib's mangled names and the section
// names that repeat them are a third of what prune and strip leave):
//  - a private symbol that one member alone defines and nothing else in the
//    set names becomes local: out of the archive index, and nameless;
//  - the other private symbols get short names, TAG_<n>, listed with the
//    originals in DIR/<common>.names for people reading backtraces;
//  - the format drops what only kept names apart (ObjectEdit::shortNames).
// --keep-names keeps every name readable: NAME.slimlink.TAG.
#pragma once

#include "passes/api.h"
#include "passes/dedup.h"


namespace slimlink {

struct ShrinkOptions {
  ApiSpec api;            // empty: each library's default API
  bool keepDebug = false;
  bool keepNames = false; // NAME.slimlink.TAG, not TAG_<n>, and local names stay
  std::string tag;        // empty: a hash of the set's contents
};

struct ShrinkResult {
  std::vector<std::string> bytes;   // rewritten members; `out` points into them
  InputSet out;                     // the rewritten libraries, in memory
  DedupPlan dedup;                  // over `out`
  size_t apiSymbols = 0;
  size_t privateSymbols = 0; // renamed, counted once per library that has them
  size_t perLibrarySymbols = 0; // private symbols named per group of libraries
  // Object members rewritten: once per distinct (content, names given),
  // however many libraries hold the member.
  size_t distinctRewrites = 0, objectCopies = 0;
  size_t localizedSymbols = 0; // private symbols one member alone defines and uses
  // Short private name -> original, sorted by short name (not --keep-names).
  std::vector<std::pair<std::string, std::string>> shortNames;
  std::string tag;
};

ShrinkResult planShrink(const InputSet &in, const ShrinkOptions &opts);

} // namespace slimlink
