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

TEST(CrateName, NativeObjects) {
  EXPECT_EQ(crateOfMember("45c91108d938afe8-ucmpti2.o"), "ucmpti2.o (native)");
  EXPECT_EQ(crateOfMember("util.o"), "util.o (native)");
  // Looks Rust-like but the hash is not 16 hex digits.
  EXPECT_EQ(crateOfMember("foo-123.bar.o"), "foo-123.bar.o (native)");
}
