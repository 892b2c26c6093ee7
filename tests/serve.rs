//! `jianbao serve` as a user meets it: the built binary serves a copy of the fixture site;
//! edits show up with a reload event, a broken record keeps the last good page with the
//! error overlay until it is fixed, paths outside the site are 404, and a second server
//! on the same port exits with a clear message.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const RECORD: &str = "minutes/2026/03-06-dangzhang.md";
const PAGE: &str = "/minutes/2026/03-06-dangzhang/";
const WAIT: Duration = Duration::from_secs(20);

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site")
}

fn copy_fixture(to: &Path) -> PathBuf {
    let dest = to.join("content");
    for entry in walkdir::WalkDir::new(fixture()) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(fixture()).expect("prefix");
        let target = dest.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
    dest
}

/// Kills the server when the test ends, passed or failed.
struct Server {
    child: Child,
    log: PathBuf,
}

impl Server {
    fn start(content: &Path, port: u16, log: PathBuf) -> Server {
        let child = Command::new(env!("CARGO_BIN_EXE_jianbao"))
            .arg("serve")
            .arg("-c")
            .arg(content)
            .args(["--port", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log"))
            .spawn()
            .expect("start jianbao serve");
        Server { child, log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// A tiny HTTP/1.1 GET: the status and the body, or `None` when nothing answers.
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response.split(' ').nth(1)?.parse().ok()?;
    let body = response
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_string());
    Some((status, body))
}

/// Polls `path` until `ok` holds for the page, or panics with the server's log.
fn wait_for(
    server: &Server,
    port: u16,
    path: &str,
    what: &str,
    ok: impl Fn(&str) -> bool,
) -> String {
    let start = Instant::now();
    loop {
        if let Some((200, body)) = get(port, path)
            && ok(&body)
        {
            return body;
        }
        if start.elapsed() > WAIT {
            panic!(
                "{path}: {what} did not happen; serve said:\n{}",
                server.log()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Subscribes to the reload events; each `event: reload` arrives on the channel.
fn subscribe(port: u16) -> Receiver<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect events");
    write!(
        stream,
        "GET /__jianbao/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("request events");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let reader = BufReader::new(stream);
        for line in reader.lines() {
            let Ok(line) = line else { break };
            if line.trim_end() == "event: reload" && tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn edit(content: &Path, rel: &str, from: &str, to: &str) {
    let path = content.join(rel);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{rel} should contain {from}");
    std::fs::write(&path, text.replace(from, to)).expect("write");
}

#[test]
fn serve_previews_edits_survives_mistakes_and_stays_inside_the_site() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = copy_fixture(tmp.path());
    let port = free_port();
    let server = Server::start(&content, port, tmp.path().join("serve.log"));

    let first = wait_for(&server, port, PAGE, "the first build", |_| true);
    assert!(first.contains("集中学习新修订的党章"));
    assert!(
        first.contains("/__jianbao/events"),
        "the reload script is injected"
    );
    let events = subscribe(port);
    // Let the subscription reach the server before the edit.
    std::thread::sleep(Duration::from_millis(300));

    // An edited title shows on the record's page and on the list, with a reload event.
    edit(
        &content,
        RECORD,
        "title: 集中学习新修订的党章",
        "title: 重新学习党章全文",
    );
    wait_for(&server, port, PAGE, "the new title", |b| {
        b.contains("重新学习党章全文")
    });
    wait_for(
        &server,
        port,
        "/minutes/",
        "the new title on the list",
        |b| b.contains("重新学习党章全文"),
    );
    assert!(
        events.recv_timeout(WAIT).is_ok(),
        "a reload event; serve said:\n{}",
        server.log()
    );

    // A broken record: the last good page stays, with the overlay.
    edit(&content, RECORD, "date: 2026-03-06", "date: 2026-13-06");
    let broken = wait_for(&server, port, PAGE, "the error overlay", |b| {
        b.contains("jianbao-errors")
    });
    assert!(broken.contains("重新学习党章全文"), "the last good page");
    assert!(broken.contains(RECORD), "the overlay names the file");
    let other = get(port, "/essays/").expect("answers");
    assert!(other.1.contains("jianbao-errors"), "every page shows it");
    assert!(
        server.log().contains("2026-13-06"),
        "the terminal says it too"
    );

    // Fixed: the overlay goes.
    edit(&content, RECORD, "date: 2026-13-06", "date: 2026-03-06");
    wait_for(&server, port, PAGE, "the overlay to go", |b| {
        !b.contains("jianbao-errors")
    });

    // A deleted record's page goes away.
    std::fs::remove_file(content.join("essays/zhaolei-diaoyan.md")).expect("rm");
    let start = Instant::now();
    while get(port, "/essays/zhaolei-diaoyan/").map(|r| r.0) != Some(404) {
        assert!(start.elapsed() < WAIT, "deleted page still served");
        std::thread::sleep(Duration::from_millis(50));
    }

    for path in [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/minutes/../../../etc/passwd",
    ] {
        let (status, body) = get(port, path).expect("answers");
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("root:"), "{path}");
    }

    // A second server on the same port says so and exits with 2.
    let mut second = Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .arg("serve")
        .arg("-c")
        .arg(&content)
        .args(["--port", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start a second serve");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = second.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > WAIT {
            let _ = second.kill();
            let _ = second.wait();
            panic!("a second serve on a taken port did not exit");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = second.stderr.take() {
        pipe.read_to_string(&mut stderr).expect("stderr");
    }
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("already in use"), "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");

    // The first server is still up.
    assert_eq!(get(port, "/").map(|r| r.0), Some(200));
}
