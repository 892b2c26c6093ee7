//! `jianbao import FILE...`: legacy documents (.docx or plain text) into records.

use std::path::PathBuf;

use jianbao::Error;
use jianbao::content::Kind;
use jianbao::import::{Options, import};

use super::Outcome;

#[derive(clap::Args)]
pub struct Args {
    /// Word documents (.docx) or plain text (UTF-8, UTF-16 or GB18030/GBK)
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Record kind of every document: plan, minutes, case or essay (default: guessed)
    #[arg(long)]
    pub kind: Option<String>,
    /// Print the records instead of writing them
    #[arg(long)]
    pub dry_run: bool,
    /// Content directory
    #[arg(short = 'c', long = "content", default_value = "content")]
    pub content: PathBuf,
}

pub fn run(args: Args) -> Outcome {
    let kind = match args.kind.as_deref() {
        Some(name) => Some(Kind::from_name(name).ok_or_else(|| {
            Error::Usage(format!(
                "unknown kind `{name}`: use plan, minutes, case or essay"
            ))
        })?),
        None => None,
    };
    let options = Options {
        kind,
        dry_run: args.dry_run,
    };
    let imported = import(&args.content, &args.files, options)?;
    let verb = if args.dry_run { "would write" } else { "wrote" };
    for record in &imported {
        if args.dry_run {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "==> {} <==\n{}", record.record, record.text);
        }
        say!(
            "{verb} {} (from {})",
            record.record,
            record.source.display()
        );
        for note in &record.notes {
            say!("  请核对: {note}");
        }
    }
    if !args.dry_run && !imported.is_empty() {
        say!("run `jianbao check` to see every field still to fill in");
    }
    Ok(true)
}
