#include "passes/size_budget.h"
#include "support/diagnostics.h"
#include "support/input_files.h"

#include "llvm/ADT/StringExtras.h"

#include <algorithm>

namespace slimlink {

std::optional<uint64_t> parseByteSize(llvm::StringRef text) {
  // Digits, an optional fraction, an optional unit; all in integers, so that
  // "2.5M" is 2500000 exactly.
  size_t digits = text.find_first_not_of("0123456789");
  llvm::StringRef whole = text.take_front(digits), fraction;
  llvm::StringRef rest = text.drop_front(whole.size());
  if (rest.consume_front(".")) {
    fraction = rest.take_while(llvm::isDigit);
    rest = rest.drop_front(fraction.size());
    if (fraction.empty())
      return std::nullopt;
  }
  if (whole.empty() || whole.size() > 15 || fraction.size() > 9)
    return std::nullopt;
  std::string unit = rest.lower();
  if (unit.size() > 1 && unit.back() == 'b')
    unit.pop_back(); // "kB", "KiB", "MB"
  static const std::pair<const char *, uint64_t> units[] = {
      {"", 1},           {"b", 1},
      {"k", 1000},       {"m", 1000000},       {"g", 1000000000},
      {"ki", 1ull << 10}, {"mi", 1ull << 20}, {"gi", 1ull << 30}};
  const auto *u = std::find_if(std::begin(units), std::end(units),
                               [&](const auto &x) { return unit == x.first; });
  if (u == std::end(units))
    return std::nullopt;
  uint64_t w = 0, f = 0, scale = 1;
  whole.getAsInteger(10, w);
  if (!fraction.empty())
    fraction.getAsInteger(10, f);
  for (size_t i = 0; i < fraction.size(); ++i)
    scale *= 10;
  if (w > (uint64_t(1) << 50) / u->second)
    return std::nullopt;
  // __int128: f * unit may not fit 64 bits (9 fraction digits of a GiB).
  unsigned __int128 part = (unsigned __int128)f * u->second;
  if (part % scale)
    return std::nullopt; // not a whole number of bytes
  return w * u->second + uint64_t(part / scale);
}

std::string BudgetLimit::path() const {
  return view ? std::string(sizeViewName(*view)) + "/" + row : "TOTAL";
}

namespace {
struct BudgetParser {
  const std::string &file;
  size_t line = 0;

  [[noreturn]] void error(const std::string &what) const {
    throw InputError(file, "line " + std::to_string(line) + ": " + what);
  }

  BudgetLimit limit(llvm::StringRef text) const {
    BudgetLimit l;
    l.line = line;
    // The size is the last word: a row's name may have spaces
    // ("<(A, B) as Trait>::f"), a size has none.
    size_t space = text.find_last_of(" \t");
    if (space == llvm::StringRef::npos)
      error("'" + text.str() + "' has no size: write PATH SIZE (e.g. "
            "'crates/std 512K')");
    llvm::StringRef size = text.drop_front(space + 1);
    llvm::StringRef path = text.take_front(space).rtrim();
    llvm::StringRef first = path.take_until(llvm::isSpace);
    if (first == "growth") {
      l.kind = BudgetLimit::Growth;
      path = path.drop_front(first.size()).ltrim();
      if (path.empty())
        error("'growth' needs a path before its size (growth TOTAL 16K)");
    }
    auto bytes = parseByteSize(size);
    if (!bytes)
      error("'" + size.str() + "' is not a size (bytes, or with K, M, G = "
            "1000, 1000^2, 1000^3 or Ki, Mi, Gi = 1024, 1024^2, 1024^3: "
            "512K, 2.5M, 64Ki)");
    l.bytes = *bytes;
    if (path == "TOTAL")
      return l;
    auto [viewName, row] = path.split('/');
    if (row.empty() || viewName.contains(' '))
      error("'" + path.str() + "' is not a path: TOTAL, or VIEW/NAME (e.g. "
            "crates/std, sections/.text)");
    l.view = parseSizeView(viewName);
    if (!l.view)
      error("unknown view '" + viewName.str() +
            "' (views: sections, segments, symbols, rawsymbols, "
            "shortsymbols, fullsymbols, crates, members, compileunits, "
            "inlines, inputfiles)");
    l.row = row.str();
    return l;
  }
};
} // namespace

Budget parseBudget(llvm::StringRef text, const std::string &file) {
  Budget b;
  b.file = file;
  BudgetParser p{file};
  for (llvm::StringRef raw : llvm::split(text, '\n')) {
    ++p.line;
    // '#' starts a comment at the start of a line or after a blank, so that
    // a name with '#' in it still reads.
    llvm::StringRef line = raw.rtrim("\r");
    for (size_t i = 0; i < line.size(); ++i)
      if (line[i] == '#' && (i == 0 || llvm::isSpace(line[i - 1]))) {
        line = line.take_front(i);
        break;
      }
    line = line.trim();
    if (line.empty())
      continue;
    BudgetLimit l = p.limit(line);
    for (const BudgetLimit &o : b.limits)
      if (o.kind == l.kind && o.path() == l.path())
        p.error((l.kind == BudgetLimit::Growth ? "growth " : "") + l.path() +
                " has a limit already (line " + std::to_string(o.line) + ")");
    b.limits.push_back(std::move(l));
  }
  return b;
}

Budget readBudget(const std::string &file) {
  std::string why;
  auto buf = readRegularFile(file, why);
  if (!buf)
    throw InputError(file, "cannot read the budget: " + why);
  rememberInput(file);
  return parseBudget(buf->getBuffer(), file);
}

std::vector<SizeView> budgetViews(const Budget &b) {
  std::vector<SizeView> views;
  for (const BudgetLimit &l : b.limits)
    if (l.view && !llvm::is_contained(views, *l.view))
      views.push_back(*l.view);
  if (views.empty())
    views.push_back(SizeView::Sections);
  return views;
}

BudgetSizes budgetSizes(const std::vector<SizeResult> &byView) {
  BudgetSizes s;
  for (const SizeResult &r : byView) {
    s.total = r.file;
    SizeView view = r.views.at(0);
    auto add = [&](const SizeRow &row) {
      s.rows[{view, row.name}] += row.file;
    };
    for (const SizeRow &row : r.rows) {
      if (!r.sliced)
        add(row);
      else // "[slice arm64]" holds the view's rows; "[fat header]" none
        for (const SizeRow &inner : row.children)
          add(inner);
    }
  }
  return s;
}

size_t BudgetVerdict::exceeded() const {
  return llvm::count_if(checks, [](const BudgetCheck &c) { return c.over() > 0; });
}

size_t BudgetVerdict::unchecked() const {
  return llvm::count_if(checks, [](const BudgetCheck &c) { return !c.checked; });
}

BudgetVerdict checkBudget(const Budget &b, const BudgetSizes &now,
                          const BudgetSizes *before) {
  auto size = [](const BudgetSizes &s, const BudgetLimit &l, bool &found) {
    if (!l.view)
      return int64_t(s.total);
    auto it = s.rows.find({*l.view, l.row});
    found |= it != s.rows.end();
    return it == s.rows.end() ? int64_t(0) : int64_t(it->second);
  };
  BudgetVerdict v;
  v.file = b.file;
  for (const BudgetLimit &l : b.limits) {
    BudgetCheck c;
    c.limit = l;
    bool found = !l.view;
    if (l.kind == BudgetLimit::Size) {
      c.value = size(now, l, found);
    } else if (before) {
      c.value = size(now, l, found) - size(*before, l, found);
    } else {
      c.checked = false;
    }
    c.found = found || !c.checked;
    v.checks.push_back(std::move(c));
  }
  return v;
}

} // namespace slimlink
