//! Turning the corpus and its figures into pages and files: templates, the page plan,
//! feeds, sitemap, search index and charts. Render never computes figures.

pub mod evaluation;
pub mod search;
