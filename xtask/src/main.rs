//! `cargo xtask <command>`: everything this project automates, in Rust.
//!
//! * `dev`   — install what is missing, build, run the worker under `wrangler dev` with
//!   persisted local state, seed a demo community, serve a demo brand page on a second origin.
//! * `test`  — every suite: native Rust tests, then the API and browser tests against the
//!   real worker in a real headless Chromium. Never skips one silently.
//! * `build` — the worker, the widget bundle and the dashboard into `dist/`, with sizes.
//! * `bench` — sizes, page timing and the API under load, written to `bench/REPORT.md`.

mod bench;
mod build;
mod dev;
mod headers;
mod insight_bench;
mod proc;
mod sizes;
mod test;
mod tools;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  dev     [--port N] [--demo-port N]   run the product locally (default ports 8787 and 8788)
  test                                 run every test suite
  build                                build the worker, widget and dashboard into dist/
  bench   [--quick]                    measure sizes, page load, the API under load and insight
                                       at 1,000,000 members (--quick: 20,000) into bench/REPORT.md
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("dev") => dev::Options::parse(&args[1..]).and_then(|o| dev::run(&o)),
        Some("test") => test::run(),
        Some("bench") => bench::Options::parse(&args[1..]).and_then(|o| bench::run(&o)),
        Some("build") => tools::ensure_build_tools().and_then(|t| build::all(&t).map(drop)),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown command\n\n{USAGE}").into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Prints a step heading, so long runs show where they are.
pub fn step(what: &str) {
    eprintln!("\n\x1b[1m==> {what}\x1b[0m");
}
