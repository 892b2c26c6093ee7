//! The global allocator: mimalloc, asked for plain blocks whenever they are aligned
//! enough.
//!
//! A build allocates millions of small values (template values, rendered strings) from
//! two threads; mimalloc does that faster than the system allocator and gives memory
//! back sooner. The `mimalloc` crate sends every request to `mi_malloc_aligned`, whose
//! fast path covers only blocks up to 1 KiB that happen to be aligned; anything else
//! goes the generic way, which over-allocates by the alignment when the block size is
//! not a power of two (a tenth of all allocations of a build, at ~200 instructions each,
//! and a bigger block). Like std's allocator over `malloc`, this one uses the plain
//! functions when mimalloc's own alignment is enough: every block of more than one
//! word is a multiple of 16 bytes from a 16-aligned start (`MI_MAX_ALIGN_SIZE`).

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The alignment of every mimalloc block of at least this size (`MI_MAX_ALIGN_SIZE`).
const MI_MAX_ALIGN_SIZE: usize = 16;

pub struct Mimalloc;

/// Whether a plain block of `size` bytes is aligned for `align`.
#[inline]
fn plain(size: usize, align: usize) -> bool {
    align <= MI_MAX_ALIGN_SIZE && align <= size
}

// SAFETY: every block comes from mimalloc and goes back to it (`mi_free` takes blocks of
// either kind); a block is aligned as its layout asks (`plain`, or the aligned
// functions).
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: mimalloc's functions take any size and a power-of-two alignment.
        unsafe {
            if plain(layout.size(), layout.align()) {
                mi::mi_malloc(layout.size()).cast()
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        unsafe {
            if plain(layout.size(), layout.align()) {
                mi::mi_zalloc(layout.size()).cast()
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` was allocated by this allocator.
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` was allocated by this allocator with `layout`; the new block
        // keeps its alignment (judged by the new size, as a plain block of it must
        // hold the alignment).
        unsafe {
            if plain(new_size, layout.align()) {
                mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_aligned_as_their_layouts_ask() {
        let a = Mimalloc;
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [
                1,
                7,
                8,
                9,
                16,
                24,
                40,
                48,
                100,
                1000,
                1500,
                5000,
                70_000,
                3 << 20,
            ] {
                let Ok(layout) = Layout::from_size_align(size.max(align), align) else {
                    continue;
                };
                // SAFETY: non-zero sizes; every block is freed with its layout.
                unsafe {
                    let p = a.alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "size {size}, align {align}");
                    p.write_bytes(0xAB, layout.size());
                    let z = a.alloc_zeroed(layout);
                    assert_eq!(z as usize % align, 0, "zeroed: size {size}, align {align}");
                    assert!(
                        std::slice::from_raw_parts(z, layout.size())
                            .iter()
                            .all(|&b| b == 0)
                    );
                    let bigger = layout.size() * 3 + 5;
                    let q = a.realloc(p, layout, bigger);
                    assert_eq!(q as usize % align, 0, "grown: size {size}, align {align}");
                    assert!(
                        std::slice::from_raw_parts(q, layout.size())
                            .iter()
                            .all(|&b| b == 0xAB)
                    );
                    let r = a.realloc(q, Layout::from_size_align_unchecked(bigger, align), align);
                    assert_eq!(r as usize % align, 0, "shrunk: size {size}, align {align}");
                    a.dealloc(r, Layout::from_size_align_unchecked(align, align));
                    a.dealloc(z, layout);
                }
            }
        }
    }
}
