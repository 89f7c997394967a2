// Fuzz target: one member's bytes (an ELF object, bitcode or anything),
// parsed into the model as readLibraries does for each member, then written
// as a one-member archive into memory and read back. Invariants: no crash or
// sanitizer report; either a clean error message, or an archive slimlink
// reads back to the same kind, target and symbols.
#include "fuzz_common.h"

using namespace slimlink;
using namespace slimlink::fuzz;

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  singleThreaded();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Member m;
  m.name = "fuzz.o";
  m.data = llvm::StringRef(reinterpret_cast<const char *>(data), size);
  if (!readMember(m).empty())
    return 0; // a clean error; readLibraries reports it with file and offset
  std::string out;
  if (!writeToMemory(llvm::object::Archive::K_GNU, {&m}, out))
    return 0;
  InputSet back = readBack(out);
  const Member &got = back.libs.at(0).members.at(0);
  if (got.data != m.data || got.kind != m.kind || !(got.target == m.target))
    violated("round trip changed the member's bytes, kind or target");
  if (got.symbols.size() != m.symbols.size())
    violated("round trip: " + std::to_string(m.symbols.size()) +
             " symbols became " + std::to_string(got.symbols.size()));
  return 0;
}
