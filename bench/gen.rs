//! `jianbao-gen DIR RECORDS [--seed N]`: writes a synthetic content directory of RECORDS
//! Markdown records (see `jianbao::synth`) for benchmarks and scale tests.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

#[derive(Parser)]
#[command(
    name = "jianbao-gen",
    about = "生成基准测试用的合成内容目录（学习记录、心得文章、典型案例、学习计划、台账与考评）"
)]
struct Args {
    /// Directory to create (must not exist or be empty)
    dir: PathBuf,
    /// Number of Markdown records
    records: usize,
    /// PRNG seed: the same seed gives the same files
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let start = Instant::now();
    match jianbao::synth::generate(&args.dir, args.records, args.seed) {
        Ok(s) => {
            eprintln!(
                "generated {} records ({} minutes, {} essays, {} cases, {} plans), \
                 {} departments, {} people, {}-{}, {} logs, {} reviews, {} files, {:.1} MiB \
                 in {:.2}s -> {}",
                s.records,
                s.minutes,
                s.essays,
                s.cases,
                s.plans,
                s.departments,
                s.people,
                s.first_year,
                s.last_year,
                s.logs,
                s.reviews,
                s.files,
                s.bytes as f64 / 1_048_576.0,
                start.elapsed().as_secs_f64(),
                args.dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot generate into {}: {e}", args.dir.display());
            ExitCode::from(2)
        }
    }
}
