#!/usr/bin/env bash
# The Bazel rule (bazel/defs.bzl) with Debian's bazel-bootstrap, offline: a
# workspace takes this checkout as local_repository "slimlink", two corpus
# staticlibs as cc_import, and links a C host against slimlink_shrink's
# CcInfo. The host prints what the host linked from the originals prints; the
# slimlink action runs sandboxed; from a clean output base, a disk cache and
# then an HTTP cache (a small one started here) serve it, so no slimlink runs;
# changing one input re-runs exactly that one action. Bazel's own execution
# log (--execution_log_json_file) is the witness. Everything Bazel writes
# stays under $WORK (--output_user_root; --batch leaves no server behind).
source "$(dirname "$0")/lib.sh"
cd "$WORK"
command -v bazel > /dev/null || fail "bazel not found (Debian's bazel-bootstrap; scripts/setup.sh installs it)"
stubs="$SRC/bazel/stubs"

mkdir -p ws/libs ws/tools
cat > ws/WORKSPACE <<WS
local_repository(name = "slimlink", path = "$SRC")
WS
cp "$SLIMLINK" ws/tools/slimlink
echo 'exports_files(["slimlink"])' > ws/tools/BUILD
cp "$CORPUS"/release/lib{alpha,beta}.a ws/libs/
cat > ws/libs/BUILD <<'BUILD'
package(default_visibility = ["//visibility:public"])
cc_import(name = "alpha", static_library = "libalpha.a")
cc_import(name = "beta", static_library = "libbeta.a")
BUILD
cp "$HOST_C" ws/host.c
cat > ws/BUILD <<'BUILD'
load("@slimlink//bazel:defs.bzl", "slimlink_shrink")
slimlink_shrink(
    name = "rust",
    libs = ["//libs:alpha", "//libs:beta"],
    slimlink = "//tools:slimlink",
)
cc_binary(
    name = "host",
    srcs = ["host.c"],
    copts = ["-DUSE_ALPHA", "-DUSE_BETA"],
    deps = [":rust"],
)
BUILD

# The expected output: the host linked from the original libraries.
expect() { gcc -DUSE_ALPHA -DUSE_BETA "$HOST_C" "$@" -lpthread -ldl -lm -o orig && ./orig > expected.txt; }
expect ws/libs/libalpha.a ws/libs/libbeta.a

# build N [BAZEL FLAGS...]: bazel build //:host with output base ob.N (or
# $OB) and execution log N.log; runs the host into N.txt and checks it.
build() {
  local n=$1 ob=$WORK/${OB:-ob.$1}; shift
  (cd ws && bazel --batch --output_user_root="$WORK/root" --output_base="$ob" build //:host \
     --override_repository=rules_cc="$stubs/rules_cc" \
     --override_repository=rules_java="$stubs/rules_java" \
     --override_repository=platforms=/usr/share/bazel/platforms \
     --spawn_strategy=sandboxed --execution_log_json_file="$WORK/$n.log" "$@") > "$n.out" 2>&1 ||
    fail "bazel build $n: $(grep -E 'ERROR|error' "$n.out" | head -5)"
  "$ob/execroot/__main__/bazel-out/k8-fastbuild/bin/host" > "$n.txt" || fail "build $n: the host failed"
  diff -u expected.txt "$n.txt" || fail "build $n: the host prints other than the one linked from the originals"
}

# slimlink_spawns LOG: one line per slimlink action: "<runner> <cache hit>".
slimlink_spawns() {
  python3 - "$1" <<'PY'
import json, sys
text, dec, i = open(sys.argv[1]).read(), json.JSONDecoder(), 0
while True:
    while i < len(text) and text[i].isspace():
        i += 1
    if i == len(text):
        break
    spawn, i = dec.raw_decode(text, i)
    if spawn.get("mnemonic") == "SlimlinkShrink":
        print(spawn.get("runner", "?"), str(spawn.get("remoteCacheHit", False)).lower())
PY
}

# A minimal Bazel HTTP cache: PUT and GET of /ac/<digest> and /cas/<digest>.
cat > cache.py <<'PY'
import http.server, os, sys
root = sys.argv[1]
class Cache(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # Bazel refuses 1.0
    def path_on_disk(self):
        return os.path.join(root, self.path.strip("/").replace("/", "_"))
    def body(self):
        if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
            return self.rfile.read(int(self.headers["Content-Length"]))
        data = b""
        while True:
            size = int(self.rfile.readline().split(b";")[0], 16)
            data += self.rfile.read(size)
            self.rfile.readline()
            if size == 0:
                return data
    def reply(self, code, data=b""):
        self.send_response(code)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
    def do_PUT(self):
        data = self.body()
        with open(self.path_on_disk(), "wb") as f:
            f.write(data)
        self.reply(200)
    def do_GET(self):
        try:
            self.reply(200, open(self.path_on_disk(), "rb").read())
        except FileNotFoundError:
            self.reply(404)
    do_HEAD = do_GET
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Cache)
open(os.path.join(root, "..", "cache.port"), "w").write(str(server.server_port))
server.serve_forever()
PY
mkdir http-cache
python3 cache.py "$WORK/http-cache" &
cache_pid=$!
trap 'kill $cache_pid 2>/dev/null' EXIT
for _ in $(seq 50); do [ -s cache.port ] && break; sleep 0.1; done
[ -s cache.port ] || fail "the HTTP cache did not start"
http="--remote_cache=http://127.0.0.1:$(cat cache.port)"

# 1: cold, sandboxed; fills the disk cache and the HTTP cache.
build 1 --disk_cache="$WORK/disk" "$http"
spawns=$(slimlink_spawns 1.log)
[ "$(echo "$spawns" | wc -l)" = 1 ] || fail "build 1: slimlink actions: '$spawns'"
case "$spawns" in
  *sandbox*false) pass "build 1: the slimlink action ran sandboxed ($spawns), the host runs right" ;;
  *) fail "build 1: the slimlink action did not run in a sandbox: $spawns" ;;
esac

# 2: a clean output base, the disk cache only.
build 2 --disk_cache="$WORK/disk"
spawns=$(slimlink_spawns 2.log)
[ "$spawns" = "$(echo "$spawns" | head -1)" ] && echo "$spawns" | grep -q ' true$' ||
  fail "build 2 (disk cache): the slimlink action was not a cache hit: '$spawns'"
pass "build 2: clean output base, disk cache: no slimlink ran ($spawns)"

# 3: a clean output base, the HTTP cache only.
build 3 "$http"
spawns=$(slimlink_spawns 3.log)
echo "$spawns" | grep -q ' true$' && [ "$(echo "$spawns" | wc -l)" = 1 ] ||
  fail "build 3 (HTTP cache): the slimlink action was not a cache hit: '$spawns'"
ls http-cache | grep -q '^ac_' || fail "build 3: nothing in the HTTP cache's action cache"
pass "build 3: clean output base, HTTP cache: no slimlink ran ($spawns)"

# 4: one input changes (beta from another profile): the one action re-runs.
cp "$CORPUS"/opt-z/libbeta.a ws/libs/libbeta.a
expect ws/libs/libalpha.a ws/libs/libbeta.a
OB=ob.3 build 4 "$http"
spawns=$(slimlink_spawns 4.log)
[ "$(echo "$spawns" | wc -l)" = 1 ] && echo "$spawns" | grep -q ' false$' ||
  fail "build 4 (libbeta.a changed): expected one slimlink run, got '$spawns'"
grep -q '"mnemonic": "CppCompile"' 4.log && fail "build 4: host.c was compiled again"
pass "build 4: libbeta.a changed: exactly the slimlink action (and the link) ran, the host runs right"
