#include "report/table.h"

#include "llvm/Support/Format.h"

#include <algorithm>

namespace slimlink {

Table::Table(std::vector<std::string> hs) {
  for (std::string &h : hs) {
    right.push_back(!h.empty() && h[0] == '>');
    headers.push_back(right.back() ? h.substr(1) : h);
  }
}

void Table::row(std::vector<std::string> cells) {
  cells.resize(headers.size());
  rows.push_back(std::move(cells));
}

void Table::rule() { rows.emplace_back(); }

void Table::print(llvm::raw_ostream &os) const {
  std::vector<size_t> width(headers.size());
  for (size_t c = 0; c < headers.size(); ++c) {
    width[c] = headers[c].size();
    for (const auto &r : rows)
      if (!r.empty())
        width[c] = std::max(width[c], r[c].size());
  }
  auto line = [&](const std::vector<std::string> &cells) {
    std::string out;
    for (size_t c = 0; c < cells.size(); ++c) {
      std::string pad(width[c] - cells[c].size(), ' ');
      if (c)
        out += "  ";
      out += right[c] ? pad + cells[c] : cells[c] + pad;
    }
    while (!out.empty() && out.back() == ' ')
      out.pop_back();
    os << out << "\n";
  };
  size_t total = 2 * (headers.size() - 1);
  for (size_t w : width)
    total += w;
  line(headers);
  os << std::string(total, '-') << "\n";
  for (const auto &r : rows) {
    if (r.empty())
      os << std::string(total, '-') << "\n";
    else
      line(r);
  }
}

std::string shortenMiddle(const std::string &s, size_t max) {
  if (s.size() <= max)
    return s;
  return s.substr(0, max - 33) + "..." + s.substr(s.size() - 30);
}

std::string humanBytes(uint64_t b) {
  std::string s;
  llvm::raw_string_ostream os(s);
  if (b < 1000)
    os << b << " B";
  else if (b < 1000 * 1000)
    os << llvm::format("%.1f kB", b / 1e3);
  else if (b < 1000ull * 1000 * 1000)
    os << llvm::format("%.1f MB", b / 1e6);
  else
    os << llvm::format("%.2f GB", b / 1e9);
  return s;
}

std::string escapeHtml(llvm::StringRef s) {
  std::string out;
  for (char c : s) {
    switch (c) {
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '&': out += "&amp;"; break;
    case '"': out += "&quot;"; break;
    default: out += c;
    }
  }
  return out;
}

std::string scriptSafeText(llvm::StringRef s) {
  std::string safe;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<' && i + 1 < s.size() && s[i + 1] == '/')
      safe += "<\\";
    else
      safe += s[i];
  }
  return safe;
}

std::string percent(uint64_t part, uint64_t whole) {
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format(
      "%.1f%%", whole ? 100.0 * part / whole : 0.0);
  return s;
}

} // namespace slimlink
