// For the targets that drive slimlink's subcommands through CLI11, exactly
// as a user's command line does: a scratch directory, stdout silenced (the
// reports; libFuzzer talks on stderr), and one runner.
#pragma once

#include "cli/commands.h"
#include "fuzz_common.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <fcntl.h>
#include <functional>
#include <unistd.h>

namespace slimlink::fuzz {

inline llvm::SmallString<128> &workDir() {
  static llvm::SmallString<128> dir;
  return dir;
}

// Call from LLVMFuzzerInitialize.
inline void initCliTarget(const char *name) {
  singleThreaded(); // what `-j 1` does in main()
  commonOptions().progress = false;
  int null = open("/dev/null", O_WRONLY);
  dup2(null, 1);
  close(null);
  if (llvm::sys::fs::createUniqueDirectory(name, workDir()))
    violated("cannot create a temp dir");
  atexit([] { llvm::sys::fs::remove_directories(workDir()); });
}

inline std::string workPath(llvm::StringRef name) {
  llvm::SmallString<128> p(workDir());
  llvm::sys::path::append(p, name);
  return std::string(p);
}

// Runs one subcommand (registered by `add`) as main() would; returns false
// on a clean error. A usage error cannot come from the fixed command lines
// the targets build, so it is a violation.
inline bool runCli(const std::vector<std::string> &args,
                   std::initializer_list<void (*)(CLI::App &)> adders) {
  CLI::App app{"slimlink"};
  app.require_subcommand(1);
  for (auto add : adders)
    add(app);
  std::vector<const char *> argv{"slimlink"};
  for (const std::string &a : args)
    argv.push_back(a.c_str());
  try {
    app.parse(int(argv.size()), argv.data());
  } catch (const CLI::ParseError &e) {
    violated(std::string("usage error from a fixed command line: ") + e.what());
  } catch (const UserError &) {
    return false;
  }
  return true;
}

} // namespace slimlink::fuzz
