#include "report/dedup_report.h"
#include "report/json_header.h"
#include "report/table.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/JSON.h"

#include <algorithm>
#include <map>

namespace slimlink {

// An LTO build compiles std into the crate's own object, so there is no
// byte-identical std to share. Recognise it by the crate's object defining
// the Rust runtime's personality routine, which otherwise lives in std.
static std::string lowSharingNote(const Library &lib, const DedupPlan &plan,
                                  uint32_t l, uint64_t movedBytes) {
  // Against the members' bytes (for shrink: the rewritten ones), not the
  // input file's size.
  uint64_t total = 0;
  for (const Member &m : lib.members)
    total += m.size();
  for (uint32_t i = 0; i < lib.members.size(); ++i) {
    if (plan.moved[l][i])
      continue;
    const Member &m = lib.members[i];
    std::string crate = crateOfMember(m.name);
    if (crate == "std" || crate == "panic_unwind")
      continue;
    for (const Symbol &s : m.symbols)
      if (s.defined && s.name == "rust_eh_personality")
        return "std is compiled into " + crate +
               "'s own object (an LTO build), so no other input has the same "
               "bytes: only " + percent(movedBytes, total) +
               " of it (compiler_builtins and native objects) is shared. LTO libraries do not link together as they are: "
               "'slimlink isolate' is the verb for that.";
  }
  if (movedBytes * 2 >= total)
    return {};
  return "only " + percent(movedBytes, total) +
         " of this library matched another input byte for byte " +
         (isRustLibrary(lib) ? "(another toolchain, profile or set of crate "
                               "features?)"
                             : "(other sources, compiler or flags?)");
}

// The start of the link line the report prints, in the inputs' own terms:
// MSVC-style libraries (NAME.lib) link with link.exe's command line.
static std::string linkCommand(const std::vector<Library> &libs) {
  bool msvc = !libs.empty() &&
              llvm::StringRef(libs[0].path).ends_with_insensitive(".lib");
  return msvc ? "lld-link YOUR_OBJECTS.obj" : "cc YOUR_OBJECTS.o";
}

DedupReport makeDedupReport(const InputSet &in,
                            const DedupPlan &plan,
                            const std::vector<OutputArchive> &slims,
                            const OutputArchive &common) {
  const std::vector<Library> &libs = in.libs;
  DedupReport r;
  r.rust = llvm::any_of(in.libs, isRustLibrary);
  std::map<std::string, DedupReport::CrateRow> crates;
  for (size_t k = 0; k < plan.sharedCount; ++k) {
    const Member &m = in.at(plan.common[k]);
    auto &row = crates[crateOfMember(m.name)];
    ++row.members;
    row.bytes += m.size();
  }
  for (uint32_t l = 0; l < libs.size(); ++l) {
    DedupReport::Input row;
    row.path = libs[l].path;
    row.output = slims[l].path;
    row.bytesBefore = libs[l].size();
    row.bytesAfter = slims[l].bytesWritten;
    row.members = libs[l].members.size();
    uint64_t movedBytes = 0;
    for (uint32_t i = 0; i < row.members; ++i)
      if (plan.moved[l][i]) {
        ++row.moved;
        const Member &m = libs[l].members[i];
        movedBytes += m.size();
        crates[crateOfMember(m.name)].saved += m.size();
      }
    row.note = lowSharingNote(libs[l], plan, l, movedBytes);
    r.totalBefore += row.bytesBefore;
    r.totalAfter += row.bytesAfter;
    r.inputs.push_back(std::move(row));
  }
  for (auto &[name, row] : crates) {
    row.crate = name;
    row.saved -= row.bytes; // every shared member keeps one copy
    r.sharedByCrate.push_back(row);
  }
  std::stable_sort(r.sharedByCrate.begin(), r.sharedByCrate.end(),
                   [](auto &a, auto &b) { return a.bytes > b.bytes; });

  for (const BackReference &b : plan.backrefs) {
    const Member &def = in.at(b.definer);
    if (r.fallbacks.empty() || r.fallbacks.back().member != def.name)
      r.fallbacks.push_back({def.name, libs[b.definer.lib].path, {}});
    r.fallbacks.back().symbols.push_back(b.symbol.str());
  }
  r.commonPath = common.path;
  r.commonBytes = common.bytesWritten;
  r.commonMembers = common.members.size();
  r.totalAfter += r.commonBytes;
  r.linkLine = linkCommand(libs);
  for (const OutputArchive &s : slims)
    r.linkLine += " " + s.path;
  r.linkLine += " " + common.path;
  return r;
}

DedupReport makeMergeReport(const InputSet &in,
                            const std::vector<MemberRef> &merged,
                            const OutputArchive &out) {
  DedupReport r;
  const std::vector<Library> &libs = in.libs;
  r.merged = true;
  for (const Library &lib : libs) {
    r.inputs.push_back({lib.path, out.path, lib.size(), 0,
                        lib.members.size(), 0, ""});
    r.totalBefore += lib.size();
  }
  r.commonPath = out.path;
  r.commonBytes = out.bytesWritten;
  r.commonMembers = merged.size();
  r.totalAfter = out.bytesWritten;
  r.linkLine = linkCommand(libs) + " " + out.path;
  return r;
}

void printTable(const DedupReport &r, llvm::raw_ostream &os) {
  if (r.merged) {
    Table t({"input", ">before", ">members"});
    for (const auto &in : r.inputs)
      t.row({in.path, humanBytes(in.bytesBefore), std::to_string(in.members)});
    t.rule();
    t.row({r.commonPath + " (merged)", humanBytes(r.commonBytes),
           std::to_string(r.commonMembers)});
    t.print(os);
  } else {
    Table t({"library", ">before", ">after", ">members", ">moved to common"});
    for (const auto &in : r.inputs)
      t.row({in.output, humanBytes(in.bytesBefore), humanBytes(in.bytesAfter),
             std::to_string(in.members), std::to_string(in.moved)});
    t.row({r.commonPath + " (common)", "", humanBytes(r.commonBytes),
           std::to_string(r.commonMembers), ""});
    t.rule();
    t.row({"total", humanBytes(r.totalBefore), humanBytes(r.totalAfter), "",
           ""});
    t.print(os);
  }
  uint64_t saved = r.totalBefore > r.totalAfter ? r.totalBefore - r.totalAfter
                                                : 0;
  os << "\nsaved " << humanBytes(saved) << " ("
     << percent(saved, r.totalBefore) << " of the inputs); outputs are "
     << percent(r.totalAfter, r.totalBefore) << " of the inputs\n";

  if (!r.sharedByCrate.empty()) {
    const char *unit = r.rust ? "crate" : "object";
    os << "\nshared bytes by " << unit << " (one copy now in the common library)\n";
    Table t({unit, ">members", ">bytes", ">saved"});
    // The long tail (compiler-rt's tiny C objects) goes into one row; the
    // JSON report lists every crate.
    const size_t shown = 12;
    DedupReport::CrateRow rest;
    for (size_t k = 0; k < r.sharedByCrate.size(); ++k) {
      const auto &c = r.sharedByCrate[k];
      if (k < shown) {
        t.row({objectLabel(c.crate, r.rust), std::to_string(c.members),
               humanBytes(c.bytes),
               humanBytes(c.saved)});
      } else {
        rest.members += c.members;
        rest.bytes += c.bytes;
        rest.saved += c.saved;
      }
    }
    if (r.sharedByCrate.size() > shown)
      t.row({"(" + std::to_string(r.sharedByCrate.size() - shown) +
                 " more; --json lists all)",
             std::to_string(rest.members), humanBytes(rest.bytes),
             humanBytes(rest.saved)});
    t.print(os);
  }
  if (!r.fallbacks.empty()) {
    os << "\ncopied into the common library so that it links last (its "
          "members call into these):\n";
    for (const auto &f : r.fallbacks)
      os << "  " << f.member << " from " << f.from << " ("
         << f.symbols.size() << " symbol" << (f.symbols.size() == 1 ? "" : "s")
         << ", e.g. " << f.symbols.front() << ")\n";
  }
  for (const auto &[name, n] : r.counts)
    os << "\n" << name << ": " << n;
  if (!r.counts.empty())
    os << "\n";
  for (const auto &in : r.inputs)
    if (!in.note.empty())
      os << "\nnote: " << in.path << ": " << in.note << "\n";
  if (r.shared) {
    os << "\n" << r.commonPath << " exports " << r.sharedExports
       << " symbols: every one the slim libraries reference (a module's "
          "--gc-sections or -dead_strip may drop a few of those references, "
          "so a few may go unused). Link each module with it (a Python "
          "extension module: -o "
          "NAME$(python3-config --extension-suffix); a Node addon: -o "
          "NAME.node; the host's symbols stay undefined until it loads the "
          "module):\n";
    for (const std::string &line : r.moduleLinkLines)
      os << "  " << line << "\n";
  } else {
    os << "\nlink with:\n  " << r.linkLine << "\n";
  }
  if (!r.namesPath.empty())
    os << "\nprivate names are short; " << r.namesPath
       << " maps each to its original (--keep-names keeps them)\n";
}

void writeJson(const DedupReport &r, llvm::json::OStream &j) {
  j.object([&] {
    std::vector<std::string> inputs, outputs;
    for (const auto &in : r.inputs) {
      inputs.push_back(in.path);
      if (!r.merged)
        outputs.push_back(in.output);
    }
    outputs.push_back(r.commonPath);
    if (!r.importPath.empty())
      outputs.push_back(r.importPath);
    jsonHeader(j, r.mode == "shrink" ? "shrink" : "dedup", inputs, outputs);
    j.attribute("mode", r.merged ? "merge" : r.mode);
    for (const auto &[name, n] : r.counts)
      j.attribute(name, n);
    if (!r.namesPath.empty())
      j.attribute("names", r.namesPath);
    j.attributeArray("libraries", [&] {
      for (const auto &in : r.inputs)
        j.object([&] {
          j.attribute("path", in.path);
          j.attribute("output", in.output);
          j.attribute("bytes_before", int64_t(in.bytesBefore));
          j.attribute("bytes_after", int64_t(in.bytesAfter));
          j.attribute("members", int64_t(in.members));
          j.attribute("members_moved", int64_t(in.moved));
          if (!in.note.empty())
            j.attribute("note", in.note);
        });
    });
    j.attributeObject("common", [&] {
      j.attribute("path", r.commonPath);
      j.attribute("bytes", int64_t(r.commonBytes));
      j.attribute("members", int64_t(r.commonMembers));
      j.attributeArray("fallback_copies", [&] {
        for (const auto &f : r.fallbacks)
          j.object([&] {
            j.attribute("member", f.member);
            j.attribute("from", f.from);
            j.attributeArray("symbols", [&] {
              for (const auto &s : f.symbols)
                j.value(s);
            });
          });
      });
    });
    j.attributeArray("shared_by_crate", [&] {
      for (const auto &c : r.sharedByCrate)
        j.object([&] {
          j.attribute("crate", c.crate);
          j.attribute("members", int64_t(c.members));
          j.attribute("bytes", int64_t(c.bytes));
          j.attribute("saved", int64_t(c.saved));
        });
    });
    j.attribute("total_before", int64_t(r.totalBefore));
    j.attribute("total_after", int64_t(r.totalAfter));
    j.attribute("saved", int64_t(r.totalBefore) - int64_t(r.totalAfter));
    if (r.shared) {
      j.attribute("shared_exports", int64_t(r.sharedExports));
      j.attributeArray("link_lines", [&] {
        for (const std::string &line : r.moduleLinkLines)
          j.value(line);
      });
    } else {
      j.attribute("link_line", r.linkLine);
    }
  });
}

BaseReport makeBaseReport(const InputSet &in, const BasePlan &plan,
                          const std::vector<OutputArchive> &outs) {
  BaseReport r;
  for (size_t l = 0; l < plan.baseCount; ++l)
    r.bases.push_back(in.libs[l].path);
  std::string slims, again;
  for (size_t k = 0; k < outs.size(); ++k) {
    const Library &lib = in.libs[plan.baseCount + k];
    size_t moved = llvm::count(plan.inBase[plan.baseCount + k], true);
    r.libs.push_back({lib.path, outs[k].path, lib.size(), outs[k].bytesWritten,
                      lib.members.size(), moved, ""});
    slims += " " + outs[k].path;
  }
  llvm::StringSet<> seen;
  for (const BackReference &b : plan.backrefs) {
    if (!seen.insert(b.symbol).second)
      continue;
    r.backrefs.push_back(b.symbol.str() + " (needed by " +
                         in.libs[b.user.lib].path + "(" + in.at(b.user).name +
                         "))");
    again = slims; // GNU ld reads each archive once: the slim ones again
  }
  r.linkLine = "cc ..." + slims;
  for (const std::string &b : r.bases)
    r.linkLine += " " + b;
  r.linkLine += again;
  return r;
}

void printTable(const BaseReport &r, llvm::raw_ostream &os) {
  Table t({"library", ">before", ">after", ">members", ">in a base"});
  for (const auto &l : r.libs)
    t.row({l.output, humanBytes(l.bytesBefore), humanBytes(l.bytesAfter),
           std::to_string(l.members), std::to_string(l.moved)});
  t.print(os);
  os << "\nbase libraries (not written): ";
  for (size_t k = 0; k < r.bases.size(); ++k)
    os << (k ? ", " : "") << r.bases[k];
  os << "\n";
  for (const std::string &b : r.backrefs)
    os << "note: a base needs " << b
       << ", which only a slim library defines: the link line names the slim "
          "libraries again after the bases\n";
  os << "\nlink: " << r.linkLine << "\n";
}

void writeJson(const BaseReport &r, llvm::json::OStream &j) {
  j.object([&] {
    std::vector<std::string> inputs = r.bases, outputs;
    for (const auto &l : r.libs) {
      inputs.push_back(l.path);
      outputs.push_back(l.output);
    }
    jsonHeader(j, "dedup", inputs, outputs);
    j.attribute("mode", "base");
    j.attributeArray("bases", [&] {
      for (const std::string &b : r.bases)
        j.value(b);
    });
    j.attributeArray("libraries", [&] {
      for (const auto &l : r.libs)
        j.object([&] {
          j.attribute("path", l.path);
          j.attribute("output", l.output);
          j.attribute("bytes_before", int64_t(l.bytesBefore));
          j.attribute("bytes_after", int64_t(l.bytesAfter));
          j.attribute("members", int64_t(l.members));
          j.attribute("members_in_base", int64_t(l.moved));
        });
    });
    j.attributeArray("back_references", [&] {
      for (const std::string &b : r.backrefs)
        j.value(b);
    });
    j.attribute("link_line", r.linkLine);
  });
}

} // namespace slimlink
