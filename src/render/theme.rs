//! Where templates and static files come from. The default theme is embedded in the
//! binary (see build.rs), so any site directory builds; a theme folder named by
//! `site.theme` replaces it when one exists (`<content>/themes/<name>/`, or
//! `themes/<name>/` beside the content directory), and the site's own `templates/`
//! folder overrides any template by name.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::output::Source;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));
}

/// The templates (name -> source) and static files (relative path -> bytes) of a site.
#[derive(Debug, Default)]
pub struct Theme {
    pub templates: BTreeMap<String, String>,
    pub statics: Vec<(String, Source)>,
    /// Theme folder used, or `None` for the embedded default theme.
    pub dir: Option<PathBuf>,
}

impl Theme {
    /// The theme of the site in `content` (theme name from site.yaml), with the site's
    /// `templates/` overrides applied.
    pub fn load(content: &Path, name: &str) -> Result<Theme> {
        let candidates = [
            content.join("themes").join(name),
            content
                .parent()
                .map(|p| p.join("themes").join(name))
                .unwrap_or_default(),
        ];
        let mut theme = match candidates.iter().find(|d| d.join("templates").is_dir()) {
            Some(dir) => Theme::from_dir(dir)?,
            None if name == "default" => Theme::embedded()?,
            None => {
                return Err(Error::Usage(format!(
                    "theme `{name}` not found: looked for {} and {}",
                    candidates[0].display(),
                    candidates[1].display()
                )));
            }
        };
        let overrides = content.join("templates");
        if overrides.is_dir() {
            for (rel, path) in files_under(&overrides) {
                let text = read_string(&path)?;
                theme.templates.insert(rel, text);
            }
        }
        Ok(theme)
    }

    /// The default theme compiled into the binary.
    pub fn embedded() -> Result<Theme> {
        let mut theme = Theme::default();
        for (rel, bytes) in embedded::FILES {
            if let Some(name) = rel.strip_prefix("templates/") {
                let text = std::str::from_utf8(bytes).map_err(|_| {
                    Error::Template(format!("embedded template {rel} is not UTF-8"))
                })?;
                theme.templates.insert(name.to_string(), text.to_string());
            } else if let Some(name) = rel.strip_prefix("static/") {
                theme
                    .statics
                    .push((name.to_string(), Source::Static(bytes)));
            }
        }
        Ok(theme)
    }

    fn from_dir(dir: &Path) -> Result<Theme> {
        let mut theme = Theme {
            dir: Some(dir.to_path_buf()),
            ..Theme::default()
        };
        for (rel, path) in files_under(&dir.join("templates")) {
            theme.templates.insert(rel, read_string(&path)?);
        }
        for (rel, path) in files_under(&dir.join("static")) {
            theme.statics.push((rel, Source::File(path)));
        }
        Ok(theme)
    }
}

fn read_string(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
}

/// Files under `dir`, `/`-separated relative paths, sorted; hidden names skipped.
fn files_under(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            Some((parts.join("/"), e.path().to_path_buf()))
        })
        .collect();
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_theme_is_embedded() {
        let theme = Theme::embedded().expect("theme");
        for name in ["base.html", "index.html", "minutes.html", "404.html"] {
            assert!(theme.templates.contains_key(name), "{name}");
        }
        assert!(theme.statics.iter().any(|(p, _)| p == "style.css"));
    }
}
