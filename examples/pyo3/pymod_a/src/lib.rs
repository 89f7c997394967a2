use pyo3::prelude::*;

/// A buffer of `n` bytes from Rust's allocator (i % 251 at i), as an
/// address another module takes back (pymod_b.sum_and_free).
#[pyfunction]
fn make_buffer(n: usize) -> usize {
    let v: Vec<u8> = (0..n).map(|i| (i % 251) as u8).collect();
    Box::into_raw(v.into_boxed_slice()) as *mut u8 as usize
}

/// Words of a text, counted, as a sorted list of (word, count).
#[pyfunction]
fn word_counts(text: &str) -> Vec<(String, usize)> {
    let mut counts = std::collections::BTreeMap::new();
    for w in text.split_whitespace() {
        *counts.entry(w.to_lowercase()).or_insert(0) += 1;
    }
    counts.into_iter().collect()
}

#[pymodule]
fn pymod_a(_py: Python, m: &PyModule) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(make_buffer, m)?)?;
    m.add_function(wrap_pyfunction!(word_counts, m)?)?;
    Ok(())
}
