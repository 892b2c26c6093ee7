//! One module per subcommand. Each `run` returns an [`Outcome`]; `exit` prints what is
//! left to print and chooses the exit code.

/// A line on stderr. A closed stderr (`jianbao check 2>&1 | head -3`) drops the rest of
/// the messages instead of panicking, as `eprintln!` would: the exit code still says how
/// the command went.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

pub mod build;
pub mod check;
pub mod import;
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
            say!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Prints diagnostics to stderr, one per problem, then a count.
pub fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        say!("{d}");
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if errors > 0 || warnings > 0 {
        say!("{errors} error(s), {warnings} warning(s)");
    }
}
