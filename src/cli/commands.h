// One function per verb that adds its subcommand to the CLI. The subcommand's
// callback reads the inputs, runs the verb's pass, writes and reports.
#pragma once

#include <CLI/CLI.hpp>

namespace slimlink {

void addDedupCommand(CLI::App &app);
void addSizeCommand(CLI::App &app);

// Options every verb shares.
struct CommonOptions {
  unsigned threads = 0; // 0: all cores
  bool progress = true;
};
CommonOptions &commonOptions();

} // namespace slimlink
