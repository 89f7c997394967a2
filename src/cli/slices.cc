#include "cli/slices.h"
#include "model/universal.h"
#include "report/json_header.h"
#include "support/diagnostics.h"
#include "write/universal_writer.h"

#include "llvm/Support/FormatVariadic.h"
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
// Restores stdout and the slice selection however a run ends.
struct SliceScope {
  SliceScope(const std::string &arch, llvm::raw_ostream &os) {
    setCurrentSliceArch(arch);
    reportStream = &os;
  }
  ~SliceScope() {
    setCurrentSliceArch("");
    reportStream = nullptr;
  }
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
  llvm::json::Object top;
  addJsonHeader(top, verb, inputs, outputs);
  llvm::json::Array each;
  for (size_t i = 0; i < parts.size(); ++i) {
    llvm::json::Object part{{"arch", slices[i].arch}};
    if (auto parsed = llvm::json::parse(parts[i]))
      part["report"] = std::move(*parsed);
    else
      llvm::consumeError(parsed.takeError());
    each.push_back(std::move(part));
  }
  top["slices"] = std::move(each);
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(top))) << "\n";
}

void forEachSlice(const char *verb, const std::vector<std::string> &inputs,
                  bool json, const std::function<void()> &run) {
  std::vector<FatSlice> slices = slicesOf(inputs);
  if (slices.empty()) {
    run();
    return;
  }
  UniversalOutputs outputs(slices);
  std::vector<std::string> parts;
  std::string failure; // a check that failed in a slice (verify, why)
  for (const FatSlice &s : slices) {
    std::string part;
    llvm::raw_string_ostream os(part);
    try {
      SliceScope scope(s.arch, os);
      run();
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
