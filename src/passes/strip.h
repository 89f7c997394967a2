// strip: drop what no linker needs from every member — debug info, embedded
// LLVM bitcode (.llvmbc, 45% of a Rust staticlib), compiler command lines and
// .comment — keeping symbols, relocations, unwind tables and the archive index.
#pragma once

#include "formats/object_edit.h"

namespace slimlink {

struct StripOptions {
  bool keepDebug = false;
};

ObjectEdit planStrip(const StripOptions &opts);

} // namespace slimlink
