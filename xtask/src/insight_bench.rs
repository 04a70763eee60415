//! The insight benchmark: how much memory and time the dashboard's rollups take in a
//! community of a million members, and how long each dashboard query takes there.
//!
//! The measurement is `xtask/examples/insight_bench.rs` (it installs a counting global
//! allocator, so it runs as its own process); [`run`] builds it optimised and returns its
//! markdown report. A full run takes a few minutes on two cores (most of it the build and
//! the two played days); `members` scales it down for a quick one.

use std::path::Path;
use std::process::Command;

/// The members of a full run.
pub const MEMBERS: u32 = 1_000_000;
/// The members of a quick run.
pub const QUICK_MEMBERS: u32 = 20_000;

/// Builds and runs the benchmark with `members` members; its report, as markdown lines.
pub fn run(members: u32) -> Result<Vec<String>, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("xtask has no parent folder")?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    // Optimised like a release build, without the wasm bundles' size-first settings (fat
    // LTO, one codegen unit, opt-level z), which would make the build slow and the run slower.
    let profile = [
        "profile.insight-bench.inherits=\"release\"",
        "profile.insight-bench.opt-level=3",
        "profile.insight-bench.lto=false",
        "profile.insight-bench.codegen-units=16",
        "profile.insight-bench.panic=\"unwind\"",
    ];
    let mut command = Command::new(cargo);
    command.current_dir(root).arg("run").arg("--quiet");
    for setting in profile {
        command.arg("--config").arg(setting);
    }
    command
        .args(["--profile", "insight-bench", "--package", "xtask"])
        .args(["--example", "insight_bench", "--", "--members"])
        .arg(members.to_string());
    let output = command
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("running the insight benchmark: {e}"))?;
    if !output.status.success() {
        return Err(format!("the insight benchmark failed ({})", output.status));
    }
    let text = String::from_utf8(output.stdout)
        .map_err(|e| format!("the insight benchmark's report: {e}"))?;
    Ok(text.lines().map(str::to_owned).collect())
}
