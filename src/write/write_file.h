// Writing outputs: atomically (a temporary file renamed into place), never
// over an input; output files into directories that exist, a verb's output
// directory made with the user's umask.
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <string>
#include <vector>

namespace slimlink {

// Writes `contents` to `path` through a temporary file in the same
// directory, renamed into place: readers never see half a file.
void writeFileAtomically(const std::string &path, const std::string &contents);

// Several outputs, all-or-nothing: each is written by its callback to a
// temporary file next to its destination, and only when all are written are
// they renamed into place. Throws UserError; then no output path has been
// created or changed.
struct FileWriter {
  std::string path;
  std::function<void(llvm::raw_ostream &)> write; // may throw UserError
};
void writeFilesAtomically(const std::vector<FileWriter> &files);

// The same with bytes already in memory.
void writeFilesAtomically(
    const std::vector<std::pair<std::string, std::string>> &files);

// Refuses, before anything is written, an output that is one of the run's
// inputs (the same file, whatever the path: support/input_files.h) or that
// another output of the run also names. Every verb calls it with all of its
// outputs first; the writers call it again for their own.
void checkOutputsAreNotInputs(const std::vector<std::string> &outputs);

// Makes the directory a verb writes into (-o DIR): refuses a path that is
// something else ("-o X is not a directory"); new directories get the
// user's umask, as mkdir -p gives them.
void makeOutputDirectory(const std::string &dir, const char *option = "-o");

// DIR/NAME, as the platform joins paths.
std::string joinPath(const std::string &dir, llvm::StringRef name);

} // namespace slimlink
