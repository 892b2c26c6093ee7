//! How this process takes memory from the kernel: in 4 KiB pages for an ordinary site,
//! in transparent huge pages (2 MiB) once the site is known to be big.
//!
//! Every first touch of a 4 KiB page is a fault, dear on a virtual machine (2 to 30 us
//! here, depending on the host's load). Huge pages make ~50 times fewer faults but hold
//! more than they use: a 10,000-record build then takes ~45 MB more (past the 200 MB it
//! may take) and was no faster on a slow host, while a 100,000-record build takes 5%
//! more (~90 MB of 1.6 GB), makes 25,000 faults instead of 470,000 and was ~15% faster
//! (nine runs each way, in turns, on 2026-12-01; on another host that had to compact
//! memory for them, 1 s slower). So huge pages are refused at start and allowed
//! again by [`fit_pages_to`], which the content loader calls once its walk has counted
//! the records, before it reads them.
//!
//! The kernel checks the flag when memory is first touched, so allowing huge pages
//! covers what the allocator had mapped but not used yet. Only Linux has the flag; on
//! other systems both functions do nothing.

/// From this many records on, a build's memory is big enough (~700 MB) that huge
/// pages' slack is a small share of it.
pub const HUGE_PAGES_FROM_RECORDS: usize = 40_000;

/// Refuses transparent huge pages for this process (until [`fit_pages_to`] allows
/// them): called first thing by the command line.
pub fn small_pages() {
    set_huge_pages_disabled(true);
}

/// Allows transparent huge pages again when a site of `records` records is big
/// enough for them (see the module's comment).
pub fn fit_pages_to(records: usize) {
    if records >= HUGE_PAGES_FROM_RECORDS {
        set_huge_pages_disabled(false);
    }
}

#[cfg(target_os = "linux")]
fn set_huge_pages_disabled(disabled: bool) {
    // SAFETY: prctl with PR_SET_THP_DISABLE takes integer arguments only and changes a
    // flag of this process; a kernel that refuses leaves everything as it was.
    unsafe {
        libc::prctl(
            libc::PR_SET_THP_DISABLE,
            libc::c_ulong::from(disabled),
            0,
            0,
            0,
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn set_huge_pages_disabled(_disabled: bool) {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn huge_pages_disabled() -> bool {
        // SAFETY: PR_GET_THP_DISABLE only reads this process's flag.
        unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) == 1 }
    }

    #[test]
    fn huge_pages_are_refused_at_start_and_allowed_for_a_big_site_only() {
        small_pages();
        assert!(huge_pages_disabled());
        fit_pages_to(HUGE_PAGES_FROM_RECORDS - 1);
        assert!(
            huge_pages_disabled(),
            "a site below the threshold keeps small pages"
        );
        fit_pages_to(HUGE_PAGES_FROM_RECORDS);
        assert!(!huge_pages_disabled());
        small_pages();
    }
}
