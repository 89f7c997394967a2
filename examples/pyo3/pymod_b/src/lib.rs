use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// Takes back a buffer made by Rust's allocator in any module, sums it and
/// frees it.
#[pyfunction]
fn sum_and_free(addr: usize, n: usize) -> u64 {
    let b = unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(addr as *mut u8, n)) };
    b.iter().map(|&x| x as u64).sum()
}

/// The square root of `x`; a ValueError (raised from Rust) below zero.
#[pyfunction]
fn checked_sqrt(x: f64) -> PyResult<f64> {
    if x < 0.0 {
        return Err(PyValueError::new_err(format!("no square root of {}", x)));
    }
    Ok(x.sqrt())
}

/// Panics: pyo3 turns the panic into a PanicException.
#[pyfunction]
fn panic_with(msg: &str) -> usize {
    if !msg.is_empty() {
        panic!("pymod_b panics: {}", msg);
    }
    0
}

#[pymodule]
fn pymod_b(_py: Python, m: &PyModule) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sum_and_free, m)?)?;
    m.add_function(wrap_pyfunction!(checked_sqrt, m)?)?;
    m.add_function(wrap_pyfunction!(panic_with, m)?)?;
    Ok(())
}
