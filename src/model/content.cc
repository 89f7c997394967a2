// Which members of a run have identical bytes.
//
// A fingerprint picks the candidates, and a full byte compare decides. The
// fingerprint reads only a member's size, head, tail and a few samples in
// between. Libraries read by readLibraries are compared as they are opened,
// while their bytes sit in a read buffer (ByteClasses): each byte of the
// inputs is read once from the page cache, and only the first copy of each
// content is read again, through its mapping. Models made otherwise (shrink's
// rewritten members, tests) are compared here. (A cryptographic hash would
// do instead of the compare, but it costs more than reading the bytes: LLVM's
// BLAKE3 hashes under 2 GB/s here, memcmp of bytes in cache tens of GB/s.)
#include "model/library.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Parallel.h"
#include "llvm/Support/xxhash.h"

#include <cstring>
#include <map>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22 // Linux 5.14
#endif

namespace slimlink {

uint64_t fingerprintOf(llvm::StringRef data) {
  const size_t edge = 4096, samples = 16, sample = 256;
  if (data.size() <= 2 * edge + samples * sample)
    return llvm::xxh3_64bits(data);
  std::string buf;
  buf.reserve(8 + 2 * edge + samples * sample);
  uint64_t size = data.size();
  buf.append(reinterpret_cast<const char *>(&size), sizeof size);
  buf.append(data.take_front(edge));
  size_t stride = (data.size() - 2 * edge) / samples;
  for (size_t k = 0; k < samples; ++k)
    buf.append(data.substr(edge + k * stride, sample));
  buf.append(data.take_back(edge));
  return llvm::xxh3_64bits(buf);
}

static bool sameBytes(const Member &a, const Member &b) {
  return a.data.size() == b.data.size() &&
         (a.data.data() == b.data.data() ||
          memcmp(a.data.data(), b.data.data(), a.data.size()) == 0);
}

void mapAhead(llvm::StringRef data) {
  static const uintptr_t page = sysconf(_SC_PAGESIZE);
  uintptr_t begin = reinterpret_cast<uintptr_t>(data.begin()) & ~(page - 1);
  uintptr_t end = reinterpret_cast<uintptr_t>(data.end());
  if (begin < end) // best effort: older kernels fault the pages in as read
    madvise(reinterpret_cast<void *>(begin), end - begin, MADV_POPULATE_READ);
}

uint32_t ByteClasses::classify(uint64_t fingerprint, llvm::StringRef bytes,
                               llvm::StringRef kept) {
  std::pair<uint64_t, uint64_t> key{bytes.size(), fingerprint};
  std::vector<std::pair<uint32_t, llvm::StringRef>> candidates;
  size_t seen = 0;
  // Compared outside the lock, so the other threads go on; a class that
  // appeared meanwhile is compared on the next round, before this member
  // may start one: two classes never hold the same bytes.
  for (;;) {
    {
      std::lock_guard<std::mutex> guard(lock);
      auto &classes = byKey[key];
      if (classes.size() == seen) {
        mapAhead(kept); // later members are compared with it
        classes.push_back({count, kept});
        return count++;
      }
      candidates.assign(classes.begin() + seen, classes.end());
      seen = classes.size();
    }
    for (const auto &[id, other] : candidates)
      if (other.data() == bytes.data() ||
          memcmp(other.data(), bytes.data(), bytes.size()) == 0)
        return id;
  }
}

void releasePages(const Library &lib, llvm::StringRef data) {
  if (!lib.file || lib.file->getBufferKind() != llvm::MemoryBuffer::MemoryBuffer_MMap)
    return; // heap memory: DONTNEED would zero it
  static const uintptr_t page = sysconf(_SC_PAGESIZE);
  uintptr_t begin = (reinterpret_cast<uintptr_t>(data.begin()) + page - 1) & ~(page - 1);
  uintptr_t end = reinterpret_cast<uintptr_t>(data.end()) & ~(page - 1);
  if (begin < end)
    madvise(reinterpret_cast<void *>(begin), end - begin, MADV_DONTNEED);
}

void fingerprintMembers(Library &lib) {
  for (Member &m : lib.members)
    m.fingerprint = fingerprintOf(m.data);
  // Once per library: one madvise per member would cost a TLB shootdown
  // each.
  if (lib.file)
    releasePages(lib, lib.file->getBuffer());
  lib.fingerprinted = true;
}

void assignContents(InputSet &in) {
  std::vector<Member *> all;
  std::vector<MemberRef> refs;
  for (uint32_t l = 0; l < in.libs.size(); ++l)
    for (uint32_t i = 0; i < in.libs[l].members.size(); ++i) {
      all.push_back(&in.libs[l].members[i]);
      refs.push_back({l, i});
    }
  llvm::parallelFor(0, in.libs.size(), [&](size_t l) {
    if (!in.libs[l].fingerprinted)
      fingerprintMembers(in.libs[l]);
  });
  // Classified as they were opened: the classes say which bytes are equal,
  // and the numbering below stays what the compares here would give.
  bool byClass = llvm::all_of(in.libs, [](const Library &lib) { return lib.classified; });
  auto same = [&](const Member &a, const Member &b) {
    return byClass ? a.byteClass == b.byteClass : sameBytes(a, b);
  };

  // Pass 1, sequential and cheap: a candidate by (size, fingerprint), so the
  // numbering follows input order whatever the thread count.
  in.contents.clear();
  std::map<std::pair<uint64_t, uint64_t>, std::vector<uint32_t>> byKey;
  std::vector<size_t> toVerify;
  for (size_t k = 0; k < all.size(); ++k) {
    auto &candidates = byKey[{all[k]->size(), all[k]->fingerprint}];
    if (candidates.empty()) {
      candidates.push_back(in.contents.size());
      in.contents.push_back(refs[k]);
    } else {
      toVerify.push_back(k);
    }
    all[k]->content = candidates.front();
  }

  // Pass 2, parallel: the full byte compare against the first such member.
  // In batches of a few libraries: a piece of each first copy is compared
  // with that piece of all its twins in the batch while it is in cache, and
  // then the batch's libraries give their pages back: a twin's pages are
  // read once, the first copies' stay (they are what the passes read).
  std::vector<char> differs(toVerify.size());
  if (byClass)
    for (size_t j = 0; j < toVerify.size(); ++j)
      differs[j] = !same(*all[toVerify[j]], in.at(in.contents[all[toVerify[j]]->content]));
  const size_t batch = 4, chunk = 64 << 10;
  size_t batches = byClass ? 0 : (in.libs.size() + batch - 1) / batch;
  llvm::parallelFor(0, batches, [&](size_t b) {
    size_t firstLib = b * batch, lastLib = std::min(in.libs.size(), firstLib + batch);
    std::map<uint32_t, std::vector<size_t>> twins; // content -> toVerify indices
    // toVerify is in input order: the batch's twins are one run of it.
    auto libOf = [&](size_t k) { return size_t(refs[k].lib); };
    size_t j = llvm::partition_point(toVerify, [&](size_t k) { return libOf(k) < firstLib; }) -
               toVerify.begin();
    for (; j < toVerify.size() && libOf(toVerify[j]) < lastLib; ++j)
      twins[all[toVerify[j]]->content].push_back(j);
    if (twins.empty())
      return;
    for (const auto &[c, js] : twins) {
      const Member &rep = in.at(in.contents[c]);
      for (size_t j : js)
        differs[j] = all[toVerify[j]]->size() != rep.size();
      for (size_t off = 0; off < rep.size(); off += chunk) {
        size_t len = std::min(chunk, rep.size() - off);
        for (size_t j : js)
          if (!differs[j] && all[toVerify[j]]->data.data() != rep.data.data())
            differs[j] = memcmp(all[toVerify[j]]->data.data() + off,
                                rep.data.data() + off, len) != 0;
      }
    }
    for (size_t l = firstLib; l < lastLib; ++l)
      if (in.libs[l].file)
        releasePages(in.libs[l], in.libs[l].file->getBuffer());
  });

  // Pass 3, sequential: equal fingerprints, different bytes. Join an earlier
  // content with the same key and bytes, or start a new one.
  for (size_t j = 0; j < toVerify.size(); ++j) {
    if (!differs[j])
      continue;
    Member &m = *all[toVerify[j]];
    auto &candidates = byKey[{m.size(), m.fingerprint}];
    uint32_t id = UINT32_MAX;
    for (uint32_t c : candidates)
      if (same(m, in.at(in.contents[c]))) {
        id = c;
        break;
      }
    if (id == UINT32_MAX) {
      id = in.contents.size();
      candidates.push_back(id);
      in.contents.push_back(refs[toVerify[j]]);
    }
    m.content = id;
  }
}

} // namespace slimlink
