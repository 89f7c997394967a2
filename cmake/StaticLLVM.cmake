# Which LLVM an executable links: the shared libLLVM-19.so (one library, a
# fast link: the tests and the sanitizer builds) or LLVM's static component
# libraries, so that the installed slimlink needs only libc and libstdc++ and
# does not pay for loading and relocating the 129 MB libLLVM at every start
# (most of a small run's time). An executable chooses with its own
# SLIMLINK_STATIC_LLVM property; SLIMLINK_LLVM_LIBS, linked through
# slimlink_core, reads it from the executable being linked.

set(static_default ON)
if(SLIMLINK_SANITIZE OR SLIMLINK_FUZZ)
  set(static_default OFF)  # Debian's LLVM is not instrumented either way
endif()
option(SLIMLINK_STATIC_LLVM
  "Link slimlink and cargo-slimlink with LLVM's static libraries" ${static_default})

# What src/ includes from LLVM; the imported targets bring their own deps.
llvm_map_components_to_libnames(slimlink_llvm_static
  Object ObjCopy DebugInfoDWARF DebugInfoPDB DebugInfoCodeView DebugInfoMSF Demangle Support BinaryFormat TargetParser)

# Debian's LLVMSupport asks for libz3.so (only the static analyzer's SMT
# solver uses it) and for zstd::libzstd_shared, a target that exists only
# with libzstd-dev. Link zlib statically when its archive is there and the
# runtime libzstd.so.1 (on every Debian system: apt needs it) by path.
if(SLIMLINK_STATIC_LLVM)
  find_library(SLIMLINK_LIBZ NAMES libz.a z)
  find_library(SLIMLINK_LIBZSTD NAMES libzstd.a zstd libzstd.so.1)
  if(NOT SLIMLINK_LIBZ OR NOT SLIMLINK_LIBZSTD)
    message(FATAL_ERROR "SLIMLINK_STATIC_LLVM needs zlib and zstd (libz.a, libzstd.so.1)")
  endif()
  set_target_properties(LLVMSupport PROPERTIES INTERFACE_LINK_LIBRARIES
    "rt;dl;m;${SLIMLINK_LIBZ};${SLIMLINK_LIBZSTD};LLVMDemangle")
endif()

set(is_static "$<BOOL:$<TARGET_PROPERTY:SLIMLINK_STATIC_LLVM>>")
set(SLIMLINK_LLVM_LIBS
  "$<${is_static}:${slimlink_llvm_static}>" "$<$<NOT:${is_static}>:LLVM>")
