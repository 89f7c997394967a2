//! crunch: a CPU-bound workload for `slimlink tricks`. Dense matrix products
//! over several number types and a hash over the results: hot loops whose
//! speed and size depend on what the optimizer may do (inline, unroll,
//! vectorize), as real ones do.
use std::env;
use std::ops::{Add, Mul};

trait Num: Copy + Default + Add<Output = Self> + Mul<Output = Self> {
    fn from_index(i: usize, m: usize) -> Self;
    fn bits(self) -> u64;
}
macro_rules! num {
    ($t:ty, $conv:expr) => {
        impl Num for $t {
            fn from_index(i: usize, m: usize) -> Self { ((i * 7 + 3) % m) as $t }
            fn bits(self) -> u64 { $conv(self) }
        }
    };
}
num!(f64, |x: f64| (x * 1000.0) as u64);
num!(f32, |x: f32| (x * 1000.0) as u64);
num!(u64, |x: u64| x);
num!(u32, |x: u32| x as u64);
num!(i64, |x: i64| x as u64);
num!(u16, |x: u16| x as u64);

fn multiply<T: Num>(a: &[T], b: &[T], c: &mut [T], n: usize) {
    for i in 0..n {
        for k in 0..n {
            let aik = a[i * n + k];
            for j in 0..n {
                c[i * n + j] = c[i * n + j] + aik * b[k * n + j];
            }
        }
    }
}

fn mix(mut h: u64, x: u64) -> u64 {
    h ^= x.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    h.rotate_left(31).wrapping_mul(0xbf58_476d_1ce4_e5b9)
}

fn round<T: Num>(n: usize, r: usize, h: u64) -> u64 {
    let a: Vec<T> = (0..n * n).map(|i| T::from_index(i, 101)).collect();
    let b: Vec<T> = (0..n * n).map(|i| T::from_index(i + 5, 97)).collect();
    let mut c = vec![T::default(); n * n];
    multiply(&a, &b, &mut c, n);
    c.iter().enumerate().fold(h, |h, (i, v)| mix(h, v.bits() ^ (i + r) as u64))
}

fn main() {
    let rounds: usize = env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(8);
    let n = 96;
    let mut h = 0u64;
    for r in 0..rounds {
        h = round::<f64>(n, r, h);
        h = round::<f32>(n, r, h);
        h = round::<u64>(n, r, h);
        h = round::<u32>(n, r, h);
        h = round::<i64>(n, r, h);
        h = round::<u16>(n, r, h);
    }
    println!("crunch: {rounds} rounds, checksum {h:016x}");
}
