//! Installing what the build and the tests need, pinned, and only when missing.
//! A fresh machine needs only rustup and Node.js; everything else comes from here.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::proc::{output, run};
use crate::{Result, root, step};

/// Must equal the `wasm-bindgen` crate in Cargo.lock (a tidy test checks).
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
pub const WORKER_BUILD_VERSION: &str = "0.8.7";
/// The HTTP load generator of `cargo xtask bench`.
pub const OHA_VERSION: &str = "1.16.0";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Paths of the installed tools.
pub struct Tools {
    pub wasm_bindgen: PathBuf,
    pub worker_build: PathBuf,
    pub node_bin: PathBuf,
}

impl Tools {
    pub fn npm_bin(&self, name: &str) -> PathBuf {
        self.node_bin.join(name)
    }
}

fn cargo_bin_dir() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .unwrap_or_default()
        .join("bin")
}

/// Everything `cargo xtask build` needs.
pub fn ensure_build_tools() -> Result<Tools> {
    ensure_wasm_target()?;
    let wasm_bindgen = ensure_cargo_tool(
        "wasm-bindgen",
        "wasm-bindgen-cli",
        WASM_BINDGEN_VERSION,
        false,
    )?;
    // `--locked` fails for wasm-bindgen-cli with this toolchain, works for worker-build.
    let worker_build =
        ensure_cargo_tool("worker-build", "worker-build", WORKER_BUILD_VERSION, true)?;
    ensure_npm_packages()?;
    Ok(Tools {
        wasm_bindgen,
        worker_build,
        node_bin: root().join("node_modules/.bin"),
    })
}

fn ensure_wasm_target() -> Result {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !installed.lines().any(|l| l.trim() == WASM_TARGET) {
        step(&format!("installing the {WASM_TARGET} target"));
        run(Command::new("rustup").args(["target", "add", WASM_TARGET]))?;
    }
    Ok(())
}

pub fn ensure_cargo_tool(bin: &str, krate: &str, version: &str, locked: bool) -> Result<PathBuf> {
    let path = cargo_bin_dir().join(bin);
    let current = output(Command::new(&path).arg("--version")).unwrap_or_default();
    if current.split_whitespace().any(|word| word == version) {
        return Ok(path);
    }
    step(&format!(
        "installing {krate} {version} (once; a few minutes)"
    ));
    let mut cmd = Command::new("cargo");
    cmd.args(["install", krate, "--version", version]);
    if locked {
        cmd.arg("--locked");
    }
    run(&mut cmd)?;
    Ok(path)
}

/// `npm ci` when `node_modules` is missing or older than the lockfile.
fn ensure_npm_packages() -> Result {
    let root = root();
    let lock = root.join("package-lock.json");
    let installed = root.join("node_modules/.package-lock.json");
    let modified = |p: &Path| p.metadata().and_then(|m| m.modified()).ok();
    let fresh = match (modified(&installed), modified(&lock)) {
        (Some(installed), Some(lock)) => installed >= lock,
        _ => false,
    };
    if !fresh {
        step("installing pinned npm packages (wrangler, miniflare, binaryen, playwright-core)");
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&root))
        .map_err(|e| format!("{e}\nNode.js 20+ with npm is required: https://nodejs.org/"))?;
    }
    Ok(())
}

/// The Chromium binary for browser tests: `$CHROMIUM`, or Debian's, installed with apt
/// when missing and we are root. Otherwise an error that says what to install.
pub fn ensure_chromium() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM").map(PathBuf::from) {
        return if path.exists() {
            Ok(path)
        } else {
            Err(format!("CHROMIUM={} does not exist", path.display()).into())
        };
    }
    for candidate in [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ] {
        if Path::new(candidate).exists() {
            return Ok(PathBuf::from(candidate));
        }
    }
    let is_root = output(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0");
    let has_apt = Path::new("/usr/bin/apt-get").exists();
    if is_root && has_apt {
        step("installing Chromium for the browser tests (apt-get)");
        run(Command::new("apt-get").arg("update"))?;
        run(Command::new("apt-get").args([
            "install",
            "-y",
            "--no-install-recommends",
            "chromium",
        ]))?;
        return Ok(PathBuf::from("/usr/bin/chromium"));
    }
    Err("the browser tests need Chromium and it is not installed.\n\
         Install it, then run again:\n  \
         Debian/Ubuntu: sudo apt-get install chromium\n  \
         Fedora:        sudo dnf install chromium\n  \
         macOS:         brew install --cask chromium\n\
         or point CHROMIUM=/path/to/chrome at an existing Chrome or Chromium."
        .into())
}
