//! inv: plugins registered with the `inventory` crate. Each `submit!` becomes
//! a constructor in `.init_array` that links a node into a list at startup;
//! nothing references the nodes by name, so a linker (or slimlink) that drops
//! them silently changes what `inv_run` sees.

pub struct Plugin {
    pub name: &'static str,
    pub f: fn(i32) -> i32,
}

inventory::collect!(Plugin);

mod arith {
    fn double(x: i32) -> i32 {
        x.wrapping_mul(2)
    }
    fn square(x: i32) -> i32 {
        x.wrapping_mul(x)
    }
    inventory::submit! { crate::Plugin { name: "double", f: double } }
    inventory::submit! { crate::Plugin { name: "square", f: square } }
}

mod bits {
    fn popcount(x: i32) -> i32 {
        x.count_ones() as i32
    }
    inventory::submit! { crate::Plugin { name: "popcount", f: popcount } }
}

mod text {
    fn digits(x: i32) -> i32 {
        x.to_string().len() as i32
    }
    inventory::submit! { crate::Plugin { name: "digits", f: digits } }
}

/// Runs every registered plugin on `x`, in name order (the constructors' order
/// is the linker's business), prints each result and returns a checksum.
#[no_mangle]
pub extern "C" fn inv_run(x: i32) -> i32 {
    let mut plugins: Vec<&Plugin> = inventory::iter::<Plugin>.into_iter().collect();
    plugins.sort_by_key(|p| p.name);
    let mut sum: i32 = 0;
    for (i, p) in plugins.iter().enumerate() {
        let y = (p.f)(x);
        println!("inv: {} -> {}", p.name, y);
        sum = sum.wrapping_add(y.wrapping_mul(i as i32 + 1));
    }
    println!("inv: {} plugins", plugins.len());
    sum
}
