// verify: prove that a set of output libraries links and resolves like the
// inputs did. Three checks:
//  - every API symbol the inputs defined is still defined by some output;
//  - no reference is left unresolved that the inputs resolved among
//    themselves (the outputs may rely on libc & co. exactly as the inputs did);
//  - no two outputs define the same strong global in members a linker could
//    both pull in (see verify.cc for the rule);
//  - every __start_SEC/__stop_SEC table (registries) that a program calling
//    the API links from the outputs holds as many bytes of sections SEC as
//    with the inputs (passes/liveness decides what that program links);
//  - the outputs name no more routines than their format lets one program
//    use (Mach-O: 3 personality routines) where the inputs stayed in bounds.
#pragma once

#include "passes/api.h"

#include <string>
#include <vector>

namespace slimlink {

struct VerifyProblem {
  enum Kind { MissingApi, NewUndefined, DuplicateStrong, MissingStartStopSection,
              TooManyPersonalities } kind;
  std::string symbol;
  std::vector<std::string> libs; // where it is defined / referenced
};

const char *kindName(VerifyProblem::Kind k);

struct VerifyResult {
  size_t apiSymbols = 0;
  std::vector<VerifyProblem> problems; // sorted: kind, then symbol
};

VerifyResult verifyLibraries(const InputSet &before, const InputSet &after,
                             const ApiSpec &api);

} // namespace slimlink
