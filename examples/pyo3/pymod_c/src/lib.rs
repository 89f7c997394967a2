use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::collections::HashMap;

/// The numbers 1..=n grouped by their digit sum, as a dict of sorted lists.
#[pyfunction]
fn by_digit_sum(py: Python, n: u32) -> PyResult<PyObject> {
    let mut groups: HashMap<u32, Vec<u32>> = HashMap::new();
    for k in 1..=n {
        let s = k.to_string().bytes().map(|b| (b - b'0') as u32).sum();
        groups.entry(s).or_default().push(k);
    }
    let d = PyDict::new(py);
    for (s, mut v) in groups {
        v.sort_unstable_by(|a, b| b.cmp(a));
        d.set_item(s, v)?;
    }
    Ok(d.into())
}

#[pyfunction]
fn shout(text: &str) -> String {
    format!("{}!", text.to_uppercase())
}

#[pymodule]
fn pymod_c(_py: Python, m: &PyModule) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(by_digit_sum, m)?)?;
    m.add_function(wrap_pyfunction!(shout, m)?)?;
    Ok(())
}
