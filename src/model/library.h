// The format-neutral model every verb reads: Library -> Member -> Symbol.
//
// A Library owns the mapped input file; everything below it points into that
// mapping (member bytes, symbol names), so building the model copies no bytes.
// Readers (formats/read_library.h) fill these structs once per input; passes
// only read them.
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Object/Archive.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/TargetParser/Triple.h"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
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
  std::string str() const { // e.g. "ELF x86_64"
    const char *fmt = format == llvm::Triple::ELF     ? "ELF"
                      : format == llvm::Triple::MachO ? "Mach-O"
                      : format == llvm::Triple::COFF  ? "COFF"
                                                      : "unknown format";
    return std::string(fmt) + " " + llvm::Triple::getArchTypeName(arch).str();
  }
};

enum class MemberKind : uint8_t {
  Object,  // a relocatable object LLVM can read (ELF, Mach-O, COFF)
  Bitcode, // bare LLVM bitcode (-C linker-plugin-lto); kept, never parsed
  Import,  // a COFF short import object (a DLL's symbol): kept in its own
           // library, same name and bytes; its symbols are never renamed
  Other,   // anything else a linker ignores (lib.rmeta, text files, ...)
};

struct Symbol {
  llvm::StringRef name; // points into the member's string table
  bool defined = false;
  bool weak = false;
  // A definition the linker keeps one of, among many, by rule (COFF's
  // selectany COMDATs): no duplicate, and one name across a set.
  bool mergeable = false;
  // Not visible outside the linked image it ends up in (ELF STV_HIDDEN or
  // STV_INTERNAL): --shared makes the ones modules share visible.
  bool hidden = false;
};

struct Member {
  std::string name;       // full name as stored (GNU long names resolved)
  llvm::StringRef data;   // the member's bytes inside the mapped library
  uint64_t offset = 0;    // offset of the member header in the library file
  MemberKind kind = MemberKind::Other;
  Target target;
  // Cheap fingerprint of the bytes (size, head, tail and samples between);
  // members with equal fingerprints are byte-compared in full.
  uint64_t fingerprint = 0;
  // Members of all inputs with the same bytes share a content id, numbered
  // in order of first appearance (input order, then member order; after a
  // fingerprint collision, which in practice never happens, later).
  uint32_t content = 0;
  // Members with the same bytes, across all libraries read together, share
  // a class (ByteClasses, filled as the libraries are opened); numbered in
  // no particular order. kNoClass when not classified.
  static constexpr uint32_t kNoClass = UINT32_MAX;
  uint32_t byteClass = kNoClass;
  std::vector<Symbol> symbols; // global symbols only, defined and undefined

  uint64_t size() const { return data.size(); }
};

struct MemberRef {
  uint32_t lib = 0, index = 0;
  bool operator==(const MemberRef &) const = default;
};

struct Library {
  std::string path;
  std::unique_ptr<llvm::MemoryBuffer> file; // the mmap every StringRef points
                                            // into; null for a library made
                                            // in memory by a pass
  llvm::object::Archive::Kind kind = llvm::object::Archive::K_GNU;
  Target target;          // of its objects; unknown if it has none
  std::vector<Member> members;
  uint64_t fileSize = 0;  // of the file read (kept by libraries made in memory)
  // Read from a universal file: the slice's architecture and where it lies
  // in the file (member offsets count from the slice's start). "" if thin.
  std::string slice;
  uint64_t sliceOffset = 0;
  bool fingerprinted = false; // every member's fingerprint is filled
  bool classified = false;    // and its byteClass

  uint64_t size() const { return fileSize; }
};

// All the libraries of one run, and which of their members have the same
// bytes. Identical members are parsed once: a set of Rust staticlibs is
// mostly N copies of the same std.
struct InputSet {
  std::vector<Library> libs;
  std::vector<MemberRef> contents; // content id -> first member with it

  const Member &at(MemberRef r) const { return libs[r.lib].members[r.index]; }
};

// Fills the fingerprint of each member of `lib`, then gives back the pages
// that read (releasePages) and marks it fingerprinted. readLibraries calls it
// on each library as it lists it, while the headers' pages are still mapped.
void fingerprintMembers(Library &lib);

// Sorts members into classes of identical bytes while their bytes are at
// hand (read into a buffer once), so that nothing has to read them again:
// a member's bytes are compared in full with one member of each class of
// the same size and fingerprint, and it joins the class they equal or
// starts one. Thread-safe; readLibraries keeps one for the libraries it
// opens together.
class ByteClasses {
public:
  // The class of a member whose bytes are `bytes` now. `kept` is the same
  // bytes where they stay readable as long as this object (the library's
  // mapping): a new class is compared through them later.
  uint32_t classify(uint64_t fingerprint, llvm::StringRef bytes,
                    llvm::StringRef kept);

private:
  std::mutex lock;
  // (size, fingerprint) -> each class with it: its id and bytes.
  std::map<std::pair<uint64_t, uint64_t>,
           std::vector<std::pair<uint32_t, llvm::StringRef>>> byKey;
  uint32_t count = 0;
};

// The fingerprint assignContents numbers members by (library.h's Member).
uint64_t fingerprintOf(llvm::StringRef data);

// Computes the content ids of every member, fingerprinting the libraries that
// are not yet, and fills `contents`. readLibraries calls it; tests call it on
// hand-made models.
void assignContents(InputSet &in);

// Gives back the pages of `data` (inside lib's mapping) that the process
// has touched: the bytes stay readable, and a later read maps them again
// from the page cache. Mapped pages count in RSS although they are the page
// cache's, so a set of 100 libraries sharing one std would otherwise hold
// every copy's pages until exit: readers call this once they are done with
// a range. Pages shared with the bytes around `data` stay. Heap buffers are
// left alone.
void releasePages(const Library &lib, llvm::StringRef data);

// Maps the pages of `data` (inside a mapping, or any memory the process
// owns) in one call before they are read: one system call instead of a page
// fault every 64 kB. For the bytes that are read through their mapping, the
// first copy of each content.
void mapAhead(llvm::StringRef data);

// The crate (or native object) a member's bytes belong to, from Rust's member
// naming: "std-<hash>.std.<hash>-cgu.0.rcgu.o" -> "std",
// "<hash>-ucmpti2.o" (compiler-rt's C objects) -> "ucmpti2.o (native)".
std::string crateOfMember(llvm::StringRef memberName);

// Whether any member is named like a Rust codegen unit: reports speak of
// crates for those, and of objects for C/C++ archives.
bool isRustLibrary(const Library &lib);
// A crateOfMember row as a report shows it: "foo.o" rather than
// "foo.o (native)" where no Rust is around.
std::string objectLabel(llvm::StringRef crate, bool rust);

} // namespace slimlink
