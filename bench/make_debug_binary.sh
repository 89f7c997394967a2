#!/usr/bin/env bash
# A big Rust program with full debug info, built offline (std only): N
# structs, each used as the key of a HashMap and a BTreeMap and sorted in its
# own function, so that every one instantiates std's collections anew. Used
# by vs_bloaty.sh (case e: a stripped binary and its debug file). N=200 (the
# default) gives 110 MB unstripped (16 MB stripped, 93 MB of debug file;
# 878k line-table ranges), in ~40 s on 2 cores.
# Usage: bench/make_debug_binary.sh OUT [N]   (writes OUT, OUT.rs)
set -euo pipefail
out=$1
n=${2:-200}
python3 - "$n" > "$out.rs" <<'PY'
import sys
n = int(sys.argv[1])
print("use std::collections::{HashMap, BTreeMap};")
for i in range(n):
    print(f"""#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct K{i} {{ a: u64, b: String, c: Vec<u32> }}
#[inline(never)]
pub fn work{i}(n: u64) -> usize {{
    let mut m: HashMap<K{i}, Vec<K{i}>> = HashMap::new();
    let mut t: BTreeMap<K{i}, String> = BTreeMap::new();
    for j in 0..n {{
        let k = K{i} {{ a: j * {i + 1}, b: format!("{{}}-{i}", j), c: vec![j as u32; 3] }};
        m.entry(k.clone()).or_default().push(k.clone());
        t.insert(k.clone(), format!("{{:?}}", k));
    }}
    let mut v: Vec<K{i}> = m.keys().cloned().collect();
    v.sort();
    v.dedup();
    m.len() + t.len() + v.len() + t.values().map(|s| s.len()).sum::<usize>()
}}""")
print("fn main() {\n  let n = std::env::args().count() as u64;\n  let mut s = 0usize;")
for i in range(n):
    print(f"  s += work{i}(n);")
print('  println!("{}", s);\n}')
PY
rustc -g -C opt-level=0 -C codegen-units=16 "$out.rs" -o "$out"
