use regex::Regex;
use std::slice;

/// Sums the numbers of every `key=number` pair in the input.
#[no_mangle]
pub unsafe extern "C" fn pregex_run(p: *const u8, n: usize) -> u64 {
    let text = String::from_utf8_lossy(slice::from_raw_parts(p, n));
    let re = Regex::new(r"(\w+)=(\d+)").unwrap();
    re.captures_iter(&text).map(|c| c[2].parse::<u64>().unwrap_or(0) + c[1].len() as u64).sum()
}
