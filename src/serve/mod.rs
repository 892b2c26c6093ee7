//! `jianbao serve`: the live preview. Builds the site into memory, serves it, watches the
//! content, the site's templates and the theme, rebuilds what an edit touches and tells
//! open pages to reload. A broken edit never takes the preview down: the last good site
//! stays served with an overlay listing the errors.

pub mod http;
pub mod watch;
