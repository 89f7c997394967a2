#!/usr/bin/env python3
"""Regenerates the seed corpora in fuzz/corpus/ (small; committed).

  fuzz/make_corpus.py BUILD/corpus   # the Rust staticlibs the e2e tests build

corpus/read_object/   small members of the Rust staticlibs (release, debug,
                      opt-z, panic-abort), C objects of the example host for
                      several targets, bitcode, and damaged ELF objects
corpus/read_archive/  small archives of those members in every format
                      llvm-ar writes, and slices (truncations) of them
corpus/dedup/         pairs of archives sharing members: <u32 LE len A><A><B>
corpus/edge/          hand-made edge cases, named ok-* (slimlink must accept
                      them) or bad-* (slimlink must reject them with a clean
                      error); tests/e2e/edge_cases.sh feeds them to every verb
macho-* seeds         (read_archive, rewrite, size, dedup) a thin Darwin
                      archive of two small arm64 objects and a universal
                      (arm64 + x86_64) archive of them, each < 8 KB

coff-* seeds          (read_archive, rewrite, size, dedup) an MSVC .lib
                      (llvm-lib-19: both linker members) of two small x86_64
                      objects and one short import member, and a MinGW GNU
                      archive of two objects, each < 8 KB

pdb-* seeds           (size_pdb) a small PE program (clang-19 -gcodeview,
                      lld-link-19 /debug /Brepro) and its PDB:
                      <u32 LE len exe><exe><pdb>; pdb-cc-inlines-x64's
                      has inline sites (a header's function inlined)

  fuzz/make_corpus.py --macho        # only the macho-* seeds (no Rust corpus
                                     # needed; other seeds are left alone)
  fuzz/make_corpus.py --coff         # only the coff-* seeds (likewise)
  fuzz/make_corpus.py --pdb          # only the pdb-* seeds (likewise)
  fuzz/make_corpus.py --edit [ARCHIVE_OR_DIR ...]
                                     # corpus/edit_object/: every object seed
                                     # of read_object and the members of the
                                     # macho-*/coff-* archives (and of the
                                     # small Mach-O/COFF members of the
                                     # archives given, e.g. BUILD/corpus's
                                     # macho/*/libplug1.a, coff/*/libplug1.*), each
                                     # with a few control bytes appended
Needs gcc, clang-19, llvm-ar-19 (and llvm-lipo-19, llvm-lib-19, lld-link-19). Deterministic
for one toolchain.
"""
import os, shutil, struct, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")
SRC = os.path.dirname(HERE)


def run(*cmd, **kw):
    subprocess.run(cmd, check=True, **kw)


def save(kind, name, data):
    with open(os.path.join(OUT, kind, name), "wb") as f:
        f.write(data)


def header(name, size, size_field=None):
    # GNU/SysV member header: name, mtime, uid, gid, mode, size, magic.
    field = size_field if size_field is not None else str(size)
    h = b"%-16s%-12s%-6s%-6s%-8s%-10s`\n" % (name, b"0", b"0", b"0", b"644", field.encode())
    assert len(h) == 60, h
    return h


def member(name, data):
    return header(name, len(data)) + data + (b"\n" if len(data) % 2 else b"")


# --- ELF patching (ELF64 little-endian, as gcc makes on x86_64) ---------------

def sections(elf):
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3A)
    out = []
    for i in range(shnum):
        name, typ, _, _, off, size, link, info, _, entsize = struct.unpack_from(
            "<IIQQQQIIQQ", elf, shoff + i * shentsize)
        out.append(dict(i=i, name=name, type=typ, off=off, size=size, link=link,
                        entsize=entsize, hdr=shoff + i * shentsize))
    return out


def bad_symbol_name(elf):
    """A global symbol whose name offset lies outside the string table."""
    elf = bytearray(elf)
    symtab = next(s for s in sections(elf) if s["type"] == 2)  # SHT_SYMTAB
    strsize = sections(elf)[symtab["link"]]["size"]
    for k in range(symtab["size"] // 24):
        at = symtab["off"] + 24 * k
        if elf[at + 4] >> 4 == 1:  # STB_GLOBAL
            struct.pack_into("<I", elf, at, strsize + 0x1000)
            return bytes(elf)
    raise SystemExit("no global symbol")


def reloc_to_missing_symbol(elf):
    """The first relocation names a symbol index past the symbol table."""
    elf = bytearray(elf)
    rela = next(s for s in sections(elf) if s["type"] == 4)  # SHT_RELA
    info, = struct.unpack_from("<Q", elf, rela["off"] + 8)
    struct.pack_into("<Q", elf, rela["off"] + 8, (0xFFFF << 32) | (info & 0xFFFFFFFF))
    return bytes(elf)


def shdrs_past_eof(elf):
    elf = bytearray(elf)
    struct.pack_into("<Q", elf, 0x28, len(elf) + 64)
    return bytes(elf)


MACHO_LIMIT = 8192


def macho_seeds(tmp):
    """Mach-O seeds: thin Darwin archives of two small arm64 objects and
    universal archives of arm64 + x86_64 slices, for every target that reads
    an archive (dedup takes a pair: <u32 LE len A><A><B>)."""
    d = os.path.join(tmp, "macho")
    os.makedirs(d, exist_ok=True)
    src = {"one": "extern int two(int);\nint one_api(int x) { return two(x) + 1; }\n"
                  "int one_dead(int x) { return x * 3; }\n",
           "two": "static int calls;\nint two(int x) { calls++; return x ^ calls; }\n",
           "three": "extern int two(int);\nint three_api(int x) { return two(x) * 3; }\n"}
    objs = {}
    for arch in ("arm64", "x86_64"):
        for name, text in src.items():
            c = os.path.join(d, name + ".c")
            with open(c, "w") as f:
                f.write(text)
            # Member names longer than 16 characters: Darwin's #1/NN headers.
            o = os.path.join(d, arch, "%s-0123456789abcdef.rcgu.o" % name)
            os.makedirs(os.path.dirname(o), exist_ok=True)
            run("clang-19", "--target=%s-apple-macos11" % arch, "-Os", "-c", c, "-o", o)
            objs[arch, name] = o

    def thin(arch, names, out):
        return archive(os.path.join(d, out), [objs[arch, n] for n in names], "darwin")

    def fat(names, out):
        for arch in ("arm64", "x86_64"):
            thin(arch, names, "%s-%s" % (arch, out))
        path = os.path.join(d, out)
        run("llvm-lipo-19", "-create", os.path.join(d, "arm64-" + out),
            os.path.join(d, "x86_64-" + out), "-output", path)
        return open(path, "rb").read()

    seeds = {"macho-darwin-two-arm64": thin("arm64", ("one", "two"), "thin.a"),
             "macho-fat-arm64-x86_64": fat(("one", "two"), "fat.a")}
    pair = lambda a, b: struct.pack("<I", len(a)) + a + b
    pairs = {"macho-darwin-pair": pair(seeds["macho-darwin-two-arm64"],
                                       thin("arm64", ("two", "three"), "thin-b.a")),
             "macho-fat-pair": pair(fat(("one", "two"), "fat-a.a"), fat(("two",), "fat-b.a"))}
    for name, data in list(seeds.items()) + list(pairs.items()):
        assert len(data) < MACHO_LIMIT, "%s is %d bytes" % (name, len(data))
    for kind in ("read_archive", "rewrite", "size"):
        for name, data in seeds.items():
            save(kind, name, data)
    for name, data in pairs.items():
        save("dedup", name, data)


COFF_LIMIT = 8192


def short_import(symbol, dll, machine=0x8664):
    """A COFF short import member (IMPORT_OBJECT_HEADER, then the symbol's and
    the DLL's names): what llvm-dlltool-19 writes for one code export,
    imported by name."""
    names = symbol.encode() + b"\0" + dll.encode() + b"\0"
    # Sig1, Sig2, Version, Machine, TimeDateStamp, SizeOfData, OrdinalHint,
    # Type (IMPORT_OBJECT_CODE = 0) | NameType (IMPORT_OBJECT_NAME = 1) << 2.
    return struct.pack("<HHHHIIHH", 0, 0xFFFF, 0, machine, 0, len(names), 0, 1 << 2) + names


def coff_seeds(tmp):
    """COFF seeds: MSVC .lib files of two small x86_64 objects and a short
    import member, and MinGW GNU archives of two objects, for every target
    that reads an archive (dedup takes a pair: <u32 LE len A><A><B>)."""
    d = os.path.join(tmp, "coff")
    os.makedirs(d, exist_ok=True)
    src = {"one": "extern int two(int);\nextern int fake_add(int, int);\n"
                  "int one_api(int x) { return fake_add(two(x), 1); }\n"
                  "int one_dead(int x) { return x * 3; }\n",
           "two": "static int calls;\nint two(int x) { calls++; return x ^ calls; }\n",
           "three": "extern int two(int);\nint three_api(int x) { return two(x) * 3; }\n"}
    objs = {}
    for flavor, target in (("msvc", "x86_64-pc-windows-msvc"), ("mingw", "x86_64-w64-mingw32")):
        for name, text in src.items():
            c = os.path.join(d, name + ".c")
            with open(c, "w") as f:
                f.write(text)
            # Member names longer than 16 characters: the "//" name table.
            o = os.path.join(d, flavor, "%s-0123456789abcdef.rcgu.o" % name)
            os.makedirs(os.path.dirname(o), exist_ok=True)
            # -mno-incremental-linker-compatible: no TimeDateStamp (else
            # clang writes the time into MSVC objects).
            run("clang-19", "--target=" + target, "-Os", "-ffunction-sections",
                "-mno-incremental-linker-compatible", "-c", c, "-o", o)
            objs[flavor, name] = o
    with open(os.path.join(d, "msvc", "fakedll.dll"), "wb") as f:
        f.write(short_import("fake_add", "fakedll.dll"))

    def mslib(names, out):
        # llvm-lib names members by their path relative to the output's
        # directory: write it beside the objects.
        path = os.path.join(d, "msvc", out)
        if os.path.exists(path):
            os.remove(path)
        run("llvm-lib-19", "/machine:x64", "/out:" + out,
            *[os.path.basename(objs["msvc", n]) for n in names], "fakedll.dll",
            cwd=os.path.join(d, "msvc"))
        data = open(path, "rb").read()
        assert data.count(b"\0\0\xff\xff\0\0\x64\x86") == 1, "%s: want one short import member" % out
        return data

    def mingw(names, out):
        return archive(os.path.join(d, "mingw", out), [objs["mingw", n] for n in names], "gnu")

    seeds = {"coff-msvc-lib-two-x64-import": mslib(("one", "two"), "two.lib"),
             "coff-mingw-two-x64": mingw(("one", "two"), "two.a")}
    pair = lambda a, b: struct.pack("<I", len(a)) + a + b
    pairs = {"coff-msvc-lib-pair": pair(seeds["coff-msvc-lib-two-x64-import"],
                                        mslib(("two", "three"), "two-three.lib")),
             "coff-mingw-pair": pair(seeds["coff-mingw-two-x64"], mingw(("two", "three"), "two-three.a"))}
    for name, data in list(seeds.items()) + list(pairs.items()):
        assert len(data) < COFF_LIMIT, "%s is %d bytes" % (name, len(data))
    for kind in ("read_archive", "rewrite", "size"):
        for name, data in seeds.items():
            save(kind, name, data)
    for name, data in pairs.items():
        save("dedup", name, data)


PDB_C = b"""int table[16] = {1};
static int counter;
__attribute__((noinline)) static int twice(int x) { counter++; return 2 * x + table[x & 15]; }
int main(void) { return twice(3); }
"""


PDB_HEADER = b"""__attribute__((always_inline)) inline int twist(int y) {
  y ^= y >> 3;
  return y + (y << 5);
}
__attribute__((always_inline)) inline int mix(int x) { return twist(x * 31) ^ 7; }
"""
PDB_CC = b"""#include "util.h"
__attribute__((noinline)) int first(int a) { return mix(a) + 1; }
int main(int argc, char **) { return first(argc) * twist(argc); }
"""


def pdb_seed(tmp, name, source, code):
    with open(os.path.join(tmp, source), "wb") as f:
        f.write(code)
    with open(os.path.join(tmp, "util.h"), "wb") as f:
        f.write(PDB_HEADER)
    # No path of the temp directory in the output: the compilation
    # directory is ".", the PDB's paths are under a fixed root, the
    # CodeView record names the PDB alone; /Brepro: the GUID and the
    # timestamp are a hash of the output.
    opt = "-O1" if source.endswith(".c") else "-O2"
    run("clang-19", "--target=x86_64-pc-windows-msvc", opt, "-g", "-gcodeview",
        "-ffile-compilation-dir=.", "-c", source, "-o", "m.obj", cwd=tmp)
    run("lld-link-19", "/debug", "/Brepro", "/pdb:m.pdb", "/pdbaltpath:m.pdb",
        "/pdbsourcepath:C:\\src",
        "/out:m.exe", "/entry:main", "/subsystem:console", "/nodefaultlib",
        "m.obj", cwd=tmp)
    exe = open(os.path.join(tmp, "m.exe"), "rb").read()
    pdb = open(os.path.join(tmp, "m.pdb"), "rb").read()
    os.makedirs(os.path.join(OUT, "size_pdb"), exist_ok=True)
    save("size_pdb", name, struct.pack("<I", len(exe)) + exe + pdb)


def pdb_seeds(tmp):
    pdb_seed(tmp, "pdb-c-x64", "m.c", PDB_C)
    pdb_seed(tmp, "pdb-cc-inlines-x64", "m.cc", PDB_CC)


# Control bytes of the edit_object target (its bits: strip debug, bitcode,
# comments, unneeded symbols, short names, rename, localize, weaken).
EDIT_CONTROLS = (0x00, 0x5e, 0xff)


def edit_seeds(tmp, rust_dirs):
    objects = {}
    src = os.path.join(OUT, "read_object")
    for n in sorted(os.listdir(src)):
        data = open(os.path.join(src, n), "rb").read()
        if data[:4] in (b"\x7fELF", b"\xcf\xfa\xed\xfe") or data[:2] == b"\x64\x86":
            objects[n] = data
    archives = [os.path.join(OUT, "rewrite", n) for n in sorted(os.listdir(os.path.join(OUT, "rewrite")))
                if n.startswith(("macho-darwin", "coff-"))]
    picked = [a for a in rust_dirs if os.path.isfile(a)]
    for d in rust_dirs:
        for root, _, files in sorted(os.walk(d)):
            picked += [os.path.join(root, f) for f in sorted(files) if f.endswith((".a", ".lib"))]
    archives += picked
    for i, a in enumerate(archives):
        members = extract(a, os.path.join(tmp, "x%d" % i))
        small = [n for n in members if members[n][:4] == b"\xcf\xfa\xed\xfe" or members[n][:2] == b"\x64\x86"]
        for n in (pick({k: members[k] for k in small}, 600, 12000, 4) if a in picked else small):
            origin = os.path.basename(a).split(".")[0]
            if a in picked:
                origin = os.path.basename(os.path.dirname(a)) + "-" + origin
            objects["%s-%s" % (origin, n[-28:])] = members[n]
    out = os.path.join(OUT, "edit_object")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    for n, data in sorted(objects.items()):
        for c in EDIT_CONTROLS:
            save("edit_object", "%s-%02x" % (n, c), data + bytes([c]))


def main():
    if sys.argv[1:2] == ["--edit"]:
        tmp = tempfile.mkdtemp(prefix="slimlink-corpus-")
        try:
            edit_seeds(tmp, [os.path.abspath(d) for d in sys.argv[2:]])
        finally:
            shutil.rmtree(tmp)
        return
    for flag, seeds in (("--macho", macho_seeds), ("--coff", coff_seeds),
                        ("--pdb", pdb_seeds)):
        if sys.argv[1:] == [flag]:
            tmp = tempfile.mkdtemp(prefix="slimlink-corpus-")
            try:
                seeds(tmp)
            finally:
                shutil.rmtree(tmp)
            return
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    rust = sys.argv[1]
    for kind in ("read_object", "read_archive", "dedup", "edge"):
        shutil.rmtree(os.path.join(OUT, kind), ignore_errors=True)
        os.makedirs(os.path.join(OUT, kind))
    tmp = tempfile.mkdtemp(prefix="slimlink-corpus-")
    try:
        build(rust, tmp)
    finally:
        shutil.rmtree(tmp)


def extract(archive, into):
    os.makedirs(into, exist_ok=True)
    run("llvm-ar-19", "x", os.path.abspath(archive), cwd=into)
    return {n: open(os.path.join(into, n), "rb").read() for n in sorted(os.listdir(into))}


def pick(members, lo, hi, count):
    """`count` members with sizes in [lo, hi], spread over the size range."""
    fit = sorted((len(d), n) for n, d in members.items() if lo <= len(d) <= hi)
    step = max(1, len(fit) // count)
    return [n for _, n in fit[::step][:count]]


def archive(path, files, fmt="gnu", flags="rcs"):
    if os.path.exists(path):
        os.remove(path)
    run("llvm-ar-19", "--format=" + fmt, flags, path, *files)
    return open(path, "rb").read()


def build(rust, tmp):
    objs = {}  # name -> path of a seed object on disk
    # Members of the Rust staticlibs: the crate's own small objects and a
    # spread of std / compiler_builtins / compiler-rt ones.
    for profile, count in (("release", 5), ("debug", 3), ("opt-z", 2), ("panic-abort", 2)):
        members = extract(os.path.join(rust, profile, "libalpha.a"), os.path.join(tmp, profile))
        chosen = pick(members, 1500, 9000, count)
        own = [n for n in members if n.startswith("alpha-") and len(members[n]) < 9000]
        for n in chosen + own[:1]:
            short = "%s-%s" % (profile, n.split(".")[0][:24] if n.startswith("alpha") else n[-20:])
            objs[short] = os.path.join(tmp, profile, n)
    # The example host, as an object and as bitcode.
    host = os.path.join(SRC, "examples", "host", "host.c")
    run("clang-19", "-c", "-O1", host, "-o", os.path.join(tmp, "host.o"))
    objs["host-x86_64"] = os.path.join(tmp, "host.o")
    run("clang-19", "-c", "-emit-llvm", host, "-o", os.path.join(tmp, "host.bc"))
    objs["host-bitcode"] = os.path.join(tmp, "host.bc")
    # Small C objects to damage by hand (gcc, like the bad-input e2e test),
    # and for other ELF classes, byte orders and machines (no headers needed).
    with open(os.path.join(tmp, "one.c"), "w") as f:
        f.write("extern int two(void);\nint one(void) { return two() + 1; }\n")
    with open(os.path.join(tmp, "two.c"), "w") as f:
        f.write("int two(void) { return 2; }\n")
    for name, target in (("i386", "i386-linux-gnu"), ("aarch64", "aarch64-linux-gnu"),
                         ("ppc64be", "powerpc64-linux-gnu"), ("arm32", "armv7-linux-gnueabihf"),
                         ("macho", "x86_64-apple-macos11"), ("coff", "x86_64-pc-windows-msvc")):
        out = os.path.join(tmp, "one-%s.o" % name)
        run("clang-19", "-c", "-O1", "--target=" + target, os.path.join(tmp, "one.c"), "-o", out)
        objs["c-one-" + name] = out
    for n in ("one", "two"):
        run("gcc", "-c", "-O1", os.path.join(tmp, n + ".c"), "-o", os.path.join(tmp, n + ".o"))
        objs["c-" + n] = os.path.join(tmp, n + ".o")
    one = open(objs["c-one"], "rb").read()
    two = open(objs["c-two"], "rb").read()

    for name, path in sorted(objs.items()):
        save("read_object", name, open(path, "rb").read())
    damaged = {"elf-shdrs-past-eof.o": shdrs_past_eof(one),
               "elf-symbol-name-outside-strtab.o": bad_symbol_name(one),
               "elf-reloc-missing-symbol.o": reloc_to_missing_symbol(one)}
    for name, data in damaged.items():
        save("read_object", name, data)

    # Archives in each format llvm-ar writes, and slices of one.
    rust_objs = sorted(p for n, p in objs.items() if n.startswith(("release", "debug")))[:4]
    c_objs = [objs["c-one"], objs["c-two"]]
    arch = {}
    for fmt in ("gnu", "bsd", "darwin", "coff", "bigarchive"):  # bigarchive: rejected
        arch["c-" + fmt] = archive(os.path.join(tmp, "c-%s.a" % fmt), c_objs, fmt)
    arch["c-gnu-nosymtab"] = archive(os.path.join(tmp, "c-nosym.a"), c_objs, "gnu", "rcS")
    arch["rust-gnu"] = archive(os.path.join(tmp, "rust.a"), rust_objs)
    arch["rust-bsd"] = archive(os.path.join(tmp, "rust-bsd.a"), rust_objs[:2], "bsd")
    arch["macho-darwin"] = archive(os.path.join(tmp, "macho.a"), [objs["c-one-macho"]], "darwin")
    arch["coff-coff"] = archive(os.path.join(tmp, "coff.a"), [objs["c-one-coff"]], "coff")
    arch["mixed-host-bitcode"] = archive(os.path.join(tmp, "mixed.a"),
                                         [objs["host-x86_64"], objs["host-bitcode"]])
    for name, data in arch.items():
        save("read_archive", name, data)
    rg = arch["rust-gnu"]
    for frac in (3, 2):
        save("read_archive", "rust-gnu-slice-1of%d" % frac, rg[: len(rg) // frac])

    # Dedup pairs: <u32 LE len A><A><B>. Shared members move to libcommon.
    pair = lambda a, b: struct.pack("<I", len(a)) + a + b
    shared = archive(os.path.join(tmp, "share-a.a"), rust_objs[:2] + c_objs[:1])
    shared_b = archive(os.path.join(tmp, "share-b.a"), rust_objs[1:3] + c_objs)
    save("dedup", "rust-c-shared", pair(shared, shared_b))
    save("dedup", "c-gnu-vs-bsd", pair(arch["c-gnu"], arch["c-bsd"]))
    save("dedup", "c-same-twice", pair(arch["c-gnu"], arch["c-gnu"]))
    save("dedup", "bitcode-and-c", pair(arch["mixed-host-bitcode"], arch["c-gnu"]))

    # Hand-made edge cases: bad-* must be rejected, ok-* accepted.
    magic = b"!<arch>\n"
    edge = {
        "ok-empty.a": magic,
        "ok-symtab-only.a": magic + member(b"/", b"\0\0\0\0"),
        "ok-duplicate-names.a": magic + member(b"x.o/", one) + member(b"x.o/", two),
        "ok-zero-length-members.a": magic + member(b"empty.o/", b"") + member(b"two.o/", two)
                                    + member(b"empty.txt/", b""),
        "ok-reloc-missing-symbol.a": magic + member(b"one.o/", damaged["elf-reloc-missing-symbol.o"]),
        "bad-longname-past-end.a": magic + member(b"//", b"abc.o/\n") + member(b"/4000", two),
        "bad-size-not-digits.a": magic + header(b"two.o/", 0, "12x4") + two,
        "bad-size-4gib.a": magic + header(b"two.o/", 0, "4294967296") + two,
        "bad-thin.a": b"!<thin>\n" + header(b"two.o/", len(two)),
        "bad-elf-shdrs-past-eof.a": magic + member(b"one.o/", damaged["elf-shdrs-past-eof.o"]),
        "bad-symbol-name-outside-strtab.a":
            magic + member(b"one.o/", damaged["elf-symbol-name-outside-strtab.o"]),
        "bad-truncated-member.a": magic + member(b"two.o/", two)[: 60 + len(two) // 2],
    }
    for name, data in edge.items():
        save("edge", name, data)
    macho_seeds(tmp)
    coff_seeds(tmp)

    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(OUT) for f in fs)
    print("fuzz corpus: %d files, %d KB" % (sum(len(fs) for _, _, fs in os.walk(OUT)), total // 1024))


if __name__ == "__main__":
    main()
