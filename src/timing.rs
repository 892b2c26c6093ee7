//! Phase timings for finding where a build spends its time:
//! `JIANBAO_TIMINGS=1 jianbao build` prints on stderr each step's wall time, CPU time and
//! memory, then the time and output of each template and of the report values.

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
    let cpu = cpu_ms();
    let value = step();
    say(format_args!(
        "  {name:<24} {:>8.1} ms {:>8.0} ms cpu {:>6} MiB resident",
        start.elapsed().as_secs_f64() * 1000.0,
        cpu_ms() - cpu,
        resident_mib()
    ));
    value
}

/// Writes a line of timings on stderr. A closed stderr (`2>&1 | head`) loses the
/// figures, not the build: eprintln! would panic.
fn say(line: std::fmt::Arguments) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// The CPU time (user and system) of the process so far, from /proc (0 where there is
/// none), in milliseconds at the kernel's tick of 10 ms.
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<f64>().ok())
        .sum();
    ticks * 10.0
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

/// The time and output of the jobs of one name (a template), summed over threads.
struct Tally {
    name: String,
    count: u64,
    nanos: u128,
    bytes: u64,
}

static TALLIES: std::sync::Mutex<Vec<Tally>> = std::sync::Mutex::new(Vec::new());

/// Runs `job` and, when timings are on, adds its time (on its own thread) and output
/// size to the tally of `name` (printed by [`print_tallies`]).
pub fn tally<T>(name: &str, bytes: impl Fn(&T) -> usize, job: impl FnOnce() -> T) -> T {
    if !enabled() {
        return job();
    }
    let start = Instant::now();
    let value = job();
    let nanos = start.elapsed().as_nanos();
    let size = bytes(&value) as u64;
    let mut tallies = TALLIES.lock().unwrap_or_else(|e| e.into_inner());
    match tallies.iter_mut().find(|t| t.name == name) {
        Some(t) => {
            t.count += 1;
            t.nanos += nanos;
            t.bytes += size;
        }
        None => tallies.push(Tally {
            name: name.to_string(),
            count: 1,
            nanos,
            bytes: size,
        }),
    }
    value
}

/// Prints the tallies, most time first, and clears them.
pub fn print_tallies() {
    if !enabled() {
        return;
    }
    let mut tallies = std::mem::take(&mut *TALLIES.lock().unwrap_or_else(|e| e.into_inner()));
    tallies.sort_by_key(|t| std::cmp::Reverse(t.nanos));
    for t in tallies {
        say(format_args!(
            "    {:<22} {:>7} x {:>8.1} ms {:>8.1} MiB",
            t.name,
            t.count,
            t.nanos as f64 / 1e6,
            t.bytes as f64 / (1024.0 * 1024.0)
        ));
    }
}
