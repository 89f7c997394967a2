# Shared by the inlines view's tests (size_inlines.sh, size_inlines_pdb.sh).

# slimlink_lines CSV: VM bytes per "file:line" of a -d inlines CSV (named
# rows only, the file by its base name), one "name bytes" line each, sorted:
# what each test compares with its own reading of the debug info.
slimlink_lines() {
  python3 - "$1" <<'PY'
import csv, sys, collections
total = collections.Counter()
for r in list(csv.reader(open(sys.argv[1])))[1:]:
    if not r[0].startswith('[') and int(r[1]):
        name, line = r[0].rsplit(':', 1)
        total[name.rsplit('/', 1)[-1] + ':' + line] += int(r[1])
for k in sorted(total):
    print(k, total[k])
PY
}
