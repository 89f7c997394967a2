// The top of every verb's JSON report, so that one parser reads them all:
//   {"verb": "prune", "version": "0.1.0", "inputs": [paths],
//    "outputs": [paths], ...the verb's own fields}
#pragma once

#include "support/version.h"

#include "llvm/Support/JSON.h"

#include <string>
#include <vector>

namespace slimlink {

inline void jsonHeader(llvm::json::OStream &j, llvm::StringRef verb,
                       const std::vector<std::string> &inputs,
                       const std::vector<std::string> &outputs) {
  j.attribute("verb", verb);
  j.attribute("version", kVersion);
  j.attributeArray("inputs", [&] {
    for (const std::string &p : inputs)
      j.value(p);
  });
  j.attributeArray("outputs", [&] {
    for (const std::string &p : outputs)
      j.value(p);
  });
}

} // namespace slimlink
