// Demangling and the crate-of-symbol rule (see symbols.h for the rule).
//
// LLVM's Rust demangler prints v0 symbols but not the instantiating crate,
// so v0 symbols are also walked here, just far enough to find the crate roots:
// a small recursive-descent reader of the v0 grammar
// (https://doc.rust-lang.org/rustc/symbol-mangling/v0.html) that skips
// everything it does not need. Legacy symbols are Itanium-shaped; LLVM's
// Itanium demangler prints them with Rust's $LT$-style escapes and the hash
// left in, which we undo.
#include "model/symbols.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Demangle/Demangle.h"

#include <algorithm>
#include <cstring>

namespace slimlink {

namespace {

// Reads the v0 grammar from `s` (the symbol after "_R"). Every parse function
// returns false on anything unexpected; the caller then falls back to the
// demangled text.
class V0Reader {
public:
  explicit V0Reader(llvm::StringRef s) : s(s) {}

  bool path(std::string *crate) {
    if (!enter())
      return false;
    bool ok = pathInner(crate);
    --depth;
    return ok;
  }
  bool atEnd() const { return pos >= s.size(); }

private:
  llvm::StringRef s;
  size_t pos = 0;
  int depth = 0;

  bool enter() { return ++depth < 256; }
  bool eat(char c) {
    if (pos < s.size() && s[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  char peek() const { return pos < s.size() ? s[pos] : 0; }
  char next() { return pos < s.size() ? s[pos++] : 0; }

  // base62 ::= {[0-9a-zA-Z]} "_"  ("_" alone is 0, else the digits + 1)
  bool base62(uint64_t &v) {
    if (eat('_')) {
      v = 0;
      return true;
    }
    uint64_t x = 0;
    while (pos < s.size() && s[pos] != '_') {
      char c = s[pos++];
      unsigned d;
      if (llvm::isDigit(c))
        d = c - '0';
      else if (c >= 'a' && c <= 'z')
        d = 10 + (c - 'a');
      else if (c >= 'A' && c <= 'Z')
        d = 36 + (c - 'A');
      else
        return false;
      if (x > (UINT64_MAX - d) / 62)
        return false;
      x = x * 62 + d;
    }
    if (!eat('_'))
      return false;
    v = x + 1;
    return true;
  }
  bool optBase62(char tag) {
    uint64_t v;
    return !eat(tag) || base62(v);
  }
  // identifier ::= ["s" base62] ["u"] decimal ["_"] bytes
  bool ident(std::string *out) {
    if (!optBase62('s'))
      return false;
    eat('u');
    if (!llvm::isDigit(peek()))
      return false;
    // decimal ::= "0" | [1-9] {[0-9]}  ("00" is two empty identifiers)
    uint64_t n = 0;
    if (!eat('0'))
      while (llvm::isDigit(peek())) {
        n = n * 10 + (next() - '0');
        if (n > s.size())
          return false;
      }
    eat('_');
    if (n > s.size() - pos)
      return false;
    if (out)
      *out = s.substr(pos, n).str();
    pos += n;
    return true;
  }
  // Follows a backref: parses what it points at, then comes back.
  template <class F> bool backref(F parse) {
    size_t at = pos - 1; // the 'B'
    uint64_t target;
    if (!base62(target) || target >= at)
      return false;
    size_t saved = pos;
    pos = target;
    bool ok = parse();
    pos = saved;
    return ok;
  }

  bool pathInner(std::string *crate) {
    switch (next()) {
    case 'C': // crate root (its disambiguator is the identifier's)
      return ident(crate);
    case 'M': // inherent impl: impl-path type
      return optBase62('s') && path(crate) && type(nullptr);
    case 'X': // trait impl: impl-path type trait
      return optBase62('s') && path(crate) && type(nullptr) && path(nullptr);
    case 'Y': { // <type as trait>: the type's crate if it has one
      std::string t;
      if (!type(&t) || !path(crate))
        return false;
      if (crate && !t.empty())
        *crate = t;
      return true;
    }
    case 'N': // nested path: namespace, parent, name
      return next() != 0 && path(crate) && ident(nullptr);
    case 'I': // generic args
      if (!path(crate))
        return false;
      while (!eat('E'))
        if (!genericArg())
          return false;
      return true;
    case 'B':
      return backref([&] { return path(crate); });
    default:
      return false;
    }
  }

  bool genericArg() {
    if (eat('L')) {
      uint64_t v;
      return base62(v);
    }
    if (eat('K'))
      return constant();
    return type(nullptr);
  }

  bool type(std::string *crate) {
    if (!enter())
      return false;
    bool ok = typeInner(crate);
    --depth;
    return ok;
  }
  bool typeInner(std::string *crate) {
    char c = peek();
    if (c && llvm::StringRef("abcdefhijlmnostuvxyzp").contains(c)) {
      ++pos;
      return true;
    }
    switch (c) {
    case 'C':
    case 'M':
    case 'X':
    case 'Y':
    case 'N':
    case 'I':
      return path(crate);
    }
    ++pos;
    switch (c) {
    case 'A':
      return type(nullptr) && constant();
    case 'S':
    case 'P':
    case 'O':
      return type(crate);
    case 'R':
    case 'Q':
      return optBase62('L') && type(crate);
    case 'F':
      return fnSig();
    case 'D':
      return dynBounds() && eat('L') && optLifetimeValue();
    case 'T':
      while (!eat('E'))
        if (!type(nullptr))
          return false;
      return true;
    case 'B':
      return backref([&] { return type(crate); });
    default:
      return false;
    }
  }
  bool optLifetimeValue() {
    uint64_t v;
    return base62(v);
  }
  bool fnSig() {
    if (!optBase62('G'))
      return false;
    eat('U');
    if (eat('K') && !eat('C') && !ident(nullptr))
      return false;
    while (!eat('E'))
      if (!type(nullptr))
        return false;
    return type(nullptr);
  }
  bool dynBounds() {
    if (!optBase62('G'))
      return false;
    while (!eat('E')) {
      if (!path(nullptr))
        return false;
      while (eat('p'))
        if (!ident(nullptr) || !type(nullptr))
          return false;
    }
    return true;
  }
  bool hexData() {
    eat('n');
    while (llvm::isHexDigit(peek()))
      ++pos;
    return eat('_');
  }
  bool constant() {
    if (!enter())
      return false;
    bool ok = constInner();
    --depth;
    return ok;
  }
  bool constInner() {
    char c = next();
    switch (c) {
    case 'p':
      return true;
    case 'B':
      return backref([&] { return constant(); });
    case 'R':
    case 'Q':
      return constant();
    case 'A':
    case 'T':
      while (!eat('E'))
        if (!constant())
          return false;
      return true;
    case 'V':
      if (!path(nullptr))
        return false;
      if (eat('U'))
        return true;
      if (eat('T')) {
        while (!eat('E'))
          if (!constant())
            return false;
        return true;
      }
      if (eat('S')) {
        while (!eat('E'))
          if (!ident(nullptr) || !constant())
            return false;
        return true;
      }
      return false;
    case 'e':
      return hexData();
    default:
      // An integer, bool or char constant: its type letter, then the value.
      return c && llvm::StringRef("abcdefhijlmnostuvxy").contains(c) &&
             hexData();
    }
  }
};

bool isHashComponent(llvm::StringRef s) {
  return s.size() == 17 && s[0] == 'h' &&
         llvm::all_of(s.drop_front(), llvm::isHexDigit);
}

// "std::io::_print::h0123456789abcdef" with $LT$-escapes -> readable text;
// returns false if this is not a Rust legacy name.
bool undoLegacyEscapes(std::string &text) {
  // The last component is the hash (the last "::" is the one before it).
  llvm::StringRef t(text);
  if (t.size() < 19 || t.substr(t.size() - 19, 2) != "::" ||
      !isHashComponent(t.take_back(17)))
    return false;
  t = t.drop_back(19);
  static const std::pair<llvm::StringRef, char> escapes[] = {
      {"$SP$", '@'},  {"$BP$", '*'},  {"$RF$", '&'},  {"$LT$", '<'},
      {"$GT$", '>'},  {"$LP$", '('},  {"$RP$", ')'},  {"$C$", ','},
      {"$u20$", ' '}, {"$u27$", '\''}, {"$u5b$", '['}, {"$u5d$", ']'},
      {"$u7b$", '{'}, {"$u7d$", '}'}, {"$u7e$", '~'}, {"$u3b$", ';'},
      {"$u2b$", '+'}, {"$u22$", '"'}, {"$u21$", '!'}, {"$u3d$", '='}};
  auto escaped = [&](llvm::StringRef code) -> char {
    for (auto [from, to] : escapes)
      if (code == from)
        return to;
    return 0;
  };
  std::string out;
  out.reserve(t.size());
  for (size_t i = 0; i < t.size();) {
    // A component starting with '_$' drops the underscore (it was added so
    // that the component does not start with '$').
    if (t[i] == '_' && i + 1 < t.size() && t[i + 1] == '$' &&
        (i == 0 || t.substr(0, i).ends_with("::"))) {
      ++i;
      continue;
    }
    if (t[i] == '.' && i + 1 < t.size() && t[i + 1] == '.') {
      out += "::";
      i += 2;
      continue;
    }
    // An escape runs to the next '$' (none has one inside).
    if (t[i] == '$')
      if (size_t close = t.find('$', i + 1); close != llvm::StringRef::npos)
        if (char to = escaped(t.slice(i, close + 1))) {
          out += to;
          i = close + 1;
          continue;
        }
    // Up to the next character that may start any of the above, as is.
    size_t next = i + 1;
    while (next < t.size() && t[next] != '_' && t[next] != '.' && t[next] != '$')
      ++next;
    out.append(t.data() + i, next - i);
    i = next;
  }
  text = std::move(out);
  return true;
}

// The crate of a type's text: "alloc::vec::Vec<u8>" -> "alloc",
// "&[core::fmt::Arguments]" -> "core", "u8" / "[u8]" -> "".
std::string crateOfTypeText(llvm::StringRef t) {
  t = t.trim();
  for (bool again = true; again;) {
    again = false;
    for (llvm::StringRef p : {"&", "mut ", "*const ", "*mut ", "[", "(",
                              "dyn ", "impl ", "unsafe ", "'"})
      if (t.consume_front(p)) {
        t = t.ltrim();
        again = true;
      }
  }
  size_t n = 0;
  while (n < t.size() && (llvm::isAlnum(t[n]) || t[n] == '_'))
    ++n;
  if (n && t.substr(n).starts_with("::"))
    return t.take_front(n).str();
  return {};
}

// The crate from demangled text (the legacy rule in symbols.h).
std::string crateOfText(llvm::StringRef t) {
  if (t.starts_with("<")) {
    int depth = 0;
    size_t as = llvm::StringRef::npos, close = llvm::StringRef::npos;
    for (size_t i = 0; i < t.size() && close == llvm::StringRef::npos; ++i) {
      if (t[i] == '<')
        ++depth;
      else if (t[i] == '>' && (i == 0 || t[i - 1] != '-')) {
        if (--depth == 0)
          close = i;
      } else if (depth == 1 && as == llvm::StringRef::npos &&
                 t.substr(i).starts_with(" as "))
        as = i;
    }
    if (close != llvm::StringRef::npos) {
      llvm::StringRef self = t.slice(1, as == llvm::StringRef::npos ? close : as);
      if (std::string c = crateOfTypeText(self); !c.empty())
        return c;
      if (as != llvm::StringRef::npos)
        if (std::string c = crateOfTypeText(t.slice(as + 4, close)); !c.empty())
          return c;
    }
  }
  if (std::string c = crateOfTypeText(t); !c.empty())
    return c;
  // Anything path-like somewhere in it (closures, shims, ...).
  size_t sep = t.find("::");
  if (sep != llvm::StringRef::npos) {
    size_t b = sep;
    while (b > 0 && (llvm::isAlnum(t[b - 1]) || t[b - 1] == '_'))
      --b;
    if (b < sep)
      return t.slice(b, sep).str();
  }
  return {};
}

// The end of a legacy name's "17h<16 hex>E" (its hash and closing E), or 0.
// Every symbol of every file asks, C++ ones (most of a system's libraries)
// included: found by memchr's 'h', not by a substring search from each
// position (9% of `size --duplicates` over 500 system libraries).
size_t legacyHashEnd(llvm::StringRef m) {
  const char *begin = m.data(), *end = begin + m.size();
  for (const char *h = begin + std::min<size_t>(2, m.size()); h < end; ++h) {
    h = static_cast<const char *>(std::memchr(h, 'h', end - h));
    if (!h)
      break;
    size_t at = h - 2 - begin, e = at + 3 + 16; // "17h" at `at`
    if (h[-2] == '1' && h[-1] == '7' && e < m.size() && m[e] == 'E' &&
        llvm::all_of(m.slice(at + 3, e), llvm::isHexDigit))
      return e + 1;
  }
  return 0;
}

// A Rust legacy name's text as LLVM's Itanium demangler prints it
// ("_ZN4core3fmt5write17h<16 hex>E" -> "core::fmt::write::h<16 hex>"), read
// directly: such a name is a list of length-prefixed components and nothing
// else, and the general demangler's tree was most of naming every symbol of
// a Rust binary. "" for anything else (the demangler then reads it): another
// shape, a length with a leading zero or past the end, a component the
// demangler spells its own way ("_GLOBAL__N...": an anonymous namespace).
std::string legacyText(llvm::StringRef m) {
  if (!m.consume_front("_ZN") || !m.consume_back("E") || m.empty())
    return {};
  std::string out;
  out.reserve(m.size());
  while (!m.empty()) {
    if (m[0] < '1' || m[0] > '9')
      return {};
    size_t n = 0, digits = 0;
    while (digits < m.size() && llvm::isDigit(m[digits])) {
      n = n * 10 + (m[digits++] - '0');
      if (n > m.size())
        return {};
    }
    if (n > m.size() - digits)
      return {};
    llvm::StringRef component = m.substr(digits, n);
    if (component.starts_with("_GLOBAL__N"))
      return {};
    if (!out.empty())
      out += "::";
    out += component;
    m = m.drop_front(digits + n);
  }
  return out;
}

// "_ZN...17h<16 hex>E.llvm.123" -> "_ZN...17h<16 hex>E". (Not simply up to
// the first '.': legacy names spell "::" inside a component as "..".)
llvm::StringRef withoutSuffix(llvm::StringRef m) {
  size_t end = legacyHashEnd(m);
  return end ? m.take_front(end) : m;
}

} // namespace

// compiler_builtins' C-ABI intrinsics (__udivti3, __floatsidf, __muloti4):
// unmangled, so only their shape says where they come from.
static bool looksLikeIntrinsic(llvm::StringRef n) {
  if (!n.consume_front("__") || n.size() < 3)
    return false;
  char last = n.back();
  if (last < '2' || last > '4')
    return false;
  return llvm::all_of(n.drop_back(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// std's unmangled (#[no_mangle]) entry points for the compiler and unwinder.
static bool isStdRuntime(llvm::StringRef n) {
  return n == "rust_eh_personality" || n == "rust_begin_unwind" ||
         n == "rust_panic";
}

const char *crateOfUnmangled(llvm::StringRef name) {
  if (looksLikeIntrinsic(name))
    return "compiler_builtins";
  if (isStdRuntime(name))
    return "std";
  return nullptr;
}

std::string crateOfPath(llvm::StringRef name) {
  return name.contains("::") ? crateOfText(name) : std::string();
}

std::string crateOfSection(llvm::StringRef sec, SectionRole role) {
  if (sec.starts_with("["))
    return sec.str();
  switch (role) {
  case SectionRole::Debug:
    return "[debug info]";
  case SectionRole::SymbolTable:
    return "[symbol tables]";
  case SectionRole::Relocations:
    return "[relocations]";
  case SectionRole::Unwind:
    return "[unwind info]";
  case SectionRole::Other:
    break;
  }
  return "[section " + sec.str() + "]";
}

V0Crates v0Crates(llvm::StringRef mangled) {
  V0Crates out;
  llvm::StringRef s = mangled;
  if (!s.consume_front("_R"))
    return out;
  s = s.take_until([](char c) { return c == '.'; }); // ".llvm.123" suffixes
  // An optional encoding version (decimal) precedes the path; backrefs count
  // from after "_R", so keep it in the string and skip it in the reader.
  V0Reader r(s);
  std::string def;
  llvm::StringRef afterVersion = s.drop_while(llvm::isDigit);
  if (afterVersion.size() != s.size())
    return out; // versioned encodings: none exist yet
  if (!r.path(&def))
    return out;
  out.defining = def;
  if (!r.atEnd()) {
    std::string inst;
    if (r.path(&inst) && r.atEnd())
      out.instantiating = inst;
  }
  return out;
}

// describeSymbol, and demangleSymbol without the crate (`withCrate`).
static SymbolInfo describe(llvm::StringRef mangled, bool withText,
                           bool withCrate) {
  SymbolInfo info;
  llvm::StringRef m = mangled;
  if (!withText && m.starts_with("_R")) {
    // The crate needs no demangled text: only the v0 reader.
    V0Crates c = v0Crates(m);
    if (!c.defining.empty()) {
      info.lang = SymbolLang::Rust;
      info.crate = !c.instantiating.empty() ? c.instantiating : c.defining;
      return info;
    }
  }
  if (!withText && m.starts_with("_Z") && !legacyHashEnd(m)) {
    info.lang = SymbolLang::Cxx; // not Rust legacy (no "17h<hash>E")
    return info;
  }
  if (m.starts_with("_R")) {
    std::string text;
    if (char *d = llvm::rustDemangle(m)) {
      text = d;
      std::free(d);
    }
    if (!text.empty()) {
      info.lang = SymbolLang::Rust;
      info.demangled = text;
      if (!withCrate)
        return info;
      V0Crates c = v0Crates(m);
      info.crate = !c.instantiating.empty() ? c.instantiating
                   : !c.defining.empty()    ? c.defining
                                            : crateOfText(text);
      if (info.crate.empty())
        info.crate = "[rust: unknown crate]";
      return info;
    }
  }
  if (m.starts_with("_Z")) {
    // LLVM's ThinLTO renames local symbols "<name>.llvm.<hash>"; Rust
    // legacy names demangle without such suffixes.
    llvm::StringRef core = withoutSuffix(m);
    std::string text = legacyText(core);
    if (text.empty())
      text = llvm::demangle(core);
    if (text != m && undoLegacyEscapes(text)) {
      info.lang = SymbolLang::Rust;
      info.demangled = text;
      if (!withCrate)
        return info;
      info.crate = crateOfText(text);
      if (info.crate.empty())
        info.crate = "[rust: unknown crate]";
      return info;
    }
    // C++: `text` is already the whole name's (undoLegacyEscapes changes
    // nothing when it says no) unless a suffix was cut off above.
    if (core.size() != m.size())
      text = llvm::demangle(m);
    info.lang = text != m ? SymbolLang::Cxx : SymbolLang::C;
    info.demangled = std::move(text);
    return info;
  }
  if (m.starts_with("?")) { // MSVC's C++ mangling (COFF objects, PE files)
    if (!withText)
      info.lang = SymbolLang::Cxx;
    else if (std::string text = llvm::demangle(m); text != m) {
      info.lang = SymbolLang::Cxx;
      info.demangled = std::move(text);
    } else {
      info.lang = SymbolLang::C;
      info.demangled = m.str();
    }
    return info;
  }
  info.lang = SymbolLang::C;
  info.demangled = m.str();
  return info;
}

SymbolInfo describeSymbol(llvm::StringRef mangled, bool withText) {
  return describe(mangled, withText, true);
}

std::string demangleSymbol(llvm::StringRef mangled) {
  return describe(mangled, true, false).demangled;
}

llvm::StringRef legacyTextKey(llvm::StringRef mangled) {
  // What describe does with it: the name up to its hash (withoutSuffix),
  // read by legacyText. A name with a ':' is left out: legacy names spell
  // "::" "..", and without one the text cannot equal the name.
  size_t end = legacyHashEnd(mangled);
  if (!end || mangled.contains(':') || end < 24)
    return {};
  llvm::StringRef core = mangled.take_front(end);
  const size_t hashAt = end - 20; // "17h<16 hex>E"
  if (!core.starts_with("_ZN"))
    return {};
  // legacyText's walk, without building the text: the last component must
  // be the hash, which the text then drops.
  size_t at = 3, last = 0;
  while (at < end - 1) {
    if (core[at] < '1' || core[at] > '9')
      return {};
    size_t n = 0, digits = at;
    while (digits < end - 1 && llvm::isDigit(core[digits])) {
      n = n * 10 + (core[digits++] - '0');
      if (n > end)
        return {};
    }
    if (n > end - 1 - digits ||
        core.substr(digits, n).starts_with("_GLOBAL__N"))
      return {};
    last = at;
    at = digits + n;
  }
  return last == hashAt ? core.take_front(hashAt) : llvm::StringRef();
}

} // namespace slimlink
