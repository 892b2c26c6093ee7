//! `jianbao check`: validate everything, print every problem, build nothing.

use std::path::PathBuf;

use super::{Outcome, print_diagnostics};

#[derive(clap::Args)]
pub struct Args {
    /// Content directory
    #[arg(short = 'c', long = "content", default_value = "content")]
    pub content: PathBuf,
}

pub fn run(args: Args) -> Outcome {
    let diagnostics = jianbao::check(&args.content)?;
    print_diagnostics(&diagnostics);
    let clean = !diagnostics.iter().any(|d| d.is_error());
    if clean {
        say!("ok: {} checked, no errors", args.content.display());
    }
    Ok(clean)
}
