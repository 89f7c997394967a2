#include "passes/set_link.h"
#include "formats/format.h"
#include "support/diagnostics.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Parallel.h"

namespace slimlink {

SetLink readSetLink(const InputSet &in) {
  SetLink s;
  std::vector<int> slot(in.contents.size(), -1);
  std::vector<MemberRef> firstOf;
  for (uint32_t l = 0; l < in.libs.size(); ++l)
    for (uint32_t i = 0; i < in.libs[l].members.size(); ++i) {
      const Member &m = in.libs[l].members[i];
      if (m.kind != MemberKind::Object)
        continue;
      s.objects.push_back({l, i});
      if (slot[m.content] < 0) {
        slot[m.content] = firstOf.size();
        firstOf.push_back({l, i});
      }
    }
  s.graphs.resize(firstOf.size());
  std::vector<std::string> errors(firstOf.size());
  llvm::parallelFor(0, firstOf.size(), [&](size_t k) {
    const Member &m = in.at(firstOf[k]);
    s.graphs[k] = std::make_unique<ObjectGraph>();
    errors[k] = readMemberGraph(m, *s.graphs[k]);
  });
  for (size_t k = 0; k < firstOf.size(); ++k)
    if (!errors[k].empty()) {
      const Member &m = in.at(firstOf[k]);
      throw InputError(in.libs[firstOf[k].lib].path, m.name, m.offset, errors[k]);
    }
  std::vector<const ObjectGraph *> graphs;
  std::vector<const ObjectFormat *> formats;
  for (MemberRef r : s.objects) {
    graphs.push_back(s.graphs[slot[in.at(r).content]].get());
    formats.push_back(formatOf(in.at(r)));
  }
  s.link = std::make_unique<Link>(std::move(graphs), std::move(formats));
  return s;
}

std::vector<llvm::StringRef> apiRoots(const InputSet &in, const ApiSpec &api) {
  std::vector<llvm::StringRef> roots;
  llvm::StringSet<> seen;
  for (const Library &lib : in.libs)
    for (llvm::StringRef s : apiSymbols(lib, api))
      if (seen.insert(s).second)
        roots.push_back(s);
  return roots;
}

} // namespace slimlink
