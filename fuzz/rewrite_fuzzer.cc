// Fuzz target: the verbs that rewrite one library — `prune` (reads every
// object's sections, symbols and relocations, rewrites .eh_frame), `strip`,
// `isolate` and `shrink` — run through the real subcommands on one archive;
// and `why`, which walks the same graphs (chains, dominators, HTML).
// Which symbols are API comes from the input's last byte, so roots vary.
// Invariants: no crash or sanitizer report; either a clean UserError with no
// output left behind, or an output that slimlink reads back, with as many
// members as the input for strip and isolate (they drop none).
#include "fuzz_cli.h"

#include <fstream>

using namespace slimlink;
using namespace slimlink::fuzz;
namespace fs = llvm::sys::fs;

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  initCliTarget("slimlink-rewrite-fuzz");
  return 0;
}

static std::string path(llvm::StringRef name) { return workPath(name); }

static bool runCli(std::vector<std::string> args) {
  return fuzz::runCli(args, {addIsolateCommand, addPruneCommand,
                             addShrinkCommand, addStripCommand, addWhyCommand});
}

static size_t membersOf(const std::vector<std::string> &paths) {
  try {
    size_t n = 0;
    for (const Library &lib : readFirstSlice(paths).libs)
      n += lib.members.size();
    return n;
  } catch (const UserError &e) {
    violated(std::string("cannot read back: ") + e.what());
  }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  std::string in = path("libfuzz.a"), out = path("out.a"), dir = path("set");
  std::ofstream(in, std::ios::binary).write(bytes.data(), bytes.size());
  size_t inMembers = 0;
  try {
    InputSet set = readFirstSlice({in});
    if (hasBitcode(set))
      return 0; // see hasBitcode()
    inMembers = set.libs[0].members.size();
  } catch (const UserError &) {
    inMembers = SIZE_MAX; // every verb must fail cleanly below
  }
  // API roots: defined symbols starting with a letter chosen by the input.
  std::string api = std::string("^[") + char('a' + data[size - 1] % 26) + "-z_]";

  struct Run {
    std::vector<std::string> args;
    bool sameMembers;
  };
  for (const Run &r : {Run{{"strip", in, "-o", out}, true},
                       Run{{"isolate", in, "-o", out, "--api-regex", api}, true},
                       Run{{"prune", in, "-o", out, "--api-regex", api}, false}}) {
    if (runCli(r.args)) {
      if (inMembers == SIZE_MAX)
        violated(r.args[0] + " accepted an input the reader refuses");
      size_t n = membersOf({out});
      if (r.sameMembers && n != inMembers)
        violated(r.args[0] + ": " + std::to_string(inMembers) +
                 " members in, " + std::to_string(n) + " out");
    } else if (fs::exists(out)) {
      violated(r.args[0] + " failed but left its output behind");
    }
    fs::remove(out);
  }
  // why writes nothing but its page, and only on success.
  std::string html = path("why.html");
  if (!runCli({"why", in, "--api-regex", api, "--json", "--html", html}) &&
      fs::exists(html))
    violated("why failed but left its page behind");
  fs::remove(html);
  runCli({"why", in, "--api-regex", api, "main", "_ZN4core9panicking5panic17h0E"});
  std::error_code ec;
  if (runCli({"shrink", in, "-o", dir, "--api-regex", api}))
    membersOf({path("set/libfuzz.a"), path("set/libcommon.a")});
  else if (fs::exists(dir) &&
           fs::directory_iterator(dir, ec) != fs::directory_iterator())
    violated("shrink failed but left output behind");
  fs::remove_directories(dir);
  return 0;
}
