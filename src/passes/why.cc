#include "passes/why.h"
#include "formats/format.h"
#include "model/symbols.h"
#include "support/diagnostics.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Parallel.h"
#include "llvm/Support/Regex.h"

#include <algorithm>

namespace slimlink {

WhyLink buildWhyLink(const InputSet &in, const ApiSpec &api) {
  WhyLink w;
  static_cast<SetLink &>(w) = readSetLink(in);
  std::vector<llvm::StringRef> roots = apiRoots(in, api);
  w.live = computeLiveness(*w.link, roots, /*recordReasons=*/true);
  if (w.live.roots.empty())
    throw UserError((in.libs.size() == 1 ? in.libs[0].path : "the libraries") +
                    std::string(": no API symbol found; name it with --api or "
                                "--api-regex"));
  return w;
}

namespace {

// The symbol a section is known by: its first global, else its first named
// local; "" for none.
llvm::StringRef sectionSymbol(const ObjectGraph &g, uint32_t section) {
  llvm::StringRef local;
  for (const GraphSymbol &s : g.symbols) {
    if (s.section != int32_t(section) || s.sectionSymbol || s.name.empty())
      continue;
    if (s.global)
      return s.name;
    if (local.empty())
      local = s.name;
  }
  return local;
}

// Rust's demangled names carry hashes users leave out: "::h<16 hex>" at the
// end (legacy), "[<hex>]" after crate names (v0: "core[1a2b]::fmt").
std::string withoutHashes(llvm::StringRef s) {
  static const llvm::Regex legacy("::h[0-9a-f]{16}$"),
      v0("([A-Za-z0-9_])\\[[0-9a-f]+\\]");
  std::string out = legacy.sub("", s);
  while (v0.match(out))
    out = v0.sub("\\1", out);
  return out;
}

// The '>' that closes the '<' at s[open] ('>' of "->" does not count), or
// npos.
size_t closingAngle(llvm::StringRef s, size_t open) {
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == '<')
      ++depth;
    else if (s[i] == '>' && !(i > 0 && s[i - 1] == '-') && --depth == 0)
      return i;
  }
  return llvm::StringRef::npos;
}

// " as " outside any brackets of `s`: a qualified path's "<T as Trait>".
bool hasTopLevelAs(llvm::StringRef s) {
  int depth = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '<' || c == '(' || c == '[')
      ++depth;
    else if ((c == '>' && !(i > 0 && s[i - 1] == '-')) || c == ')' || c == ']')
      --depth;
    else if (depth == 0 && s.substr(i).starts_with(" as "))
      return true;
  }
  return false;
}

// "<core::fmt::Formatter>::pad" -> "core::fmt::Formatter::pad": the brackets
// of an inherent impl's self type, where a path starts and followed by "::",
// go (at any depth: "<<Vec<u8>>::f as Fn>" -> "<Vec<u8>::f as Fn>");
// "<T as Trait>::f" keeps them.
std::string unwrapSelfTypes(llvm::StringRef s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    // Where a path starts: not after a name, whose '<' opens generics.
    bool pathStart = i == 0 || !(llvm::isAlnum(s[i - 1]) || s[i - 1] == '_');
    if (s[i] == '<' && pathStart) {
      size_t close = closingAngle(s, i);
      if (close != llvm::StringRef::npos &&
          s.substr(close + 1).starts_with("::") &&
          !hasTopLevelAs(s.slice(i + 1, close))) {
        out += unwrapSelfTypes(s.slice(i + 1, close));
        i = close + 1;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

// The name without its generic arguments ("Vec<T>::push" -> "Vec::push"),
// for suggestions: '<' after a name's last character opens them.
std::string withoutGenerics(llvm::StringRef s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '<' && i > 0 && (llvm::isAlnum(s[i - 1]) || s[i - 1] == '_')) {
      size_t close = closingAngle(s, i);
      if (close != llvm::StringRef::npos) {
        i = close + 1;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

std::string replaceAll(std::string s, llvm::StringRef from, llvm::StringRef to) {
  for (size_t at = s.find(from); at != std::string::npos;
       at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to.str());
  return s;
}

} // namespace

std::string whyNameKey(llvm::StringRef name) {
  llvm::StringRef m = name.trim();
  std::string text = m.str();
  if (m.starts_with("__Z") || m.starts_with("__R"))
    m = m.drop_front(); // Mach-O's extra underscore
  if (m.starts_with("_Z") || m.starts_with("_R") || m.starts_with("?")) {
    std::string d = demangleSymbol(m);
    if (!d.empty() && d != m)
      text = std::move(d);
  }
  text = withoutHashes(text);
  text = replaceAll(std::move(text), "::<", "<");
  text = replaceAll(std::move(text), ", ", ",");
  return unwrapSelfTypes(text);
}

namespace {

// Every distinct name a section of the link is defined by, with its
// demangled text and whyNameKey.
struct DefinedNames {
  std::vector<llvm::StringRef> names;
  std::vector<std::string> demangled, keys;

  explicit DefinedNames(const WhyLink &w) {
    llvm::StringSet<> seen;
    llvm::DenseSet<const ObjectGraph *> done;
    for (uint32_t o = 0; o < w.link->objectCount(); ++o)
      if (done.insert(w.link->graph(o)).second)
        for (const GraphSymbol &s : w.link->graph(o)->symbols)
          if (s.section >= 0 && !s.sectionSymbol && !s.name.empty() &&
              seen.insert(s.name).second)
            names.push_back(s.name);
    demangled.resize(names.size());
    keys.resize(names.size());
    llvm::parallelFor(0, names.size(), [&](size_t k) {
      demangled[k] = demangleSymbol(names[k]);
      keys[k] = whyNameKey(demangled[k]);
    });
  }
};

// The nearest defined names to `want` (a whyNameKey), best first: the same
// name without generic arguments, then the same last segment ("::pad"),
// then a few edits away; by edit distance within each.
std::vector<std::string> suggestionsFor(const DefinedNames &d,
                                        const std::string &want) {
  std::string looseWant = withoutGenerics(want);
  size_t sep = looseWant.rfind("::");
  std::string lastWant =
      sep == std::string::npos ? looseWant : looseWant.substr(sep + 2);
  unsigned limit = std::max<size_t>(3, want.size() / 4);
  constexpr unsigned far = ~0u;
  std::vector<std::pair<unsigned, unsigned>> score(d.keys.size(), {3, far});
  llvm::parallelFor(0, d.keys.size(), [&](size_t k) {
    llvm::StringRef key = d.keys[k];
    std::string loose = withoutGenerics(key);
    size_t at = loose.rfind("::");
    llvm::StringRef last =
        at == std::string::npos ? llvm::StringRef(loose)
                                : llvm::StringRef(loose).substr(at + 2);
    unsigned tier = loose == looseWant ? 0 : last == lastWant ? 1 : 2;
    unsigned dist = key.edit_distance(want, true, tier < 2 ? 0 : limit);
    if (tier < 2 || dist <= limit)
      score[k] = {tier, dist};
  });
  std::vector<size_t> order;
  for (size_t k = 0; k < score.size(); ++k)
    if (score[k].second != far)
      order.push_back(k);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return score[a] != score[b] ? score[a] < score[b]
                                : d.demangled[a] < d.demangled[b];
  });
  std::vector<std::string> out;
  llvm::StringSet<> shown;
  for (size_t k : order) {
    if (out.size() == 5)
      break;
    if (shown.insert(d.demangled[k]).second)
      out.push_back(d.demangled[k]);
  }
  return out;
}

// The node a symbol name stands for: where it binds if global, else its
// first definition (a live one first).
std::optional<LiveNode> findDefinition(const WhyLink &w, llvm::StringRef name) {
  if (const LiveNode *d = w.link->definer(name))
    return *d;
  std::optional<LiveNode> dead;
  for (uint32_t o = 0; o < w.link->objectCount(); ++o) {
    const ObjectGraph &g = *w.link->graph(o);
    for (const GraphSymbol &s : g.symbols)
      if (s.section >= 0 && !s.sectionSymbol && s.name == name) {
        LiveNode n{o, uint32_t(s.section)};
        if (w.live.live[o][s.section])
          return n;
        if (!dead)
          dead = n;
      }
  }
  return dead;
}

std::string viaText(const InputSet &in, const WhyLink &w, const LiveReason &r) {
  switch (r.because) {
  case LiveBecause::Reference: {
    const ObjectGraph &g = *w.link->graph(r.from.object);
    const ObjectFormat *format = formatOf(in.at(w.objects[r.from.object]));
    std::string type = format ? format->relocationName(g, g.relocs[r.reloc].type) : "";
    return type.empty() ? "relocation" : type;
  }
  case LiveBecause::Group:
    return "same COMDAT group";
  case LiveBecause::LinkOrder:
    return "described by it (SHF_LINK_ORDER)";
  case LiveBecause::KeptByObject:
  case LiveBecause::Pulled:
    return "its object is linked, and keeps";
  case LiveBecause::StartStop:
    return "table of " +
           w.link->graph(r.from.object)->symbols[r.symbol].name.str();
  case LiveBecause::Root:
    break;
  }
  return "";
}

} // namespace

WhyAnswer explainSymbol(const InputSet &in, const WhyLink &w, llvm::StringRef name) {
  WhyAnswer a;
  a.asked = name.str();
  a.symbol = name.str();
  std::optional<LiveNode> node = findDefinition(w, name);
  if (node) {
    a.matches = 1;
  } else {
    // By whyNameKey: a live definition first, else the first.
    DefinedNames d(w);
    std::string want = whyNameKey(name);
    for (size_t k = 0; k < d.names.size(); ++k) {
      if (d.keys[k] != want)
        continue;
      ++a.matches;
      std::optional<LiveNode> n = findDefinition(w, d.names[k]);
      if (n && (!node || (!w.live.live[node->object][node->section] &&
                          w.live.live[n->object][n->section]))) {
        node = n;
        a.symbol = d.names[k].str();
      }
    }
    if (!node) {
      a.symbol = name.str();
      a.suggestions = suggestionsFor(d, want);
      return a;
    }
  }
  a.defined = true;
  a.reachable = w.live.live[node->object][node->section];
  if (!a.reachable)
    return a;

  // Back from the symbol to a root along the first reasons; object nodes
  // fold into the step before them.
  std::vector<std::pair<LiveNode, const LiveReason *>> path;
  for (LiveNode n = *node;;) {
    const LiveReason &r = w.live.why(n, *w.link);
    if (!w.link->isObjectNode(n))
      path.push_back({n, &r});
    if (r.because == LiveBecause::Root)
      break;
    n = r.from;
  }
  std::reverse(path.begin(), path.end());
  for (size_t k = 0; k < path.size(); ++k) {
    auto [n, r] = path[k];
    const ObjectGraph &g = *w.link->graph(n.object);
    MemberRef m = w.objects[n.object];
    WhyStep step;
    step.member = in.at(m).name;
    step.library = in.libs[m.lib].path;
    step.section = g.sections[n.section].name.str();
    if (r->because == LiveBecause::Root)
      step.symbol = w.live.roots[r->symbol].str();
    else if (r->because == LiveBecause::Reference) {
      const GraphSymbol &s = w.link->graph(r->from.object)->symbols[r->symbol];
      if (!s.sectionSymbol && !s.name.empty())
        step.symbol = s.name.str();
    }
    if (step.symbol.empty())
      step.symbol = sectionSymbol(g, n.section).str();
    if (k + 1 == path.size())
      step.symbol = a.symbol;
    else
      step.via = viaText(in, w, *path[k + 1].second);
    a.chain.push_back(std::move(step));
  }
  return a;
}

namespace {

// The live graph with dense node ids, and its dominator tree (Cooper,
// Harvey and Kennedy, "A Simple, Fast Dominance Algorithm"). Node `top` is
// a virtual root above one virtual node per API root, so that a root's
// subtree holds exactly what dies when that root leaves the API.
struct Dominators {
  const WhyLink &w;
  std::vector<uint32_t> base;   // first id of each object's nodes
  uint32_t top = 0, firstRoot = 0, count = 0;
  std::vector<uint32_t> succStart, succ, predStart, pred;
  std::vector<uint32_t> rpo, order; // order[id]: position in rpo, ~0u unseen
  std::vector<uint32_t> idom;
  std::vector<uint64_t> weight, retained;

  explicit Dominators(const WhyLink &w) : w(w) {
    const Link &link = *w.link;
    for (uint32_t o = 0; o < link.objectCount(); ++o) {
      base.push_back(count);
      count += link.graph(o)->sections.size() + 1;
    }
    top = count;
    firstRoot = count + 1;
    count += 1 + w.live.rootNodes.size();
    weight.assign(count, 0);
    for (uint32_t o = 0; o < link.objectCount(); ++o)
      for (uint32_t s = 0; s < link.graph(o)->sections.size(); ++s)
        if (w.live.live[o][s])
          weight[base[o] + s] = link.graph(o)->sections[s].vmSize;
    shareUnwindTables();
    buildEdges();
    numberNodes();
    computeIdoms();
    retained = weight;
    for (size_t k = rpo.size(); k-- > 1;)
      retained[idom[rpo[k]]] += retained[rpo[k]];
  }

  // An unwind table holds an entry per function, and prune drops the
  // entries of dead code with it: its bytes belong to the functions it
  // describes, shared evenly among its references to code (entry sizes
  // differ a little; the table's headers ride along).
  void shareUnwindTables() {
    const Link &link = *w.link;
    for (uint32_t o = 0; o < link.objectCount(); ++o) {
      const ObjectGraph &g = *link.graph(o);
      for (uint32_t s = 0; s < g.sections.size(); ++s) {
        if (!g.sections[s].ehFrame || !w.live.live[o][s])
          continue;
        std::vector<uint32_t> code;
        for (const GraphReloc &r : g.relocs)
          if (r.from == s && g.symbols[r.symbol].section >= 0 &&
              g.sections[g.symbols[r.symbol].section].exec)
            code.push_back(g.symbols[r.symbol].section);
        if (code.empty())
          continue;
        uint64_t each = g.sections[s].vmSize / code.size();
        weight[base[o] + s] = 0;
        for (uint32_t c : code)
          if (w.live.live[o][c])
            weight[base[o] + c] += each;
      }
    }
  }

  uint32_t id(LiveNode n) const { return base[n.object] + n.section; }
  LiveNode node(uint32_t id) const {
    uint32_t o = std::upper_bound(base.begin(), base.end(), id) - base.begin() - 1;
    return {o, id - base[o]};
  }
  bool isSection(uint32_t id) const {
    return id < top && !w.link->isObjectNode(node(id));
  }

  void buildEdges() {
    std::vector<std::pair<uint32_t, uint32_t>> edges;
    const Link &link = *w.link;
    for (uint32_t k = 0; k < w.live.rootNodes.size(); ++k) {
      edges.push_back({top, firstRoot + k});
      edges.push_back({firstRoot + k, id(w.live.rootNodes[k])});
    }
    for (uint32_t o = 0; o < link.objectCount(); ++o) {
      if (!w.live.objectLive[o])
        continue;
      for (uint32_t s = 0; s <= link.graph(o)->sections.size(); ++s) {
        LiveNode from{o, s};
        if (!w.live.isLive(from, link))
          continue;
        link.forEachSuccessor(from, [&](LiveNode to, const LiveReason &) {
          if (w.live.isLive(to, link))
            edges.push_back({id(from), id(to)});
        });
      }
    }
    auto csr = [&](bool forward, std::vector<uint32_t> &start,
                   std::vector<uint32_t> &list) {
      start.assign(count + 1, 0);
      for (auto [a, b] : edges)
        ++start[(forward ? a : b) + 1];
      for (uint32_t i = 0; i < count; ++i)
        start[i + 1] += start[i];
      list.resize(edges.size());
      std::vector<uint32_t> next(start.begin(), start.end() - 1);
      for (auto [a, b] : edges)
        list[next[forward ? a : b]++] = forward ? b : a;
    };
    csr(true, succStart, succ);
    csr(false, predStart, pred);
  }

  // Reverse post-order from `top`, iteratively (graphs are deep).
  void numberNodes() {
    std::vector<uint32_t> post;
    std::vector<char> seen(count);
    std::vector<std::pair<uint32_t, uint32_t>> stack{{top, succStart[top]}};
    seen[top] = 1;
    while (!stack.empty()) {
      auto &[n, next] = stack.back();
      if (next < succStart[n + 1]) {
        uint32_t s = succ[next++];
        if (!seen[s]) {
          seen[s] = 1;
          stack.push_back({s, succStart[s]});
        }
        continue;
      }
      post.push_back(n);
      stack.pop_back();
    }
    rpo.assign(post.rbegin(), post.rend());
    order.assign(count, ~0u);
    for (uint32_t k = 0; k < rpo.size(); ++k)
      order[rpo[k]] = k;
  }

  void computeIdoms() {
    idom.assign(count, ~0u);
    idom[top] = top;
    auto intersect = [&](uint32_t a, uint32_t b) {
      while (a != b) {
        while (order[a] > order[b])
          a = idom[a];
        while (order[b] > order[a])
          b = idom[b];
      }
      return a;
    };
    for (bool changed = true; changed;) {
      changed = false;
      for (uint32_t k = 1; k < rpo.size(); ++k) {
        uint32_t n = rpo[k], best = ~0u;
        for (uint32_t p = predStart[n]; p < predStart[n + 1]; ++p) {
          uint32_t q = pred[p];
          if (order[q] == ~0u || idom[q] == ~0u)
            continue;
          best = best == ~0u ? q : intersect(q, best);
        }
        if (best != idom[n]) {
          idom[n] = best;
          changed = true;
        }
      }
    }
  }

  uint64_t reachableFrom(uint32_t start) const {
    std::vector<char> seen(count);
    std::vector<uint32_t> work{start};
    seen[start] = 1;
    uint64_t bytes = 0;
    while (!work.empty()) {
      uint32_t n = work.back();
      work.pop_back();
      bytes += weight[n];
      for (uint32_t k = succStart[n]; k < succStart[n + 1]; ++k)
        if (!seen[succ[k]]) {
          seen[succ[k]] = 1;
          work.push_back(succ[k]);
        }
    }
    return bytes;
  }
};

} // namespace

WhySummary summarizeWhy(const InputSet &in, const WhyLink &w, size_t top,
                        bool withTree) {
  Dominators d(w);
  WhySummary r;
  r.liveBytes = d.retained[d.top];
  r.roots.resize(w.live.roots.size());
  llvm::parallelFor(0, r.roots.size(), [&](size_t k) {
    r.roots[k] = {w.live.roots[k].str(), d.reachableFrom(d.firstRoot + k),
                  d.retained[d.firstRoot + k]};
  });
  auto label = [&](uint32_t id) -> std::string {
    if (id == d.top)
      return "[link]";
    if (id >= d.firstRoot)
      return w.live.roots[id - d.firstRoot].str();
    LiveNode n = d.node(id);
    const Member &m = in.at(w.objects[n.object]);
    if (w.link->isObjectNode(n))
      return "[object " + m.name + "]";
    llvm::StringRef sym = sectionSymbol(*w.link->graph(n.object), n.section);
    if (!sym.empty())
      return sym.str();
    return "[section " + w.link->graph(n.object)->sections[n.section].name.str() +
           " of " + m.name + "]";
  };
  std::vector<uint32_t> sections;
  llvm::DenseSet<uint32_t> rootSections; // listed with the roots already
  for (LiveNode n : w.live.rootNodes)
    rootSections.insert(d.id(n));
  for (uint32_t id : d.rpo)
    if (d.isSection(id) && d.retained[id] > 0 && !rootSections.contains(id))
      sections.push_back(id);
  std::stable_sort(sections.begin(), sections.end(), [&](uint32_t a, uint32_t b) {
    return d.retained[a] > d.retained[b];
  });
  for (size_t k = 0; k < sections.size() && k < top; ++k)
    r.top.push_back({label(sections[k]), d.retained[sections[k]]});

  if (withTree) {
    // Nodes in RPO: a parent comes before its children.
    std::vector<uint32_t> treeId(d.count, ~0u);
    for (uint32_t id : d.rpo) {
      treeId[id] = r.tree.parent.size();
      r.tree.parent.push_back(id == d.top ? 0 : treeId[d.idom[id]]);
      r.tree.label.push_back(label(id));
      r.tree.self.push_back(d.weight[id]);
      r.tree.retained.push_back(d.retained[id]);
      r.tree.apiRoot.push_back(id >= d.firstRoot);
    }
  }
  return r;
}

} // namespace slimlink
