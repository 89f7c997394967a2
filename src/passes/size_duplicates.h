// slimlink size --duplicates: what several files each carry a copy of.
//
// Pure: takes each input's own `size` rows (computeSize of one file, read
// once) and groups them by name across the inputs. A name in more than one
// input is a duplicate: its copies, the bytes of all of them, and the
// duplicated bytes - all copies but the largest (sum - max, in VM and in file
// size each), what one shared copy would save at most.
//
// Names match as linked: a section by its name, a symbol by its mangled name
// (Rust's match exactly when the same rustc built the same crate version), a
// crate by its name. Bracketed rows ("[C]", "[section .text]", "[ELF
// header]", ...) name no crate, symbol or section and never match.
#pragma once

#include "passes/size.h"

#include <string>
#include <vector>

namespace slimlink {

// The views --duplicates groups by.
bool duplicatesView(SizeView v);
// The views to read and compute per file for `view`: crates need their
// mangled symbols too (rawsymbols inside each crate), to tell whether the
// copies are one build.
std::vector<SizeView> duplicatesViews(SizeView view);

struct DuplicateRow {
  std::string name;               // as linked (symbols: mangled)
  std::vector<std::string> files; // the inputs with a copy, in input order
  uint64_t vm = 0, file = 0;      // all copies
  uint64_t duplicatedVm = 0, duplicatedFile = 0; // sum - max
  // Crates: some copy has no Rust mangled name in common with the largest
  // copy, so they are different builds (another version of the crate,
  // another rustc: legacy hash suffixes or v0 crate disambiguators differ)
  // and the match is by crate name alone.
  bool versionsDiffer = false;
  size_t copies() const { return files.size(); }
};

struct SizeDuplicates {
  SizeView view = SizeView::Crates;
  std::vector<std::string> files;
  uint64_t vm = 0, file = 0; // all the inputs
  // By duplicated file bytes, largest first; ties by name.
  std::vector<DuplicateRow> rows;
  // The sums of the rows' duplicated bytes: at most what sharing one copy
  // of each would save.
  uint64_t duplicatedVm = 0, duplicatedFile = 0;
  // Inputs without a symbol table (matched by the names that survive), and
  // inputs that have no name at all to match in this view.
  std::vector<std::string> stripped, unnamed;
};

// `perFile`: one result per input file, each of computeSize(file,
// duplicatesViews(view)).
SizeDuplicates findDuplicates(const std::vector<SizeResult> &perFile,
                              SizeView view);

} // namespace slimlink
