//! Tidy checks: the rules of this codebase, as ordinary tests.
#![allow(
    clippy::unwrap_used,
    reason = "a test crate: a failed unwrap is a failed test"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn source_files(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if !matches!(
                name.as_str(),
                "target" | "node_modules" | "build" | "dist" | ".git" | ".state"
            ) {
                source_files(&path, exts, out);
            }
        } else if exts.iter().any(|e| name.ends_with(e)) {
            out.push(path);
        }
    }
}

#[test]
fn formatting_is_rustfmt_clean() {
    let status = Command::new(env!("CARGO"))
        .args(["fmt", "--all", "--check"])
        .current_dir(root())
        .status()
        .unwrap();
    assert!(status.success(), "run `cargo fmt --all`");
}

#[test]
fn core_stays_pure() {
    let manifest = std::fs::read_to_string(root().join("core/Cargo.toml")).unwrap();
    let forbidden = [
        "wasm-bindgen",
        "web-sys",
        "js-sys",
        "worker",
        "leptos",
        "gloo",
        "getrandom",
        "tokio",
        "reqwest",
    ];
    for line in manifest.lines().map(str::trim) {
        let name = line.split(['=', ' ', '.']).next().unwrap_or("");
        assert!(
            !forbidden.contains(&name),
            "core/Cargo.toml must not depend on `{name}`: core is pure"
        );
    }
}

#[test]
fn no_todo_or_ignored_tests() {
    // Spelled in pieces so this file does not trip its own check.
    let rust = [
        ["todo", "!("].concat(),
        ["unimplemented", "!("].concat(),
        ["#[", "ignore"].concat(),
    ];
    let js = [
        ["test", ".skip("].concat(),
        ["describe", ".skip("].concat(),
        ["it", ".skip("].concat(),
        [".", "only("].concat(),
        ["{ skip", ":"].concat(),
        ["{ todo", ":"].concat(),
        ["t.", "skip("].concat(),
    ];
    let mut files = Vec::new();
    source_files(&root(), &[".rs", ".mjs", ".js"], &mut files);
    assert!(files.len() > 10, "the walk found the sources");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let needles = if file.extension().is_some_and(|e| e == "rs") {
            &rust[..]
        } else {
            &js[..]
        };
        for needle in needles {
            assert!(
                !text.contains(needle.as_str()),
                "{} contains `{needle}`",
                file.display()
            );
        }
    }
}

#[test]
fn wasm_bindgen_cli_pin_matches_the_lockfile() {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).unwrap();
    let locked = lock
        .split("[[package]]")
        .find(|p| p.contains("name = \"wasm-bindgen\"\n"))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")))
        .map(|v| v.trim_end_matches('"'))
        .unwrap();
    let tools = std::fs::read_to_string(root().join("xtask/src/tools.rs")).unwrap();
    assert!(
        tools.contains(&format!("WASM_BINDGEN_VERSION: &str = \"{locked}\"")),
        "Cargo.lock has wasm-bindgen {locked}; pin the same version in xtask/src/tools.rs"
    );
}

#[test]
fn architecture_names_every_crate() {
    let arch = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    for krate in ["core/", "edge/", "widget/", "site/", "tests/", "xtask/"] {
        assert!(
            arch.contains(krate),
            "ARCHITECTURE.md does not mention {krate}"
        );
    }
}
