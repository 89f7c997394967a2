#include "passes/strip.h"

namespace slimlink {

ObjectEdit planStrip(const StripOptions &opts) {
  ObjectEdit edit;
  edit.stripDebug = !opts.keepDebug;
  // Which sections these are is each format's business (formats/).
  edit.stripBitcode = true;
  edit.stripComments = true;
  return edit;
}

} // namespace slimlink
