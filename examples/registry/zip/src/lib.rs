//! zip: flate2 over miniz_oxide, with three API functions of clearly
//! different cost (what only each keeps alive, release build, VM bytes):
//!  - `zip_compress`: gzip through flate2's GzEncoder: miniz_oxide's deflate
//!    encoder and flate2's io layer (~35 kB);
//!  - `zip_decompress`: the gzip that `zip_compress` writes, inflated with
//!    flate2's `Decompress` (miniz_oxide's inflate decoder, ~18 kB);
//!  - `zip_crc32`: crc32fast only. Both gzip paths need a CRC-32 too, so
//!    crc32fast's code and 16 kB table are shared: this root keeps almost
//!    nothing alive on its own, though it reaches all of that.
use flate2::{Compression, Crc, Decompress, FlushDecompress, Status};
use std::io::Write;

fn slice<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        &[]
    } else {
        unsafe { core::slice::from_raw_parts(ptr, len) }
    }
}

fn slice_mut<'a>(ptr: *mut u8, len: usize) -> &'a mut [u8] {
    if len == 0 {
        &mut []
    } else {
        unsafe { core::slice::from_raw_parts_mut(ptr, len) }
    }
}

/// Gzips `len` bytes at `ptr` into `out` (room for `cap` bytes). Returns the
/// compressed size, or 0 if it does not fit.
#[no_mangle]
pub extern "C" fn zip_compress(ptr: *const u8, len: usize, out: *mut u8, cap: usize) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), Compression::best());
    if e.write_all(slice(ptr, len)).is_err() {
        return 0;
    }
    match e.finish() {
        Ok(v) if v.len() <= cap => {
            slice_mut(out, cap)[..v.len()].copy_from_slice(&v);
            v.len()
        }
        _ => 0,
    }
}

// GzEncoder writes the fixed 10-byte header (no name, comment or extra
// field); the trailer is the CRC-32 and the length, little-endian.
const HEADER: usize = 10;
const TRAILER: usize = 8;

/// Inflates what `zip_compress` wrote (`len` bytes at `ptr`) into `out`
/// (room for `cap` bytes) and checks its CRC-32 and length. Returns the
/// decompressed size, or 0 on any error or if it does not fit.
#[no_mangle]
pub extern "C" fn zip_decompress(ptr: *const u8, len: usize, out: *mut u8, cap: usize) -> usize {
    let gz = slice(ptr, len);
    if gz.len() < HEADER + TRAILER || gz[..4] != [0x1f, 0x8b, 8, 0] {
        return 0;
    }
    let (body, trailer) = gz[HEADER..].split_at(gz.len() - HEADER - TRAILER);
    let out = slice_mut(out, cap);
    let mut d = Decompress::new(false);
    let n = match d.decompress(body, out, FlushDecompress::Finish) {
        Ok(Status::StreamEnd) => d.total_out() as usize,
        _ => return 0,
    };
    let mut crc = Crc::new();
    crc.update(&out[..n]);
    let want_crc = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
    let want_len = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
    if crc.sum() != want_crc || want_len != n as u32 {
        return 0;
    }
    n
}

/// The CRC-32 (IEEE) of `len` bytes at `ptr`.
#[no_mangle]
pub extern "C" fn zip_crc32(ptr: *const u8, len: usize) -> u32 {
    let mut h = Crc::new();
    h.update(slice(ptr, len));
    h.sum()
}
