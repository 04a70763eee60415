//! The build: the worker (via worker-build), the widget and dashboard wasm (cargo,
//! wasm-bindgen, wasm-opt, esbuild) and the static files the worker serves, in `dist/public`.
//! Incremental: cargo does nothing for unchanged crates, and the post-processing of a wasm
//! file is skipped when its content hash has not changed.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::proc::run;
use crate::sizes::{SizeReport, SizeRow, measure};
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
    // The widget keeps its relocations (a link argument of the widget alone, so no
    // dependency rebuilds): the splitter needs them to cut it at its `#[lazy]` functions.
    run(Command::new("cargo")
        .args(["rustc", "--release", "--lib", "--target", WASM_TARGET])
        .args(["-p", "quanzi-widget", "--", "-Clink-args=--emit-relocs"])
        .current_dir(root()))?;
    run(Command::new("cargo")
        .args([
            "build",
            "--release",
            "--target",
            WASM_TARGET,
            "-p",
            "quanzi-site",
        ])
        .current_dir(root()))?;
    let widget = widget_bundle(tools)?;
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
        "markdown",
        "shell",
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

/// Whether the post-processing of `input` into `work` can be skipped: the stamp there holds
/// the hash of the input it was made from. Returns that hash to stamp with afterwards.
fn cached(
    input: &std::path::Path,
    work: &std::path::Path,
    outputs: &[PathBuf],
) -> Result<(bool, String)> {
    let hash = sha256_hex(&fs::read(input).map_err(|e| format!("{}: {e}", input.display()))?);
    let fresh = fs::read_to_string(work.join("input.sha256")).is_ok_and(|s| s == hash)
        && outputs.iter().all(|o| o.exists());
    Ok((fresh, hash))
}

fn wasm_bindgen(
    tools: &Tools,
    input: &std::path::Path,
    out_dir: &std::path::Path,
    name: &str,
    split: bool,
) -> Result {
    let mut cmd = Command::new(&tools.wasm_bindgen);
    cmd.args(["--target", "web", "--no-typescript", "--out-name", name]);
    if split {
        // The split main module exports what its parts import; keep those exports and
        // their names.
        cmd.args(["--keep-lld-exports", "--no-demangle"]);
    }
    run(cmd.arg("--out-dir").arg(out_dir).arg(input))
}

fn wasm_opt(tools: &Tools, input: &std::path::Path, output: &std::path::Path) -> Result {
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
        .arg(input)
        .arg("-o")
        .arg(output))
}

fn minify(tools: &Tools, input: &std::path::Path, output: &std::path::Path) -> Result {
    run(Command::new(tools.npm_bin("esbuild"))
        .arg(input)
        .args(["--minify", "--format=esm", "--log-level=warning"])
        .arg(format!("--outfile={}", output.display())))
}

/// wasm-bindgen, wasm-opt and a minified glue for the cargo output `name`, cached by the
/// hash of the input wasm.
fn bundle(tools: &Tools, name: &str) -> Result<Bundle> {
    let input = target_dir().join(format!("{WASM_TARGET}/release/{name}.wasm"));
    let work = target_dir().join("xtask").join(name);
    let js = work.join(format!("{name}.min.js"));
    let wasm = work.join(format!("{name}.opt.wasm"));
    let (fresh, input_hash) = cached(&input, &work, &[js.clone(), wasm.clone()])?;
    if !fresh {
        step(&format!("post-processing {name}.wasm"));
        fs::create_dir_all(&work)?;
        wasm_bindgen(tools, &input, &work, name, false)?;
        wasm_opt(tools, &work.join(format!("{name}_bg.wasm")), &wasm)?;
        minify(tools, &work.join(format!("{name}.js")), &js)?;
        fs::write(work.join("input.sha256"), &input_hash)?;
    }
    let mut both = fs::read(&js)?;
    both.extend(fs::read(&wasm)?);
    let hash = sha256_hex(&both)[..12].to_owned();
    Ok(Bundle { js, wasm, hash })
}

/// The widget, cut into parts: the main module (what the first view runs) and one file per
/// `#[lazy]` function (and per piece of code several of them share), fetched when first
/// called by `split.js`, which the glue imports. All of it lands in one directory named by
/// the hash of its contents, so the files find each other by relative paths.
struct WidgetBundle {
    /// Holds `quanzi-widget.js` (glue), `quanzi-widget.wasm` (main), `split.js` and the parts.
    dir: PathBuf,
    hash: String,
}

const WIDGET_GLUE: &str = "quanzi-widget.js";
const WIDGET_WASM: &str = "quanzi-widget.wasm";
const WIDGET_LINK: &str = "split.js";

fn widget_bundle(tools: &Tools) -> Result<WidgetBundle> {
    let input = target_dir().join(format!("{WASM_TARGET}/release/quanzi_widget.wasm"));
    let work = target_dir().join("xtask/quanzi_widget");
    let dir = work.join("out");
    let (fresh, input_hash) = cached(
        &input,
        &work,
        &[dir.join(WIDGET_GLUE), dir.join(WIDGET_WASM)],
    )?;
    if !fresh {
        step("splitting and post-processing quanzi_widget.wasm");
        for d in [&work.join("split"), &work.join("bindgen"), &dir] {
            if d.exists() {
                fs::remove_dir_all(d)?;
            }
            fs::create_dir_all(d)?;
        }
        let split_dir = work.join("split");
        let main = split_dir.join("main.wasm");
        let wasm = fs::read(&input)?;
        let link_name = format!("./{WIDGET_LINK}");
        let main_module = format!("./{WIDGET_GLUE}");
        let split = wasm_split_cli_support::transform({
            let mut opts = wasm_split_cli_support::Options::new(&wasm);
            opts.output_dir = &split_dir;
            opts.main_out_path = &main;
            opts.link_name = &link_name;
            opts.main_module = &main_module;
            opts
        })
        .map_err(|e| format!("splitting the widget: {e:#}"))?;
        let bindgen = work.join("bindgen");
        wasm_bindgen(tools, &main, &bindgen, "quanzi-widget", true)?;
        wasm_opt(
            tools,
            &bindgen.join("quanzi-widget_bg.wasm"),
            &dir.join(WIDGET_WASM),
        )?;
        minify(
            tools,
            &bindgen.join("quanzi-widget.js"),
            &dir.join(WIDGET_GLUE),
        )?;
        minify(tools, &split_dir.join(WIDGET_LINK), &dir.join(WIDGET_LINK))?;
        for part in &split.split_modules {
            let file = part.file_name().ok_or("a split part without a file name")?;
            wasm_opt(tools, part, &dir.join(file))?;
        }
        fs::write(work.join("input.sha256"), &input_hash)?;
    }
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    files.sort();
    let mut hasher = Sha256::new();
    for file in &files {
        hasher.update(file.file_name().unwrap_or_default().as_encoded_bytes());
        hasher.update(fs::read(file)?);
    }
    let hash = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()[..12]
        .to_owned();
    Ok(WidgetBundle { dir, hash })
}

/// Writes `dist/public`: what the assets binding serves.
fn assemble(tools: &Tools, widget: &WidgetBundle, site: &Bundle) -> Result<SizeReport> {
    let public = root().join("dist/public");
    if public.exists() {
        fs::remove_dir_all(&public)?;
    }
    fs::create_dir_all(public.join("widget"))?;
    fs::create_dir_all(public.join("dashboard"))?;

    let widget_dir = format!("widget/{}", widget.hash);
    fs::create_dir_all(public.join(&widget_dir))?;
    let mut parts = Vec::new();
    for entry in fs::read_dir(&widget.dir)? {
        let entry = entry?;
        fs::copy(
            entry.path(),
            public.join(&widget_dir).join(entry.file_name()),
        )?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".wasm") && name != WIDGET_WASM {
            parts.push(name);
        }
    }
    parts.sort();
    let glue = format!("{widget_dir}/{WIDGET_GLUE}");
    let wasm = format!("{widget_dir}/{WIDGET_WASM}");
    let link = format!("{widget_dir}/{WIDGET_LINK}");

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

    fs::write(
        public.join("_headers"),
        crate::headers::with_dashboard_csp(HEADERS, &public)?,
    )?;

    // The API document: generated here, natively, and served as a static file, so the
    // worker carries none of it (see openapi/Cargo.toml).
    fs::create_dir_all(public.join("api/v1"))?;
    fs::write(public.join("api/v1/openapi.json"), quanzi_openapi::json()?)?;

    let mut rows = vec![
        measure("embed.js", &public.join("embed.js"))?,
        // Sent with the first view's HTML (`GET …/first-view`), the theme's one rule added.
        measure("widget styles", &root().join("shell/src/style.css"))?,
        measure("widget glue", &public.join(&glue))?,
        measure("widget wasm", &public.join(&wasm))?,
        measure("widget split.js", &public.join(&link))?,
    ];
    // Fetched when a member first opens what they hold, not by the first view: one row
    // for all of them, summed file by file (each is compressed on its own on the wire).
    let mut later = SizeRow {
        name: "later widget parts".to_owned(),
        raw: 0,
        gzip: 0,
        brotli: 0,
    };
    for part in &parts {
        let row = measure(part, &public.join(&widget_dir).join(part))?;
        later.raw += row.raw;
        later.gzip += row.gzip;
        later.brotli += row.brotli;
    }
    rows.push(later);
    rows.extend([
        measure("dashboard glue", &public.join("dashboard").join(&site_js))?,
        measure("dashboard wasm", &public.join("dashboard").join(&site_wasm))?,
        measure("worker wasm", &worker_wasm()?)?,
    ]);
    Ok(SizeReport { rows })
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
  Content-Security-Policy: __DASHBOARD_CSP__
  Cross-Origin-Opener-Policy: same-origin
  Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=()
/api/v1/openapi.json
  Access-Control-Allow-Origin: *
  Cache-Control: public, max-age=300
  X-Content-Type-Options: nosniff
";
