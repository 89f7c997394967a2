// The PDB side of the inlines view that is arithmetic, not reading
// (pdb_lines.h): inline sites' binary annotations decoded into rows, nested
// ranges resolved to the innermost, file names made relative.
#include "formats/coff/pdb_lines.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/DebugInfo/CodeView/SymbolRecord.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <map>

namespace slimlink::coff {

using namespace llvm::codeview;

void innermostLines(std::vector<NestedLine> ranges,
                    std::vector<LayoutLineRange> &out) {
  // Painted outermost first: each range over what is under it.
  std::stable_sort(ranges.begin(), ranges.end(),
                   [](const NestedLine &a, const NestedLine &b) {
                     return a.depth < b.depth;
                   });
  struct Piece {
    uint64_t end;
    uint32_t line;
  };
  std::map<uint64_t, Piece> painted; // by start; never overlapping
  for (const NestedLine &r : ranges) {
    if (r.end <= r.start)
      continue;
    auto it = painted.lower_bound(r.start);
    if (it != painted.begin()) {
      auto prev = std::prev(it);
      if (prev->second.end > r.start) { // cut around [start, end)
        Piece p = prev->second;
        prev->second.end = r.start;
        if (p.end > r.end)
          painted[r.end] = p;
      }
    }
    while (it != painted.end() && it->first < r.end) {
      if (it->second.end > r.end)
        painted[r.end] = it->second;
      it = painted.erase(it);
    }
    painted[r.start] = {r.end, r.line};
  }
  size_t first = out.size();
  for (auto [start, p] : painted) {
    if (out.size() > first && out.back().end == start &&
        out.back().line == p.line)
      out.back().end = p.end;
    else
      out.push_back({start, p.end, p.line});
  }
}

std::vector<SiteLine> inlineSiteLines(llvm::ArrayRef<uint8_t> annotations,
                                      uint32_t file, uint32_t line,
                                      uint64_t codeSize) {
  std::vector<SiteLine> rows;
  uint64_t offset = 0;
  int64_t lineNo = line;
  bool open = false; // rows.back() runs until the next row or a length
  bool known = true;
  auto start = [&] {
    if (open)
      rows.back().end = offset;
    open = false;
    if (lineNo < 0 || lineNo > int64_t(UINT32_MAX)) {
      known = false; // a damaged delta: no line from here on
      return;
    }
    rows.push_back({offset, offset, file, uint32_t(lineNo)});
    open = true;
  };
  auto length = [&](uint64_t n) {
    if (open)
      rows.back().end = offset + n;
    open = false;
    offset += n;
  };
  for (BinaryAnnotationIterator it(annotations), end; known && it != end;
       ++it) {
    const DecodedAnnotation &a = *it;
    switch (a.OpCode) {
    case BinaryAnnotationsOpCode::ChangeCodeOffset:
      offset += a.U1;
      start();
      break;
    case BinaryAnnotationsOpCode::ChangeCodeOffsetAndLineOffset:
      lineNo += a.S1;
      offset += a.U1;
      start();
      break;
    case BinaryAnnotationsOpCode::ChangeCodeLengthAndCodeOffset:
      offset += a.U2;
      start();
      length(a.U1);
      break;
    case BinaryAnnotationsOpCode::ChangeCodeLength:
      length(a.U1);
      break;
    case BinaryAnnotationsOpCode::ChangeLineOffset:
      lineNo += a.S1;
      break;
    case BinaryAnnotationsOpCode::ChangeFile:
      file = a.U1;
      break;
    case BinaryAnnotationsOpCode::ChangeLineEndDelta:
    case BinaryAnnotationsOpCode::ChangeRangeKind:
    case BinaryAnnotationsOpCode::ChangeColumnStart:
    case BinaryAnnotationsOpCode::ChangeColumnEndDelta:
    case BinaryAnnotationsOpCode::ChangeColumnEnd:
      break; // columns and line ends: not what a row is charged to
    default:
      // Padding (Invalid) ends the list. Separated code (CodeOffset,
      // ChangeCodeOffsetBase) and unknown opcodes (a truncated operand
      // reads as one): what follows is not understood.
      known = false;
      break;
    }
  }
  if (open) // no length: where it ends is not said
    rows.pop_back();
  // Only rows inside the procedure, none empty.
  std::vector<SiteLine> kept;
  for (SiteLine r : rows) {
    r.end = std::min(r.end, codeSize);
    if (r.start < r.end)
      kept.push_back(r);
  }
  return kept;
}

std::string sourceFileName(llvm::StringRef path, llvm::StringRef cwd) {
  namespace sp = llvm::sys::path;
  auto windows = [](llvm::StringRef p) {
    return p.contains('\\') || (p.size() >= 2 && p[1] == ':');
  };
  sp::Style style =
      windows(path) ? sp::Style::windows_backslash : sp::Style::posix;
  llvm::SmallString<128> clean(path);
  sp::remove_dots(clean, /*remove_dot_dot=*/false, style);
  llvm::SmallString<128> dir(cwd);
  sp::remove_dots(dir, /*remove_dot_dot=*/false, style);
  llvm::StringRef name = clean, under = dir;
  while (under.size() > 1 && sp::is_separator(under.back(), style))
    under = under.drop_back();
  bool in = !under.empty() && name.size() > under.size() &&
            sp::is_separator(name[under.size()], style) &&
            (style == sp::Style::posix
                 ? name.starts_with(under)
                 : name.take_front(under.size()).equals_insensitive(under));
  if (in)
    name = name.drop_front(under.size() + 1);
  return name.str();
}

} // namespace slimlink::coff
