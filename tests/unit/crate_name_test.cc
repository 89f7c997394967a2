#include "model/library.h"

#include <gtest/gtest.h>

using slimlink::crateOfMember;

TEST(CrateName, RustCodegenUnits) {
  EXPECT_EQ(crateOfMember("std-d1237ef7159db0a2.std.e28293b1aa0f68bd-cgu.0.rcgu.o"), "std");
  EXPECT_EQ(crateOfMember("compiler_builtins-27cfc16bdf3bb694.compiler_builtins."
                          "4e30281dd23088d2-cgu.042.rcgu.o"),
            "compiler_builtins");
  EXPECT_EQ(crateOfMember("rustc_std_workspace_core-75c1307561ed9634."
                          "rustc_std_workspace_core.bad053b43a2a041f-cgu.0.rcgu.o"),
            "rustc_std_workspace_core");
}

TEST(CrateName, AllocatorShimBelongsToItsCrate) {
  EXPECT_EQ(crateOfMember("alpha-cbba00ed68140178.ckk4juain4ootb8ezm5nhaui4.rcgu.o"), "alpha");
}

// Every form below is a real member name, from `llvm-ar-19 t` of a staticlib
// of `#[no_mangle] pub extern "C" fn tally_add` (tally.rs; Cargo package
// tally-c), built by each toolchain the project uses.
TEST(CrateName, CargoBuilds) {
  // Debian's rustc 1.63 (Linux and x86_64-pc-windows-gnu): 8 hex digits in
  // the codegen unit's name.
  EXPECT_EQ(crateOfMember("std-a5a48102fbd58791.std.ee34264e-cgu.0.rcgu.o"), "std");
  EXPECT_EQ(crateOfMember("tally_c-e01fc091e6871135.tally_c.46c7e59e-cgu.0.rcgu.o"), "tally_c");
  EXPECT_EQ(crateOfMember("tally_c-e01fc091e6871135.5et3b70w6zfml0az.rcgu.o"), "tally_c");
  // 1.63, debug (incremental): every unit has a random name.
  EXPECT_EQ(crateOfMember("tally_c-5807def348f3c2da.vls9grs0v2fwz8d.rcgu.o"), "tally_c");
  // 1.95 stable and nightly: up to 16 hex digits (leading zeros dropped).
  EXPECT_EQ(crateOfMember("tally_c-079007067df8133e.tally_c.5db49a9a0f5db95-cgu.0.rcgu.o"),
            "tally_c");
  EXPECT_EQ(crateOfMember("tally_c-079007067df8133e.4p3x0pyrjnttbradlvp4jtktb.rcgu.o"),
            "tally_c");
  // 1.95 and nightly, debug (incremental): "<25>.<7>" random names.
  EXPECT_EQ(crateOfMember("tally_c-1dc5dcaa2a3451e1.3x9pwiwbd1rph4sttpedej2re.1mkydeh.rcgu.o"),
            "tally_c");
}

// Plain rustc (no cargo, so no -C extra-filename) names the objects of the
// crate it builds after the output file, up to its first dot: "libtally"
// for -o libtally.a, "tally" by default; the runtime's objects keep their
// "<crate>-<hash>" names.
TEST(CrateName, PlainRustcBuilds) {
  // Debian's rustc 1.63, Linux and x86_64-pc-windows-gnu alike.
  EXPECT_EQ(crateOfMember("libtally.tally.b7436284-cgu.0.rcgu.o"), "tally");
  EXPECT_EQ(crateOfMember("libtally.43knh3klfcb4xyf7.rcgu.o"), "tally");
  EXPECT_EQ(crateOfMember("tally.tally.b7436284-cgu.0.rcgu.o"), "tally");
  EXPECT_EQ(crateOfMember("tally.43knh3klfcb4xyf7.rcgu.o"), "tally");
  // 1.95 stable and nightly.
  EXPECT_EQ(crateOfMember("libtally.tally.dc765ca4590171ed-cgu.0.rcgu.o"), "tally");
  EXPECT_EQ(crateOfMember("libtally.eo0kjc3eymt1g5omvvzc6j6eb.rcgu.o"), "tally");
  EXPECT_EQ(crateOfMember("libtally.5tvpex8fuf3rlp4of7la14lvv.rcgu.o"), "tally");
  // -o with another name: a codegen unit still names its crate; the
  // allocator shim has only the file's name to go by.
  EXPECT_EQ(crateOfMember("my-lib.tally.dc765ca4590171ed-cgu.0.rcgu.o"), "tally");
  EXPECT_EQ(crateOfMember("x.my_crate.d632954cf4269b51-cgu.0.rcgu.o"), "my_crate");
  EXPECT_EQ(crateOfMember("my-lib.eo0kjc3eymt1g5omvvzc6j6eb.rcgu.o"), "my_lib");
}

TEST(CrateName, NativeObjects) {
  EXPECT_EQ(crateOfMember("45c91108d938afe8-ucmpti2.o"), "ucmpti2.o (native)");
  EXPECT_EQ(crateOfMember("util.o"), "util.o (native)");
  // Looks Rust-like but the hash is not 16 hex digits.
  EXPECT_EQ(crateOfMember("foo-123.bar.o"), "foo-123.bar.o (native)");
  // C objects with dots in their names, not rustc's.
  EXPECT_EQ(crateOfMember("foo.bar.o"), "foo.bar.o (native)");
  EXPECT_EQ(crateOfMember(".rcgu.o"), ".rcgu.o (native)");
}
