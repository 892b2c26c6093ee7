//! The `jianbao` command line: parses arguments, calls the library, prints, and picks the
//! exit code (0 ok, 1 content errors, 2 usage or I/O failure).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use jianbao::{Diagnostic, Error};

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
    /// Validate everything, print every problem, build nothing
    Check {
        /// Content directory
        #[arg(short = 'c', long = "content", default_value = "content")]
        content: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { content } => jianbao::check(&content).map(|ds| {
            print_diagnostics(&ds);
            let errors = ds.iter().filter(|d| d.is_error()).count();
            if errors == 0 {
                eprintln!("ok: no errors ({} warning(s))", ds.len());
            }
            errors
        }),
    };
    match result {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(Error::Content(ds)) => {
            print_diagnostics(&ds);
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        eprintln!(
            "{errors} error(s), {} warning(s)",
            diagnostics.len() - errors
        );
    }
}
