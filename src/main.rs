//! The `jianbao` command line: parses arguments, calls the library, prints, and picks the
//! exit code (0 ok, 1 content errors, 2 usage or I/O failure). One file per subcommand
//! under `cmd/`; the work itself is done by the library.

mod allocator;
mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc (see [`allocator`]).
#[global_allocator]
static ALLOCATOR: allocator::Mimalloc = allocator::Mimalloc;

#[derive(Parser)]
#[command(
    name = "jianbao",
    version,
    about = "学习型机关建设：记录、简报与考评的静态站点生成器"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output directory (atomically: all or nothing)
    Build(cmd::build::Args),
    /// Validate everything, print every problem, build nothing
    Check(cmd::check::Args),
    /// Create a new site with a small working example
    Init(cmd::init::Args),
    /// Scaffold a record: jianbao new minutes "标题" --department ID
    New(cmd::new::Args),
    /// Reports made from the records: the monthly briefing, the year-end evaluation
    Report(cmd::report::Args),
    /// Freeze a month's briefing into briefings/, commit and tag it
    Publish(cmd::publish::Args),
    /// Live preview: serve the site from memory, rebuild and reload on every edit
    Serve(cmd::serve::Args),
}

/// Transparent huge pages would have the allocator's memory touched 2 MiB at a time: a
/// 10,000-record build then holds ~45 MB more (~20 MB with mimalloc's version 2, which
/// is otherwise no smaller and no faster), past the 200 MB it may take. Every first
/// touch of a 4 KiB page is a fault, dear on a virtual machine (2 to 30 us here,
/// depending on the host's load): in huge pages the build takes ~2,000 faults instead
/// of ~45,000 and was 5 to 20% faster. Asked of the kernel for this process only;
/// checked when memory is first touched, so it covers what was mapped before.
#[cfg(target_os = "linux")]
fn no_transparent_huge_pages() {
    // SAFETY: prctl with PR_SET_THP_DISABLE takes integer arguments only and changes a
    // flag of this process; a kernel that refuses leaves everything as it was.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> ExitCode {
    #[cfg(target_os = "linux")]
    no_transparent_huge_pages();
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Init(args) => cmd::init::run(args),
        Command::New(args) => cmd::new::run(args),
        Command::Report(args) => cmd::report::run(args),
        Command::Publish(args) => cmd::publish::run(args),
        Command::Serve(args) => cmd::serve::run(args),
    };
    cmd::exit(outcome)
}
