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
        let mut theme = Theme::embedded()?;
        match candidates.iter().find(|d| d.is_dir()) {
            Some(dir) => theme.overlay_dir(dir)?,
            None if name == "default" => {}
            None => {
                return Err(Error::Usage(format!(
                    "theme `{name}` not found: looked for {} and {}",
                    candidates[0].display(),
                    candidates[1].display()
                )));
            }
        }
        let overrides = content.join("templates");
        if overrides.is_dir() {
            for (rel, path) in files_under(&overrides) {
                let text = read_string(&path)?;
                theme.templates.insert(rel, text);
            }
        }
        Ok(theme)
    }

    /// The text of the default theme's template `name`, as compiled into the binary.
    pub fn embedded_template(name: &str) -> Option<&'static [u8]> {
        (embedded::FILES.iter())
            .find(|(rel, _)| rel.strip_prefix("templates/") == Some(name))
            .map(|(_, bytes)| *bytes)
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

    /// Lays a theme folder's templates and static files over the current ones.
    fn overlay_dir(&mut self, dir: &Path) -> Result<()> {
        self.dir = Some(dir.to_path_buf());
        for (rel, path) in files_under(&dir.join("templates")) {
            self.templates.insert(rel, read_string(&path)?);
        }
        let mut statics: BTreeMap<String, Source> =
            std::mem::take(&mut self.statics).into_iter().collect();
        for (rel, path) in files_under(&dir.join("static")) {
            statics.insert(rel, Source::File(path));
        }
        self.statics = statics.into_iter().collect();
        Ok(())
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

    #[test]
    fn a_theme_folder_and_site_templates_override_by_name() {
        let tmp = tempfile::tempdir().expect("tmp");
        let content = tmp.path().join("content");
        let theme_dir = tmp.path().join("themes/default");
        std::fs::create_dir_all(theme_dir.join("static")).expect("mkdir");
        std::fs::create_dir_all(theme_dir.join("templates")).expect("mkdir");
        std::fs::create_dir_all(content.join("templates")).expect("mkdir");
        std::fs::write(theme_dir.join("static/search.js"), "//").expect("write");
        std::fs::write(theme_dir.join("templates/404.html"), "theme").expect("write");
        std::fs::write(content.join("templates/tags.html"), "site").expect("write");
        let theme = Theme::load(&content, "default").expect("theme");
        assert_eq!(theme.templates["404.html"], "theme");
        assert_eq!(theme.templates["tags.html"], "site");
        assert!(
            theme.templates.contains_key("index.html"),
            "the rest stays embedded"
        );
        let statics: Vec<&str> = theme.statics.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(statics, ["gallery.js", "search.js", "style.css"]);
        assert!(Theme::load(&content, "missing").is_err());
    }
}
