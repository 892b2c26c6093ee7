//! `jianbao report`: documents made from the records, to stdout or a file.
//! `report monthly YYYY-MM` is the monthly briefing (月度简报) as Markdown, HTML or JSON;
//! `report annual YYYY` is the year-end evaluation (年终考评) as Markdown, HTML, JSON or CSV.

use std::io::Write;
use std::path::{Path, PathBuf};

use jianbao::Error;
use jianbao::content::{self, YearMonth};
use jianbao::render::{briefing, evaluation};
use jianbao::stats::{annual, monthly};

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
    /// The year-end evaluation (年终考评): scores, grades, awards
    Annual(AnnualArgs),
}

pub fn run(args: Args) -> Outcome {
    match args.report {
        Report::Monthly(args) => run_monthly(args),
        Report::Annual(args) => run_annual(args),
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
        say!("no briefing: fix the errors above first (`jianbao check` lists them)");
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

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AnnualFormat {
    Html,
    Md,
    Json,
    Csv,
}

#[derive(clap::Args)]
pub struct AnnualArgs {
    /// The year to evaluate, e.g. 2026
    pub year: i32,
    /// Content directory
    #[arg(short = 'c', long = "content", default_value = "content")]
    pub content: PathBuf,
    /// Count only the months up to this one (YYYY-MM), for a view during the year
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
    pub through: Option<YearMonth>,
    /// Output format [default: from the -o file's extension, else md]
    #[arg(long, value_enum)]
    pub format: Option<AnnualFormat>,
    /// CSV: one row per person instead of per department; md/html: add every person
    #[arg(long)]
    pub people: bool,
    /// Write to this file instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn parse_month(s: &str) -> Result<YearMonth, String> {
    s.parse()
}

/// The format asked for, or the one the output file's extension names, or Markdown.
fn annual_format(args: &AnnualArgs) -> AnnualFormat {
    let from_extension = args
        .output
        .as_deref()
        .and_then(Path::extension)
        .and_then(|e| e.to_str())
        .and_then(|e| match e.to_ascii_lowercase().as_str() {
            "html" | "htm" => Some(AnnualFormat::Html),
            "md" | "markdown" => Some(AnnualFormat::Md),
            "json" => Some(AnnualFormat::Json),
            "csv" => Some(AnnualFormat::Csv),
            _ => None,
        });
    args.format.or(from_extension).unwrap_or(AnnualFormat::Md)
}

fn run_annual(args: AnnualArgs) -> Outcome {
    if let Some(through) = args.through
        && through.year != args.year
    {
        return Err(Error::Usage(format!(
            "--through {through} is not in {}: give a month of that year, like {}-06",
            args.year, args.year
        )));
    }
    let (corpus, diagnostics) = content::load(&args.content, false)?;
    if diagnostics.iter().any(|d| d.is_error()) {
        print_diagnostics(&diagnostics);
        say!("no report: fix the errors above first (`jianbao check` lists them)");
        return Ok(false);
    }
    print_diagnostics(&diagnostics);
    let has_data = corpus.years().contains(&args.year) || corpus.reviews.contains_key(&args.year);
    if !has_data {
        let years: Vec<String> = corpus.years().iter().map(i32::to_string).collect();
        return Err(Error::Usage(format!(
            "{} has no records, logs or review for {} (years with records: {})",
            args.content.display(),
            args.year,
            if years.is_empty() {
                "none".into()
            } else {
                years.join(", ")
            }
        )));
    }
    let evaluation = annual::evaluate(&corpus, args.year, args.through);
    let site_title = corpus.site.title.as_str();
    let text = match annual_format(&args) {
        AnnualFormat::Md => evaluation::markdown(&evaluation, site_title, args.people),
        AnnualFormat::Html => evaluation::html(&evaluation, site_title, args.people),
        AnnualFormat::Csv if args.people => evaluation::csv_people(&evaluation),
        AnnualFormat::Csv => evaluation::csv_departments(&evaluation),
        AnnualFormat::Json => evaluation::json(&evaluation)
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
