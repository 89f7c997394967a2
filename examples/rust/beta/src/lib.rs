//! beta: a prime sieve in a Vec, and floating-point formatting.

/// Prints how many primes are below `n` and their mean; returns their sum.
#[no_mangle]
pub extern "C" fn beta_primes(n: u32) -> u64 {
    let n = n as usize;
    let mut sieve = vec![true; n.max(2)];
    sieve[0] = false;
    sieve[1] = false;
    let mut i = 2;
    while i * i < n {
        if sieve[i] {
            let mut j = i * i;
            while j < n {
                sieve[j] = false;
                j += i;
            }
        }
        i += 1;
    }
    let primes: Vec<u64> = (0..n).filter(|&k| sieve[k]).map(|k| k as u64).collect();
    let sum: u64 = primes.iter().sum();
    let mean = sum as f64 / primes.len().max(1) as f64;
    println!("beta: {} primes below {n}, mean {mean:.3}", primes.len());
    sum
}
