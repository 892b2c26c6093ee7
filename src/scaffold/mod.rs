//! Writing new content: `jianbao init DIR` (a small working site) and `jianbao new KIND`
//! (one record with the fields of its kind). Neither ever overwrites a file.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use crate::config::OrgConfig;
use crate::content::frontmatter::parse_yaml;
use crate::content::record::{Kind, slugify};
use crate::error::{Error, Result, closest};

/// The starter site, embedded so `init` works wherever the binary is.
const STARTER: [(&str, &str); 9] = [
    ("site.yaml", include_str!("site/site.yaml")),
    ("org.yaml", include_str!("site/org.yaml")),
    ("rules.yaml", include_str!("site/rules.yaml")),
    (
        "plans/2026-zonghe-jihua.md",
        include_str!("site/plans/2026-zonghe-jihua.md"),
    ),
    (
        "minutes/2026/01-09-quanhui-jingshen.md",
        include_str!("site/minutes/2026/01-09-quanhui-jingshen.md"),
    ),
    (
        "essays/2026-01-liu-yang-xinde.md",
        include_str!("site/essays/2026-01-liu-yang-xinde.md"),
    ),
    (
        "cases/2026-sun-li.md",
        include_str!("site/cases/2026-sun-li.md"),
    ),
    ("logs/2026-01.yaml", include_str!("site/logs/2026-01.yaml")),
    (".gitignore", "/public\n.jianbao-cache/\n"),
];

/// Writes the starter site into `dir`, which must not exist or be empty. Returns the
/// files written, content-relative.
pub fn init(dir: &Path) -> Result<Vec<String>> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        if entries.next().is_some() {
            return Err(Error::Usage(format!(
                "`{}` is not empty; `jianbao init` only writes into a new or empty directory",
                dir.display()
            )));
        }
    }
    for folder in ["assets", "briefings", "reviews"] {
        let path = dir.join(folder);
        std::fs::create_dir_all(&path).map_err(|e| Error::io(&path, e))?;
    }
    let mut written = Vec::new();
    for (rel, text) in STARTER {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        written.push(rel.to_string());
    }
    Ok(written)
}

/// What `jianbao new` was asked to write.
#[derive(Debug, Clone)]
pub struct NewRecord<'a> {
    pub kind: Kind,
    pub title: &'a str,
    pub department: Option<&'a str>,
    pub author: Option<&'a str>,
    /// File name (without `.md`); by default the date, since Chinese titles make no URL.
    pub slug: Option<&'a str>,
    pub date: NaiveDate,
}

/// Writes a new record into the site at `root` and returns its path. Department and
/// author ids are checked against org.yaml; an existing file is never overwritten.
pub fn new_record(root: &Path, new: &NewRecord) -> Result<PathBuf> {
    let title = new.title.trim();
    if title.is_empty() {
        return Err(Error::Usage(
            "the title is empty: jianbao new KIND \"标题\"".into(),
        ));
    }
    check_ids(root, new)?;
    let date = new.date;
    let stem = match new.slug {
        Some(slug) => {
            let s = slugify(slug);
            if s.is_empty() {
                return Err(Error::Usage(format!(
                    "--slug `{slug}` has no ASCII letters or digits"
                )));
            }
            s
        }
        None => date_stem(new.kind, date),
    };
    let rel = format!("{}/{stem}.md", record_folder(new.kind, date));
    let path = root.join(&rel);
    if path.exists() {
        return Err(Error::Usage(format!(
            "{rel} already exists; it is not overwritten (choose another name with --slug)"
        )));
    }
    let text = record_text(new, &yaml_string(title), &first_session_kind(root));
    write_new(&path, &text)?;
    Ok(path)
}

/// Writes `text` into a new file at `path`, making its folders; a file there, even one
/// that appeared since the caller looked, is never overwritten.
pub(crate) fn write_new(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| Error::io(path, e))
}

/// The content folder of a new record of `kind` dated `date`: its kind's folder, by year
/// for the many session minutes (`minutes/2026`).
pub(crate) fn record_folder(kind: Kind, date: NaiveDate) -> String {
    match kind {
        Kind::Minutes => format!("minutes/{}", date.year()),
        kind => kind.folder().to_string(),
    }
}

/// The date that names a new record's file (`03-06` in its year's minutes folder,
/// `2026-03-06` elsewhere), since Chinese titles make no file name.
pub(crate) fn date_stem(kind: Kind, date: NaiveDate) -> String {
    match kind {
        Kind::Minutes => date.format("%m-%d").to_string(),
        _ => date.format("%Y-%m-%d").to_string(),
    }
}

/// A settings file of the site at `root` (org.yaml, rules.yaml), typed; a mistake in it
/// is reported as `check` reports it.
pub(crate) fn read_site_file<T: serde::de::DeserializeOwned>(root: &Path, name: &str) -> Result<T> {
    let path = root.join(name);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    parse_yaml(&text, name, 1).map_err(|d| Error::Content(vec![d]))
}

fn check_ids(root: &Path, new: &NewRecord) -> Result<()> {
    if new.department.is_none() && new.author.is_none() {
        return Ok(());
    }
    let org: OrgConfig = read_site_file(root, "org.yaml")?;
    if let Some(dept) = new.department
        && !org.departments.iter().any(|d| d.id.as_str() == dept)
    {
        let hint = closest(dept, org.departments.iter().map(|d| d.id.as_str()))
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_default();
        return Err(Error::Usage(format!(
            "unknown department `{dept}` (see org.yaml){hint}"
        )));
    }
    if let Some(author) = new.author
        && !org.people.iter().any(|p| p.id.as_str() == author)
    {
        let hint = closest(author, org.people.iter().map(|p| p.id.as_str()))
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_default();
        return Err(Error::Usage(format!(
            "unknown person `{author}` (see org.yaml){hint}"
        )));
    }
    Ok(())
}

/// The first session kind of rules.yaml, for a new session's `kind`.
fn first_session_kind(root: &Path) -> String {
    read_site_file::<crate::config::Rules>(root, "rules.yaml")
        .ok()
        .and_then(|rules| rules.session_kinds.into_iter().next())
        .unwrap_or_else(|| "集中学习".into())
}

/// A YAML double-quoted string, so any text is valid YAML.
pub(crate) fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.replace('"', "'")))
}

fn record_text(new: &NewRecord, title: &str, session_kind: &str) -> String {
    let date = new.date.format("%Y-%m-%d");
    let dept = new.department.unwrap_or("");
    let who = new.author.unwrap_or("");
    let mut front = format!("---\ntitle: {title}\ndate: {date}\n");
    let body = match new.kind {
        Kind::Minutes => {
            front += &format!(
                "department: {dept}\nkind: {session_kind}\nhours: 2\nhost: {who}\nspeaker: {who}\nattendees: []\nabsent: []   # - {{person: ID, reason: 出差}}\nmaterials: []\ntags: []\n"
            );
            "## 会议议程\n\n## 主要内容\n\n## 讨论发言\n\n## 下一步工作\n"
        }
        Kind::Plan => {
            let year = new.date.year();
            let scope = if new.author.is_some() {
                "person"
            } else if new.department.is_some() {
                "department"
            } else {
                "org"
            };
            if !dept.is_empty() {
                front += &format!("department: {dept}\n");
            }
            front += &format!("period: {year}\nscope: {scope}\n");
            if !who.is_empty() {
                front += &format!("person: {who}\n");
            }
            front += "tags: []\nschedule: []   # - {date: YYYY-MM-DD, topic: 主题, kind: 集中学习, speaker: 主讲人}\n";
            "## 一、学习目标\n\n## 二、学习内容\n\n## 三、方法措施\n\n## 四、保障措施\n"
        }
        Kind::Essay => {
            front += &format!(
                "author: {who}\nkind: reflection   # reflection | research | theory | reading | idea\ntags: []\n"
            );
            ""
        }
        Kind::Case => {
            if !who.is_empty() {
                front += &format!("person: {who}\n");
            }
            if !dept.is_empty() {
                front += &format!("department: {dept}\n");
            }
            front += "level: unit   # unit | county | city | province | national\n# cover: covers/photo.jpg\ntags: []\n";
            ""
        }
    };
    format!("{front}---\n{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
    }

    #[test]
    fn init_writes_a_site_that_checks_clean_and_refuses_a_non_empty_dir() {
        let dir = tempfile::tempdir().expect("tempdir");
        let site = dir.path().join("site");
        let written = init(&site).expect("init");
        assert!(written.contains(&"org.yaml".to_string()));
        let diagnostics = crate::check(&site).expect("check");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert!(matches!(init(&site), Err(Error::Usage(_))));
    }

    #[test]
    fn new_writes_every_kind_that_checks_clean_and_never_overwrites() {
        let dir = tempfile::tempdir().expect("tempdir");
        let site = dir.path().join("site");
        init(&site).expect("init");
        for (kind, department, author) in [
            (Kind::Minutes, Some("zonghe"), Some("chen-ming")),
            (Kind::Plan, Some("zonghe"), None),
            (Kind::Essay, None, Some("liu-yang")),
            (Kind::Case, Some("houqin"), Some("sun-li")),
        ] {
            let new = NewRecord {
                kind,
                title: "学习“两会”精神: 体会",
                department,
                author,
                slug: None,
                date: date(),
            };
            let path = new_record(&site, &new).expect("new");
            let text = std::fs::read_to_string(&path).expect("read");
            assert!(text.contains("date: 2026-11-22"), "{text}");
            assert!(
                matches!(new_record(&site, &new), Err(Error::Usage(m)) if m.contains("already exists"))
            );
        }
        assert!(site.join("minutes/2026/11-22.md").is_file());
        let diagnostics = crate::check(&site).expect("check");
        let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn new_rejects_unknown_ids_with_a_suggestion() {
        let dir = tempfile::tempdir().expect("tempdir");
        init(dir.path()).expect("init");
        let new = NewRecord {
            kind: Kind::Essay,
            title: "t",
            department: None,
            author: Some("liu-yan"),
            slug: None,
            date: date(),
        };
        assert!(
            matches!(new_record(dir.path(), &new), Err(Error::Usage(m)) if m.contains("did you mean `liu-yang`"))
        );
    }
}
