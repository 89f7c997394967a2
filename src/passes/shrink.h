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
#include "passes/prune.h"

#include <optional>


namespace slimlink {

struct ShrinkOptions {
  ApiSpec api;            // empty: each library's default API
  bool keepDebug = false;
  bool keepNames = false; // NAME.slimlink.TAG, not TAG_<n>, and local names stay
  std::string tag;        // empty: a hash of the set's contents
};

// One distinct rewrite: prune's and strip's edit of a member, with the
// names the libraries that hold it give it. The plan is data: edit.renames
// stays null, and whoever runs the edit points it at `renames`.
struct ShrinkRewrite {
  ObjectEdit edit;
  llvm::StringMap<std::string> renames;
};

// What becomes of one member of one library.
struct ShrinkMember {
  bool keep = true; // false: prune found nothing in it the API reaches
  std::optional<uint32_t> rewrite; // into ShrinkPlan::rewrites; none: as it is
};

struct ShrinkPlan {
  std::string tag;
  std::vector<std::vector<ShrinkMember>> members; // [library][member]
  // Once per distinct (content, names given), however many libraries hold
  // the member.
  std::vector<ShrinkRewrite> rewrites;
  size_t apiSymbols = 0;
  size_t privateSymbols = 0; // renamed, counted once per library that has them
  size_t perLibrarySymbols = 0; // private symbols named per group of libraries
  size_t objectCopies = 0;      // object members kept, in all libraries
  size_t localizedSymbols = 0; // private symbols one member alone defines and uses
  // Short private name -> original, sorted by short name (not --keep-names).
  std::vector<std::pair<std::string, std::string>> shortNames;
};

// `graphs`: readSetGraphs(in). Reads nothing else and writes nothing: dedup
// across the set comes after the rewrites, over their bytes.
ShrinkPlan planShrink(const InputSet &in, const SetGraphs &graphs,
                      const ShrinkOptions &opts);

} // namespace slimlink
