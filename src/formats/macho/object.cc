// Reads a Mach-O relocatable object for the atom cutter (object.h).
#include "formats/macho/object.h"

#include "llvm/Support/Endian.h"
#include "llvm/Support/LEB128.h"

#include "llvm/ADT/STLExtras.h"

#include <cstring>
#include <map>

namespace slimlink::macho {

namespace MachO = llvm::MachO;
using llvm::StringRef;
using llvm::support::endian::read32le;
using llvm::support::endian::read64le;

bool Section::zeroFill() const {
  uint32_t t = type();
  return t == MachO::S_ZEROFILL || t == MachO::S_GB_ZEROFILL ||
         t == MachO::S_THREAD_LOCAL_ZEROFILL;
}

// __LD,__compact_unwind carries S_ATTR_DEBUG too (no linked image keeps
// it), but it is the linker's input, not debug info.
bool Section::debug() const {
  return ((flags & MachO::S_ATTR_DEBUG) && segment != "__LD") ||
         segment == "__DWARF";
}

bool Section::exec() const {
  return flags & (MachO::S_ATTR_PURE_INSTRUCTIONS | MachO::S_ATTR_SOME_INSTRUCTIONS);
}

StringRef Object::symbolName(uint32_t i) const {
  uint32_t x = symbols[i].n_strx;
  return x < strings.size() ? StringRef(strings.data() + x) : StringRef();
}

StringRef Object::contents(uint32_t sec) const {
  const Section &s = sections[sec];
  return s.zeroFill() ? StringRef() : data.substr(s.offset, s.size);
}

int Object::sectionAt(uint64_t addr) const {
  int found = -1;
  for (uint32_t i = 0; i < sections.size(); ++i) {
    const Section &s = sections[i];
    if (addr >= s.addr && addr < s.end())
      return i;
    if (addr == s.end() && found < 0)
      found = i;
  }
  return found;
}

bool isAddend(const Object &obj, const Reloc &r) {
  return obj.arm64() && r.type == MachO::ARM64_RELOC_ADDEND;
}

bool isSubtractor(const Object &obj, const Reloc &r) {
  return r.type == (obj.arm64() ? MachO::ARM64_RELOC_SUBTRACTOR
                                : MachO::X86_64_RELOC_SUBTRACTOR);
}

uint64_t readField(const char *p, uint8_t size, bool isSigned) {
  if (size == 8)
    return read64le(p);
  uint32_t v = read32le(p);
  return isSigned ? uint64_t(int64_t(int32_t(v))) : v;
}

void writeField(char *p, uint8_t size, uint64_t value) {
  // Little-endian on a little-endian host (parseObject checks both).
  if (size == 8) {
    std::memcpy(p, &value, 8);
  } else {
    uint32_t v = uint32_t(value);
    std::memcpy(p, &v, 4);
  }
}

// x86_64's pc-relative kinds count from the end of the 4-byte field, and
// SIGNED_N from N bytes further (an immediate follows the displacement).
static std::optional<int> pcBias(uint8_t type) {
  switch (type) {
  case MachO::X86_64_RELOC_SIGNED:
  case MachO::X86_64_RELOC_BRANCH:
    return 4;
  case MachO::X86_64_RELOC_SIGNED_1:
    return 5;
  case MachO::X86_64_RELOC_SIGNED_2:
    return 6;
  case MachO::X86_64_RELOC_SIGNED_4:
    return 8;
  }
  return std::nullopt;
}

std::optional<uint64_t> localTarget(const Object &obj, uint32_t sec,
                                    const Reloc &r, StringRef contents) {
  if (r.external || isAddend(obj, r) || isSubtractor(obj, r))
    return std::nullopt;
  uint32_t size = 1u << r.length;
  if (r.address + uint64_t(size) > contents.size())
    return std::nullopt;
  const char *p = contents.data() + r.address;
  if (r.type == 0 && !r.pcrel && (size == 4 || size == 8)) // *_RELOC_UNSIGNED
    return readField(p, size, false);
  if (obj.arm64() || !r.pcrel || size != 4)
    return std::nullopt;
  std::optional<int> bias = pcBias(r.type);
  if (!bias)
    return std::nullopt;
  return obj.sections[sec].addr + r.address + *bias + int64_t(int32_t(read32le(p)));
}

void setLocalTarget(const Object &obj, const Reloc &r, uint64_t fieldAddr,
                    uint64_t target, char *field) {
  if (r.type == 0 && !r.pcrel) {
    writeField(field, 1u << r.length, target);
    return;
  }
  writeField(field, 4, target - (fieldAddr + *pcBias(r.type)));
}

namespace {

template <class T> bool readStruct(StringRef data, uint64_t off, T &out) {
  if (off > data.size() || data.size() - off < sizeof(T))
    return false;
  std::memcpy(&out, data.data() + off, sizeof(T));
  return true;
}

bool inFile(StringRef data, uint64_t off, uint64_t size) {
  return off <= data.size() && size <= data.size() - off;
}

std::string readSegment(Object &o, const Command &c) {
  MachO::segment_command_64 seg;
  if (!readStruct(o.data, c.offset, seg) ||
      c.size != sizeof(seg) + uint64_t(seg.nsects) * sizeof(MachO::section_64))
    return "segment command of unexpected size";
  for (uint32_t i = 0; i < seg.nsects; ++i) {
    uint32_t at = c.offset + sizeof(seg) + i * sizeof(MachO::section_64);
    MachO::section_64 h;
    readStruct(o.data, at, h);
    Section s;
    s.segment = StringRef(o.data.data() + at + 16, strnlen(h.segname, 16));
    s.name = StringRef(o.data.data() + at, strnlen(h.sectname, 16));
    s.addr = h.addr, s.size = h.size, s.offset = h.offset, s.align = h.align;
    s.reloff = h.reloff, s.nreloc = h.nreloc, s.flags = h.flags, s.header = at;
    if (s.align > 15)
      return "section alignment 2^" + std::to_string(s.align);
    if (!s.zeroFill() && !inFile(o.data, s.offset, s.size))
      return "section contents outside the file";
    if (!inFile(o.data, s.reloff, uint64_t(s.nreloc) * 8))
      return "relocations outside the file";
    if (s.addr < seg.vmaddr || s.end() > seg.vmaddr + seg.vmsize)
      return "section outside its segment";
    o.sections.push_back(s);
  }
  if (seg.vmaddr != 0)
    return "segment not at address 0";
  // Sections may come in any order (LLVM puts zero-fill ones last in the
  // address space, wherever their headers are), but must not overlap.
  for (uint32_t i = 0; i < o.sections.size(); ++i)
    o.byAddress.push_back(i);
  llvm::stable_sort(o.byAddress, [&](uint32_t a, uint32_t b) {
    return o.sections[a].addr < o.sections[b].addr;
  });
  for (size_t k = 1; k < o.byAddress.size(); ++k)
    if (o.sections[o.byAddress[k]].addr < o.sections[o.byAddress[k - 1]].end())
      return "overlapping sections";
  return {};
}

bool knownCommand(uint32_t cmd) {
  switch (cmd) {
  case MachO::LC_SEGMENT_64:
  case MachO::LC_SYMTAB:
  case MachO::LC_DYSYMTAB:
  case MachO::LC_BUILD_VERSION:
  case MachO::LC_VERSION_MIN_MACOSX:
  case MachO::LC_VERSION_MIN_IPHONEOS:
  case MachO::LC_VERSION_MIN_TVOS:
  case MachO::LC_VERSION_MIN_WATCHOS:
  case MachO::LC_LINKER_OPTION:
  case MachO::LC_DATA_IN_CODE:
  case MachO::LC_LINKER_OPTIMIZATION_HINT:
    return true;
  }
  return false;
}

std::string readCommands(Object &o) {
  uint64_t off = sizeof(MachO::mach_header_64);
  uint64_t end = off + o.header.sizeofcmds;
  if (!inFile(o.data, 0, end))
    return "load commands outside the file";
  int segments = 0;
  for (uint32_t i = 0; i < o.header.ncmds; ++i) {
    MachO::load_command lc;
    if (off + 8 > end || !readStruct(o.data, off, lc) || lc.cmdsize < 8 ||
        lc.cmdsize > end - off)
      return "malformed load command";
    Command c{uint32_t(off), lc.cmd, lc.cmdsize};
    if (!knownCommand(lc.cmd))
      return "load command " + std::to_string(lc.cmd);
    o.commands.push_back(c);
    std::string err;
    if (lc.cmd == MachO::LC_SEGMENT_64) {
      ++segments;
      err = readSegment(o, c);
    } else if (lc.cmd == MachO::LC_SYMTAB) {
      o.hasSymtab = readStruct(o.data, off, o.symtab);
    } else if (lc.cmd == MachO::LC_DYSYMTAB) {
      if (!readStruct(o.data, off, o.dysymtab))
        err = "short dysymtab";
    } else if (lc.cmd == MachO::LC_LINKER_OPTIMIZATION_HINT) {
      o.hasHints = readStruct(o.data, off, o.hints);
      if (!o.hasHints || !inFile(o.data, o.hints.dataoff, o.hints.datasize))
        err = "malformed optimization hints";
    } else if (lc.cmd == MachO::LC_DATA_IN_CODE) {
      o.hasDataInCode = readStruct(o.data, off, o.dataInCode);
      if (!o.hasDataInCode ||
          !inFile(o.data, o.dataInCode.dataoff, o.dataInCode.datasize) ||
          o.dataInCode.datasize % sizeof(MachO::data_in_code_entry))
        err = "malformed data-in-code table";
    }
    if (!err.empty())
      return err;
    off += lc.cmdsize;
  }
  if (segments != 1)
    return std::to_string(segments) + " segments";
  return {};
}

std::string readSymbols(Object &o) {
  if (!o.hasSymtab)
    return "no symbol table";
  const auto &st = o.symtab;
  if (!inFile(o.data, st.symoff, uint64_t(st.nsyms) * sizeof(MachO::nlist_64)) ||
      !inFile(o.data, st.stroff, st.strsize) || st.strsize == 0 ||
      o.data[st.stroff + st.strsize - 1] != '\0')
    return "malformed symbol table";
  o.strings = o.data.substr(st.stroff, st.strsize);
  o.symbols.resize(st.nsyms);
  for (uint32_t i = 0; i < st.nsyms; ++i) {
    MachO::nlist_64 &n = o.symbols[i];
    readStruct(o.data, st.symoff + i * uint64_t(sizeof(n)), n);
    if (n.n_strx >= st.strsize)
      return "symbol name outside the string table";
    if (n.n_type & MachO::N_STAB)
      return "debugging (stab) symbols";
    if ((n.n_type & MachO::N_TYPE) == MachO::N_SECT) {
      if (n.n_sect == 0 || n.n_sect > o.sections.size())
        return "symbol in a missing section";
      const Section &s = o.sections[n.n_sect - 1];
      if (n.n_value < s.addr || n.n_value > s.end())
        return "symbol outside its section";
    }
  }
  // The cutter keeps symbols in their three runs: local, defined external,
  // undefined; the dynamic-linking tables an object never has must be empty.
  const auto &d = o.dysymtab;
  if (d.cmd != MachO::LC_DYSYMTAB)
    return "no dysymtab";
  if (d.ilocalsym != 0 || d.iextdefsym != d.nlocalsym ||
      d.iundefsym != d.iextdefsym + d.nextdefsym ||
      d.iundefsym + uint64_t(d.nundefsym) != st.nsyms)
    return "symbol runs out of order";
  if (d.ntoc || d.nmodtab || d.nextrefsyms || d.nindirectsyms || d.nextrel ||
      d.nlocrel)
    return "dynamic-linking tables in an object";
  return {};
}

bool validType(const Object &o, const Reloc &r) {
  return r.type <= (o.arm64() ? MachO::ARM64_RELOC_ADDEND : MachO::X86_64_RELOC_TLV);
}

std::string readRelocs(Object &o) {
  o.relocs.resize(o.sections.size());
  for (uint32_t s = 0; s < o.sections.size(); ++s) {
    const Section &sec = o.sections[s];
    for (uint32_t k = 0; k < sec.nreloc; ++k) {
      const char *p = o.data.data() + sec.reloff + 8 * k;
      Reloc r;
      r.raw[0] = read32le(p), r.raw[1] = read32le(p + 4);
      if (r.raw[0] & MachO::R_SCATTERED)
        return "scattered relocation";
      r.address = r.raw[0];
      r.symbol = r.raw[1] & 0xffffff;
      r.pcrel = (r.raw[1] >> 24) & 1;
      r.length = (r.raw[1] >> 25) & 3;
      r.external = (r.raw[1] >> 27) & 1;
      r.type = r.raw[1] >> 28;
      if (sec.debug()) { // emptied whenever the object is cut: not read
        o.relocs[s].push_back(r);
        continue;
      }
      if (!validType(o, r) || r.address + (1ull << r.length) > sec.size)
        return "unknown relocation in " + sec.name.str();
      if (isAddend(o, r)) {
        // Names no symbol; the relocation after it (same place) does.
      } else if (r.external) {
        if (r.symbol >= o.symbols.size())
          return "relocation names a missing symbol";
      } else if (isSubtractor(o, r)) {
        return "section-relative subtractor relocation";
      } else if (r.symbol == 0 || r.symbol > o.sections.size() ||
                 !localTarget(o, s, r, o.contents(s))) {
        return "section-relative relocation of kind " + std::to_string(r.type);
      }
      o.relocs[s].push_back(r);
    }
  }
  return {};
}

// DWARF's pointer encodings, as far as __eh_frame on Apple uses them.
struct Encoding {
  uint8_t size = 0;
  bool pcrel = false, isSigned = false;
};

std::optional<Encoding> decode(uint8_t enc) {
  Encoding e;
  switch (enc & 0x0f) {
  case 0x00: e.size = 8; break; // absptr
  case 0x03: e.size = 4; break; // udata4
  case 0x04: e.size = 8; break; // udata8
  case 0x0b: e.size = 4, e.isSigned = true; break; // sdata4
  case 0x0c: e.size = 8, e.isSigned = true; break; // sdata8
  default: return std::nullopt;
  }
  uint8_t app = enc & 0x70;
  if (app != 0x00 && app != 0x10)
    return std::nullopt;
  e.pcrel = app == 0x10;
  return e; // 0x80 (indirect) still points at an address in the link
}

struct Cie {
  std::optional<Encoding> fde, lsda;
  bool augmented = false;
};

class EhReader {
public:
  EhReader(Object &o, uint32_t sec) : o(o), sec(sec), d(o.contents(sec)) {}

  std::string read() {
    for (uint64_t off = 0; off < d.size();) {
      if (d.size() - off < 8)
        return "truncated __eh_frame";
      uint64_t len = read32le(d.data() + off);
      if (len == 0xffffffff || len < 4 || len > d.size() - off - 4)
        return "unsupported __eh_frame record";
      uint32_t id = read32le(d.data() + off + 4);
      EhRecord rec;
      rec.offset = off, rec.size = len + 4;
      std::string err = id == 0 ? readCie(rec) : readFde(rec, id);
      if (!err.empty())
        return err;
      o.eh.push_back(rec);
      off += rec.size;
    }
    return {};
  }

private:
  bool hasReloc(uint64_t off) const {
    for (const Reloc &r : o.relocs[sec])
      if (r.address == off)
        return true;
    return false;
  }

  // A pointer field: a relocation says where it points, or it is implicit.
  std::string field(uint64_t off, Encoding e, std::optional<uint64_t> *target) {
    if (off + e.size > d.size())
      return "truncated __eh_frame pointer";
    if (hasReloc(off))
      return {};
    uint64_t v = readField(d.data() + off, e.size, e.isSigned);
    uint64_t t = (e.pcrel ? o.sections[sec].addr + off : 0) + v;
    o.implicits.push_back({sec, off, e.size, e.pcrel, e.isSigned, t});
    if (target)
      *target = t;
    return {};
  }

  std::string readCie(EhRecord &rec) {
    rec.cie = true;
    const char *p = d.data() + rec.offset + 8, *end = d.data() + rec.offset + rec.size;
    const char *err = nullptr;
    auto uleb = [&] {
      unsigned n = 0;
      uint64_t v = llvm::decodeULEB128((const uint8_t *)p, &n, (const uint8_t *)end, &err);
      p += n;
      return v;
    };
    uint8_t version = *p++;
    StringRef aug(p, strnlen(p, end - p));
    p += aug.size() + 1;
    if (aug.contains("eh") || p >= end)
      return "unsupported CIE augmentation";
    uleb(); // code alignment
    unsigned n = 0;
    llvm::decodeSLEB128((const uint8_t *)p, &n, (const uint8_t *)end, &err);
    p += n;
    if (version == 1)
      ++p;
    else
      uleb();
    Cie cie;
    if (aug.starts_with("z")) {
      cie.augmented = true;
      uleb();
      for (char c : aug.drop_front()) {
        if (p >= end || err)
          return "truncated CIE";
        if (c == 'R') {
          cie.fde = decode(uint8_t(*p++));
          if (!cie.fde)
            return "unsupported FDE pointer encoding";
        } else if (c == 'L') {
          uint8_t enc = uint8_t(*p++);
          if (enc != 0xff && !(cie.lsda = decode(enc)))
            return "unsupported LSDA encoding";
        } else if (c == 'P') {
          std::optional<Encoding> e = decode(uint8_t(*p++));
          if (!e)
            return "unsupported personality encoding";
          if (std::string s = field(p - d.data(), *e, nullptr); !s.empty())
            return s;
          p += e->size;
        } else if (c != 'S' && c != 'B') {
          return "unsupported CIE augmentation";
        }
      }
    }
    if (err)
      return "truncated CIE";
    if (!cie.fde)
      cie.fde = Encoding{8, false, false};
    cies[rec.offset] = cie;
    return {};
  }

  std::string readFde(EhRecord &rec, uint32_t id) {
    uint64_t at = rec.offset + 4; // the CIE pointer counts from here
    if (id > at || !cies.count(at - id))
      return "FDE without its CIE";
    rec.cieOffset = at - id;
    const Cie &cie = cies[rec.cieOffset];
    uint64_t off = rec.offset + 8;
    rec.pcBeginOffset = off;
    if (std::string s = field(off, *cie.fde, &rec.function); !s.empty())
      return s;
    off += 2 * cie.fde->size; // pc_begin, pc_range
    if (cie.augmented && cie.lsda) {
      unsigned n = 0;
      const char *err = nullptr;
      llvm::decodeULEB128((const uint8_t *)d.data() + off, &n,
                          (const uint8_t *)d.data() + rec.offset + rec.size, &err);
      if (err)
        return "truncated FDE";
      off += n;
      std::optional<uint64_t> lsda;
      if (std::string s = field(off, *cie.lsda, &lsda); !s.empty())
        return s;
      if (lsda && *lsda == (cie.lsda->pcrel ? o.sections[sec].addr + off : 0))
        o.implicits.pop_back(); // a null LSDA pointer points nowhere
    }
    if (off > rec.offset + rec.size)
      return "truncated FDE";
    return {};
  }

  Object &o;
  uint32_t sec;
  StringRef d;
  std::map<uint64_t, Cie> cies;
};

std::string readUnwind(Object &o) {
  for (uint32_t s = 0; s < o.sections.size(); ++s) {
    const Section &sec = o.sections[s];
    if (sec.is("__TEXT", "__eh_frame")) {
      o.ehFrame = s;
      if (std::string err = EhReader(o, s).read(); !err.empty())
        return err;
    } else if (sec.is("__LD", "__compact_unwind")) {
      o.compactUnwind = s;
      if (sec.size % 32)
        return "compact unwind entries of unexpected size";
      // Each 32-byte entry names its function at its offset 0.
      std::vector<bool> named(sec.size / 32);
      for (const Reloc &r : o.relocs[s])
        if (r.address % 32 == 0 && r.type == 0 && r.length == 3)
          named[r.address / 32] = true;
      if (llvm::is_contained(named, false))
        return "compact unwind entry without its function";
    }
  }
  return {};
}

} // namespace

std::string parseObject(StringRef data, Object &o) {
  o = Object();
  o.data = data;
  if (!llvm::sys::IsLittleEndianHost)
    return "big-endian host";
  if (!readStruct(data, 0, o.header) || o.header.magic != MachO::MH_MAGIC_64)
    return "not a 64-bit little-endian Mach-O file";
  if (o.header.filetype != MachO::MH_OBJECT)
    return "not a relocatable object";
  if (o.header.cputype != MachO::CPU_TYPE_X86_64 &&
      o.header.cputype != MachO::CPU_TYPE_ARM64)
    return "CPU type " + std::to_string(o.header.cputype);
  for (auto step : {readCommands, readSymbols, readRelocs, readUnwind})
    if (std::string err = step(o); !err.empty())
      return err;
  return {};
}

} // namespace slimlink::macho
