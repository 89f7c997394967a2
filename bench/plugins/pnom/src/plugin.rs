use nom::{
    bytes::complete::{tag, take_while1},
    character::complete::digit1,
    multi::separated_list0,
    sequence::separated_pair,
    IResult,
};
use std::slice;

fn pair(i: &str) -> IResult<&str, (&str, &str)> {
    separated_pair(take_while1(|c: char| c.is_alphanumeric()), tag("="), digit1)(i)
}

/// Parses `k=v;k=v` with nom; returns pairs, value sum and base64 length.
#[no_mangle]
pub unsafe extern "C" fn pnom_run(p: *const u8, n: usize) -> u64 {
    let bytes = slice::from_raw_parts(p, n);
    let text = std::str::from_utf8(bytes).unwrap_or("");
    let pairs = separated_list0(tag(";"), pair)(text).map(|(_, v)| v).unwrap_or_default();
    let sum: u64 = pairs.iter().map(|(_, v)| v.parse::<u64>().unwrap_or(0)).sum();
    let b64 = base64::encode(bytes);
    assert_eq!(base64::decode(&b64).unwrap(), bytes);
    ((pairs.len() as u64) << 48) | (sum << 16) | b64.len() as u64
}
