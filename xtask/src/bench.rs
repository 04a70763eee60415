//! `cargo xtask bench`: how fast and small Quanzi is, written as a report that can be
//! compared across commits.
//!
//! The build gives the bundle sizes; `bench/run.mjs` measures the page in headless Chromium
//! and the API under load (oha) against the real worker, verifying the state after each write
//! scenario. This module adds the machine, the cost at list prices and the ratios against the
//! previous committed run, and writes `bench/REPORT.md` and `bench/results.jsonl`.

use std::fmt::Write as _;
use std::fs;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::proc::{self, output};
use crate::sizes::SizeReport;
use crate::tools::{self, OHA_VERSION};
use crate::{Result, build, dev, insight_bench, root, step};

/// Cloudflare's list prices (USD per million), Workers Paid plan, beyond the included amounts.
/// Source: developers.cloudflare.com/workers/platform/pricing, /kv/platform/pricing and
/// /durable-objects/platform/pricing, read 2026-11-23.
const PRICES_READ_ON: &str = "2026-11-23";
const PRICES: &[(&str, &str, f64)] = &[
    ("worker", "Workers requests", 0.30),
    ("kv_read", "KV reads", 0.50),
    ("kv_write", "KV writes", 5.00),
    ("do", "Durable Object requests", 0.15),
];

/// Seconds each load scenario runs at each concurrency.
const SCENARIO_SECONDS: u32 = 10;

pub struct Options {
    /// The insight benchmark's community size.
    members: u32,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Self> {
        match args {
            [] => Ok(Self {
                members: insight_bench::MEMBERS,
            }),
            [flag] if flag == "--quick" => Ok(Self {
                members: insight_bench::QUICK_MEMBERS,
            }),
            _ => Err(format!("bench takes only --quick, not {args:?}").into()),
        }
    }
}

pub fn run(options: &Options) -> Result {
    let chromium = tools::ensure_chromium()?;
    let build_tools = tools::ensure_build_tools()?;
    let oha = tools::ensure_cargo_tool("oha", "oha", OHA_VERSION, true)?;
    let sizes = build::all(&build_tools)?;

    step(&format!(
        "measuring the page and the API under load ({SCENARIO_SECONDS} s per scenario)"
    ));
    let dir = build::target_dir().join("bench");
    fs::create_dir_all(&dir)?;
    let out = dir.join("run.json");
    let mut node = Command::new("node");
    node.arg("bench/run.mjs")
        .env("CHROMIUM", &chromium)
        .env("OHA", &oha)
        .env("BENCH_SECONDS", SCENARIO_SECONDS.to_string())
        .env("BENCH_OUT", &out)
        .current_dir(root());
    proc::run(dev::quiet_wrangler(&mut node))?;
    let measured: Value = serde_json::from_str(&fs::read_to_string(&out)?)?;

    step(&format!(
        "insight at {} members (native, in memory)",
        options.members
    ));
    let insight = insight_bench::run(options.members)?;

    let run = Run::new(&sizes, &measured);
    let history = root().join("bench/results.jsonl");
    let previous = previous_run(&fs::read_to_string(&history).unwrap_or_default());
    let mut report = report(&run, &measured, &previous);
    report.push_str("\n## Insight at scale\n\n");
    for line in &insight {
        report.push_str(line);
        report.push('\n');
    }
    fs::write(root().join("bench/REPORT.md"), &report)?;
    let mut lines = fs::read_to_string(&history).unwrap_or_default();
    for metric in &run.metrics {
        lines.push_str(&metric.line(&run));
        lines.push('\n');
    }
    fs::write(&history, lines)?;
    println!("{report}");
    eprintln!("wrote bench/REPORT.md and appended to bench/results.jsonl");
    Ok(())
}

/// One number of a run, comparable across runs by its name.
struct Metric {
    name: String,
    value: f64,
    unit: &'static str,
}

impl Metric {
    fn line(&self, run: &Run) -> String {
        json!({
            "run": run.id,
            "commit": run.commit,
            "metric": self.name,
            "value": self.value,
            "unit": self.unit,
        })
        .to_string()
    }
}

struct Run {
    id: String,
    commit: String,
    metrics: Vec<Metric>,
}

/// The pages `bench/run.mjs` measures: its key, the prefix of its metrics' names, and what
/// it shows.
const PAGES: [(&str, &str, &str); 2] = [
    ("page", "", "check-in, signed out: the app at once"),
    (
        "home",
        "home ",
        "the home, signed out: the worker's HTML, the app when reached for",
    ),
];

impl Run {
    fn new(sizes: &SizeReport, measured: &Value) -> Self {
        let mut metrics = Vec::new();
        let mut push = |name: String, value: f64, unit| metrics.push(Metric { name, value, unit });
        for row in &sizes.rows {
            push(format!("size {} raw", row.name), row.raw as f64, "B");
            push(format!("size {} gzip", row.name), row.gzip as f64, "B");
            push(format!("size {} brotli", row.name), row.brotli as f64, "B");
        }
        for (key, prefix, _) in PAGES {
            let page = &measured[key];
            push(
                format!("{prefix}first view download, brotli"),
                num(&page["first_view"]["brotli"]),
                "B",
            );
            push(
                format!("{prefix}first widget content, cold (median)"),
                num(&page["first_content_ms"]["cold_median"]),
                "ms",
            );
            push(
                format!("{prefix}first widget content, warm (median)"),
                num(&page["first_content_ms"]["warm_median"]),
                "ms",
            );
        }
        for s in measured["scenarios"].as_array().into_iter().flatten() {
            let name = format!("{} @{}", text(&s["name"]), num(&s["connections"]));
            push(format!("{name} req/s"), num(&s["rps"]), "req/s");
            push(format!("{name} p50"), num(&s["p50_ms"]), "ms");
            push(format!("{name} p99"), num(&s["p99_ms"]), "ms");
        }
        push(
            "runtime peak RSS".into(),
            num(&measured["runtime_peak_rss_kib"]),
            "KiB",
        );
        let id = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default()
            .to_string();
        let commit = output(Command::new("git").args(["rev-parse", "--short", "HEAD"]))
            .map(|s| s.trim().to_owned())
            .unwrap_or_default();
        Self {
            id,
            commit,
            metrics,
        }
    }
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or("?")
}

/// The metrics of the last run in `history` (JSON lines), by name.
fn previous_run(history: &str) -> Vec<(String, f64)> {
    let lines: Vec<Value> = history
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let Some(last) = lines.last().map(|l| l["run"].clone()) else {
        return Vec::new();
    };
    lines
        .iter()
        .filter(|l| l["run"] == last)
        .map(|l| (text(&l["metric"]).to_owned(), num(&l["value"])))
        .collect()
}

/// `now / before` as `×1.23`, or `—` without a previous number.
fn ratio(previous: &[(String, f64)], name: &str, now: f64) -> String {
    match previous.iter().find(|(n, _)| n == name) {
        Some((_, before)) if *before > 0.0 && now.is_finite() => format!("×{:.2}", now / before),
        _ => "—".into(),
    }
}

fn machine() -> String {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(str::trim)
        .unwrap_or("unknown CPU");
    let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_gib = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|kib| kib.parse::<f64>().ok())
        .map(|kib| kib / 1024.0 / 1024.0)
        .unwrap_or(0.0);
    format!("{cores} cores ({model}), {mem_gib:.0} GiB memory")
}

fn report(run: &Run, measured: &Value, previous: &[(String, f64)]) -> String {
    let value = |name: &str| {
        run.metrics
            .iter()
            .find(|m| m.name == name)
            .map_or(f64::NAN, |m| m.value)
    };
    let mut r = String::new();
    let _ = writeln!(r, "# Benchmark report\n");
    let _ = writeln!(
        r,
        "Commit `{}`, run {}. Machine: {}. Written by `cargo xtask bench`.\n",
        run.commit,
        run.id,
        machine()
    );
    let _ = writeln!(
        r,
        "Timings come from a shared machine and the local runtime (workerd under wrangler), \
         not Cloudflare's network: they are noisy and compare commits on the same machine, \
         nothing more. Sizes and storage operations are exact. Ratios (×) are against the \
         previous run in `bench/results.jsonl`.\n"
    );

    let _ = writeln!(r, "## Sizes\n");
    let _ = writeln!(r, "| file | raw | gzip -9 | brotli | brotli vs previous |");
    let _ = writeln!(r, "| --- | ---: | ---: | ---: | ---: |");
    for m in run.metrics.iter().filter(|m| m.name.ends_with(" brotli")) {
        let Some(file) = m
            .name
            .strip_prefix("size ")
            .and_then(|n| n.strip_suffix(" brotli"))
        else {
            continue;
        };
        let _ = writeln!(
            r,
            "| {file} | {} | {} | {} | {} |",
            bytes(value(&format!("size {file} raw"))),
            bytes(value(&format!("size {file} gzip"))),
            bytes(m.value),
            ratio(previous, &m.name, m.value)
        );
    }
    for (key, prefix, what) in PAGES {
        let first = &measured[key]["first_view"];
        let first_name = format!("{prefix}first view download, brotli");
        let _ = writeln!(
            r,
            "\nA first widget view ({what}) downloads, counted in Chromium: \
             **{}** brotli ({} raw) {}:\n",
            bytes(num(&first["brotli"])),
            bytes(num(&first["raw"])),
            ratio(previous, &first_name, value(&first_name))
        );
        for f in first["files"].as_array().into_iter().flatten() {
            let _ = writeln!(
                r,
                "- `{}`: {} raw, {} brotli",
                text(&f["url"]),
                bytes(num(&f["raw"])),
                bytes(num(&f["brotli"]))
            );
        }
    }

    let _ = writeln!(r, "\n## Page\n");
    let _ = writeln!(
        r,
        "Navigation to the widget's first content on the demo brand page, median of {} runs \
         (cold: a fresh browser profile; warm: the same page reloaded).\n",
        num(&measured["page"]["runs"])
    );
    let _ = writeln!(r, "| view | cache | median | runs | vs previous |");
    let _ = writeln!(r, "| --- | --- | ---: | --- | ---: |");
    for (key, prefix, what) in PAGES {
        let page = &measured[key]["first_content_ms"];
        for label in ["cold", "warm"] {
            let name = format!("{prefix}first widget content, {label} (median)");
            let runs: Vec<String> = page[label]
                .as_array()
                .into_iter()
                .flatten()
                .map(|v| format!("{:.0}", num(v)))
                .collect();
            let _ = writeln!(
                r,
                "| {what} | {label} | {:.0} ms | {} | {} |",
                value(&name),
                runs.join(", "),
                ratio(previous, &name, value(&name))
            );
        }
    }

    let _ = writeln!(r, "\n## API under load\n");
    let _ = writeln!(
        r,
        "Each scenario at 1 and 50 connections against the release worker on 127.0.0.1 \
         ({} s per run; reads and replies with oha; check-ins and sign-ups from this \
         process, a new member each request, sign-ups at most 1,000 a run to stay under the \
         waitlist's limit). After each write scenario the state is checked exactly. The thread is read \
         again once the reply bursts have made it thousands of replies long: a read pages \
         its replies, so its p99 should stay near the 100-reply read's.\n",
        num(&measured["seconds_per_scenario"])
    );
    let _ = writeln!(
        r,
        "| scenario | conns | requests | req/s | p50 | p99 | p99 vs previous | failed | check |"
    );
    let _ = writeln!(
        r,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    );
    for s in measured["scenarios"].as_array().into_iter().flatten() {
        let name = format!("{} @{} p99", text(&s["name"]), num(&s["connections"]));
        let _ = writeln!(
            r,
            "| {} | {} | {} | {:.0} | {:.1} ms | {:.1} ms | {} | {} | {} |",
            text(&s["name"]),
            num(&s["connections"]),
            num(&s["requests"]),
            num(&s["rps"]),
            num(&s["p50_ms"]),
            num(&s["p99_ms"]),
            ratio(previous, &name, num(&s["p99_ms"])),
            num(&s["failed"]),
            s["verified"].as_str().unwrap_or("—")
        );
    }

    let _ = writeln!(r, "\n## Storage work and cost per request\n");
    let _ = writeln!(
        r,
        "Binding calls of one request, counted by the worker's meter (`x-quanzi-meter`, on in \
         this run only), and the cost of a million such requests at Cloudflare's list prices \
         (read {PRICES_READ_ON}; Durable Object duration and storage rows not included):\n"
    );
    let _ = writeln!(
        r,
        "| scenario | KV reads | KV writes | DO requests | USD per million |"
    );
    let _ = writeln!(r, "| --- | ---: | ---: | ---: | ---: |");
    let mut seen = Vec::new();
    for s in measured["scenarios"].as_array().into_iter().flatten() {
        let name = text(&s["name"]);
        if seen.contains(&name) {
            continue;
        }
        seen.push(name);
        let meter = &s["meter"];
        if meter.is_null() {
            let _ = writeln!(r, "| {name} | — | — | — | — (no meter in this build) |");
            continue;
        }
        let cost: f64 = PRICES
            .iter()
            .map(|(key, _, price)| {
                let calls = if *key == "worker" {
                    1.0
                } else {
                    meter[*key].as_f64().unwrap_or(0.0)
                };
                calls * price
            })
            .sum();
        let _ = writeln!(
            r,
            "| {name} | {} | {} | {} | ${cost:.2} |",
            num(&meter["kv_read"]),
            num(&meter["kv_write"]),
            num(&meter["do"])
        );
    }
    let _ = writeln!(r, "\n| price | USD per million |\n| --- | ---: |");
    for (_, label, price) in PRICES {
        let _ = writeln!(r, "| {label} | {price:.2} |");
    }

    let rss = "runtime peak RSS";
    let _ = writeln!(r, "\n## Memory\n");
    let _ = writeln!(
        r,
        "Peak resident memory of the local runtime (workerd) during the whole run: {:.0} MiB {}.",
        value(rss) / 1024.0,
        ratio(previous, rss, value(rss))
    );
    r
}

fn bytes(n: f64) -> String {
    if n >= 1024.0 * 1024.0 {
        format!("{:.2} MB", n / 1024.0 / 1024.0)
    } else {
        format!("{:.1} KB", n / 1024.0)
    }
}
