// Plugin 1 of the Windows example: formatting (std::fmt, String).
use std::fmt::Write;

/// Writes "plug1: <n> squared is <n*n>, hex 0x<n*n>" into buf (NUL-terminated,
/// cut to len); returns the length of the whole text.
#[no_mangle]
pub extern "C" fn plug1_describe(n: i32, buf: *mut u8, len: usize) -> usize {
    let mut s = String::new();
    let sq = (n as i64) * (n as i64);
    write!(s, "plug1: {} squared is {}, hex {:#x}, {:>8.3}", n, sq, sq, n as f64 / 7.0).unwrap();
    copy_out(&s, buf, len)
}

/// The sum of the decimal digits of every number in 1..=n.
#[no_mangle]
pub extern "C" fn plug1_run(n: i32) -> i32 {
    (1..=n).map(|i| i.to_string().bytes().map(|b| (b - b'0') as i32).sum::<i32>()).sum()
}

fn copy_out(s: &str, buf: *mut u8, len: usize) -> usize {
    if !buf.is_null() && len > 0 {
        let n = s.len().min(len - 1);
        unsafe {
            std::ptr::copy_nonoverlapping(s.as_ptr(), buf, n);
            *buf.add(n) = 0;
        }
    }
    s.len()
}
