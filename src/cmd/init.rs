//! `jianbao init DIR`: a new site with a small working example.

use std::path::PathBuf;

use super::Outcome;

#[derive(clap::Args)]
pub struct Args {
    /// Directory to create (must be new or empty)
    pub dir: PathBuf,
}

pub fn run(args: Args) -> Outcome {
    let written = jianbao::scaffold::init(&args.dir)?;
    say!(
        "created a new site in {} ({} files)",
        args.dir.display(),
        written.len()
    );
    say!(
        "next: jianbao check -c {0} && jianbao build -c {0}",
        args.dir.display()
    );
    Ok(true)
}
