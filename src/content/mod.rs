//! Reading records: front matter split with exact line numbers, typed records per kind,
//! the Corpus with its indexes, and cross-reference validation.

pub mod briefing;
pub mod corpus;
pub mod frontmatter;
pub mod ledger;
pub mod lines;
mod log_reader;
pub mod record;
pub(crate) mod scan;
mod simple_yaml;
pub mod types;
pub mod validate;

pub use corpus::{Corpus, load};
pub use record::{Kind, Record, RecordData};
pub use types::{DeptId, PersonId, YearMonth};
