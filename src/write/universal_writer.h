// Putting a verb's outputs back together as universal (fat) files. While a
// verb runs slice by slice (cli/slices.h), each run's OutputSink hands the
// archives and files it would write to the collector here instead; once
// every slice has run, each output path gets one universal file with its
// slices in the inputs' order, all outputs atomically.
#pragma once

#include "model/universal.h"

#include <map>
#include <string>
#include <vector>

namespace slimlink {

class UniversalOutputs {
public:
  // The slices every output will have, in order (those of the inputs).
  explicit UniversalOutputs(std::vector<FatSlice> slices);

  // The `arch` slice's archive for `path`.
  void add(const std::string &path, const std::string &arch, std::string bytes);

  // A plain file the `arch` slice writes (a report page, a .pc file):
  // written with the archives, once if every slice wrote the same bytes,
  // else once per slice as STEM.ARCH.EXT.
  void addFile(const std::string &path, const std::string &arch,
               std::string bytes);

  // The output paths in the order they were first written.
  const std::vector<std::string> &paths() const { return order; }

  // Writes every output as a universal file, all-or-nothing. Throws
  // UserError; an output that lacks a slice is an error.
  void write();

private:
  std::vector<FatSlice> slices;
  std::vector<std::string> order;
  std::map<std::string, std::map<std::string, std::string>> bytes; // path -> arch -> archive
  std::vector<std::string> fileOrder;
  std::map<std::string, std::map<std::string, std::string>> files; // path -> arch -> bytes
};

// Where one run of a verb writes: straight to the files, or, over one slice
// of universal inputs, into their collector as that slice.
struct OutputSink {
  UniversalOutputs *universal = nullptr; // null: straight to the files
  std::string arch = "";
};

// A plain file a run writes (a report page, a .pc file), where `sink` says.
void writeOutputFile(const OutputSink &sink, const std::string &path,
                     const std::string &contents);

} // namespace slimlink
