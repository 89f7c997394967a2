// The format-neutral model every verb reads: Library -> Member -> Symbol.
//
// A Library owns the mapped input file; everything below it points into that
// mapping (member bytes, symbol names), so building the model copies no bytes.
// Readers fill these structs once per input; passes only read them.
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Object/Archive.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/TargetParser/Triple.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace slimlink {

// What machine code a member holds. Every object of one run must agree,
// because a linker will not mix them.
struct Target {
  llvm::Triple::ObjectFormatType format = llvm::Triple::UnknownObjectFormat;
  llvm::Triple::ArchType arch = llvm::Triple::UnknownArch;

  bool known() const { return arch != llvm::Triple::UnknownArch; }
  bool operator==(const Target &) const = default;
  std::string str() const; // e.g. "ELF x86_64"
};

enum class MemberKind : uint8_t {
  Object,  // a relocatable object LLVM can read (ELF now; COFF/Mach-O later)
  Bitcode, // bare LLVM bitcode (-C linker-plugin-lto); kept, never parsed
  Other,   // anything else a linker ignores (lib.rmeta, text files, ...)
};

struct Symbol {
  llvm::StringRef name; // points into the member's string table
  bool defined = false;
  bool weak = false;
};

struct Member {
  std::string name;       // full name as stored (GNU long names resolved)
  llvm::StringRef data;   // the member's bytes inside the mapped library
  uint64_t offset = 0;    // offset of the member header in the library file
  MemberKind kind = MemberKind::Other;
  Target target;
  uint64_t hash = 0;      // xxh3 of data; equal hash still needs a byte compare
  std::vector<Symbol> symbols; // global symbols only, defined and undefined

  uint64_t size() const { return data.size(); }
};

struct Library {
  std::string path;
  std::unique_ptr<llvm::MemoryBuffer> file; // the mmap every StringRef points into
  llvm::object::Archive::Kind kind = llvm::object::Archive::K_GNU;
  Target target;          // of its objects; unknown if it has none
  std::vector<Member> members;

  uint64_t size() const { return file ? file->getBufferSize() : 0; }
};

struct ReadOptions {
  // Report progress on stderr for inputs that take longer than a second.
  bool progress = true;
};

// Reads archives into the model, in parallel across members. Throws
// slimlink::InputError naming the file (and member/offset) on any bad input;
// nothing is read half: either every library is valid or the call throws.
std::vector<Library> readLibraries(const std::vector<std::string> &paths,
                                   const ReadOptions &opts = {});

// Fills kind, target and symbols of one member from its bytes. Returns an
// error message (empty on success) instead of throwing: it runs on worker
// threads.
std::string readMember(Member &m);

// The crate (or native object) a member's bytes belong to, from Rust's member
// naming: "std-<hash>.std.<hash>-cgu.0.rcgu.o" -> "std",
// "<hash>-ucmpti2.o" (compiler-rt's C objects) -> "ucmpti2.o (native)".
std::string crateOfMember(llvm::StringRef memberName);

} // namespace slimlink
