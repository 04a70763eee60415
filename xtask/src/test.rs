//! `cargo xtask test`: every suite, in order of speed, stopping at the first failure.
//! Nothing is skipped silently: a missing browser is installed (as root) or an error.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::proc;
use crate::tools::{self, WASM_TARGET};
use crate::{Result, build, dev, root, step};

pub fn run() -> Result {
    let chromium = tools::ensure_chromium()?;
    let tools = tools::ensure_build_tools()?;

    step("native tests: core, widget and dashboard logic, tidy checks");
    proc::run(
        Command::new("cargo")
            .args([
                "test",
                "--locked",
                "-p",
                "quanzi-core",
                "-p",
                "quanzi-markdown",
                "-p",
                "quanzi-shell",
                "-p",
                "quanzi-widget",
                "-p",
                "quanzi-site",
                "-p",
                "quanzi-openapi",
                "-p",
                "xtask",
            ])
            .current_dir(root()),
    )?;

    step("clippy: native crates, then the wasm crates for their real target");
    proc::run(
        Command::new("cargo")
            .args([
                "clippy",
                "--locked",
                "-p",
                "quanzi-core",
                "-p",
                "quanzi-markdown",
                "-p",
                "quanzi-shell",
                "-p",
                "quanzi-openapi",
                "-p",
                "xtask",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ])
            .current_dir(root()),
    )?;
    proc::run(
        Command::new("cargo")
            .args(["clippy", "--locked", "--target", WASM_TARGET])
            .args([
                "-p",
                "quanzi-edge",
                "-p",
                "quanzi-widget",
                "-p",
                "quanzi-site",
                "--",
                "-D",
                "warnings",
            ])
            .current_dir(root()),
    )?;

    build::all(&tools)?;

    let files = end_to_end_files()?;
    step(&format!(
        "end-to-end: {} files against the real worker and Chromium",
        files.len()
    ));
    let mut node = Command::new("node");
    node.args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
        .args(&files)
        .env("CHROMIUM", &chromium)
        .current_dir(root());
    proc::run(dev::quiet_wrangler(&mut node))
}

/// `tests/**/*.test.mjs`, sorted. None found is an error, not a pass.
fn end_to_end_files() -> Result<Vec<PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(&path, out)?;
            } else if path.to_string_lossy().ends_with(".test.mjs") {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(&root().join("tests"), &mut files)?;
    files.sort();
    if files.is_empty() {
        return Err("no end-to-end test files under tests/".into());
    }
    Ok(files
        .into_iter()
        .map(|p| p.strip_prefix(root()).map(Path::to_path_buf).unwrap_or(p))
        .collect())
}
