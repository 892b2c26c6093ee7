//! How this process takes memory from the kernel: in 4 KiB pages, never in transparent
//! huge pages (2 MiB), whatever the system's default.
//!
//! Every first touch of a page is a fault, dear on a virtual machine. Huge pages make
//! ~50 times fewer faults but hold more than they use, and on the hosts we measured
//! their first touch is the dearer one by far: a fresh 1.5 GB took 0.9 s in small pages
//! and 18.9 s in huge pages (79 MB/s: the guest had given those free 2 MiB blocks back
//! to the host, which had to find memory for them again). A 10,000-record build took
//! ~45 MB more with them (past the 200 MB it may take) and was not faster. At 100,000
//! records they were ~15% faster in eight of nine runs on 2026-12-01 (00:00 to 02:00)
//! but slower in all five on the same host an hour later (18.4 to 22.9 s against 12.2
//! to 20.8 s), and 1 s slower on 2026-11-30's host: small pages cost less in the worst
//! case, so they are kept for every size.
//!
//! Only Linux has the flag; elsewhere [`small_pages`] does nothing.

/// Refuses transparent huge pages for this process: called first thing by the command
/// line, before the allocator maps anything big.
pub fn small_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE takes integer arguments only and changes a
    // flag of this process; a kernel that refuses leaves everything as it was.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1 as libc::c_ulong, 0, 0, 0);
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn huge_pages_are_refused() {
        small_pages();
        // SAFETY: PR_GET_THP_DISABLE only reads this process's flag.
        let disabled = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        assert_eq!(disabled, 1);
    }
}
