# `cpack -G DEB` in the build directory: slimlink_0.1.0_amd64.deb with what
# `cmake --install` puts in a prefix, under /usr. dpkg-shlibdeps writes
# Depends from the binaries themselves, so a static LLVM (the default) leaves
# libllvm19 out and a shared one puts it in.
set(CPACK_PACKAGE_NAME slimlink)
set(CPACK_PACKAGE_VERSION 0.1.0)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "sizes and slims Rust/C/C++ static libraries and binaries (ELF, Mach-O, COFF)")
set(CPACK_PACKAGE_CONTACT "slimlink maintainers <slimlink@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)  # the -g1 line tables are for perf in the build tree
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
include(CPack)
