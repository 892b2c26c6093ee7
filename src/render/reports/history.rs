//! The git history line of every record page: first commit, last commit and how many
//! commits touched the file, from the one history of the whole content tree.

use std::collections::BTreeMap;

use tera::Value;

use super::Map;
use crate::content::types::iso_date;
use crate::git::FileHistory;

/// `{first, last (YYYY-MM-DD), revisions}`: dates are the commits' own calendar days.
pub fn value(h: &FileHistory) -> Value {
    let mut m = Map::new();
    m.insert("first", Value::from(iso_date(h.first.date_naive())));
    m.insert("last", Value::from(iso_date(h.last.date_naive())));
    m.insert("revisions", Value::from(h.revisions));
    Value::from(m)
}

/// The `history` of a record page: the value of the record's file, none when git does
/// not know it (or the site is not in a repository).
pub fn of(history: &BTreeMap<String, FileHistory>, file: &str) -> Value {
    history.get(file).map_or_else(Value::none, value)
}
