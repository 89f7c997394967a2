// The sizes of a PDB's types. The records are read in order, once (no
// hash stream is trusted to find them); each is deserialized, checked, when
// asked for.
#include "formats/coff/pdb_types.h"
#include "support/diagnostics.h"

#include "llvm/DebugInfo/CodeView/TypeDeserializer.h"
#include "llvm/DebugInfo/CodeView/TypeRecord.h"
#include "llvm/DebugInfo/CodeView/TypeRecordHelpers.h"
#include "llvm/DebugInfo/PDB/Native/PDBFile.h"
#include "llvm/DebugInfo/MSF/MappedBlockStream.h"
#include "llvm/DebugInfo/PDB/Native/RawConstants.h"
#include "llvm/DebugInfo/PDB/Native/RawTypes.h"
#include "llvm/Support/BinaryStreamReader.h"

namespace slimlink::coff {

using namespace llvm::codeview;

namespace {

// A record of `type`'s kind, if its bytes deserialize as one.
template <class Record> std::optional<Record> as(CVType type) {
  Record r(static_cast<TypeRecordKind>(type.kind()));
  if (llvm::Error e = TypeDeserializer::deserializeAs(type, r)) {
    llvm::consumeError(std::move(e));
    return std::nullopt;
  }
  return r;
}

bool isClass(TypeLeafKind k) {
  return k == LF_STRUCTURE || k == LF_CLASS || k == LF_INTERFACE;
}

// An aggregate's name as its forward references name it, whether it is a
// definition, and its size.
struct Aggregate {
  llvm::StringRef key;
  bool forwardRef;
  uint64_t size;
};

std::optional<Aggregate> aggregate(CVType type) {
  auto of = [](const TagRecord &r, uint64_t size) {
    return Aggregate{r.hasUniqueName() ? r.getUniqueName() : r.getName(),
                     r.isForwardRef(), size};
  };
  if (isClass(type.kind())) {
    if (auto r = as<ClassRecord>(type))
      return of(*r, r->getSize());
  } else if (type.kind() == LF_UNION) {
    if (auto r = as<UnionRecord>(type))
      return of(*r, r->getSize());
  }
  return std::nullopt;
}

} // namespace

PdbTypeSizes::PdbTypeSizes() = default;
PdbTypeSizes::~PdbTypeSizes() = default;

// The TPI stream's header and records, read here: LLVM's TpiStream also
// loads the hash stream's adjusters, a hash table whose load allocates
// what a damaged capacity says (as the info stream's named stream map).
std::string PdbTypeSizes::read(llvm::pdb::PDBFile &file) {
  if (!file.hasPDBTpiStream())
    return {};
  auto stream = file.safelyCreateIndexedStream(llvm::pdb::StreamTPI);
  if (!stream)
    return "PDB type stream: " + takeMessage(stream.takeError());
  this->stream = std::move(*stream);
  llvm::BinaryStreamReader reader(*this->stream);
  const llvm::pdb::TpiStreamHeader *header = nullptr;
  CVTypeArray records;
  if (llvm::Error e = reader.readObject(header))
    return "PDB type stream: " + takeMessage(std::move(e));
  if (header->HeaderSize < sizeof(*header))
    return "PDB type stream: a header of " +
           std::to_string(header->HeaderSize) + " bytes";
  reader.setOffset(header->HeaderSize);
  if (llvm::Error e = reader.readArray(records, header->TypeRecordBytes))
    return "PDB type stream: " + takeMessage(std::move(e));
  begin = header->TypeIndexBegin;
  bool bad = false;
  for (auto it = records.begin(&bad), end = records.end(); it != end; ++it) {
    types.push_back(*it);
    if (std::optional<Aggregate> a = aggregate(*it); a && !a->forwardRef)
      definitions.try_emplace(a->key, a->size);
  }
  if (bad)
    return "PDB type stream: malformed type records";
  return {};
}

uint64_t PdbTypeSizes::of(TypeIndex ti, int depth) const {
  if (ti.isSimple())
    return getSizeInBytesForTypeIndex(ti);
  // Modifiers and enums lead to another type: a damaged PDB may loop.
  if (depth > 8 || ti.getIndex() < begin || ti.getIndex() - begin >= types.size())
    return 0;
  CVType t = types[ti.getIndex() - begin];
  switch (t.kind()) {
  case LF_ARRAY:
    if (auto r = as<ArrayRecord>(t))
      return r->getSize();
    return 0;
  case LF_POINTER:
    if (auto r = as<PointerRecord>(t))
      return r->getSize();
    return 0;
  case LF_MODIFIER:
    if (auto r = as<ModifierRecord>(t))
      return of(r->getModifiedType(), depth + 1);
    return 0;
  case LF_ENUM:
    if (auto r = as<EnumRecord>(t))
      return of(r->getUnderlyingType(), depth + 1);
    return 0;
  default:
    if (std::optional<Aggregate> a = aggregate(t)) {
      if (!a->forwardRef)
        return a->size;
      auto it = definitions.find(a->key);
      return it == definitions.end() ? 0 : it->second;
    }
    return 0;
  }
}

} // namespace slimlink::coff
