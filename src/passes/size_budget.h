// slimlink size --budget: limits on a file's size, checked on its rows.
//
// A budget file has one limit a line (README.md, "Budgets"):
//
//   # the shipped binary
//   TOTAL              2.5M
//   crates/std         512K
//   sections/.text     1.2M
//   inputfiles/libfoo.so  300K
//   growth TOTAL       16K      # with --diff OLD NEW only
//   growth crates/std  4K
//
// A path is TOTAL or VIEW/NAME: the row NAME of the view VIEW, as `size FILE
// -d VIEW` names it. Sizes are bytes, or with a unit as `size` prints them:
// K = 1000, M = 1000^2, G = 1000^3 (kB, MB, GB as the table shows), or Ki, Mi,
// Gi for powers of 1024. Limits are on file size, the bytes shipped.
//
// Pure: parses text and checks limits against sizes the caller measured.
#pragma once

#include "passes/size.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace slimlink {

// "512K", "2.5M", "300", "64KiB": the bytes, or nothing if it is not a size
// (or not a whole number of bytes: "0.5B", "1.0001K").
std::optional<uint64_t> parseByteSize(llvm::StringRef text);

struct BudgetLimit {
  enum Kind { Size, Growth } kind = Size;
  std::optional<SizeView> view; // nothing: TOTAL
  std::string row;              // the row's name in `view`
  uint64_t bytes = 0;
  size_t line = 0; // in the budget file; 0: from the command line
  // As the budget file writes it: "TOTAL", "crates/std".
  std::string path() const;
};

struct Budget {
  std::string file; // as given; "" for limits from the command line only
  std::vector<BudgetLimit> limits;
};

// Parses a budget file's text. Throws InputError naming `file` and the line
// of anything it cannot read: an unknown view, a size that is no size, a
// path given two limits of one kind.
Budget parseBudget(llvm::StringRef text, const std::string &file);
// Reads and parses the budget file `file`.
Budget readBudget(const std::string &file);

// The views to measure a budget on, each on its own: those its limits name,
// or sections alone when it names none (for TOTAL).
std::vector<SizeView> budgetViews(const Budget &b);

// File sizes a budget is checked against: the total, and the rows of each
// view it names. A row missing here is 0 bytes (the view has no such row).
struct BudgetSizes {
  uint64_t total = 0;
  std::map<std::pair<SizeView, std::string>, uint64_t> rows;
};
// The sizes of `byView`: one result per view of budgetViews(b), each of
// computeSize(files, {view}) (at least one: TOTAL is its file size). A
// universal file's rows are summed across its slices.
BudgetSizes budgetSizes(const std::vector<SizeResult> &byView);

struct BudgetCheck {
  BudgetLimit limit;
  bool checked = true; // growth limits need an old file (--diff)
  bool found = true;   // the row exists (in the old or new file)
  int64_t value = 0;   // the size, or the growth (new - old; may be < 0)
  int64_t over() const {
    return checked && value > int64_t(limit.bytes) ? value - int64_t(limit.bytes)
                                                   : 0;
  }
};

struct BudgetVerdict {
  std::string file;
  std::vector<BudgetCheck> checks; // in the budget's order
  size_t exceeded() const;
  size_t unchecked() const;
  bool ok() const { return exceeded() == 0; }
};

// Checks every limit: size limits on `now`, growth limits on now - `before`
// (not checked without `before`).
BudgetVerdict checkBudget(const Budget &b, const BudgetSizes &now,
                          const BudgetSizes *before = nullptr);

} // namespace slimlink
