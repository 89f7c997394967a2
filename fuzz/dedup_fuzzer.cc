// Fuzz target: `slimlink dedup a.a b.a -o OUT/` and `--merge OUT.a`, run
// through the real subcommand (CLI parsing, reading, planning, writing to a
// temp dir, the report). The input is two archives: a 4-byte little-endian
// length of the first, the first, then the second (fuzz/make_corpus.py makes
// seeds in this shape).
// Invariants: no crash or sanitizer report; either a clean UserError with
// nothing left in the output dir, or outputs that slimlink reads back and
// that hold exactly the distinct member contents of the inputs.
#include "fuzz_cli.h"

#include "llvm/ADT/StringSet.h"

#include <fstream>

using namespace slimlink;
using namespace slimlink::fuzz;
namespace fs = llvm::sys::fs;

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  initCliTarget("slimlink-dedup-fuzz");
  return 0;
}

static std::string path(llvm::StringRef name) { return workPath(name); }

static void writeFile(const std::string &p, llvm::StringRef bytes) {
  std::ofstream(p, std::ios::binary).write(bytes.data(), bytes.size());
}

static bool runCli(std::vector<std::string> args) {
  return fuzz::runCli(args, {addDedupCommand});
}

// Reads archives slimlink was given or wrote; after a successful dedup this
// must not fail.
static InputSet readOrViolate(const std::vector<std::string> &paths) {
  try {
    return readFirstSlice(paths);
  } catch (const UserError &e) {
    violated(std::string("cannot read back: ") + e.what());
  }
}

// The distinct member contents of some archives, compared as in `kind`.
static llvm::StringSet<> contents(const InputSet &in, bool dropOther,
                                  llvm::object::Archive::Kind kind) {
  llvm::StringSet<> set;
  for (const Library &lib : in.libs)
    for (const Member &m : lib.members)
      if (!(dropOther && m.kind == MemberKind::Other))
        set.insert(comparable(m.data, kind));
  return set;
}

static void checkNothingWritten(const std::string &dir) {
  std::error_code ec;
  if (fs::directory_iterator(dir, ec) != fs::directory_iterator())
    violated("a failed dedup left files in " + dir);
}

static void checkSame(const llvm::StringSet<> &in, const llvm::StringSet<> &out,
                      const char *what) {
  if (in.size() != out.size())
    violated(std::string(what) + ": " + std::to_string(in.size()) +
             " distinct members in, " + std::to_string(out.size()) + " out");
  for (const auto &e : in)
    if (!out.contains(e.getKey()))
      violated(std::string(what) + ": a member's bytes were lost");
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 4)
    return 0;
  uint32_t lenA;
  memcpy(&lenA, data, 4);
  llvm::StringRef rest(reinterpret_cast<const char *>(data) + 4, size - 4);
  lenA %= rest.size() + 1;
  // Drop members that are not objects on some inputs: the other mode.
  bool drop = size & 1;
  std::string a = path("a.a"), b = path("b.a"), outDir = path("out"),
              merged = path("merged.a");
  writeFile(a, rest.take_front(lenA));
  writeFile(b, rest.drop_front(lenA));
  fs::create_directories(outDir);
  std::string mode = drop ? "drop" : "keep";
  try {
    if (hasBitcode(readFirstSlice({a, b})))
      return 0; // see hasBitcode()
  } catch (const UserError &) {
    // dedup must fail the same way: checked below.
  }

  if (runCli({"dedup", a, b, "-o", outDir, "--non-objects", mode, "--json"})) {
    InputSet in = readOrViolate({a, b});
    InputSet out = readOrViolate(
        {path("out/a.a"), path("out/b.a"), path("out/libcommon.a")});
    // Outputs are written in the first input's format.
    auto kind = in.libs[0].kind;
    checkSame(contents(in, drop, kind), contents(out, false, kind), "dedup -o");
  } else {
    checkNothingWritten(outDir);
  }
  if (runCli({"dedup", a, b, "--merge", merged, "--non-objects", mode})) {
    InputSet in = readOrViolate({a, b});
    InputSet out = readOrViolate({merged});
    auto kind = in.libs[0].kind;
    checkSame(contents(in, drop, kind), contents(out, false, kind),
              "dedup --merge");
  } else if (fs::exists(merged)) {
    violated("a failed --merge left its output behind");
  }
  fs::remove_directories(outDir);
  fs::remove(merged);
  return 0;
}
