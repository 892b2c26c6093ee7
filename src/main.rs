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
    /// Turn legacy documents (.docx or plain text) into records
    Import(cmd::import::Args),
}

fn main() -> ExitCode {
    jianbao::memory::small_pages();
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Init(args) => cmd::init::run(args),
        Command::New(args) => cmd::new::run(args),
        Command::Report(args) => cmd::report::run(args),
        Command::Publish(args) => cmd::publish::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Import(args) => cmd::import::run(args),
    };
    cmd::exit(outcome)
}
