//! `jianbao build`: load, render and write the site; one summary line on stderr.

use std::path::PathBuf;

use super::{Outcome, print_diagnostics};

#[derive(clap::Args)]
pub struct Args {
    /// Content directory
    #[arg(short = 'c', long = "content", default_value = "content")]
    pub content: PathBuf,
    /// Output directory (made the site; a rebuild writes only what changed)
    #[arg(short = 'o', long = "output", default_value = "public")]
    pub output: PathBuf,
    /// Include draft records
    #[arg(long)]
    pub drafts: bool,
}

pub fn run(args: Args) -> Outcome {
    let summary = jianbao::build(&jianbao::BuildOptions {
        content: args.content,
        output: args.output.clone(),
        drafts: args.drafts,
    })?;
    if !summary.warnings.is_empty() {
        print_diagnostics(&summary.warnings);
    }
    let changes = summary.changes;
    // A rebuild says how little it wrote; a first build writes everything.
    let rebuilt = if changes.unchanged > 0 || changes.deleted > 0 {
        format!(
            "; {} files written, {} deleted, {} unchanged",
            changes.written, changes.deleted, changes.unchanged
        )
    } else {
        String::new()
    };
    say!(
        "built {}: {} pages, {} files copied in {} ms{rebuilt}",
        args.output.display(),
        summary.pages,
        summary.files_copied,
        summary.elapsed.as_millis()
    );
    Ok(true)
}
