// Fuzz target: a user's archive, read into the model (every member parsed),
// then written back with slimlink's writer into memory, as dedup writes its
// outputs. Invariants: no crash or sanitizer report; either a clean
// InputError, or an archive that slimlink reads back with the same members
// (names and bytes) in the same order.
#include "fuzz_common.h"

using namespace slimlink;
using namespace slimlink::fuzz;

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  singleThreaded();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  std::vector<std::unique_ptr<llvm::MemoryBuffer>> bufs;
  bufs.push_back(bufferOf(bytes, "fuzz.a"));
  InputSet in;
  // A universal file: its first slice, as a verb's run for that slice reads it.
  try {
    in = readLibraryBuffers(std::move(bufs),
                            {.progress = false, .arch = firstSliceArch(bytes)});
  } catch (const InputError &e) {
    if (!llvm::StringRef(e.what()).starts_with("fuzz.a: "))
      violated(std::string("error does not name the file: ") + e.what());
    return 0;
  }
  const Library &lib = in.libs.at(0);
  std::vector<const Member *> members;
  for (const Member &m : lib.members)
    members.push_back(&m);
  std::string out;
  if (!writeToMemory(lib.kind, members, out))
    return 0;
  InputSet back = readBack(out);
  const auto &got = back.libs.at(0).members;
  if (got.size() != members.size())
    violated("round trip: " + std::to_string(members.size()) +
             " members became " + std::to_string(got.size()));
  for (size_t i = 0; i < got.size(); ++i) {
    if (comparable(got[i].data, lib.kind) !=
            comparable(members[i]->data, lib.kind) ||
        got[i].size() - members[i]->size() >= 8)
      violated("round trip: bytes of member " + std::to_string(i) + " changed");
    if (got[i].name != members[i]->name)
      violated("round trip: member " + std::to_string(i) + " name '" +
               members[i]->name + "' became '" + got[i].name + "'");
  }
  return 0;
}
