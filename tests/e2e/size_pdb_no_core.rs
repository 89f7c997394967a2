// A Rust crate without core (nightly: #![no_core]), built for
// x86_64-pc-windows-msvc where no std for it is installed: what rustc
// writes for an MSVC target (v0 publics, CodeView names by path), for
// tests/e2e/size_pdb.sh. The lang items are what rustc nightly of
// 2026-05 asks for; another nightly may ask for others (the test then
// says so and skips this part).
#![feature(no_core, lang_items)]
#![allow(internal_features)]
#![no_core]
#[lang = "pointee_sized"] pub trait PointeeSized {}
#[lang = "meta_sized"] pub trait MetaSized: PointeeSized {}
#[lang = "sized"] pub trait Sized: MetaSized {}
#[lang = "copy"] pub trait Copy {}
impl Copy for u32 {}
pub mod shapes {
    #[inline(never)]
    pub fn area(w: u32, _h: u32) -> u32 { w }
    #[inline(never)]
    fn twice(x: u32) -> u32 { x }
    #[inline(never)]
    pub fn perimeter(w: u32, h: u32) -> u32 { let _ = twice(h); twice(w) }
}
#[no_mangle]
pub extern "C" fn main() -> u32 { let _ = shapes::area(6, 7); shapes::perimeter(6, 7) }
