//! Smoke test of the benchmark pipeline (bench/run.sh): a small synthetic site passes
//! `jianbao check` with no error and no warning, and builds once `jianbao build` exists.
//! No timings here; those are the script's job.

use std::path::PathBuf;
use std::process::Command;

const JIANBAO: &str = env!("CARGO_BIN_EXE_jianbao");

/// A fresh directory under /dev/shm (RAM) when there is one, else the system temp dir.
fn scratch() -> tempfile::TempDir {
    let shm = PathBuf::from("/dev/shm");
    let base = if shm.is_dir() {
        shm
    } else {
        std::env::temp_dir()
    };
    tempfile::Builder::new()
        .prefix("jianbao-bench-smoke-")
        .tempdir_in(base)
        .expect("scratch dir")
}

#[test]
fn generated_site_checks_clean_and_builds_when_build_exists() {
    let dir = scratch();
    let content = dir.path().join("content");
    let summary = jianbao::synth::generate(&content, 100, 7).expect("generate");
    assert_eq!(summary.records, 100);
    assert!(summary.departments >= 8);

    let check = Command::new(JIANBAO)
        .arg("check")
        .arg("-c")
        .arg(&content)
        .output()
        .expect("run jianbao check");
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "check failed:\n{stderr}");
    assert!(
        !stderr.contains("warning"),
        "check warned on generated content:\n{stderr}"
    );

    let has_build = Command::new(JIANBAO)
        .args(["build", "--help"])
        .output()
        .expect("run jianbao build --help")
        .status
        .success();
    if !has_build {
        eprintln!("`jianbao build` does not exist yet: build step skipped");
        return;
    }
    let out = dir.path().join("public");
    let build = Command::new(JIANBAO)
        .arg("build")
        .arg("-c")
        .arg(&content)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("run jianbao build");
    assert!(
        build.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(out.join("index.html").is_file(), "no index.html in {out:?}");
}
