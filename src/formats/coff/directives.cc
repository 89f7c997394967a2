// The symbols a COFF object's linker directives name, for isolate and
// shrink: the graph reader (graph.cc) already turns .drectve into edges.
#include "formats/coff/coff.h"

#include <set>

namespace slimlink {

std::vector<std::string> coff::directiveSymbols(const Member &m) {
  // ".drectve" fills a section header's 8-byte name field: an object
  // without the bytes has no directives, and most have none.
  if (!m.data.contains(".drectve"))
    return {};
  ObjectGraph g;
  if (!readGraph(m, g).empty())
    return {}; // the verbs that need the graph report the error
  std::set<std::string> names;
  for (const GraphReloc &r : g.relocs) {
    std::string kind = relocationName(g.machine, r.type);
    if ((kind == "/INCLUDE" || kind == "/EXPORT") && r.symbol < g.symbols.size())
      names.insert(g.symbols[r.symbol].name.str());
  }
  return {names.begin(), names.end()};
}

} // namespace slimlink
