// slimlink size: where every byte of a file goes.
//
// Like bloaty's range map: every byte of the file, and every byte of memory
// it loads into, belongs to exactly one "atom" - the pieces the file splits
// into where any section, segment, symbol or compile unit starts or ends.
// Each atom gets one label per view (its section, its symbol, its crate...);
// bytes that no section/symbol claims get bracketed labels ([ELF header],
// [section headers], [padding], [unmapped], [archive headers], ...). Rows
// are atoms grouped by the chosen views, so the rows of any view sum exactly
// to the file size and to the VM size.
//
// Pure: reads files and produces rows; printing is report/size_report.cc's.
#pragma once

#include "model/layout.h"

#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace slimlink {

enum class SizeView {
  Sections,
  Segments,
  Symbols,
  Crates,
  Members,
  CompileUnits,
  InputFiles,
  // bloaty's symbols views of one demangling each, whatever -C says:
  RawSymbols,   // mangled
  ShortSymbols, // without argument lists and hashes
  FullSymbols,  // demangled in full
  // bloaty's: each byte of code by the source file:line the DWARF line
  // tables give for it (inlined code: where it came from).
  Inlines,
};
std::optional<SizeView> parseSizeView(llvm::StringRef name);
const char *sizeViewName(SizeView v);
// A view whose rows are symbols (symbols, rawsymbols, shortsymbols,
// fullsymbols): it needs the symbol tables read.
bool isSymbolView(SizeView v);

// How the `symbols` view's names read (bloaty's -C): mangled; demangled
// without argument lists (C++ parameters, return types, template and generic
// arguments) and hashes; or demangled in full (as slimlink always has).
enum class Demangle { None, Short, Full };

// One object image inside an input file: the file itself, or one archive
// member.
struct SizeImage {
  std::string member;      // archive member name; empty for a plain file
  std::string memberCrate; // crateOfMember(member), for archives
  std::string nonObject;   // label for members that are not objects
                           // ("[rust metadata]", "[bitcode]", ...)
  uint64_t base = 0;       // offset of its first byte in the file
  uint64_t size = 0;
  Layout layout;           // empty when nonObject is set
};

struct SizeFile {
  std::string path;
  std::unique_ptr<llvm::MemoryBuffer> buffer; // what symbol names point into
  uint64_t size = 0;
  bool archive = false;
  std::vector<SizeImage> images;
  std::vector<LayoutHeader> headers; // archive headers (file offsets); of a
                                     // universal file, its fat header
  // A universal (fat) Mach-O file: one SizeFile per slice, its offsets
  // counted from the slice's first byte (`images` is then empty).
  std::vector<SizeFile> slices;
  std::string arch;    // a slice's architecture ("arm64")
  uint64_t offset = 0; // a slice's offset in the universal file
  // A linked file's debug file, if one was read: its symbols and compile
  // units stand in for those the file lacks (stripped); the bytes are still
  // the file's. `debugGiven`: named by --debug-file, not found.
  std::string debugFile;
  bool debugGiven = false;
  std::unique_ptr<llvm::MemoryBuffer> debugBuffer; // what those names point into
  // What reading it has to say (a debug file of another build passed
  // over), for the caller to say: files are read in parallel, and their
  // notes come out in input order.
  std::vector<std::string> notes;
};

// Debug info kept apart from the files sized (`objcopy --only-keep-debug`,
// a distribution's debug package). Each file in `given` (--debug-file) is
// the debug file of the input it belongs to (ELF: the same build ID); a
// stripped input that takes none of them gets the one its format finds
// (ELF: by build ID under `root`, by .gnu_debuglink beside it and under
// `root`; PE: the PDB its CodeView record names, or beside it), if that one
// belongs to it. `search` false: only `given` (fuzzing: a run reads its
// input alone, and a PE file's CodeView record may name any path).
struct DebugFiles {
  std::vector<std::string> given;
  std::string root = "/usr/lib/debug";
  bool search = true;
};

// Reads an ELF or Mach-O file, an archive of objects, or a universal file of
// those. Throws InputError naming the file (and member, offset) on anything
// malformed. Reads symbols and DWARF compile units only if `views` need them.
// `arch` ("arm64"): of a universal file, only that slice, as if it were thin
// (an error naming the slices there are if it has none).
SizeFile loadSizeFile(const std::string &path, const std::vector<SizeView> &views,
                      const std::string &arch = "",
                      const DebugFiles &debug = {});

// Every file in debug.given must be the debug file of one of `files`:
// throws InputError naming one that is not, the input and why (build IDs
// that differ, a CRC-32 that is not the one .gnu_debuglink names).
void checkDebugFilesUsed(const std::vector<const SizeFile *> &files,
                         const DebugFiles &debug);

struct SizeRow {
  std::string name;
  uint64_t vm = 0, file = 0;
  std::vector<SizeRow> children; // next view's rows inside this one
  // A symbols-view row whose `name` is still the mangled name (demangleRows
  // demangles it). computeSize demangles every symbol row and merges those
  // of one name (one name, one row, as in bloaty), so its rows have none.
  bool symbol = false;
};

struct SizeResult {
  std::vector<SizeView> views;
  std::vector<std::string> files;
  // With a view that names bytes (symbols, crates): the files with objects
  // but not their full symbol table (stripped, or stripped to their
  // exports). Their unnamed code is "[section .text]" in those views.
  struct Stripped {
    std::string path;
    std::string namesLeft;    // "exports only", "no symbols", ...
    uint64_t unnamedCode = 0; // VM bytes of code sections no symbol covers
  };
  std::vector<Stripped> stripped;
  uint64_t vm = 0, file = 0; // totals: file = sum of the files' sizes
  // A universal input's rows have one more level, outermost: "[slice arm64]"
  // (with "[fat header]" and "[padding]" beside).
  bool sliced = false;
  std::vector<SizeRow> rows; // in no order: topRows (report/) sorts what
                             // it shows, by file size, VM size, name
};

SizeResult computeSize(const std::vector<SizeFile> &files,
                       const std::vector<SizeView> &views,
                       Demangle symbols = Demangle::Full);
// The rows of one file alone (of several files read together: each file's
// own rows, without reading any of them again).
SizeResult computeSize(const SizeFile &file, const std::vector<SizeView> &views,
                       Demangle symbols = Demangle::Full);

// --source-filter, bloaty's way: a byte stays if any of its labels, at any
// level, matches `pattern` (a POSIX extended regex, anywhere in the name);
// the rows and totals are then of what stays, and `omittedVm`/`omittedFile`
// of what does not.
struct SizeFilter {
  uint64_t omittedVm = 0, omittedFile = 0;
};
SizeFilter filterRows(SizeResult &r, const std::string &pattern);

// --diff: the same rows in two results, with the change.
struct SizeDiffRow {
  std::string name;
  int64_t oldVm = 0, newVm = 0, oldFile = 0, newFile = 0;
  int64_t dVm() const { return newVm - oldVm; }
  int64_t dFile() const { return newFile - oldFile; }
  std::vector<SizeDiffRow> children;
  bool symbol = false;
};
struct SizeDiff {
  std::vector<SizeView> views;
  std::string oldFile, newFile;
  int64_t oldVm = 0, newVm = 0, oldSize = 0, newSize = 0;
  // By absolute file-size change, then absolute VM change, then name; rows
  // that did not change are left out.
  std::vector<SizeDiffRow> rows;
};
SizeDiff diffSizes(const SizeResult &before, const SizeResult &after);

// Demangles the names of symbol rows (at every level), in place: call it on
// the rows that will be shown.
void demangleRows(std::vector<SizeRow> &rows);
void demangleRows(std::vector<SizeDiffRow> &rows);

// A symbol's name as `mode` shows it.
std::string symbolName(llvm::StringRef mangled, Demangle mode);

} // namespace slimlink
