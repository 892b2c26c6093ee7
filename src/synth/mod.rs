//! Synthetic content for benchmarks and scale tests: a complete site in our content
//! format (site.yaml, org.yaml, rules.yaml, plans, minutes, essays, cases with cover
//! images, monthly logs, yearly reviews) of any size, identical for the same seed.
//!
//! The mix is 45% minutes, 30% essays, 15% cases and 10% plans, spread over
//! `records / 1000` years (at least 2, at most 10) ending in [`LAST_YEAR`], with about
//! `records / 100` departments (at least 8) of 5 to 7 people. Bodies are about 600
//! Chinese characters of Markdown with headings, lists and a table. Every generated
//! site passes `jianbao check` without errors (tests/bench_smoke.rs checks it).
//!
//! Records are generated in parallel, each from its own PRNG stream derived from the
//! seed and its index, so the output does not depend on the thread count.

mod org;
mod png;
mod records;
mod text;

use std::fs;
use std::io;
use std::path::Path;

use rayon::prelude::*;

use org::Org;
use text::Rng;

/// The last year of generated records; the first is `LAST_YEAR - years + 1`.
pub const LAST_YEAR: i32 = 2026;

/// Number of cover images written under `assets/covers/`.
const COVERS: usize = 6;

/// What [`generate`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GenSummary {
    pub records: usize,
    pub minutes: usize,
    pub essays: usize,
    pub cases: usize,
    pub plans: usize,
    pub departments: usize,
    pub people: usize,
    pub first_year: i32,
    pub last_year: i32,
    pub logs: usize,
    pub reviews: usize,
    pub images: usize,
    /// Every file written, configuration included.
    pub files: usize,
    pub bytes: u64,
}

/// The kinds of generated records, in the order their shares are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GenKind {
    Minutes,
    Essay,
    Case,
    Plan,
}

impl GenKind {
    fn folder(self) -> &'static str {
        match self {
            GenKind::Minutes => "minutes",
            GenKind::Essay => "essays",
            GenKind::Case => "cases",
            GenKind::Plan => "plans",
        }
    }
}

/// Writes a synthetic site of `records` Markdown records into `dir`, which must not
/// exist or be empty. The same `records` and `seed` always give the same files.
pub fn generate(dir: &Path, records: usize, seed: u64) -> io::Result<GenSummary> {
    if dir.exists() && fs::read_dir(dir)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} is not empty; generate into a new or empty directory",
                dir.display()
            ),
        ));
    }
    let years = (records / 1000).clamp(2, 10) as i32;
    let first_year = LAST_YEAR - years + 1;
    let org = Org::generate(records, first_year, LAST_YEAR, &mut Rng::new(seed));

    let mut kinds = kind_mix(records);
    Rng::derive(seed, 1, 0).shuffle(&mut kinds);

    for kind in [
        GenKind::Minutes,
        GenKind::Essay,
        GenKind::Case,
        GenKind::Plan,
    ] {
        for year in first_year..=LAST_YEAR {
            fs::create_dir_all(dir.join(kind.folder()).join(year.to_string()))?;
        }
    }
    for sub in ["logs", "reviews", "assets/covers"] {
        fs::create_dir_all(dir.join(sub))?;
    }

    let mut summary = GenSummary {
        records,
        departments: org.depts.len(),
        people: org.people.len(),
        first_year,
        last_year: LAST_YEAR,
        ..GenSummary::default()
    };
    for kind in &kinds {
        match kind {
            GenKind::Minutes => summary.minutes += 1,
            GenKind::Essay => summary.essays += 1,
            GenKind::Case => summary.cases += 1,
            GenKind::Plan => summary.plans += 1,
        }
    }

    let mut config = vec![
        ("site.yaml".to_string(), site_yaml(records).into_bytes()),
        ("org.yaml".to_string(), org.to_yaml().into_bytes()),
        ("rules.yaml".to_string(), RULES_YAML.as_bytes().to_vec()),
    ];
    for i in 0..COVERS {
        config.push((format!("assets/covers/cover-{}.png", i + 1), cover(i)));
    }
    summary.images = COVERS;
    let written: u64 = config
        .iter()
        .map(|(rel, bytes)| fs::write(dir.join(rel), bytes).map(|()| bytes.len() as u64))
        .sum::<io::Result<u64>>()?;

    let ctx = records::Ctx {
        org: &org,
        seed,
        first_year,
        years,
        total: records,
        covers: COVERS,
    };
    let record_bytes: u64 = kinds
        .par_iter()
        .enumerate()
        .map(|(i, &kind)| {
            let (rel, text) = records::record(&ctx, kind, i);
            fs::write(dir.join(&rel), &text).map(|()| text.len() as u64)
        })
        .sum::<io::Result<u64>>()?;

    let months: Vec<(i32, u32)> = (first_year..=LAST_YEAR)
        .flat_map(|y| (1..=12).map(move |m| (y, m)))
        .collect();
    let log_bytes: u64 = months
        .par_iter()
        .enumerate()
        .map(|(i, &(year, month))| {
            let text = org.log_yaml(year, month, &mut Rng::derive(seed, 2, i as u64));
            let rel = format!("logs/{year}-{month:02}.yaml");
            fs::write(dir.join(rel), &text).map(|()| text.len() as u64)
        })
        .sum::<io::Result<u64>>()?;
    let mut review_bytes = 0;
    for year in first_year..=LAST_YEAR {
        let text = org.review_yaml(year, &mut Rng::derive(seed, 3, year as u64));
        fs::write(dir.join(format!("reviews/{year}.yaml")), &text)?;
        review_bytes += text.len() as u64;
    }
    summary.logs = months.len();
    summary.reviews = years as usize;
    summary.files = config.len() + records + summary.logs + summary.reviews;
    summary.bytes = written + record_bytes + log_bytes + review_bytes;
    Ok(summary)
}

/// The kinds of `records` records in the fixed shares, before shuffling.
fn kind_mix(records: usize) -> Vec<GenKind> {
    let minutes = records * 45 / 100;
    let essays = records * 30 / 100;
    let cases = records * 15 / 100;
    let plans = records - minutes - essays - cases;
    [
        (GenKind::Minutes, minutes),
        (GenKind::Essay, essays),
        (GenKind::Case, cases),
        (GenKind::Plan, plans),
    ]
    .into_iter()
    .flat_map(|(kind, n)| std::iter::repeat_n(kind, n))
    .collect()
}

fn site_yaml(records: usize) -> String {
    format!(
        "title: 示范市机关学习型机关建设（合成数据 {records} 条）\n\
         description: 由 jianbao-gen 生成的基准测试站点，内容为随机组合的示例文本。\n\
         base_url: \"/\"\n\
         language: zh-CN\n\
         paginate: 10\n\
         bulletin:\n  name: 学习型机关建设简报\n  editor: 示范市机关党委\n  first_issue: 1\n  copies: 60\n  \
         send_up: [市直机关工委]\n  send_across: [市委办公室]\n  send_down: [各科室]\n"
    )
}

/// A small gradient image (120 x 68), a different colour pair for each index.
fn cover(i: usize) -> Vec<u8> {
    const COLOURS: [[u8; 3]; 7] = [
        [178, 34, 34],
        [205, 133, 63],
        [46, 139, 87],
        [70, 130, 180],
        [106, 90, 205],
        [218, 165, 32],
        [112, 128, 144],
    ];
    let (a, b) = (COLOURS[i % 7], COLOURS[(i + 3) % 7]);
    let (w, h) = (120u32, 68u32);
    png::encode(w, h, |x, y| {
        let t = (x + y) as f32 / (w + h) as f32;
        let mix = |c: usize| (a[c] as f32 * (1.0 - t) + b[c] as f32 * t) as u8;
        [mix(0), mix(1), mix(2)]
    })
}

/// rules.yaml as in DESIGN.md.
const RULES_YAML: &str = "\
session_kinds: [集中学习, 专题辅导, 交流研讨, 读书活动, 参观考察, 知识竞赛, 网络学习]
collective_kinds: [集中学习, 专题辅导, 交流研讨]   # kinds that count as collective study
requirements:
  collective_sessions_per_month: 1
  self_study_hours_per_month: 20
  essays_per_year: {leader: 3, member: 2}
  notebook_checks_per_year: 4
  plan_match_days: 3   # a planned session is held if the unit has a session within 3 days
evaluation:
  bands: [{min: 90, grade: 优秀}, {min: 80, grade: 良好}, {min: 60, grade: 合格}, {min: 0, grade: 不合格}]
  criteria:            # weights add up to 100
    - {id: collective, name: 集中学习制度落实, weight: 20, metric: collective_months}
    - {id: attendance, name: 集中学习出勤, weight: 15, metric: attendance_rate, target: 0.95}
    - {id: self_study, name: 个人自学, weight: 20, metric: self_study_compliance}
    - {id: essays, name: 撰写体会文章, weight: 15, metric: essay_quota}
    - {id: notebooks, name: 学习笔记检查, weight: 10, metric: notebook_pass_rate}
    - {id: carriers, name: 学习载体创新, weight: 10, metric: session_kinds, target: 4}
    - {id: facilities, name: 学习阵地建设, weight: 5, metric: review}
    - {id: atmosphere, name: 学习氛围, weight: 5, metric: review}
  person_criteria:     # the same machinery, per person, for the award lists
    - {id: self_study, weight: 40, metric: self_study_compliance}
    - {id: essays, weight: 30, metric: essay_quota}
    - {id: notebooks, weight: 20, metric: notebook_pass_rate}
    - {id: attendance, weight: 10, metric: attendance_rate}
  quotas: {advanced_departments: 0.30, advanced_workers: 0.20, excellent_party_members: 0.15}
  disqualify: {late_over: 10, absent_days_over: 3, notebook_fails_at_least: 2,
               criticised_errors_at_least: 2, sanction: true}
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mix_has_the_documented_shares() {
        let kinds = kind_mix(1000);
        let count = |k| kinds.iter().filter(|&&x| x == k).count();
        assert_eq!(
            [
                count(GenKind::Minutes),
                count(GenKind::Essay),
                count(GenKind::Case),
                count(GenKind::Plan)
            ],
            [450, 300, 150, 100]
        );
        assert_eq!(kind_mix(7).len(), 7);
    }

    #[test]
    fn same_seed_gives_the_same_files_and_a_non_empty_dir_is_refused() {
        let base = tempfile::tempdir().expect("tempdir");
        let (a, b) = (base.path().join("a"), base.path().join("b"));
        let sa = generate(&a, 60, 42).expect("generate a");
        let sb = generate(&b, 60, 42).expect("generate b");
        assert_eq!(sa, sb);
        assert_eq!(sa.minutes + sa.essays + sa.cases + sa.plans, 60);
        for rel in ["org.yaml", "logs/2026-03.yaml", "reviews/2025.yaml"] {
            assert_eq!(
                fs::read(a.join(rel)).expect(rel),
                fs::read(b.join(rel)).expect(rel)
            );
        }
        let err = generate(&a, 60, 42).expect_err("non-empty");
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
    }
}
