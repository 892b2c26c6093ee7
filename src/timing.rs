//! Phase timings for finding where a build spends its time:
//! `JIANBAO_TIMINGS=1 jianbao build` prints each step's wall time on stderr.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| std::env::var_os("JIANBAO_TIMINGS").is_some_and(|v| v != "0"))
}

/// Runs `step`, printing its name, wall time and the memory in use after it when
/// timings are on.
pub fn phase<T>(name: &str, step: impl FnOnce() -> T) -> T {
    if !enabled() {
        return step();
    }
    let start = Instant::now();
    let value = step();
    eprintln!(
        "  {name:<24} {:>8.1} ms {:>6} MiB resident",
        start.elapsed().as_secs_f64() * 1000.0,
        resident_mib()
    );
    value
}

/// The process's resident memory now, from /proc (0 where there is none).
fn resident_mib() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    pages * 4096 / (1024 * 1024)
}
