//! Bad input never panics: random bytes, truncated and mutated copies of real records go
//! through the front-matter parser, every record kind, the ledgers and `check`.

use jianbao::content::frontmatter;
use jianbao::content::record::{Kind, parse_record};

const RECORDS: [(Kind, &str); 4] = [
    (
        Kind::Minutes,
        "---\ntitle: 学习《中国共产党纪律处分条例》\ndate: 2026-04-10\ndepartment: mishu\nkind: 集中学习\nhours: 2\nhost: zhang-wei\nspeaker: 市委党校王教授\nattendees: [zhang-wei, li-na]\nabsent:\n  - {person: wang-fang, reason: 出差}\nmaterials:\n  - 《条例》全文\ntags: [纪律建设]\n---\n## 主要内容\n\n| 发言人 | 要点 |\n| --- | --- |\n| 张伟 | 守纪律讲规矩 |\n\n- [x] 传达\n- [ ] 讨论[^1]\n\n[^1]: 注释\n",
    ),
    (
        Kind::Plan,
        "---\ntitle: 2026年第二季度学习计划\ndate: 2026-03-28\ndepartment: mishu\nperiod: 2026-Q2\nscope: department\nschedule:\n  - {date: 2026-04-10, topic: 纪律处分条例, kind: 集中学习, speaker: zhang-wei}\n  - date: 2026-05-08\n    topic: 公文处理\n    kind: 专题辅导\n---\n一、学习目标\n",
    ),
    (
        Kind::Essay,
        "---\ntitle: 读《之江新语》有感\ndate: 2026-05-20\nauthor: li-na\nkind: reading\nfeatured: 2026-05\nadopted_by: 《示范日报》\n---\n正文**加粗**<script>x</script>\n",
    ),
    (
        Kind::Case,
        "---\ntitle: 窗口服务的“老黄牛”\ndate: 2026-06-02\nperson: wang-fang\nlevel: city\ncover: covers/a.jpg\n---\n事迹。\n",
    ),
];

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn parse_everything(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let _ = frontmatter::split(&text);
    for kind in Kind::ALL {
        let _ = parse_record(kind, "minutes/2026/x.md", &text);
    }
    let _ =
        frontmatter::parse_yaml::<jianbao::content::ledger::LogFile>(&text, "logs/2026-01.yaml", 1);
    let _ = frontmatter::parse_yaml::<jianbao::config::OrgConfig>(&text, "org.yaml", 1);
    let _ = jianbao::content::lines::FieldLines::scan(&text, 1).line("a[0].b");
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(0x5eed);
    let alphabet: &[u8] = b"---\n: -[]{},'\"#&*!|>%@`\t 0123456789abc\xe5\xad\xa6\xff";
    for _ in 0..3000 {
        let len = rng.below(200);
        let bytes: Vec<u8> = (0..len)
            .map(|_| alphabet[rng.below(alphabet.len())])
            .collect();
        parse_everything(&bytes);
        let mut framed = b"---\n".to_vec();
        framed.extend(&bytes);
        framed.extend(b"\n---\n");
        parse_everything(&framed);
    }
}

#[test]
fn truncated_and_mutated_records_never_panic() {
    let mut rng = Rng(42);
    for (kind, text) in RECORDS {
        assert!(
            parse_record(kind, "minutes/2026/x.md", text).is_ok(),
            "the seed record itself parses: {text}"
        );
        let bytes = text.as_bytes();
        for cut in 0..bytes.len() {
            parse_everything(&bytes[..cut]);
        }
        for _ in 0..500 {
            let mut m = bytes.to_vec();
            for _ in 0..1 + rng.below(4) {
                let i = rng.below(m.len());
                match rng.below(3) {
                    0 => m[i] = (rng.next() & 0xff) as u8,
                    1 => {
                        m.remove(i);
                    }
                    _ => m.insert(i, b"-:\n[{ "[rng.below(6)]),
                }
            }
            parse_everything(&m);
        }
    }
}

#[test]
fn check_survives_truncated_records_on_disk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(root.join("site.yaml"), "title: t\n").expect("write");
    std::fs::write(
        root.join("org.yaml"),
        "departments: [{id: mishu, name: 秘书科}]\npeople: [{id: li-na, name: 李娜, department: mishu}]\n",
    )
    .expect("write");
    std::fs::write(root.join("rules.yaml"), "session_kinds: [集中学习]\n").expect("write");
    for (kind, text) in RECORDS {
        let folder = root.join(kind.folder());
        std::fs::create_dir_all(&folder).expect("mkdir");
        let bytes = text.as_bytes();
        for (n, cut) in (0..bytes.len()).step_by(7).enumerate() {
            std::fs::write(folder.join(format!("r{n}.md")), &bytes[..cut]).expect("write");
        }
    }
    let diagnostics = jianbao::check(root).expect("check runs");
    assert!(
        diagnostics.iter().any(|d| d.is_error()),
        "truncated records are reported"
    );
    assert!(
        diagnostics.iter().all(|d| !d.file.is_empty()),
        "every diagnostic names its file"
    );
}
