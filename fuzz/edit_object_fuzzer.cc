// Fuzz target: one object member's edit, in memory, through its format's
// edge: the graph reader, planDrop (the Mach-O atom cutter's ranges, the COFF
// section remover's indices, ELF's section names), strip's requests,
// renames, localizing and weakening, then the one rewrite pipeline
// (formats/rewrite.cc: the format's own writer, its input check, LLVM's
// ObjCopy, the writer after it, the check of what was written). This is the
// path every member of strip, isolate, prune and shrink takes, without the
// CLI, files and threads around it: the `rewrite` target runs four verbs
// per input (about 12 executions/s), this one thousands, so a campaign on
// the Mach-O and COFF writers reaches millions of executions.
//
// Input: a member's bytes, then one control byte that chooses the edit.
// Invariants: no crash or sanitizer report; either a clean error, or bytes
// that slimlink reads back as an object of the same format and target with a
// graph its edge reads, and in which no symbol still has a name the edit
// renamed.
#include "fuzz_common.h"
#include "formats/format.h"

using namespace slimlink;
using namespace slimlink::fuzz;

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  singleThreaded();
  return 0;
}

// The control byte's bits.
enum : uint8_t {
  StripDebug = 1, StripBitcode = 2, StripComments = 4, StripUnneeded = 8,
  ShortNames = 16, Rename = 32, Localize = 64, Weaken = 128,
};

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2)
    return 0;
  const uint8_t control = data[size - 1];
  Member m;
  m.name = "fuzz.o";
  m.data = llvm::StringRef(reinterpret_cast<const char *>(data), size - 1);
  if (!readMember(m).empty() || m.kind != MemberKind::Object)
    return 0;
  const ObjectFormat *format = formatOf(m);
  if (!format)
    return 0;
  ObjectGraph graph;
  if (!format->readGraph(m, graph).empty())
    return 0; // a clean error, as prune reports it

  // Which sections live: a pattern the control byte shifts, so that the
  // mutator reaches "drop none", "drop all" and mixtures.
  std::vector<bool> live(graph.sections.size());
  for (size_t i = 0; i < live.size(); ++i)
    live[i] = ((i * 0x9E3779B1u) >> (control & 7) & 3) != 0;
  DropCounts counts;
  ObjectEdit edit = format->planDrop(graph, live, counts);
  edit.stripDebug = control & StripDebug;
  edit.stripBitcode = control & StripBitcode;
  edit.stripComments = control & StripComments;
  edit.stripUnneededSymbols = control & StripUnneeded;
  edit.shortNames = control & ShortNames;

  // Renames, localizing and weakening of every other defined global, as
  // isolate and shrink ask for them.
  llvm::StringMap<std::string> renames;
  bool odd = false;
  for (const GraphSymbol &s : graph.symbols) {
    if (!s.global || s.section < 0 || s.name.empty() || (odd = !odd))
      continue;
    if (control & Rename)
      renames.try_emplace(s.name, (s.name + ".slimlink.fuzz").str());
    else if ((control & Localize) && format->canLocalize())
      edit.localizeSymbols.push_back(s.name.str());
    if (control & Weaken)
      edit.weakenSymbols.push_back(
          control & Rename ? renames.lookup(s.name) : s.name.str());
  }
  if (!renames.empty())
    edit.renames = &renames;
  if (edit.empty())
    return 0;

  std::string out;
  if (!format->rewrite(m, edit, out).empty())
    return 0; // a clean error; rewriteObjects names the member
  Member back;
  back.name = "fuzz.o";
  back.data = out;
  if (std::string err = readMember(back); !err.empty())
    violated("slimlink cannot read the object it wrote: " + err);
  if (back.kind != MemberKind::Object || formatOf(back) != format ||
      !(back.target == m.target))
    violated("the rewritten object changed its kind, format or target");
  ObjectGraph after;
  if (std::string err = format->readGraph(back, after); !err.empty())
    violated("the edge cannot read the graph of the object it wrote: " + err);
  for (const GraphSymbol &s : after.symbols)
    if (!s.name.empty() && renames.count(s.name) && !s.sectionSymbol)
      violated("a renamed symbol kept its old name: " + s.name.str());
  return 0;
}
