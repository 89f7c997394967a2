//! Frees what another module allocated, and panics and catches it.
use std::panic::catch_unwind;

/// Takes back a buffer of `n` bytes made by Rust's allocator (in any
/// module), sums it and frees it.
#[no_mangle]
pub extern "C" fn b_sum_and_free(p: *mut u8, n: usize) -> u64 {
    let b = unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(p, n)) };
    b.iter().map(|&x| x as u64).sum()
}

/// Panics with a message naming `x`, catches it, and returns the length of
/// the message the payload carries (-1 if nothing was caught).
#[no_mangle]
pub extern "C" fn b_panic_caught(x: i32) -> i32 {
    match catch_unwind(|| -> i32 { panic!("b panics at {}", x) }) {
        Ok(_) => -1,
        Err(payload) => payload
            .downcast_ref::<String>()
            .map_or(-2, |s| s.len() as i32),
    }
}
