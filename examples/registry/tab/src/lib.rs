//! tab: a linkme-style distributed table. Entries are `#[used]` statics in a
//! section named like a C identifier, `slimlink_tab`; the linker defines
//! `__start_slimlink_tab`/`__stop_slimlink_tab` around all of them, and
//! `tab_run` walks that range. Nothing references an entry by name.

#[repr(C)]
pub struct Entry {
    pub name: &'static str,
    pub weight: i32,
    pub f: fn(i32) -> i32,
}

mod add {
    use crate::Entry;
    fn plus_one(x: i32) -> i32 {
        x.wrapping_add(1)
    }
    fn plus_ten(x: i32) -> i32 {
        x.wrapping_add(10)
    }
    #[used]
    #[link_section = "slimlink_tab"]
    static ENTRY_A: Entry = Entry { name: "plus_one", weight: 1, f: plus_one };
    #[used]
    #[link_section = "slimlink_tab"]
    static ENTRY_B: Entry = Entry { name: "plus_ten", weight: 2, f: plus_ten };
}

mod mul {
    use crate::Entry;
    fn triple(x: i32) -> i32 {
        x.wrapping_mul(3)
    }
    #[used]
    #[link_section = "slimlink_tab"]
    static ENTRY_C: Entry = Entry { name: "triple", weight: 3, f: triple };
}

/// Nothing outside this module refers to anything in it: only the table does.
mod orphan {
    use crate::Entry;
    fn negate(x: i32) -> i32 {
        x.wrapping_neg()
    }
    #[used]
    #[link_section = "slimlink_tab"]
    static ENTRY_D: Entry = Entry { name: "negate", weight: 4, f: negate };
}

// Defined by the linker; the type is only what the range holds (Rust types
// inside, hence the lint).
#[allow(improper_ctypes)]
extern "C" {
    static __start_slimlink_tab: Entry;
    static __stop_slimlink_tab: Entry;
}

fn entries() -> &'static [Entry] {
    unsafe {
        let start = core::ptr::addr_of!(__start_slimlink_tab);
        let stop = core::ptr::addr_of!(__stop_slimlink_tab);
        let n = (stop as usize - start as usize) / core::mem::size_of::<Entry>();
        core::slice::from_raw_parts(start, n)
    }
}

/// Applies every entry of the table to `x`, in name order (the linker decides
/// the table's order), prints each and returns the weighted sum.
#[no_mangle]
pub extern "C" fn tab_run(x: i32) -> i32 {
    let mut all: Vec<&Entry> = entries().iter().collect();
    all.sort_by_key(|e| e.name);
    let mut sum: i32 = 0;
    for e in &all {
        let y = (e.f)(x);
        println!("tab: {} (weight {}) -> {}", e.name, e.weight, y);
        sum = sum.wrapping_add(y.wrapping_mul(e.weight));
    }
    println!("tab: {} entries", all.len());
    sum
}
