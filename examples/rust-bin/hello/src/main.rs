use std::collections::HashMap;

// A little more than println! so that the binary has generic instances
// (HashMap<String, usize>, Vec<String>) instantiated by this crate.
fn count_words(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in text.split_whitespace() {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

fn main() {
    let counts = count_words("hello world hello slimlink");
    let mut words: Vec<_> = counts.into_iter().collect();
    words.sort();
    for (word, n) in &words {
        println!("{word}: {n}");
    }
}
