# Imports the modules named on the command line from DIR (argv[1]), in that
# order, and prints what each does: a buffer pymod_a allocates pymod_b frees,
# exceptions raised from Rust, panics caught as PanicException (e2e.shared_pyo3).
import importlib, sys
sys.path.insert(0, sys.argv[1])
mods = {name: importlib.import_module(name) for name in sys.argv[2:]}
a, b, c = mods.get("pymod_a"), mods.get("pymod_b"), mods.get("pymod_c")
if a:
    print("word_counts:", a.word_counts("the fox and THE dog and the cat"))
if a and b:
    for n in (1, 1000, 1 << 20):
        print("a.make_buffer(%d) freed by b: sum %d" % (n, b.sum_and_free(a.make_buffer(n), n)))
if b:
    print("checked_sqrt(2.25) =", b.checked_sqrt(2.25))
    try:
        b.checked_sqrt(-1.0)
    except ValueError as e:
        print("ValueError:", e)
    for i in range(3):
        try:
            b.panic_with("round %d" % i)
        except BaseException as e:  # pyo3's PanicException is a BaseException
            print("caught %s: %s" % (type(e).__name__, e))
if c:
    d = c.by_digit_sum(50)
    print("by_digit_sum(50):", sorted(d.items())[:4], len(d))
    print(c.shout("shared std"))
