//! delta: an unrelated fourth library, shipped apart from the other three
//! (the tests build it with another profile and link it beside them).

/// Prints a joined list of squares and returns their count.
#[no_mangle]
pub extern "C" fn delta_squares(n: u32) -> u32 {
    let squares: Vec<String> = (1..=n).map(|k| (k * k).to_string()).collect();
    println!("delta: {}", squares.join(","));
    squares.len() as u32
}
