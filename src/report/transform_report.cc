#include "report/transform_report.h"
#include "report/json_header.h"
#include "report/table.h"

#include "llvm/Support/JSON.h"

#include <algorithm>
#include <map>

namespace slimlink {

void addCrates(TransformReport &r, const Library &lib,
               const std::vector<uint64_t> &sizeAfter) {
  std::map<std::string, TransformReport::Crate> byName;
  for (const auto &c : r.crates)
    byName[c.crate] = c;
  for (size_t i = 0; i < lib.members.size(); ++i) {
    auto &row = byName[crateOfMember(lib.members[i].name)];
    row.bytesBefore += lib.members[i].size();
    row.bytesAfter += sizeAfter[i];
  }
  r.rust = isRustLibrary(lib);
  r.crates.clear();
  for (auto &[name, row] : byName) {
    row.crate = name;
    r.crates.push_back(row);
  }
  std::stable_sort(r.crates.begin(), r.crates.end(), [](auto &a, auto &b) {
    return a.bytesBefore > b.bytesBefore;
  });
}

void printTable(const TransformReport &r, llvm::raw_ostream &os) {
  Table t({"library", ">before", ">after", ">members", ">after"});
  uint64_t before = 0, after = 0;
  for (const auto &l : r.libs) {
    t.row({l.output, humanBytes(l.bytesBefore), humanBytes(l.bytesAfter),
           std::to_string(l.members), std::to_string(l.membersAfter)});
    before += l.bytesBefore;
    after += l.bytesAfter;
  }
  if (r.libs.size() > 1) {
    t.rule();
    t.row({"total", humanBytes(before), humanBytes(after), "", ""});
  }
  t.print(os);
  os << "\n" << r.verb << ": " << percent(after, before)
     << " of the input remains\n";

  if (!r.crates.empty()) {
    const char *unit = r.rust ? "crate" : "object";
    os << "\nby " << unit << " (member bytes)\n";
    Table c({unit, ">before", ">after"});
    const size_t shown = 12;
    TransformReport::Crate rest;
    for (size_t k = 0; k < r.crates.size(); ++k) {
      if (k < shown) {
        c.row({objectLabel(r.crates[k].crate, r.rust),
               humanBytes(r.crates[k].bytesBefore),
               humanBytes(r.crates[k].bytesAfter)});
      } else {
        rest.bytesBefore += r.crates[k].bytesBefore;
        rest.bytesAfter += r.crates[k].bytesAfter;
      }
    }
    if (r.crates.size() > shown)
      c.row({"(" + std::to_string(r.crates.size() - shown) +
                 " more; --json lists all)",
             humanBytes(rest.bytesBefore), humanBytes(rest.bytesAfter)});
    c.print(os);
  }
  if (!r.counts.empty())
    os << "\n";
  for (const auto &[name, n] : r.counts)
    os << name << ": " << n << "\n";
  for (const auto &n : r.notes)
    os << "\nnote: " << n << "\n";
}

void writeJson(const TransformReport &r, llvm::json::OStream &j) {
  j.object([&] {
    std::vector<std::string> inputs, outputs;
    for (const auto &l : r.libs) {
      inputs.push_back(l.input);
      outputs.push_back(l.output);
    }
    jsonHeader(j, r.verb, inputs, outputs);
    if (!r.api.empty())
      j.attributeArray("api", [&] {
        for (const std::string &a : r.api)
          j.value(a);
      });
    j.attributeArray("libraries", [&] {
      for (const auto &l : r.libs)
        j.object([&] {
          j.attribute("input", l.input);
          j.attribute("output", l.output);
          j.attribute("bytes_before", int64_t(l.bytesBefore));
          j.attribute("bytes_after", int64_t(l.bytesAfter));
          j.attribute("members_before", int64_t(l.members));
          j.attribute("members_after", int64_t(l.membersAfter));
        });
    });
    j.attributeArray("crates", [&] {
      for (const auto &c : r.crates)
        j.object([&] {
          j.attribute("crate", c.crate);
          j.attribute("bytes_before", int64_t(c.bytesBefore));
          j.attribute("bytes_after", int64_t(c.bytesAfter));
        });
    });
    for (const auto &[name, n] : r.counts)
      j.attribute(name, n);
    j.attributeArray("notes", [&] {
      for (const auto &n : r.notes)
        j.value(n);
    });
  });
}

} // namespace slimlink
