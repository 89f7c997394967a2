#!/usr/bin/env bash
# The CMake package: cmake --install into a prefix, then a consumer project
# imports three cargo-built staticlibs (IMPORTED STATIC, as Corrosion makes
# them), calls slimlink_shrink() and links its host against the result. The
# host prints what the unmodified build prints; touching an input re-runs the
# shrink, and a build with nothing changed runs nothing.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
build_dir=$(dirname "$SLIMLINK")
cmake --install "$build_dir" --prefix "$WORK/prefix" > install.log || fail "cmake --install: $(tail -5 install.log)"
for f in bin/slimlink bin/cargo-slimlink share/man/man1/slimlink.1 lib/cmake/slimlink/slimlinkConfig.cmake \
         lib/cmake/slimlink/slimlinkConfigVersion.cmake; do
  [ -e "prefix/$f" ] || fail "cmake --install did not install $f"
done
mkdir libs consumer
cp "$CORPUS"/release/lib{alpha,beta,gamma}.a libs/
cp "$HOST_C" consumer/host.c
echo 'int extra_answer(void) { return 42; }' > consumer/extra.c
cat > consumer/CMakeLists.txt <<CMAKE
cmake_minimum_required(VERSION 3.20)
project(consumer C)
find_package(slimlink 0.1 CONFIG REQUIRED)
foreach(crate alpha beta gamma)
  add_library(\${crate} STATIC IMPORTED)
  set_target_properties(\${crate} PROPERTIES IMPORTED_LOCATION $WORK/libs/lib\${crate}.a)
endforeach()
# A static library of this project goes in too (its file comes from the
# target, and the shrink waits for it to be built).
add_library(extra STATIC extra.c)
slimlink_shrink(rust LIBRARIES alpha beta gamma extra)
add_executable(host host.c)
target_compile_definitions(host PRIVATE USE_ALPHA USE_BETA USE_GAMMA)
target_link_libraries(host PRIVATE rust)
CMAKE
cmake -S consumer -B consumer/build -G Ninja -DCMAKE_PREFIX_PATH="$WORK/prefix" > configure.log ||
  fail "consumer configure: $(tail -10 configure.log)"
cmake --build consumer/build > build1.log || fail "consumer build: $(tail -10 build1.log)"
grep -q "slimlink shrink: rust" build1.log || fail "the first build did not run slimlink"
link_host orig bfd "-DUSE_ALPHA -DUSE_BETA -DUSE_GAMMA" libs/lib{alpha,beta,gamma}.a
./orig > expected.txt
consumer/build/host | diff -u expected.txt - || fail "the consumer's host prints something else"
[ -s consumer/build/slimlink/rust/libcommon.a ] || fail "no common library in the build tree"
[ -s consumer/build/slimlink/rust/libextra.a ] || fail "the project's own library was not shrunk"

cmake --build consumer/build > build2.log
grep -q "no work to do" build2.log || fail "a build with nothing changed did work: $(cat build2.log)"
touch libs/libbeta.a
cmake --build consumer/build > build3.log
grep -q "slimlink shrink: rust" build3.log || fail "touching an input did not re-run the shrink: $(cat build3.log)"
consumer/build/host | diff -u expected.txt - || fail "after the re-run, the host prints something else"
pass "find_package(slimlink) + slimlink_shrink over IMPORTED staticlibs; re-runs only when an input changes"
