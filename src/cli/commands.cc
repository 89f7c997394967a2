// State the subcommands share. Outside main.cc so that the fuzzers can link
// the subcommands and drive them exactly as a user's command line does.
#include "cli/commands.h"

namespace slimlink {
CommonOptions &commonOptions() {
  static CommonOptions opts;
  return opts;
}

void addLibraryOptions(CLI::App *sub, std::string &input, std::string &output,
                       bool &json) {
  sub->add_option("library", input, "Static library (.a)")
      ->required()
      ->type_name("LIB");
  sub->add_option("-o,--output", output, "Where to write the result")
      ->required()
      ->type_name("OUT.a");
  sub->add_flag("--json", json, "Print the report as JSON");
}

void addApiOptions(CLI::App *sub, std::string &file, std::string &regex) {
  sub->add_option("--api", file,
                  "API list: one symbol a line, a version script, a .def "
                  "file or an -exported_symbols_list")
      ->type_name("FILE");
  sub->add_option("--api-regex", regex,
                  "Defined symbols matching this regex are API")
      ->type_name("RE");
}

} // namespace slimlink
