#include "passes/strip.h"

namespace slimlink {

ObjectEdit planStrip(const StripOptions &opts) {
  ObjectEdit edit;
  edit.stripDebug = !opts.keepDebug;
  // .llvmbc/.llvmcmd: rustc's embedded bitcode, read only by rustc's own LTO
  // from rlibs, never by a linker. .comment: compiler version strings.
  edit.removeSections = {".llvmbc", ".llvmcmd", ".comment"};
  return edit;
}

} // namespace slimlink
