// Writes the cut object (cut_parts.h) the way LLVM lays out objects: header,
// load commands, each section's contents at the data start plus its
// address, relocations section by section, data-in-code entries, symbols,
// optimization hints, strings. Load commands keep their order and bytes
// but for the sizes and offsets that changed.
#include "formats/macho/cut_parts.h"

#include "llvm/Support/Endian.h"
#include "llvm/Support/MathExtras.h"

#include <cstring>

namespace slimlink::macho {

namespace MachO = llvm::MachO;

namespace {

template <class T> void put(std::string &out, uint64_t at, const T &v) {
  std::memcpy(out.data() + at, &v, sizeof(T));
}
template <class T> T get(llvm::StringRef data, uint64_t at) {
  T v;
  std::memcpy(&v, data.data() + at, sizeof(T));
  return v;
}

struct Tables {
  std::vector<MachO::nlist_64> symbols;
  std::string strings;
  uint32_t locals = 0, extdefs = 0, undefs = 0;
};

// Kept symbols in their old order, with new values; names in a new table.
Tables symbolTables(const Cut &c) {
  const Object &o = c.o;
  Tables t;
  t.strings.push_back('\0');
  for (uint32_t i = 0; i < o.symbols.size(); ++i) {
    if (c.symbolIndex[i] < 0)
      continue;
    MachO::nlist_64 n = o.symbols[i];
    if ((n.n_type & MachO::N_TYPE) == MachO::N_SECT)
      n.n_value = *c.map(n.n_sect - 1, n.n_value);
    llvm::StringRef name = o.symbolName(i);
    n.n_strx = name.empty() ? 0 : t.strings.size();
    if (!name.empty()) {
      t.strings.append(name.data(), name.size());
      t.strings.push_back('\0');
    }
    t.symbols.push_back(n);
    if (i < o.dysymtab.iextdefsym)
      ++t.locals;
    else if (i < o.dysymtab.iundefsym)
      ++t.extdefs;
    else
      ++t.undefs;
  }
  t.strings.resize(llvm::alignTo(t.strings.size(), 8), '\0');
  return t;
}

uint32_t rawInfo(const Cut &c, const Reloc &r) {
  uint32_t info = r.raw[1];
  if (r.external && !isAddend(c.o, r))
    info = (info & ~0xffffffu) | uint32_t(c.symbolIndex[r.symbol]);
  return info;
}

} // namespace

std::string writeObject(const Cut &c, std::string &out) {
  const Object &o = c.o;
  Tables tables = symbolTables(c);

  uint32_t ncmds = o.commands.size(), sizeofcmds = o.header.sizeofcmds;
  uint64_t dataStart = sizeof(MachO::mach_header_64) + sizeofcmds;
  uint64_t dataEnd = dataStart, vmEnd = 0;
  for (uint32_t s = 0; s < o.sections.size(); ++s) {
    const NewSection &ns = c.sections[s];
    vmEnd = std::max(vmEnd, ns.addr + ns.size);
    if (!o.sections[s].zeroFill())
      dataEnd = std::max(dataEnd, dataStart + ns.addr + ns.size);
  }
  uint64_t relocStart = llvm::alignTo(dataEnd, 4), at = relocStart;
  std::vector<uint64_t> reloff(o.sections.size());
  for (uint32_t s = 0; s < o.sections.size(); ++s) {
    reloff[s] = c.sections[s].relocs.empty() ? 0 : at;
    at += 8 * c.sections[s].relocs.size();
  }
  uint64_t dicStart = at;
  at += c.dataInCode.size() * sizeof(MachO::data_in_code_entry);
  uint64_t hintStart = llvm::alignTo(at, 8);
  uint64_t symStart = hintStart + c.hints.size();
  uint64_t strStart = symStart + tables.symbols.size() * sizeof(MachO::nlist_64);
  uint64_t fileEnd = strStart + tables.strings.size();
  if (fileEnd > UINT32_MAX)
    return "cut object larger than 4 GiB";
  out.assign(fileEnd, '\0');

  MachO::mach_header_64 h = o.header;
  h.ncmds = ncmds, h.sizeofcmds = sizeofcmds;
  put(out, 0, h);
  uint64_t cmdAt = sizeof(h);
  for (const Command &cmd : o.commands) {
    std::memcpy(out.data() + cmdAt, o.data.data() + cmd.offset, cmd.size);
    if (cmd.cmd == MachO::LC_SEGMENT_64) {
      auto seg = get<MachO::segment_command_64>(o.data, cmd.offset);
      seg.vmsize = vmEnd, seg.fileoff = dataStart, seg.filesize = dataEnd - dataStart;
      put(out, cmdAt, seg);
      for (uint32_t s = 0; s < o.sections.size(); ++s) {
        uint64_t hAt = o.sections[s].header - cmd.offset + cmdAt;
        auto sh = get<MachO::section_64>(o.data, o.sections[s].header);
        const NewSection &ns = c.sections[s];
        sh.addr = ns.addr, sh.size = ns.size;
        if (!o.sections[s].zeroFill())
          sh.offset = uint32_t(dataStart + ns.addr);
        sh.reloff = uint32_t(reloff[s]), sh.nreloc = ns.relocs.size();
        put(out, hAt, sh);
      }
    } else if (cmd.cmd == MachO::LC_SYMTAB) {
      MachO::symtab_command st = o.symtab;
      st.symoff = symStart, st.nsyms = tables.symbols.size();
      st.stroff = strStart, st.strsize = tables.strings.size();
      put(out, cmdAt, st);
    } else if (cmd.cmd == MachO::LC_DYSYMTAB) {
      MachO::dysymtab_command d = o.dysymtab;
      d.ilocalsym = 0, d.nlocalsym = tables.locals;
      d.iextdefsym = tables.locals, d.nextdefsym = tables.extdefs;
      d.iundefsym = tables.locals + tables.extdefs, d.nundefsym = tables.undefs;
      put(out, cmdAt, d);
    } else if (cmd.cmd == MachO::LC_LINKER_OPTIMIZATION_HINT) {
      MachO::linkedit_data_command d = o.hints;
      d.dataoff = hintStart, d.datasize = c.hints.size();
      put(out, cmdAt, d);
    } else if (cmd.cmd == MachO::LC_DATA_IN_CODE) {
      MachO::linkedit_data_command d = o.dataInCode;
      d.dataoff = dicStart;
      d.datasize = c.dataInCode.size() * sizeof(MachO::data_in_code_entry);
      put(out, cmdAt, d);
    }
    cmdAt += cmd.size;
  }

  for (uint32_t s = 0; s < o.sections.size(); ++s) {
    const NewSection &ns = c.sections[s];
    std::memcpy(out.data() + dataStart + ns.addr, ns.contents.data(),
                ns.contents.size());
    for (size_t k = 0; k < ns.relocs.size(); ++k) {
      llvm::support::endian::write32le(out.data() + reloff[s] + 8 * k,
                                       ns.relocs[k].address);
      llvm::support::endian::write32le(out.data() + reloff[s] + 8 * k + 4,
                                       rawInfo(c, ns.relocs[k]));
    }
  }
  for (size_t k = 0; k < c.dataInCode.size(); ++k)
    put(out, dicStart + k * sizeof(MachO::data_in_code_entry), c.dataInCode[k]);
  for (size_t k = 0; k < tables.symbols.size(); ++k)
    put(out, symStart + k * sizeof(MachO::nlist_64), tables.symbols[k]);
  std::memcpy(out.data() + hintStart, c.hints.data(), c.hints.size());
  std::memcpy(out.data() + strStart, tables.strings.data(), tables.strings.size());
  return {};
}

} // namespace slimlink::macho
