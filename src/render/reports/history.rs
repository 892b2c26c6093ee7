//! The git history line of every record page: first commit, last commit and how many
//! commits touched the file, from the one history of the whole content tree.

use std::collections::BTreeMap;

use tera::Value;

use super::{Map, record_paths};
use crate::content::Corpus;
use crate::git::FileHistory;
use crate::render::plan::Page;

/// `{first, last (YYYY-MM-DD), revisions}`: dates are the commits' own calendar days.
pub fn value(h: &FileHistory) -> Value {
    let mut m = Map::new();
    m.insert(
        "first",
        Value::from(h.first.date_naive().format("%Y-%m-%d").to_string()),
    );
    m.insert(
        "last",
        Value::from(h.last.date_naive().format("%Y-%m-%d").to_string()),
    );
    m.insert("revisions", Value::from(h.revisions));
    Value::from(m)
}

/// Sets `history` (or none) on every record page of `pages`.
pub fn annotate(corpus: &Corpus, history: &BTreeMap<String, FileHistory>, pages: &mut [Page]) {
    let files = record_paths(corpus);
    for page in pages.iter_mut() {
        let Some(file) = files.get(page.path.as_str()) else {
            continue;
        };
        let v = history.get(*file).map_or_else(Value::none, value);
        page.context.insert_value("history", v);
    }
}
