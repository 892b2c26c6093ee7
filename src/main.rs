//! The `jianbao` command line: parses arguments, calls the library, prints, and picks the
//! exit code (0 ok, 1 content errors, 2 usage or I/O failure). One file per subcommand
//! under `cmd/`; the work itself is done by the library.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Check(args) => cmd::check::run(args),
    };
    cmd::exit(outcome)
}
