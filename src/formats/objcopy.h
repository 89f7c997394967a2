// Runs LLVM's ObjCopy on one object with an ObjectEdit. The formats' edges
// call it for what ObjCopy can express and add their own steps around it.
#pragma once

#include "formats/object_edit.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ObjCopy/CommonConfig.h"

namespace slimlink {

// What a format adds to the config the edit makes (llvm-objcopy's split:
// CommonConfig, then each format's own): ELF's section types.
using ObjcopyFormatStep = llvm::function_ref<void(llvm::objcopy::CommonConfig &)>;

// `extraRemovals`: wildcard patterns of sections to remove besides the
// edit's own (the format's names for strip's requests). Returns an error
// message, or "" with the new object in `out`.
std::string runObjcopy(llvm::StringRef bytes, llvm::StringRef name,
                       const ObjectEdit &edit,
                       llvm::ArrayRef<std::string> extraRemovals,
                       std::string &out, ObjcopyFormatStep formatStep = {});

} // namespace slimlink
