//! One module per subcommand. Each `run` returns an [`Outcome`]; `exit` prints what is
//! left to print and chooses the exit code.

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod publish;
pub mod report;
pub mod serve;

use std::process::ExitCode;

use jianbao::{Diagnostic, Error};

/// What a subcommand ended with: `Ok(true)` clean, `Ok(false)` content errors that were
/// already printed, `Err` anything else.
pub type Outcome = Result<bool, Error>;

pub fn exit(outcome: Outcome) -> ExitCode {
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(Error::Content(diagnostics)) => {
            print_diagnostics(&diagnostics);
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Prints diagnostics to stderr, one per problem, then a count.
pub fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if errors > 0 || warnings > 0 {
        eprintln!("{errors} error(s), {warnings} warning(s)");
    }
}
