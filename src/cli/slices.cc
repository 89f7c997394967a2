#include "cli/slices.h"
#include "cli/commands.h"
#include "model/universal.h"
#include "report/json_header.h"
#include "support/diagnostics.h"
#include "write/universal_writer.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

namespace slimlink {

static llvm::raw_ostream *reportStream = nullptr;

llvm::raw_ostream &reportOut() {
  return reportStream ? *reportStream : llvm::outs();
}

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

namespace {
// Restores stdout however a run ends.
struct SliceScope {
  SliceScope(llvm::raw_ostream &os) { reportStream = &os; }
  ~SliceScope() { reportStream = nullptr; }
};
} // namespace

static void printParts(const char *verb, const std::vector<std::string> &inputs,
                       const std::vector<std::string> &outputs,
                       const std::vector<FatSlice> &slices,
                       const std::vector<std::string> &parts, bool json) {
  llvm::raw_ostream &os = llvm::outs();
  if (!json) {
    for (size_t i = 0; i < parts.size(); ++i)
      os << (i ? "\n" : "") << "slice " << slices[i].arch << ":\n" << parts[i];
    return;
  }
  // Each slice's report is checked before anything is printed, and kept as
  // its verb wrote it (keys in the verb's order), indented to its place.
  for (size_t i = 0; i < parts.size(); ++i)
    if (!parts[i].empty())
      if (llvm::Error e = llvm::json::parse(parts[i]).takeError())
        throw UserError("internal error: the " + slices[i].arch +
                        " slice's report is not JSON: " + takeMessage(std::move(e)));
  // The header first, as in every verb's JSON; then the slices.
  llvm::json::OStream j(os, 2);
  j.object([&] {
    jsonHeader(j, verb, inputs, outputs);
    j.attributeArray("slices", [&] {
      for (size_t i = 0; i < parts.size(); ++i)
        j.object([&] {
          j.attribute("arch", slices[i].arch);
          if (parts[i].empty())
            return; // the slice failed before reporting; its error follows
          j.attributeBegin("report");
          j.rawValue([&](llvm::raw_ostream &out) {
            llvm::StringRef text = llvm::StringRef(parts[i]).rtrim();
            out << llvm::join(llvm::split(text, '\n'), "\n      ");
          });
          j.attributeEnd();
        });
    });
  });
  os << "\n";
}

void forEachSlice(const char *verb, const std::vector<std::string> &inputs,
                  bool json, const std::function<void(const SliceRun &)> &run) {
  std::vector<FatSlice> slices = slicesOf(inputs);
  ReadOptions read{.progress = commonOptions().progress};
  if (slices.empty()) {
    run({read, {}}); // straight to the files
    return;
  }
  UniversalOutputs outputs(slices);
  std::vector<std::string> parts;
  std::string failure; // a check that failed in a slice (verify, why)
  for (const FatSlice &s : slices) {
    std::string part;
    llvm::raw_string_ostream os(part);
    try {
      SliceScope scope(os);
      read.arch = s.arch;
      run({read, {&outputs, s.arch}});
    } catch (const InputError &e) {
      // Member offsets count from the slice's start.
      throw UserError(std::string(e.what()) + " (in the " + s.arch +
                      " slice, which starts at offset " + hexOffset(s.offset) +
                      ")");
    } catch (const UserError &e) {
      // Report every slice before failing: the run writes nothing.
      if (failure.empty())
        failure = std::string(e.what()) + " (in the " + s.arch + " slice)";
    }
    os.flush();
    parts.push_back(std::move(part));
  }
  printParts(verb, inputs, outputs.paths(), slices, parts, json);
  if (!failure.empty()) {
    llvm::outs().flush();
    throw UserError(failure);
  }
  outputs.write();
}

} // namespace slimlink
