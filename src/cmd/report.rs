//! `jianbao report`: documents made from the records. `report monthly YYYY-MM` is the
//! monthly briefing (月度简报) as Markdown, HTML or JSON, to stdout or a file.

use std::io::Write;
use std::path::{Path, PathBuf};

use jianbao::Error;
use jianbao::content::{self, YearMonth};
use jianbao::render::briefing;
use jianbao::stats::monthly;

use super::{Outcome, print_diagnostics};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub report: Report,
}

#[derive(clap::Subcommand)]
pub enum Report {
    /// The monthly briefing (月度简报) of one month
    Monthly(MonthlyArgs),
}

pub fn run(args: Args) -> Outcome {
    match args.report {
        Report::Monthly(args) => run_monthly(args),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MonthlyFormat {
    Html,
    Md,
    Json,
}

#[derive(clap::Args)]
pub struct MonthlyArgs {
    /// The month of the briefing, e.g. 2026-03
    #[arg(value_parser = parse_month)]
    pub month: YearMonth,
    /// Content directory
    #[arg(short = 'c', long = "content", default_value = "content")]
    pub content: PathBuf,
    /// Output format [default: from the -o file's extension, else md]
    #[arg(long, value_enum)]
    pub format: Option<MonthlyFormat>,
    /// Write to this file instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn parse_month(s: &str) -> Result<YearMonth, String> {
    s.parse()
}

/// The format asked for, or the one the output file's extension names, or Markdown.
fn monthly_format(args: &MonthlyArgs) -> MonthlyFormat {
    let from_extension = args
        .output
        .as_deref()
        .and_then(Path::extension)
        .and_then(|e| e.to_str())
        .and_then(|e| match e.to_ascii_lowercase().as_str() {
            "html" | "htm" => Some(MonthlyFormat::Html),
            "md" | "markdown" => Some(MonthlyFormat::Md),
            "json" => Some(MonthlyFormat::Json),
            _ => None,
        });
    args.format.or(from_extension).unwrap_or(MonthlyFormat::Md)
}

fn run_monthly(args: MonthlyArgs) -> Outcome {
    let (corpus, diagnostics) = content::load(&args.content, false)?;
    print_diagnostics(&diagnostics);
    if diagnostics.iter().any(|d| d.is_error()) {
        eprintln!("no briefing: fix the errors above first (`jianbao check` lists them)");
        return Ok(false);
    }
    let report = monthly::monthly(&corpus, args.month);
    // A published briefing carries its own date; a preview is dated the month's last day.
    let date = report.published.unwrap_or(args.month.last_day());
    let bulletin = &corpus.site.bulletin;
    let text = match monthly_format(&args) {
        MonthlyFormat::Md => briefing::markdown(&report, bulletin, date),
        MonthlyFormat::Html => briefing::html(&report, bulletin, date)?,
        MonthlyFormat::Json => serde_json::to_string_pretty(&report)
            .map(|s| s + "\n")
            .map_err(|e| Error::Usage(format!("cannot write JSON: {e}")))?,
    };
    write_out(args.output.as_deref(), &text)?;
    Ok(true)
}

/// Writes a report to a file, or to stdout (a closed pipe, as with `| head`, is fine).
fn write_out(path: Option<&Path>, text: &str) -> Result<(), Error> {
    match path {
        Some(path) => std::fs::write(path, text).map_err(|e| Error::io(path, e)),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(Error::io("<stdout>", e))
                }
                _ => Ok(()),
            }
        }
    }
}
