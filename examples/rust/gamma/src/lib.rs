//! gamma: arithmetic only. Its own code never allocates, so the only callers
//! of the allocator are inside std: the case that breaks a naive dedup (std in
//! the common library calls the allocator shim that only gamma defines).

/// Prints the `n`th Fibonacci number (wrapping) and returns it.
#[no_mangle]
pub extern "C" fn gamma_fib(n: u32) -> u64 {
    let (mut a, mut b) = (0u64, 1u64);
    for _ in 0..n {
        let next = a.wrapping_add(b);
        a = b;
        b = next;
    }
    println!("gamma: fib({n}) = {a}");
    a
}
