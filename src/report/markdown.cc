#include "report/markdown.h"
#include "report/table.h"

#include <algorithm>
#include <cstdlib>

namespace slimlink {

MarkdownTable::MarkdownTable(std::vector<std::string> hs) {
  for (std::string &h : hs) {
    right.push_back(!h.empty() && h[0] == '>');
    headers.push_back(right.back() ? h.substr(1) : h);
  }
}

void MarkdownTable::row(std::vector<std::string> cells) {
  cells.resize(headers.size());
  rows.push_back(std::move(cells));
}

void MarkdownTable::print(llvm::raw_ostream &os) const {
  auto line = [&](const std::vector<std::string> &cells) {
    os << "|";
    for (const std::string &c : cells)
      os << " " << c << " |";
    os << "\n";
  };
  line(headers);
  os << "|";
  for (bool r : right)
    os << (r ? " ---: |" : " :--- |");
  os << "\n";
  for (const auto &r : rows)
    line(r);
}

std::string markdownCode(const std::string &text) {
  // In a table, '|' ends the cell even inside a code span unless escaped
  // (GFM: the escape is taken out before the span is read).
  std::string s;
  size_t run = 0, longest = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
    if (c == '|')
      s += '\\';
    s += c == '\n' || c == '\r' ? ' ' : c;
  }
  // A name with backticks takes a longer fence, padded with spaces.
  std::string fence(longest + 1, '`');
  bool pad = longest > 0 || (!s.empty() && s.front() == ' ');
  return fence + (pad ? " " : "") + s + (pad ? " " : "") + fence;
}

std::string groupedDigits(uint64_t n) {
  std::string d = std::to_string(n), out;
  for (size_t i = 0; i < d.size(); ++i) {
    if (i && (d.size() - i) % 3 == 0)
      out += ',';
    out += d[i];
  }
  return out;
}

std::string markdownChange(int64_t bytes) {
  if (bytes == 0)
    return "0";
  std::string sign = bytes > 0 ? "+" : "-";
  uint64_t b = uint64_t(std::llabs(bytes));
  if (b < 1000)
    return sign + std::to_string(b) + " B";
  return sign + humanBytes(b) + " (" + sign + groupedDigits(b) + " B)";
}

} // namespace slimlink
