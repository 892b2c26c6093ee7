//! Turning the corpus and its figures into pages and documents: templates, the page plan,
//! feeds, sitemap, search index, briefings, the evaluation and charts. Render never
//! computes figures.

pub mod briefing;
pub mod evaluation;
pub mod search;
