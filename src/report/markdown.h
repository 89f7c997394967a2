// GitHub-flavoured Markdown for reports a code review shows (a CI step posts
// them as a pull request comment as they are).
#pragma once

#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace slimlink {

// A GFM table. A header starting with '>' is a right-aligned (numeric)
// column. Cells are Markdown already: wrap names with markdownCode.
class MarkdownTable {
public:
  explicit MarkdownTable(std::vector<std::string> headers);
  void row(std::vector<std::string> cells);
  void print(llvm::raw_ostream &os) const;

private:
  std::vector<std::string> headers;
  std::vector<bool> right;
  std::vector<std::vector<std::string>> rows;
};

// `text` as an inline code span: symbol names hold '<', '>', '*', '_' and
// '|' that Markdown would read as HTML, emphasis or a cell's end.
std::string markdownCode(const std::string &text);
// 1234567 -> "1,234,567"
std::string groupedDigits(uint64_t n);
// A change as people read it, with the exact bytes: "+12.3 kB (+12,345 B)";
// under 1000 bytes, "+123 B"; "0" for none.
std::string markdownChange(int64_t bytes);

} // namespace slimlink
