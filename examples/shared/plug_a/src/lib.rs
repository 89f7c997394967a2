//! Makes buffers another module frees, and sets the panic hook every module's
//! panics then go through (std's hook is one per process only when std is).
use std::sync::atomic::{AtomicUsize, Ordering};

static HOOK_CALLS: AtomicUsize = AtomicUsize::new(0);

/// A buffer of `n` bytes from Rust's allocator: i % 251 at i.
#[no_mangle]
pub extern "C" fn a_make(n: usize) -> *mut u8 {
    let v: Vec<u8> = (0..n).map(|i| (i % 251) as u8).collect();
    Box::into_raw(v.into_boxed_slice()) as *mut u8
}

/// Sets a panic hook that counts the panics it sees, and prints nothing.
#[no_mangle]
pub extern "C" fn a_set_hook() {
    std::panic::set_hook(Box::new(|_| {
        HOOK_CALLS.fetch_add(1, Ordering::SeqCst);
    }));
}

#[no_mangle]
pub extern "C" fn a_hook_calls() -> usize {
    HOOK_CALLS.load(Ordering::SeqCst)
}
