// Plugin 2 of the Windows example: collections (Vec, HashMap, sorting).
use std::collections::HashMap;

/// How many distinct values i*i % 97 takes for i in 0..n, times 1000, plus
/// the most frequent one.
#[no_mangle]
pub extern "C" fn plug2_run(n: i32) -> i32 {
    let mut counts: HashMap<i32, i32> = HashMap::new();
    for i in 0..n {
        *counts.entry(i * i % 97).or_insert(0) += 1;
    }
    let mut v: Vec<(i32, i32)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.len() as i32 * 1000 + v.first().map(|p| p.0).unwrap_or(-1)
}

/// Writes the words of a fixed text, sorted and counted, into buf.
#[no_mangle]
pub extern "C" fn plug2_describe(n: i32, buf: *mut u8, len: usize) -> usize {
    let text = "the quick brown fox jumps over the lazy dog the end";
    let mut words: HashMap<&str, usize> = HashMap::new();
    for w in text.split(' ').take(n.max(0) as usize) {
        *words.entry(w).or_default() += 1;
    }
    let mut v: Vec<_> = words.into_iter().collect();
    v.sort();
    let s = v.iter().map(|(w, c)| format!("{w}={c}")).collect::<Vec<_>>().join(",");
    let s = format!("plug2: {s}");
    if !buf.is_null() && len > 0 {
        let k = s.len().min(len - 1);
        unsafe {
            std::ptr::copy_nonoverlapping(s.as_ptr(), buf, k);
            *buf.add(k) = 0;
        }
    }
    s.len()
}
