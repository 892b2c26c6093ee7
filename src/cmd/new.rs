//! `jianbao new KIND "标题"`: scaffold one record with today's date and its kind's fields.

use std::path::PathBuf;

use jianbao::Error;
use jianbao::content::Kind;
use jianbao::scaffold::{NewRecord, new_record};

use super::Outcome;

#[derive(clap::Args)]
pub struct Args {
    /// Record kind: plan, minutes, case or essay
    pub kind: String,
    /// Title of the record
    pub title: String,
    /// Department id (org.yaml)
    #[arg(long)]
    pub department: Option<String>,
    /// Author, host or person id (org.yaml)
    #[arg(long)]
    pub author: Option<String>,
    /// File name without .md (default: the date)
    #[arg(long)]
    pub slug: Option<String>,
    /// Content directory
    #[arg(short = 'c', long = "content", default_value = "content")]
    pub content: PathBuf,
}

pub fn run(args: Args) -> Outcome {
    let kind = Kind::from_name(&args.kind).ok_or_else(|| {
        Error::Usage(format!(
            "unknown kind `{}`: use plan, minutes, case or essay",
            args.kind
        ))
    })?;
    let new = NewRecord {
        kind,
        title: &args.title,
        department: args.department.as_deref(),
        author: args.author.as_deref(),
        slug: args.slug.as_deref(),
        date: chrono::Local::now().date_naive(),
    };
    let path = new_record(&args.content, &new)?;
    say!("wrote {}", path.display());
    Ok(true)
}
