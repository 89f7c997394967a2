// size --budget's verdict: under the table, under the Markdown report, or
// as fields of the JSON report.
#include "report/markdown.h"
#include "report/size_report.h"
#include "report/table.h"

#include <algorithm>

namespace slimlink {

// Exceeded limits first, most exceeded first, so that what fails the build
// is at the top; then the others as the budget file has them.
static std::vector<const BudgetCheck *> verdictOrder(const BudgetVerdict &v) {
  std::vector<const BudgetCheck *> order;
  for (const BudgetCheck &c : v.checks)
    order.push_back(&c);
  std::stable_sort(order.begin(), order.end(),
                   [](const BudgetCheck *a, const BudgetCheck *b) {
                     return a->over() > b->over();
                   });
  return order;
}

static std::string budgetName(const BudgetVerdict &v) {
  return v.file.empty() ? "--max-growth" : v.file;
}

// "within budget: ..." or "over budget: ...", and what was not checked.
std::string budgetHeadline(const BudgetVerdict &v) {
  size_t n = v.checks.size(), over = v.exceeded();
  std::string s =
      over ? "over budget: " + std::to_string(over) + " of " +
                 std::to_string(n) + (n == 1 ? " limit" : " limits") +
                 " exceeded (" + budgetName(v) + ")"
           : n == 1 ? "within budget: the limit of " + budgetName(v) + " holds"
                    : "within budget: all " + std::to_string(n) +
                          " limits of " + budgetName(v) + " hold";
  if (size_t u = v.unchecked())
    s += "; " + std::to_string(u) + " growth " + (u == 1 ? "limit" : "limits") +
         " not checked (growth needs --diff OLD NEW)";
  return s;
}

static std::string limitName(const BudgetCheck &c) {
  return (c.limit.kind == BudgetLimit::Growth ? "growth " : "") +
         c.limit.path();
}

static std::string where(const BudgetCheck &c) {
  return c.limit.line ? "line " + std::to_string(c.limit.line)
                      : "--max-growth";
}

static std::string status(const BudgetCheck &c) {
  return !c.checked    ? "not checked"
         : c.over() > 0 ? "OVER"
         : c.found      ? "ok"
                        : "ok (no such row)";
}

static std::string signedHuman(int64_t d) {
  if (d == 0)
    return "0";
  return (d > 0 ? "+" : "-") + humanBytes(uint64_t(std::llabs(d)));
}

void printBudgetTable(const BudgetVerdict &v, llvm::raw_ostream &os) {
  Table t({"limit", ">value", ">budget", ">over by", "status", "where"});
  for (const BudgetCheck *c : verdictOrder(v)) {
    bool growth = c->limit.kind == BudgetLimit::Growth;
    std::string value = !c->checked ? "-"
                        : growth    ? signedHuman(c->value)
                                    : humanBytes(uint64_t(c->value));
    t.row({shortenMiddle(limitName(*c)), value,
           (growth ? "+" : "") + humanBytes(c->limit.bytes),
           c->over() ? "+" + humanBytes(uint64_t(c->over())) : "",
           status(*c), where(*c)});
  }
  t.print(os);
  os << budgetHeadline(v) << "\n";
}

void printBudgetMarkdown(const BudgetVerdict &v, llvm::raw_ostream &os) {
  os << "### Size budget: " << (v.ok() ? "within" : "**over**") << "\n\n"
     << budgetHeadline(v) << ".\n\n";
  MarkdownTable t({"limit", ">value", ">budget", ">over by", "status"});
  auto exact = [](uint64_t b) {
    return b < 1000 ? std::to_string(b) + " B"
                    : humanBytes(b) + " (" + groupedDigits(b) + " B)";
  };
  for (const BudgetCheck *c : verdictOrder(v)) {
    bool growth = c->limit.kind == BudgetLimit::Growth;
    std::string value = !c->checked ? "-"
                        : growth    ? markdownChange(c->value)
                                    : exact(uint64_t(c->value));
    std::string st = status(*c);
    t.row({(growth ? "growth " : "") + markdownCode(c->limit.path()), value,
           growth ? markdownChange(int64_t(c->limit.bytes))
                  : exact(c->limit.bytes),
           c->over() ? "**" + markdownChange(c->over()) + "**" : "",
           c->over() ? "**" + st + "**" : st});
  }
  t.print(os);
}

void writeBudgetJson(const BudgetVerdict &v, llvm::json::OStream &j) {
  // "ok", as verify's report has it; then the limits.
  j.attribute("ok", v.ok());
  j.attributeObject("budget", [&] {
    j.attribute("file", v.file);
    j.attribute("exceeded", int64_t(v.exceeded()));
    j.attributeArray("limits", [&] {
      for (const BudgetCheck &c : v.checks)
        j.object([&] {
          j.attribute("kind", c.limit.kind == BudgetLimit::Growth ? "growth"
                                                                  : "size");
          j.attribute("path", c.limit.path());
          if (c.limit.line)
            j.attribute("line", int64_t(c.limit.line));
          j.attribute("limit", int64_t(c.limit.bytes));
          j.attribute("checked", c.checked);
          if (c.checked) {
            j.attribute("value", c.value);
            j.attribute("over", c.over());
            j.attribute("found", c.found);
          }
        });
    });
  });
}

} // namespace slimlink
