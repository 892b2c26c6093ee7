//! The people, departments and session kinds a document names, found in org.yaml and
//! rules.yaml by name (or id).

use crate::config::{OrgConfig, Rules};

/// The names a document may use, with the ids they stand for.
pub(super) struct Names<'a> {
    org: &'a OrgConfig,
    session_kinds: &'a [String],
}

impl<'a> Names<'a> {
    pub(super) fn new(org: &'a OrgConfig, rules: &'a Rules) -> Self {
        Names {
            org,
            session_kinds: &rules.session_kinds,
        }
    }

    /// The person a name (or an id) stands for, when exactly one person has it.
    pub(super) fn person(&self, name: &str) -> Option<&'a str> {
        let mut found = self
            .org
            .people
            .iter()
            .filter(|p| p.name == name || p.id.as_str() == name);
        let first = found.next()?;
        found.next().is_none().then(|| first.id.as_str())
    }

    /// The department a name (or an id) stands for.
    pub(super) fn department(&self, name: &str) -> Option<&'a str> {
        (self.org.departments.iter())
            .find(|d| d.name == name || d.id.as_str() == name)
            .map(|d| d.id.as_str())
    }

    /// The department whose name `text` contains (the longest, so 综合科 is not taken
    /// for 综合科技科).
    pub(super) fn department_in(&self, text: &str) -> Option<&'a str> {
        (self.org.departments.iter())
            .filter(|d| !d.name.is_empty() && text.contains(d.name.as_str()))
            .max_by_key(|d| d.name.chars().count())
            .map(|d| d.id.as_str())
    }

    /// The department of a person id.
    pub(super) fn department_of(&self, person: &str) -> Option<&'a str> {
        (self.org.people.iter())
            .find(|p| p.id.as_str() == person)
            .map(|p| p.department.as_str())
    }

    /// The session kind named in `text` (the longest of rules.yaml's).
    pub(super) fn session_kind_in(&self, text: &str) -> Option<&'a str> {
        (self.session_kinds.iter())
            .filter(|k| text.contains(k.as_str()))
            .max_by_key(|k| k.chars().count())
            .map(String::as_str)
    }
}
