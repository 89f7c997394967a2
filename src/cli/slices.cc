#include "cli/slices.h"
#include "cli/commands.h"
#include "model/universal.h"
#include "report/json_header.h"
#include "support/diagnostics.h"
#include "write/universal_writer.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

namespace slimlink {

static std::string archList(const std::vector<FatSlice> &slices) {
  std::string out;
  for (const FatSlice &s : slices)
    out += (out.empty() ? "" : ", ") + s.arch;
  return out;
}

// The slices of the run: those of its universal inputs, which must agree.
// Empty when every input is thin.
static std::vector<FatSlice> slicesOf(const std::vector<std::string> &inputs) {
  std::vector<FatSlice> slices;
  std::string first, thin;
  for (const std::string &path : inputs) {
    auto buf = llvm::MemoryBuffer::getFile(path, false, false);
    if (!buf)
      continue; // readLibraries says why, in input order
    llvm::StringRef data = (*buf)->getBuffer();
    if (!isUniversal(data)) {
      if (thin.empty())
        thin = path;
      continue;
    }
    std::vector<FatSlice> these = readFatSlices(path, data);
    if (first.empty()) {
      first = path;
      slices = std::move(these);
      continue;
    }
    bool same = these.size() == slices.size();
    for (size_t i = 0; same && i < these.size(); ++i)
      same = these[i].arch == slices[i].arch;
    if (!same)
      throw InputError(path, "holds " + archList(these) + " but " + first +
                                 " holds " + archList(slices) +
                                 ": universal inputs must hold the same "
                                 "slices in the same order");
  }
  if (!slices.empty() && !thin.empty())
    throw InputError(thin, "is a single-architecture file but " + first +
                               " is universal (" + archList(slices) +
                               "): give all inputs as universal files, or "
                               "all thin");
  return slices;
}

// A run's report alone: its table, or its JSON document.
static void printWhole(const VerbReport &report, bool json) {
  llvm::raw_ostream &os = llvm::outs();
  if (!json)
    return report.table(os);
  llvm::json::OStream j(os, 2);
  report.json(j);
  os << "\n";
}

static void printSlices(const char *verb,
                        const std::vector<std::string> &inputs,
                        const std::vector<std::string> &outputs,
                        const std::vector<FatSlice> &slices,
                        const std::vector<VerbReport> &reports, bool json) {
  llvm::raw_ostream &os = llvm::outs();
  if (!json) {
    for (size_t i = 0; i < reports.size(); ++i) {
      os << (i ? "\n" : "") << "slice " << slices[i].arch << ":\n";
      if (reports[i].table)
        reports[i].table(os);
    }
    return;
  }
  // The header first, as in every verb's JSON; then the slices.
  llvm::json::OStream j(os, 2);
  j.object([&] {
    jsonHeader(j, verb, inputs, outputs);
    j.attributeArray("slices", [&] {
      for (size_t i = 0; i < reports.size(); ++i)
        j.object([&] {
          j.attribute("arch", slices[i].arch);
          if (!reports[i].json)
            return; // the slice failed before reporting; its error follows
          j.attributeBegin("report");
          reports[i].json(j);
          j.attributeEnd();
        });
    });
  });
  os << "\n";
}

// A failed check fails the run once its report is out.
static void failIf(const std::string &failure) {
  if (failure.empty())
    return;
  llvm::outs().flush();
  throw UserError(failure);
}

void forEachSlice(const char *verb, const std::vector<std::string> &inputs,
                  bool json,
                  const std::function<VerbReport(const SliceRun &)> &run) {
  std::vector<FatSlice> slices = slicesOf(inputs);
  ReadOptions read{.progress = commonOptions().progress};
  if (slices.empty()) {
    VerbReport report = run({read, {}}); // straight to the files
    printWhole(report, json);
    failIf(report.failure);
    return;
  }
  UniversalOutputs outputs(slices);
  std::vector<VerbReport> reports;
  std::string failure; // the first slice's
  for (const FatSlice &s : slices) {
    VerbReport report; // none if the run fails before reporting
    try {
      read.arch = s.arch;
      report = run({read, {&outputs, s.arch}});
    } catch (const InputError &e) {
      // Member offsets count from the slice's start.
      throw UserError(std::string(e.what()) + " (in the " + s.arch +
                      " slice, which starts at offset " + hexOffset(s.offset) +
                      ")");
    } catch (const UserError &e) {
      // Report every slice before failing: the run writes nothing.
      report.failure = e.what();
    }
    if (failure.empty() && !report.failure.empty())
      failure = report.failure + " (in the " + s.arch + " slice)";
    reports.push_back(std::move(report));
  }
  printSlices(verb, inputs, outputs.paths(), slices, reports, json);
  failIf(failure);
  outputs.write();
}

} // namespace slimlink
