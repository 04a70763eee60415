//! `cargo xtask dev`: the product on this machine. The worker under `wrangler dev` (workerd,
//! KV and Durable Objects persisted in `.state/`), a demo community, and a demo brand page on
//! a second origin that embeds the widget with the real script tag.

use std::fs;
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use quanzi_core::sso::{self, KeyId, SsoKey, SsoSecret};
use quanzi_core::time::Timestamp;

use crate::proc::Group;
use crate::{Result, build, root, step, tools};

pub struct Options {
    pub port: u16,
    pub demo_port: u16,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Self> {
        let mut options = Self {
            port: 8787,
            demo_port: 8788,
        };
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
            let port: u16 = value
                .parse()
                .map_err(|_| format!("{flag}: `{value}` is not a port"))?;
            match flag.as_str() {
                "--port" => options.port = port,
                "--demo-port" => options.demo_port = port,
                _ => return Err(format!("unknown option {flag}").into()),
            }
        }
        if options.port == options.demo_port {
            return Err(
                "the worker and the demo page need two different ports (two origins)".into(),
            );
        }
        Ok(options)
    }
}

/// Environment that keeps wrangler local and quiet (no telemetry, no network lookups).
pub fn quiet_wrangler(cmd: &mut Command) -> &mut Command {
    cmd.env("WRANGLER_SEND_METRICS", "false")
        .env("WRANGLER_SEND_ERROR_REPORTS", "false")
        .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
}

pub fn run(options: &Options) -> Result {
    // First, so that Ctrl-C during the build also stops cleanly.
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })?;
    let tools = tools::ensure_build_tools()?;
    build::all(&tools)?;
    if stop_rx.try_recv().is_ok() {
        return Ok(());
    }

    let state = root().join(".state");
    fs::create_dir_all(&state)?;
    let token = operator_token(&state)?;
    let edge = format!("http://127.0.0.1:{}", options.port);
    let demo = format!("http://127.0.0.1:{}", options.demo_port);

    step("starting the worker (wrangler dev)");
    let mut wrangler_cmd = Command::new(tools.npm_bin("wrangler"));
    wrangler_cmd
        .args([
            "dev",
            "--config",
            "wrangler.toml",
            "--ip",
            "127.0.0.1",
            "--port",
        ])
        .arg(options.port.to_string())
        .args([
            "--persist-to",
            ".state/wrangler",
            "--show-interactive-dev-session=false",
        ])
        .arg("--var")
        .arg(format!("OPERATOR_TOKEN:{token}"))
        .current_dir(root());
    let mut wrangler = Group::spawn(quiet_wrangler(&mut wrangler_cmd), "wrangler")?;
    wait_until_serving(&edge, &mut wrangler)?;

    step("seeding the demo community");
    seed_demo(&edge, options.demo_port)?;
    let demo_key = demo_sso_key(&state, &edge, &token)?;

    let page =
        fs::read_to_string(root().join("widget/demo/index.html"))?.replace("{{EDGE}}", &edge);
    let server = tiny_http::Server::http(("127.0.0.1", options.demo_port))
        .map_err(|e| format!("demo page port {}: {e}", options.demo_port))?;
    std::thread::spawn(move || serve_demo(&server, &page, &demo_key));

    println!(
        "\n\x1b[1mQuanzi is running.\x1b[0m\n\n  \
         demo brand page  {demo}/   (origin B: embeds the widget with the script tag)\n  \
         worker + API     {edge}/api/v1/communities/demo\n  \
         dashboard        {edge}/dashboard/\n  \
         demo login       {DEMO_EMAIL} / {DEMO_PASSWORD}   (dashboard)\n  \
         demo member      \"Sign in as 小林\" on the demo page (a token signed like a brand's server)\n  \
         embed.js         {edge}/embed.js\n  \
         operator token   {token}   (PUT {edge}/api/v1/admin/communities/<slug>)\n  \
         local state      .state/   (delete it to start over)\n\n\
         Press Ctrl-C to stop everything.\n"
    );

    loop {
        if stop_rx.recv_timeout(Duration::from_millis(500)).is_ok() {
            eprintln!("\nstopping (wrangler pid {})…", wrangler.id());
            break;
        }
        if let Some(status) = wrangler.exited() {
            return Err(format!("wrangler exited ({status})").into());
        }
    }
    drop(wrangler);
    Ok(())
}

/// A random operator token, made once and kept in `.state/` so restarts keep it.
fn operator_token(state: &std::path::Path) -> Result<String> {
    let path = state.join("operator-token");
    if let Ok(token) = fs::read_to_string(&path)
        && token.trim().len() >= 32
    {
        return Ok(token.trim().to_owned());
    }
    let mut bytes = [0u8; 24];
    use std::io::Read;
    fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    fs::write(&path, &token)?;
    Ok(token)
}

fn wait_until_serving(edge: &str, wrangler: &mut Group) -> Result {
    let deadline = Instant::now() + Duration::from_secs(90);
    let url = format!("{edge}/embed.js");
    while Instant::now() < deadline {
        if let Some(status) = wrangler.exited() {
            return Err(format!("wrangler exited before serving ({status})").into());
        }
        if ureq::get(&url).call().is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    Err(format!("the worker did not answer on {url} within 90 s").into())
}

pub const DEMO_EMAIL: &str = "demo@quanzi.local";
pub const DEMO_PASSWORD: &str = "quanzi-demo-2026";

/// Signs the demo marketer in (signing up on the first run) and makes sure they own the
/// demo community, allowed on the demo page's origin.
fn seed_demo(edge: &str, demo_port: u16) -> Result {
    let login = serde_json::json!({ "email": DEMO_EMAIL, "password": DEMO_PASSWORD });
    let signed_in = match ureq::post(&format!("{edge}/api/v1/auth/login")).send_json(&login) {
        Ok(res) => res,
        Err(ureq::Error::StatusCode(401)) => {
            let sign_up = serde_json::json!({ "email": DEMO_EMAIL, "name": "Demo Marketer", "password": DEMO_PASSWORD });
            ureq::post(&format!("{edge}/api/v1/auth/signup"))
                .send_json(&sign_up)
                .map_err(|e| format!("signing up the demo marketer: {e}"))?
        }
        Err(e) => return Err(format!("signing in the demo marketer: {e}").into()),
    };
    let cookie = signed_in
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .ok_or("no session cookie from login")?
        .to_owned();
    let me: serde_json::Value = signed_in.into_body().read_json()?;
    let csrf = me["csrf"]
        .as_str()
        .ok_or("no csrf token from login")?
        .to_owned();

    let settings = serde_json::json!({
        "name": "Acme 茶友会",
        "slogan": "每天一杯好茶，和茶友一起打卡、交流、参加品鉴会。",
        "locale": "zh-CN",
        "time_zone": "Asia/Shanghai",
        "allowed_origins": [
            format!("http://127.0.0.1:{demo_port}"),
            format!("http://localhost:{demo_port}")
        ],
        "theme": { "accent": "#b4532a", "radius": 12, "scheme": "auto" }
    });
    let create = serde_json::json!({ "slug": "demo", "settings": settings });
    let created = ureq::post(&format!("{edge}/api/v1/communities"))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .send_json(&create);
    match created {
        Ok(_) => Ok(()),
        // Made on an earlier run: bring its settings up to date (the demo port may differ).
        Err(ureq::Error::StatusCode(409)) => {
            ureq::put(&format!("{edge}/api/v1/communities/demo"))
                .header("cookie", &cookie)
                .header("x-csrf-token", &csrf)
                .send_json(&settings)
                .map_err(|e| match e {
                    ureq::Error::StatusCode(403) => {
                        "the demo community in .state/ belongs to someone else \
                         (it was made by an older version); delete .state/ and run again"
                            .to_owned()
                    }
                    e => format!("updating the demo community: {e}"),
                })?;
            Ok(())
        }
        Err(e) => Err(format!("creating the demo community: {e}").into()),
    }
}

/// The demo community's member sign-in key, made once and kept in `.state/` beside the
/// local storage it belongs to.
fn demo_sso_key(state: &std::path::Path, edge: &str, operator_token: &str) -> Result<SsoKey> {
    let path = state.join("demo-sso-key.json");
    if let Ok(text) = fs::read_to_string(&path)
        && let Ok(key) = serde_json::from_str::<SsoKey>(&text)
    {
        return Ok(key);
    }
    let created: serde_json::Value =
        ureq::post(&format!("{edge}/api/v1/communities/demo/sso-keys"))
            .header("authorization", &format!("Bearer {operator_token}"))
            .send_empty()
            .map_err(|e| format!("creating the demo sign-in key: {e}"))?
            .into_body()
            .read_json()?;
    let key = SsoKey {
        kid: KeyId::parse(created["kid"].as_str().unwrap_or_default())?,
        secret: SsoSecret::parse(created["secret"].as_str().unwrap_or_default())?,
        created_at: Timestamp(0),
    };
    fs::write(&path, serde_json::to_string(&key)?)?;
    Ok(key)
}

/// A one-hour token for the demo member, as a brand's server would sign it.
fn demo_member_token(key: &SsoKey) -> Result<String> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    let claims = serde_json::json!({
        "sub": "demo-member", "name": "小林", "aud": "demo", "iat": now, "exp": now + 3600,
        "tags": ["tea-lover"], "phone_verified": true
    });
    Ok(sso::sign(&claims, key)?)
}

fn serve_demo(server: &tiny_http::Server, page: &str, key: &SsoKey) {
    for request in server.incoming_requests() {
        if request.url() == "/demo-token" {
            let response = match demo_member_token(key) {
                Ok(token) => tiny_http::Response::from_string(token),
                Err(e) => tiny_http::Response::from_string(e.to_string()).with_status_code(500),
            };
            let _ = request.respond(response);
            continue;
        }
        let response = if request.url() == "/" || request.url().starts_with("/?") {
            let header = tiny_http::Header::from_bytes("content-type", "text/html; charset=utf-8");
            let mut res = tiny_http::Response::from_string(page);
            if let Ok(header) = header {
                res = res.with_header(header);
            }
            res
        } else {
            tiny_http::Response::from_string("not found").with_status_code(404)
        };
        let _ = request.respond(response);
    }
}
