// State the subcommands share. Outside main.cc so that the fuzzers can link
// the subcommands and drive them exactly as a user's command line does.
#include "cli/commands.h"

namespace slimlink {
CommonOptions &commonOptions() {
  static CommonOptions opts;
  return opts;
}
} // namespace slimlink
