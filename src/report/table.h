// Plain-text tables for every verb's report: columns padded to fit, numbers
// right-aligned, a rule under the header.
#pragma once

#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace slimlink {

class Table {
public:
  // A header starting with '>' is a right-aligned (numeric) column.
  explicit Table(std::vector<std::string> headers);
  void row(std::vector<std::string> cells);
  void rule(); // a separator line, e.g. above a total
  void print(llvm::raw_ostream &os) const;

private:
  std::vector<std::string> headers;
  std::vector<bool> right;
  std::vector<std::vector<std::string>> rows; // empty row = rule
};

std::string humanBytes(uint64_t bytes);
// Rust symbol names run to hundreds of characters; tables keep the head and
// the tail (--json and --csv keep them whole).
std::string shortenMiddle(const std::string &s, size_t max = 100);
std::string escapeHtml(llvm::StringRef s); // for text and attribute values
// JSON (or any text) placed inside <script>: "</" must not end the element.
std::string scriptSafeText(llvm::StringRef s); // "21.9 MB" (SI, like the issues use)
std::string percent(uint64_t part, uint64_t whole); // "38.2%"

} // namespace slimlink
