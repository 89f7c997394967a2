// Hand-made inputs of `slimlink size` for unit tests: layouts, no files.
#pragma once

#include "passes/size.h"

#include <cstdint>
#include <string>
#include <utility>

namespace slimlink::test {

// A file of one image of `size` bytes: an ELF header and one loaded segment
// (read, execute) of the whole file at `vmBase`. A test adds the sections
// and symbols to images[0].layout.
inline SizeFile oneImageFile(std::string path, uint64_t size, uint64_t vmBase) {
  SizeFile f;
  f.path = std::move(path);
  f.size = size;
  SizeImage img;
  img.size = size;
  Layout &l = img.layout;
  l.fileSize = size;
  l.segments = {{"LOAD #0 [R-X]", {0, size}, {vmBase, size}}};
  l.headers = {{"[ELF header]", {0, 0x40}, {vmBase, 0x40}}};
  f.images.push_back(std::move(img));
  return f;
}

} // namespace slimlink::test
