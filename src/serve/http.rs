//! The preview server's HTTP side: serves the last good site from memory, injects the
//! live-reload script (and the error overlay while the content has errors) into HTML
//! pages, and streams reload events over Server-Sent Events.
//!
//! Pages are served from an in-memory map, never from the file system, so no request can
//! read outside the site: a path is decoded once, then looked up; `..`, backslashes and
//! NUL bytes are refused before any lookup.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use crate::error::{Diagnostic, Error};

/// The URL of the reload event stream.
pub const EVENTS_PATH: &str = "/__jianbao/events";

/// What the server shows: the files of the last good build and the errors of the latest
/// attempt (empty when it succeeded).
#[derive(Default)]
pub struct SiteState {
    pub files: HashMap<String, Bytes>,
    pub errors: Vec<Diagnostic>,
}

/// State shared between the rebuild loop and the request handlers.
pub struct Shared {
    pub site: RwLock<SiteState>,
    pub reload: broadcast::Sender<u64>,
}

impl Shared {
    pub fn new() -> Arc<Self> {
        let (reload, _) = broadcast::channel(16);
        Arc::new(Shared {
            site: RwLock::new(SiteState::default()),
            reload,
        })
    }

    /// Tells every open page to reload.
    pub fn notify_reload(&self, generation: u64) {
        // No open page means no receiver: nothing to tell.
        let _ = self.reload.send(generation);
    }
}

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS_PATH, axum::routing::get(events))
        .fallback(axum::routing::get(page))
        .with_state(shared)
}

/// Binds the listener, with a message that helps when the port is taken.
pub async fn bind(addr: SocketAddr) -> Result<tokio::net::TcpListener, Error> {
    tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            Error::Usage(format!(
                "port {} on {} is already in use; try another one, e.g. --port {}",
                addr.port(),
                addr.ip(),
                addr.port().wrapping_add(1).max(1024)
            ))
        } else {
            Error::Usage(format!("cannot listen on {addr}: {e}"))
        }
    })
}

async fn events(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let stream = BroadcastStream::new(shared.reload.subscribe())
        .filter_map(|generation| generation.ok())
        .map(|generation| {
            Ok::<_, Infallible>(
                Event::default()
                    .event("reload")
                    .data(generation.to_string()),
            )
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn page(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let site = match shared.site.read() {
        Ok(site) => site,
        Err(poisoned) => poisoned.into_inner(),
    };
    let found = request_key(uri.path())
        .and_then(|key| lookup(&site.files, &key).map(|(k, v)| (k, v.clone())));
    let (status, key, bytes) = match found {
        Some((key, bytes)) => (StatusCode::OK, key, bytes),
        None => match site.files.get("404.html") {
            Some(bytes) => (StatusCode::NOT_FOUND, "404.html".to_string(), bytes.clone()),
            None => (
                StatusCode::NOT_FOUND,
                "404.html".to_string(),
                Bytes::from_static(b"404 Not Found"),
            ),
        },
    };
    let content_type = content_type(&key);
    let body = if content_type.starts_with("text/html") {
        Body::from(inject(&String::from_utf8_lossy(&bytes), &site.errors))
    } else {
        Body::from(bytes)
    };
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CACHE_CONTROL, "no-store")
        .body(body)
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// The file a request path names: percent-decoded, `index.html` for a directory, or
/// `None` for anything that tries to leave the site.
pub fn request_key(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" => {}
            "." | ".." => return None,
            s if s.starts_with('.') => return None,
            s => segments.push(s),
        }
    }
    let mut key = segments.join("/");
    if decoded.ends_with('/') || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

/// Finds `key`, or `key/index.html` for a directory asked without its trailing slash.
fn lookup<'a>(files: &'a HashMap<String, Bytes>, key: &str) -> Option<(String, &'a Bytes)> {
    if let Some(bytes) = files.get(key) {
        return Some((key.to_string(), bytes));
    }
    let index = format!("{key}/index.html");
    files.get(&index).map(|bytes| (index, bytes))
}

fn content_type(key: &str) -> &'static str {
    let ext = key.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The live-reload script, injected only by the preview server.
const RELOAD_SCRIPT: &str = r#"<script>(function(){var s=new EventSource("/__jianbao/events");s.addEventListener("reload",function(){location.reload();});})();</script>"#;

/// Adds the reload script and, while there are errors, the overlay listing them.
pub fn inject(html: &str, errors: &[Diagnostic]) -> String {
    let mut extra = String::from(RELOAD_SCRIPT);
    if !errors.is_empty() {
        extra.push_str(&overlay(errors));
    }
    match html.rfind("</body>") {
        Some(at) => format!("{}{extra}{}", &html[..at], &html[at..]),
        None => format!("{html}{extra}"),
    }
}

fn overlay(errors: &[Diagnostic]) -> String {
    let count = errors.iter().filter(|d| d.is_error()).count();
    let mut html = format!(
        "<div id=\"jianbao-errors\" role=\"alert\" style=\"position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:2147483647;background:#fff4f4;color:#3b0a0a;border-top:4px solid #b71c1c;padding:12px 16px;font:14px/1.6 ui-monospace,Menlo,Consolas,monospace;box-shadow:0 -4px 16px rgba(0,0,0,.2)\"><strong style=\"color:#b71c1c\">构建失败：{count} 个错误，下面仍是上次成功构建的页面。修正后自动刷新。</strong><ul style=\"margin:8px 0 0;padding-left:20px\">"
    );
    for d in errors {
        html.push_str("<li>");
        html.push_str(&escape(&d.to_string()).replace('\n', "<br>"));
        html.push_str("</li>");
    }
    html.push_str("</ul></div>");
    html
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_map_to_files_and_never_leave_the_site() {
        let cases: &[(&str, Option<&str>)] = &[
            ("/", Some("index.html")),
            ("/minutes/", Some("minutes/index.html")),
            ("/minutes/2026/a/", Some("minutes/2026/a/index.html")),
            ("/style.css", Some("style.css")),
            ("/tags/%E5%AD%A6%E4%B9%A0/", Some("tags/学习/index.html")),
            ("//minutes//", Some("minutes/index.html")),
            ("/../etc/passwd", None),
            ("/minutes/../../etc/passwd", None),
            ("/%2e%2e/etc/passwd", None),
            ("/%2E%2E/%2E%2E/etc/passwd", None),
            ("/..%2fetc%2fpasswd", None),
            ("/..%5c..%5cwindows", None),
            ("/a\\..\\b", None),
            ("/.git/config", None),
            ("/%00", None),
            ("/%ff", None),
        ];
        for (path, expected) in cases {
            assert_eq!(request_key(path).as_deref(), *expected, "{path}");
        }
    }

    #[test]
    fn the_reload_script_goes_before_the_body_end_and_the_overlay_only_with_errors() {
        let html = "<html><body><p>页面</p></body></html>";
        let clean = inject(html, &[]);
        assert!(clean.contains("EventSource(\"/__jianbao/events\")"));
        assert!(clean.ends_with("</script></body></html>"));
        assert!(!clean.contains("jianbao-errors"));
        let error = Diagnostic::error("minutes/a.md", 3, "hours", "hours must be <positive>");
        let broken = inject(html, &[error]);
        assert!(broken.contains("jianbao-errors"));
        assert!(broken.contains("minutes/a.md:3: error [hours]: hours must be &lt;positive&gt;"));
    }
}
