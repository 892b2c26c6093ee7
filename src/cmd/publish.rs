//! `jianbao publish YYYY-MM`: freeze the month's briefing into briefings/, commit, tag.

use std::path::PathBuf;

use jianbao::content::YearMonth;
use jianbao::publish::{GitOutcome, publish};

use super::Outcome;

#[derive(clap::Args)]
pub struct Args {
    /// The month to publish, e.g. 2026-03
    #[arg(value_parser = parse_month)]
    pub month: YearMonth,
    /// Content directory
    #[arg(short = 'c', long = "content", default_value = "content")]
    pub content: PathBuf,
    /// Publish again a month already published (keeps its issue number, moves its tag)
    #[arg(long)]
    pub force: bool,
}

fn parse_month(s: &str) -> Result<YearMonth, String> {
    s.parse()
}

pub fn run(args: Args) -> Outcome {
    let today = chrono::Local::now().date_naive();
    let done = publish(&args.content, args.month, args.force, today)?;
    let verb = if done.republished {
        "重新发布"
    } else {
        "已发布"
    };
    say!(
        "{verb}：第{}期 ({}) -> {}",
        done.issue,
        args.month,
        done.path.display()
    );
    match done.git {
        GitOutcome::Committed { commit, tag } => say!("git: 已提交 {commit}，标签 {tag}"),
        GitOutcome::Unchanged { tag } => {
            say!("git: 文件与已提交的版本相同，未新建提交；标签 {tag}")
        }
        GitOutcome::NotARepository => {
            say!("git: 内容目录不在 git 仓库中，已写入文件，未提交")
        }
        GitOutcome::NoGit(why) => say!("git: 无法运行 git（{why}），已写入文件，未提交"),
    }
    Ok(true)
}
