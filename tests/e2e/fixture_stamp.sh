# Sourced by the fixtures that build a corpus from the project's own sources
# (build_macho_corpus.sh, build_coff_corpus.sh). Their outputs depend only on
# those sources, the fixture's scripts and the toolchains, so a corpus built
# from the same ones is kept: the sanitizer run (build-asan/) shares
# build/'s corpora instead of building them again.
#   fixture_stamp INPUTS...   prints a digest of the files under INPUTS (by
#                             their path under $SRC) and of the toolchains'
#                             versions
#   fixture_fresh OUT STAMP   exits the fixture (0) if OUT was built with STAMP
#   fixture_done OUT STAMP    records STAMP once OUT is complete
fixture_stamp() {
  # Paths relative to the source tree: worktrees of one commit sharing a
  # corpus get one stamp, not one each (and a rebuild under the others).
  { find "$@" -type f -print0 | sort -z | xargs -0 sha256sum | sed "s|  ${SRC%/}/|  |"
    clang-19 --version; /usr/bin/rustc --version 2>/dev/null || true
    x86_64-w64-mingw32-gcc --version 2>/dev/null | head -1 || true
  } | sha256sum | cut -d' ' -f1
}
fixture_fresh() {
  if [ -f "$1/.stamp" ] && [ "$(cat "$1/.stamp")" = "$2" ]; then
    echo "$(basename "$1")/ is up to date (built from the same sources and toolchains)"
    exit 0
  fi
}
fixture_done() { echo "$2" > "$1/.stamp"; }
