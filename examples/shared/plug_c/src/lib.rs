//! Formats, sorts and hashes: more of std than the others use.
use std::collections::HashMap;
use std::ffi::CString;
use std::os::raw::c_char;

/// Words of `n` numbers in English-ish, counted by length; the result a
/// C string the caller gives back to c_free.
#[no_mangle]
pub extern "C" fn c_describe(n: u32) -> *mut c_char {
    let mut by_len: HashMap<usize, Vec<String>> = HashMap::new();
    for k in 1..=n {
        let w = format!("{:x}-{}", k * 2654435761u32 % 1000, k);
        by_len.entry(w.len()).or_default().push(w);
    }
    let mut lens: Vec<_> = by_len.into_iter().collect();
    lens.sort();
    let text: Vec<String> = lens
        .iter()
        .map(|(l, ws)| format!("{}:{}", l, ws.len()))
        .collect();
    CString::new(text.join(" ")).unwrap().into_raw()
}

#[no_mangle]
pub extern "C" fn c_free(s: *mut c_char) {
    drop(unsafe { CString::from_raw(s) });
}
