// Verbs over universal (fat) inputs: the verb runs once per architecture,
// each run reading that slice of every input (model/universal.h), and its
// outputs become universal files with the inputs' slices in the same order
// (write/universal_writer.h). Each run returns its report; with slices, the
// report has a part per slice: text under a "slice ARCH" heading, JSON as
// {verb, version, inputs, outputs, slices: [{arch, report}]}.
#pragma once

#include "formats/read_library.h"
#include "write/universal_writer.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace slimlink {

// One run of a verb: over thin inputs, or over one slice of universal ones.
struct SliceRun {
  ReadOptions read; // read.arch: the slice ("" when every input is thin)
  OutputSink out;   // where it writes
};

// What one run reports, kept as data until every slice has run: printed as
// its table, or written as its JSON object where the document puts it (the
// top level, or a slice's "report").
struct VerbReport {
  std::function<void(llvm::raw_ostream &)> table;
  std::function<void(llvm::json::OStream &)> json;
  // A check that failed (verify, why): the run's error once it is printed.
  std::string failure = "";
};

// The report of a value that has printTable(r, os) and writeJson(r, j).
template <class Report> VerbReport reportOf(Report r) {
  auto p = std::make_shared<const Report>(std::move(r));
  return {[p](llvm::raw_ostream &os) { printTable(*p, os); },
          [p](llvm::json::OStream &j) { writeJson(*p, j); }};
}

// Runs `verb` over `inputs`: once as it is when no input is universal, else
// once per slice. Every universal input must hold the same architectures in
// the same order; thin inputs cannot join them (a linker takes one
// architecture at a time).
void forEachSlice(const char *verb, const std::vector<std::string> &inputs,
                  bool json,
                  const std::function<VerbReport(const SliceRun &)> &run);

// a, then b: the inputs of verbs that take two lists.
inline std::vector<std::string> concat(std::vector<std::string> a,
                                       const std::vector<std::string> &b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

} // namespace slimlink
