//! `jianbao serve`: the live preview. Prints each rebuild (what changed, how many pages,
//! how long) and the diagnostics of a failed one; the library does the work.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use jianbao::Diagnostic;
use jianbao::serve::preview::{Report, What};
use jianbao::serve::{Event, ServeOptions, is_public};

use super::{Outcome, print_diagnostics};

#[derive(clap::Args)]
pub struct Args {
    /// Content directory
    #[arg(short = 'c', long = "content", default_value = "content")]
    pub content: PathBuf,
    /// Port to listen on
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on (127.0.0.1: this machine only)
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Open the site in the browser
    #[arg(long)]
    pub open: bool,
    /// Include draft records
    #[arg(long)]
    pub drafts: bool,
}

pub fn run(args: Args) -> Outcome {
    let addr = SocketAddr::new(args.bind, args.port);
    if is_public(&addr) {
        say!(
            "warning: listening on {}: other machines on the network can see the preview, drafts and errors included; use --bind 127.0.0.1 to keep it private",
            args.bind
        );
    }
    let options = ServeOptions {
        content: args.content,
        drafts: args.drafts,
        addr,
    };
    let open = args.open;
    let mut shown_warnings: Option<Vec<Diagnostic>> = None;
    jianbao::serve::run(&options, move |event| match event {
        Event::Built(report) => {
            if shown_warnings.as_ref() != Some(&report.warnings) && !report.failed() {
                print_diagnostics(&report.warnings);
                shown_warnings = Some(report.warnings.clone());
            }
            print_report(&report);
        }
        Event::Listening(addr) => {
            let url = local_url(addr);
            say!("serving {url} (Ctrl-C to stop)");
            if open {
                open_browser(&url);
            }
        }
        Event::WatchError(message) => say!("warning: {message}"),
        Event::Quick(paths, elapsed) => {
            let time = chrono::Local::now().format("%H:%M:%S");
            for path in paths {
                let url = path.strip_suffix("index.html").unwrap_or(&path);
                say!("[{time}] /{url} shown in {} ms", elapsed.as_millis());
            }
        }
    })?;
    Ok(true)
}

fn print_report(report: &Report) {
    let time = chrono::Local::now().format("%H:%M:%S");
    let ms = report.elapsed.as_millis();
    let what = match &report.what {
        What::Everything => "content loaded".to_string(),
        What::Theme => "templates changed".to_string(),
        What::Records(files) => format!("{} changed", names(files)),
        What::Assets(files) => format!("{} replaced", names(files)),
    };
    if report.failed() {
        print_diagnostics(&report.errors);
        say!(
            "[{time}] {what}: rebuild failed in {ms} ms; still serving the last good site, with the errors over every page"
        );
        return;
    }
    let mut line = if report.whole {
        format!("[{time}] {what}: {} pages rendered", report.total)
    } else {
        format!(
            "[{time}] {what}: {} of {} pages rendered",
            report.rendered, report.total
        )
    };
    if report.removed > 0 {
        line.push_str(&format!(", {} removed", report.removed));
    }
    say!("{line} in {ms} ms");
}

/// The first few of `files`, and how many more.
fn names(files: &[String]) -> String {
    let mut names = files.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    if files.len() > 3 {
        names.push_str(&format!(" and {} more", files.len() - 3));
    }
    names
}

/// The address to give a browser: a wildcard bind is reached through loopback.
fn local_url(addr: SocketAddr) -> String {
    let host = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_string(),
        ip if ip.is_unspecified() => "[::1]".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    format!("http://{host}:{}/", addr.port())
}

/// Opens `url` with the desktop's opener, when there is one; failure is not an error.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
