//! The build: the worker (via worker-build), the widget and dashboard wasm (cargo,
//! wasm-bindgen, wasm-opt, esbuild) and the static files the worker serves, in `dist/public`.
//! Incremental: cargo does nothing for unchanged crates, and the post-processing of a wasm
//! file is skipped when its content hash has not changed.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::proc::run;
use crate::sizes::{SizeReport, measure};
use crate::tools::{Tools, WASM_TARGET};
use crate::{Result, root, step};

/// A wasm app bundled for the browser.
struct Bundle {
    js: PathBuf,
    wasm: PathBuf,
    hash: String,
}

pub fn all(tools: &Tools) -> Result<SizeReport> {
    edge(tools)?;
    step("building the widget and the dashboard (release wasm)");
    run(Command::new("cargo")
        .args([
            "build",
            "--release",
            "--target",
            WASM_TARGET,
            "-p",
            "quanzi-widget",
            "-p",
            "quanzi-site",
        ])
        .current_dir(root()))?;
    let widget = bundle(tools, "quanzi_widget")?;
    let site = bundle(tools, "quanzi_site")?;
    let report = assemble(tools, &widget, &site)?;
    report.print();
    Ok(report)
}

/// The worker is rebuilt only when one of its inputs changed: worker-build re-runs
/// wasm-bindgen and wasm-opt every time, which costs seconds even when cargo has nothing to do.
fn edge(tools: &Tools) -> Result {
    let stamp = target_dir().join("xtask/edge-inputs.sha256");
    let inputs = inputs_hash(&[
        "Cargo.toml",
        "Cargo.lock",
        "core",
        "edge/Cargo.toml",
        "edge/src",
    ])?;
    let built = root().join("edge/build/index.js").exists()
        && root().join("edge/build/index_bg.wasm").exists();
    if built && fs::read_to_string(&stamp).is_ok_and(|s| s == inputs) {
        step("the worker is up to date");
        return Ok(());
    }
    step("building the worker (worker-build --release)");
    run(Command::new(&tools.worker_build)
        .arg("--release")
        .current_dir(root().join("edge"))
        .env("WASM_BINDGEN_BIN", &tools.wasm_bindgen)
        .env("WASM_OPT_BIN", tools.npm_bin("wasm-opt"))
        .env("ESBUILD_BIN", tools.npm_bin("esbuild")))?;
    fs::create_dir_all(target_dir().join("xtask"))?;
    fs::write(&stamp, inputs)?;
    Ok(())
}

/// A hash over the paths and contents of every file under `paths` (relative to the root).
fn inputs_hash(paths: &[&str]) -> Result<String> {
    fn walk(path: &std::path::Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
        if path.is_dir() {
            for entry in fs::read_dir(path)? {
                walk(&entry?.path(), files)?;
            }
        } else if path.is_file() {
            files.push(path.to_path_buf());
        }
        Ok(())
    }
    let mut files = Vec::new();
    for path in paths {
        walk(&root().join(path), &mut files)?;
    }
    files.sort();
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(file.to_string_lossy().as_bytes());
        hasher.update(fs::read(&file)?);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` or `target/` in the workspace.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// wasm-bindgen, wasm-opt and a minified glue for the cargo output `name`, cached by the
/// hash of the input wasm.
fn bundle(tools: &Tools, name: &str) -> Result<Bundle> {
    let input = target_dir().join(format!("{WASM_TARGET}/release/{name}.wasm"));
    let work = target_dir().join("xtask").join(name);
    let js = work.join(format!("{name}.min.js"));
    let wasm = work.join(format!("{name}.opt.wasm"));
    let stamp = work.join("input.sha256");
    let input_hash =
        sha256_hex(&fs::read(&input).map_err(|e| format!("{}: {e}", input.display()))?);
    let cached =
        fs::read_to_string(&stamp).is_ok_and(|s| s == input_hash) && js.exists() && wasm.exists();
    if !cached {
        step(&format!("post-processing {name}.wasm"));
        fs::create_dir_all(&work)?;
        run(Command::new(&tools.wasm_bindgen)
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                name,
                "--out-dir",
            ])
            .arg(&work)
            .arg(&input))?;
        run(Command::new(tools.npm_bin("wasm-opt"))
            .args(["-Oz", "--strip-debug", "--strip-producers"])
            // The features rustc's wasm32 target emits by default.
            .args([
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-mutable-globals",
                "--enable-reference-types",
                "--enable-multivalue",
            ])
            .arg(work.join(format!("{name}_bg.wasm")))
            .arg("-o")
            .arg(&wasm))?;
        run(Command::new(tools.npm_bin("esbuild"))
            .arg(work.join(format!("{name}.js")))
            .args(["--minify", "--format=esm", "--log-level=warning"])
            .arg(format!("--outfile={}", js.display())))?;
        fs::write(&stamp, &input_hash)?;
    }
    let mut both = fs::read(&js)?;
    both.extend(fs::read(&wasm)?);
    let hash = sha256_hex(&both)[..12].to_owned();
    Ok(Bundle { js, wasm, hash })
}

/// Writes `dist/public`: what the assets binding serves.
fn assemble(tools: &Tools, widget: &Bundle, site: &Bundle) -> Result<SizeReport> {
    let public = root().join("dist/public");
    if public.exists() {
        fs::remove_dir_all(&public)?;
    }
    fs::create_dir_all(public.join("widget"))?;
    fs::create_dir_all(public.join("dashboard"))?;

    let glue = format!("widget/quanzi-widget.{}.js", widget.hash);
    let wasm = format!("widget/quanzi-widget.{}.wasm", widget.hash);
    fs::copy(&widget.js, public.join(&glue))?;
    fs::copy(&widget.wasm, public.join(&wasm))?;

    let loader_src = fs::read_to_string(root().join("widget/embed.js"))?;
    let loader = target_dir().join("xtask/embed.js");
    fs::write(
        &loader,
        loader_src
            .replace("__GLUE__", &glue)
            .replace("__WASM__", &wasm),
    )?;
    run(Command::new(tools.npm_bin("esbuild"))
        .arg(&loader)
        .args(["--minify", "--log-level=warning"])
        .arg(format!("--outfile={}", public.join("embed.js").display())))?;

    let site_js = format!("quanzi-site.{}.js", site.hash);
    let site_wasm = format!("quanzi-site.{}.wasm", site.hash);
    fs::copy(&site.js, public.join("dashboard").join(&site_js))?;
    fs::copy(&site.wasm, public.join("dashboard").join(&site_wasm))?;
    let index = fs::read_to_string(root().join("site/index.html"))?;
    fs::write(
        public.join("dashboard/index.html"),
        index
            .replace("__SITE_JS__", &site_js)
            .replace("__SITE_WASM__", &site_wasm),
    )?;

    fs::write(public.join("_headers"), HEADERS)?;

    // The API document: generated here, natively, and served as a static file, so the
    // worker carries none of it (see openapi/Cargo.toml).
    fs::create_dir_all(public.join("api/v1"))?;
    fs::write(public.join("api/v1/openapi.json"), quanzi_openapi::json()?)?;

    Ok(SizeReport {
        rows: vec![
            measure("embed.js", &public.join("embed.js"))?,
            measure("widget glue", &public.join(&glue))?,
            measure("widget wasm", &public.join(&wasm))?,
            measure("dashboard glue", &public.join("dashboard").join(&site_js))?,
            measure("dashboard wasm", &public.join("dashboard").join(&site_wasm))?,
            measure("worker wasm", &worker_wasm()?)?,
        ],
    })
}

fn worker_wasm() -> Result<PathBuf> {
    Ok(root().join("edge/build/index_bg.wasm"))
}

/// Headers for static files. The bundle is public and content-addressed: any page may
/// load it (the API, not the bundle, enforces each community's allowlist).
const HEADERS: &str = "\
/embed.js
  Access-Control-Allow-Origin: *
  Cache-Control: public, max-age=300
  X-Content-Type-Options: nosniff
/widget/*
  Access-Control-Allow-Origin: *
  Cache-Control: public, max-age=31536000, immutable
  X-Content-Type-Options: nosniff
/dashboard/*
  X-Frame-Options: DENY
  X-Content-Type-Options: nosniff
  Referrer-Policy: same-origin
/api/v1/openapi.json
  Access-Control-Allow-Origin: *
  Cache-Control: public, max-age=300
  X-Content-Type-Options: nosniff
";
