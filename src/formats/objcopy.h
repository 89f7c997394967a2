// Runs LLVM's ObjCopy on one object with an edit's common part: what
// ObjCopy can express. The formats' edges add their own steps around it
// (ObjectFormat::rewrite, formats/rewrite.cc).
#pragma once

#include "formats/object_edit.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ObjCopy/ConfigManager.h"
#include "llvm/Object/ObjectFile.h"

namespace slimlink {

// What a format adds to the config the edit makes (llvm-objcopy's split:
// CommonConfig, then each format's own): ELF's section types.
using ObjcopyFormatStep = llvm::function_ref<void(llvm::objcopy::ConfigManager &)>;

// `extraRemovals`: wildcard patterns of sections to remove besides the
// edit's own (the format's names for strip's requests). Returns an error
// message, or "" with the new object in `out`.
std::string runObjcopy(llvm::StringRef bytes, llvm::StringRef name,
                       const CommonEdit &edit,
                       llvm::ArrayRef<std::string> extraRemovals,
                       std::string &out, ObjcopyFormatStep formatStep = {});

} // namespace slimlink
