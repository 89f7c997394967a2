// --api FILE: the API lists people already have, in whichever form the
// file is (detected from its text):
//  - a plain list, one symbol a line, '#' comments;
//  - an Apple -exported_symbols_list: the same, with Mach-O's leading
//    underscores (symbols are matched as the symbol table spells them) and
//    '*' / '?' globs;
//  - a GNU version script: `VERS { global: a; b*; local: *; };` (anonymous
//    or named nodes, '#' and /* */ comments); global names and globs are
//    the API, everything else is local anyway;
//  - a Windows .def file: EXPORTS, then `name[=internal] [@n] [NONAME]
//    [DATA] [PRIVATE]` lines, ';' comments.
// A line that is none of these is an error naming the file and line.
#include "passes/api.h"
#include "support/diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

namespace slimlink {

namespace {

struct Parser {
  std::string file;
  ApiSpec &spec;

  [[noreturn]] void error(size_t line, const std::string &what) {
    throw InputError(file, "line " + std::to_string(line) + ": " + what);
  }

  static bool isNameChar(char c) {
    return llvm::isAlnum(c) || llvm::StringRef("_.$@*?[]-").contains(c);
  }

  void add(llvm::StringRef name, size_t line) {
    if (name.empty() || !llvm::all_of(name, isNameChar))
      error(line, "'" + name.str() + "' is not a symbol name");
    if (name.find_first_of("*?[") != llvm::StringRef::npos) {
      auto g = std::make_shared<ApiGlob>();
      g->text = name.str();
      auto glob = llvm::GlobPattern::create(g->text);
      if (!glob) {
        llvm::consumeError(glob.takeError());
        error(line, "'" + name.str() + "' is not a valid glob");
      }
      g->pattern = std::move(*glob);
      spec.globs.push_back(std::move(g));
    } else {
      spec.names.push_back(name.str());
    }
  }


  // A plain list or an Apple exported-symbols list.
  void plainList(llvm::StringRef text) {
    size_t n = 0;
    for (llvm::StringRef line : llvm::split(text, '\n')) {
      ++n;
      line = line.split('#').first.trim();
      if (line.empty())
        continue;
      if (!llvm::all_of(line, isNameChar))
        error(n, "'" + line.str() + "' is not a symbol name (one a line)");
      add(line, n);
    }
  }

  void defFile(llvm::StringRef text) {
    size_t n = 0;
    bool exports = false;
    for (llvm::StringRef line : llvm::split(text, '\n')) {
      ++n;
      line = line.split(';').first.trim();
      if (line.empty())
        continue;
      llvm::StringRef word = line.split(' ').first;
      std::string upper = word.upper();
      if (upper == "EXPORTS") {
        exports = true;
        line = line.drop_front(word.size()).trim();
        if (line.empty())
          continue;
      } else if (upper == "LIBRARY" || upper == "NAME" || upper == "HEAPSIZE" ||
                 upper == "STACKSIZE" || upper == "VERSION" ||
                 upper == "SECTIONS" || upper == "STUB") {
        exports = false;
        continue;
      } else if (!exports) {
        error(n, "'" + line.str() + "' outside EXPORTS");
      }
      llvm::StringRef name = line.split(' ').first.split('=').first;
      if (name.starts_with("\"") && name.ends_with("\"") && name.size() > 1)
        name = name.drop_front().drop_back();
      if (name.empty() || !llvm::all_of(name, isNameChar))
        error(n, "'" + line.str() + "' is not an export");
      add(name, n);
    }
  }

  void versionScript(llvm::StringRef text) {
    // Tokens with their line numbers; comments gone.
    struct Token {
      std::string text;
      size_t line;
    };
    std::vector<Token> tokens;
    size_t n = 1;
    for (size_t i = 0; i < text.size();) {
      char c = text[i];
      if (c == '\n') {
        ++n, ++i;
      } else if (llvm::isSpace(c)) {
        ++i;
      } else if (c == '#') {
        while (i < text.size() && text[i] != '\n')
          ++i;
      } else if (text.substr(i).starts_with("/*")) {
        size_t end = text.find("*/", i + 2);
        if (end == llvm::StringRef::npos)
          error(n, "unterminated /* comment");
        n += text.substr(i, end - i).count('\n');
        i = end + 2;
      } else if (llvm::StringRef("{};").contains(c)) {
        tokens.push_back({std::string(1, c), n});
        ++i;
      } else if (c == '"') {
        size_t end = text.find('"', i + 1);
        if (end == llvm::StringRef::npos)
          error(n, "unterminated string");
        tokens.push_back({text.substr(i, end - i + 1).str(), n});
        i = end + 1;
      } else {
        size_t j = i;
        while (j < text.size() && !llvm::isSpace(text[j]) &&
               !llvm::StringRef("{};#").contains(text[j]))
          ++j;
        tokens.push_back({text.substr(i, j - i).str(), n});
        i = j;
      }
    }
    // node: [NAME] { (global: | local: | extern "C" { ... } | name ;)* } [deps] ;
    size_t k = 0;
    auto at = [&](size_t i) -> const Token * {
      return i < tokens.size() ? &tokens[i] : nullptr;
    };
    auto expect = [&](const char *what) {
      const Token *t = at(k);
      if (!t || t->text != what)
        error(t ? t->line : n, std::string("expected '") + what + "'" +
                                   (t ? ", found '" + t->text + "'" : ""));
      ++k;
    };
    while (at(k)) {
      if (at(k)->text != "{")
        ++k; // the version node's name
      expect("{");
      bool global = true;
      while (at(k) && at(k)->text != "}") {
        const Token &t = *at(k);
        llvm::StringRef word = t.text;
        if (word.starts_with("global:") || word.starts_with("local:")) {
          global = word.starts_with("global:");
          llvm::StringRef rest = word.split(':').second;
          ++k;
          if (!rest.empty()) { // "global:name;"
            if (global)
              add(rest, t.line);
            expect(";");
          }
        } else if (t.text == "extern") {
          error(t.line, "extern \"C++\" blocks are not supported: list the "
                        "mangled names");
        } else if (t.text == ";" ) {
          ++k;
        } else {
          llvm::StringRef name = t.text;
          if (name.ends_with(":"))
            error(t.line, "unknown scope '" + t.text + "'");
          if (name.starts_with("\""))
            name = name.drop_front().drop_back();
          if (name.empty() || !llvm::all_of(name, isNameChar))
            error(t.line, "'" + t.text + "' is not a symbol name");
          if (global)
            add(name, t.line);
          ++k;
          expect(";");
        }
      }
      expect("}");
      while (at(k) && at(k)->text != ";")
        ++k; // the node's dependencies
      expect(";");
    }
  }
};

bool looksLikeDef(llvm::StringRef text) {
  for (llvm::StringRef line : llvm::split(text, '\n')) {
    line = line.split(';').first.trim();
    if (line.empty())
      continue;
    std::string word = line.split(' ').first.upper();
    return word == "EXPORTS" || word == "LIBRARY" || word == "NAME";
  }
  return false;
}

bool looksLikeVersionScript(llvm::StringRef text) {
  return text.contains('{') &&
         (text.contains("global:") || text.contains("local:") ||
          text.contains("};"));
}

} // namespace

void readApiFile(const std::string &file, ApiSpec &spec) {
  auto buf = llvm::MemoryBuffer::getFile(file, /*IsText=*/true);
  if (!buf)
    throw InputError(file, "cannot open: " + buf.getError().message());
  llvm::StringRef text = (*buf)->getBuffer();
  Parser p{file, spec};
  if (looksLikeDef(text))
    p.defFile(text);
  else if (looksLikeVersionScript(text))
    p.versionScript(text);
  else
    p.plainList(text);
}

} // namespace slimlink
