use flate2::{read::DeflateDecoder, write::DeflateEncoder, Compression, Crc};
use std::io::{Read, Write};
use std::slice;

/// Deflates and inflates the input; returns compressed size and CRC-32.
#[no_mangle]
pub unsafe extern "C" fn pzip_run(p: *const u8, n: usize) -> u64 {
    let data = slice::from_raw_parts(p, n);
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::best());
    enc.write_all(data).unwrap();
    let packed = enc.finish().unwrap();
    let mut back = Vec::new();
    DeflateDecoder::new(&packed[..]).read_to_end(&mut back).unwrap();
    assert_eq!(back, data);
    let mut crc = Crc::new();
    crc.update(&back);
    ((packed.len() as u64) << 32) | crc.sum() as u64
}
