//! alpha: word statistics with a HashMap and Strings (allocates a lot).
use std::collections::HashMap;
use std::ffi::CStr;
use std::os::raw::c_char;

/// Prints the three most frequent words of `text` and returns the number of
/// distinct words.
#[no_mangle]
pub extern "C" fn alpha_word_stats(text: *const c_char) -> u32 {
    let text = unsafe { CStr::from_ptr(text) }.to_string_lossy();
    let mut counts: HashMap<String, u32> = HashMap::new();
    for word in text.split_whitespace() {
        let w = word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        if !w.is_empty() {
            *counts.entry(w).or_insert(0) += 1;
        }
    }
    let mut top: Vec<(&String, &u32)> = counts.iter().collect();
    top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (word, n) in top.iter().take(3) {
        println!("alpha: {word} x{n}");
    }
    counts.len() as u32
}
