// The measuring half of `cargo xtask bench` (which builds first and writes the report):
// the page in headless Chromium, then the API under load with oha against the real worker,
// checking after every write scenario that the state is exact. Writes one JSON document to
// $BENCH_OUT. Traffic goes to 127.0.0.1 only; everything started here is stopped here.
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import { brotliCompressSync, constants as zlib } from "node:zlib";
import { launchBrowser } from "../tests/support/browser.mjs";
import { servePage } from "../tests/support/page.mjs";
import { descendants } from "../tests/support/runtime.mjs";
import { addSsoKey, signMemberToken } from "../tests/support/sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "../tests/support/worker.mjs";

const run = promisify(execFile);
const OHA = process.env.OHA ?? "oha";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PAGE_RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 5);
const OUT = process.env.BENCH_OUT ?? "target/bench/run.json";
const SLUG = "bench";
const HOUR = 3600_000;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};
const brotli = (buf) =>
  brotliCompressSync(buf, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_LGWIN]: 22 } }).length;
const check = (ok, what) => {
  if (!ok) throw new Error(`state check failed: ${what}`);
  return what;
};

// ---- the local runtime's memory: the workerd processes below this one -------------------

function rssKib(pids) {
  let total = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) total += Number(m[1]);
    } catch {
      // Gone.
    }
  }
  return total;
}

/** The local runtime's processes below this one (not Chromium, not oha). */
function runtime(pids) {
  return pids.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "workerd";
    } catch {
      return false;
    }
  });
}

/** Samples the runtime's resident memory every 250 ms; `stop()` returns the peak in KiB. */
function sampleMemory() {
  let peak = 0;
  let pids = [];
  // The process tree is walked once a few seconds (the runtime starts once); its memory is
  // read at every tick.
  let walked = 0;
  const timer = setInterval(() => {
    if (walked++ % 20 === 0) pids = runtime(descendants(process.pid));
    peak = Math.max(peak, rssKib(pids));
  }, 250);
  return { stop: () => (clearInterval(timer), peak) };
}

// ---- the community under test ---------------------------------------------------------------

async function seed(worker, pageOrigins) {
  await worker.putCommunity(SLUG, { name: "Bench 茶友会", allowed_origins: pageOrigins });
  const key = await addSsoKey(worker, SLUG, OPERATOR_TOKEN);
  const token = (sub) => signMemberToken(key, { sub, name: `Member ${sub}`, aud: SLUG, phone_verified: true });
  const send = async (method, path, body, auth) => {
    const res = await worker.api(`/api/v1/communities/${SLUG}${path}`, {
      method,
      headers: { authorization: `Bearer ${auth}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  // The load sends one body again and again: the repeated-text spam signal would hold every
  // copy after the first for review, so this community turns it off.
  await send("PUT", "/moderation/settings", { spam: { links_until_posts: 3, repeated_text: false } }, OPERATOR_TOKEN);
  const topic = await send("POST", "/topics", { name: "General" }, OPERATOR_TOKEN);
  const thread = await send("POST", "/threads", { topic: topic.id, title: "A long thread", body: "100 replies follow." }, token("author"));
  for (let i = 0; i < 100; i++) {
    await send("POST", `/threads/${thread.id}/replies`, { body: `Reply **${i}** with a little text.` }, token(`r${i % 10}`));
  }
  return { token, send, thread: thread.id };
}

// ---- the page --------------------------------------------------------------------------------

/** Records, in the page, when the widget first shows content (navigation-relative ms). */
const FIRST_CONTENT = `
  (() => {
    const look = () => {
      const host = document.querySelector("quanzi-widget");
      const root = host && host.shadowRoot;
      if (root && root.querySelector('[data-testid="checkin-signed-out"], [data-testid="checkin-button"]')) {
        window.__quanziFirstContent = performance.now();
      } else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  })();`;

async function measurePage(browser, page, edge) {
  const cold = [];
  const warm = [];
  let files = [];
  for (let i = 0; i < PAGE_RUNS; i++) {
    const context = await browser.newContext();
    await context.addInitScript(FIRST_CONTENT);
    const tab = await context.newPage();
    const seen = [];
    if (i === 0) {
      // Bodies are read as they arrive: after the next navigation they are gone.
      tab.on("response", (res) => {
        if (res.url().startsWith(edge)) {
          seen.push(res.body().then((body) => ({ url: res.url(), body }), () => ({ url: res.url(), body: Buffer.alloc(0) })));
        }
      });
    }
    for (const list of [cold, warm]) {
      await tab.goto(page.origin);
      await tab.waitForFunction(() => window.__quanziFirstContent !== undefined, null, { timeout: 30_000 });
      list.push(await tab.evaluate(() => window.__quanziFirstContent));
    }
    if (i === 0) {
      // The first navigation's downloads (the warm one is served from cache).
      const unique = new Map();
      for (const { url, body } of await Promise.all(seen)) if (!unique.has(url)) unique.set(url, body);
      files = [...unique].map(([url, body]) => ({ url: url.slice(edge.length), raw: body.length, brotli: brotli(body) }));
    }
    await context.close();
  }
  return {
    runs: PAGE_RUNS,
    first_content_ms: { cold, warm, cold_median: median(cold), warm_median: median(warm) },
    first_view: {
      files,
      raw: files.reduce((n, f) => n + f.raw, 0),
      brotli: files.reduce((n, f) => n + f.brotli, 0),
    },
  };
}

// ---- load ------------------------------------------------------------------------------------

/** Runs oha for SECONDS at `connections`; returns rate, latency percentiles and errors. */
async function oha(url, { connections, method = "GET", headers = {}, body }) {
  // `-w`: requests in flight at the deadline finish and are counted, so a write scenario's
  // acknowledged count matches what the worker did (aborted ones may still have landed).
  const args = ["--no-tui", "--output-format", "json", "-z", `${SECONDS}s`, "-w", "-c", String(connections), "-m", method];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}: ${v}`);
  if (body !== undefined) args.push("-d", JSON.stringify(body));
  const { stdout } = await run(OHA, [...args, url], { maxBuffer: 64 << 20 });
  const r = JSON.parse(stdout);
  const codes = r.statusCodeDistribution ?? {};
  const ok = Object.entries(codes).filter(([c]) => Number(c) < 400).reduce((n, [, k]) => n + k, 0);
  const all = Object.values(codes).reduce((n, k) => n + k, 0);
  const errors = Object.values(r.errorDistribution ?? {}).reduce((n, k) => n + k, 0);
  return {
    requests: all,
    rps: r.summary.requestsPerSec,
    p50_ms: r.latencyPercentiles.p50 * 1000,
    p99_ms: r.latencyPercentiles.p99 * 1000,
    status: codes,
    failed: all - ok + errors,
  };
}

/**
 * Runs `job(i)` (a fetch promise for the i-th request) with `connections` in flight for
 * SECONDS, or until `max` requests: each request a new member's, where oha would repeat one.
 */
async function burst(job, connections, max = Infinity) {
  const latencies = [];
  const statuses = {};
  let next = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  const lane = async () => {
    while (performance.now() < deadline && next < max) {
      const i = next++;
      const t0 = performance.now();
      let status;
      try {
        const res = await job(i);
        await res.arrayBuffer();
        status = res.status;
      } catch {
        // A refused or broken connection counts as a failure, not the end of the run.
        status = "error";
      }
      latencies.push(performance.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: connections }, lane));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { requests: next, rps: next / seconds, p50_ms: pct(0.5), p99_ms: pct(0.99), status: statuses };
}

/** The binding calls of one request, from the worker's meter header (a bench/test build). */
async function meter(worker, path, init = {}) {
  const res = await worker.api(path, init);
  await res.arrayBuffer();
  const header = res.headers.get("x-quanzi-meter");
  if (!header) return null;
  return Object.fromEntries(header.split(",").map((kv) => kv.split("=")).map(([k, v]) => [k.trim(), Number(v)]));
}

async function scenarios(worker, community) {
  const { token, send, thread } = community;
  const path = (rest) => `/api/v1/communities/${SLUG}${rest}`;
  const url = (rest) => worker.origin + path(rest);
  const out = [];
  const threadPath = `/threads/${thread}`;
  const member = token("reader");
  const writer = token("writer");

  // Warm the anonymous snapshot (a write's read-through window and the first miss go to the
  // object), then measure one request's binding calls.
  let anonMeter = await meter(worker, path(threadPath));
  for (let i = 0; i < 50 && anonMeter && anonMeter.do !== 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    anonMeter = await meter(worker, path(threadPath));
  }
  const memberMeter = await meter(worker, path(threadPath), { headers: { authorization: `Bearer ${member}` } });
  for (const connections of [1, 50]) {
    out.push({ name: "read a 100-reply thread, anonymous", connections, ...(await oha(url(threadPath), { connections })), meter: anonMeter });
    out.push({
      name: "read a 100-reply thread, signed in",
      connections,
      ...(await oha(url(threadPath), { connections, headers: { authorization: `Bearer ${member}` } })),
      meter: memberMeter,
    });
  }

  for (const connections of [1, 50]) {
    const before = (await send("GET", threadPath, undefined, member)).thread.reply_count;
    const r = await oha(url(`${threadPath}/replies`), {
      connections,
      method: "POST",
      headers: { authorization: `Bearer ${writer}`, "content-type": "application/json" },
      body: { body: "A reply under load." },
    });
    const after = (await send("GET", threadPath, undefined, member)).thread.reply_count;
    const created = r.status["201"] ?? 0;
    const verified = check(after - before === created, `reply_count grew by ${after - before}, exactly the ${created} acknowledged replies`);
    out.push({ name: "post a reply", connections, ...r, verified });
  }
  const replyMeter = await meter(worker, path(`${threadPath}/replies`), {
    method: "POST",
    headers: { authorization: `Bearer ${writer}`, "content-type": "application/json" },
    body: JSON.stringify({ body: "One more." }),
  });
  out.at(-1).meter = out.at(-2).meter = replyMeter;

  // The same reads again, now that the reply bursts made the thread thousands of replies
  // long: a read pages its replies, so its cost (and p99) must not grow with the length.
  const long = (await send("GET", threadPath, undefined, member)).thread.reply_count;
  const shortP99 = (name, connections) => out.find((r) => r.name === name && r.connections === connections)?.p99_ms;
  let longMeter = await meter(worker, path(threadPath));
  for (let i = 0; i < 50 && longMeter && longMeter.do !== 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    longMeter = await meter(worker, path(threadPath));
  }
  const longMemberMeter = await meter(worker, path(threadPath), { headers: { authorization: `Bearer ${member}` } });
  for (const connections of [1, 50]) {
    for (const [who, headers, m] of [
      ["anonymous", {}, longMeter],
      ["signed in", { authorization: `Bearer ${member}` }, longMemberMeter],
    ]) {
      const r = await oha(url(threadPath), { connections, headers });
      const base = shortP99(`read a 100-reply thread, ${who}`, connections);
      const growth = base ? r.p99_ms / base : NaN;
      out.push({
        name: `read the thread after the reply bursts, ${who}`,
        connections,
        ...r,
        meter: m,
        verified: `${long} replies: p99 ${growth.toFixed(2)}× the 100-reply read's`,
      });
    }
  }

  // Check-ins: each request a new member's (a member checks in once a day).
  for (const connections of [1, 50]) {
    const job = (i) =>
      worker.api(path("/checkins"), { method: "POST", headers: { authorization: `Bearer ${token(`c${connections}_${i}`)}` } });
    // The day's check-ins as insight counts them, before and after.
    const checkinsToday = async () => (await send("GET", "/insight/overview", undefined, OPERATOR_TOKEN)).days.at(-1).checkins;
    const before = await checkinsToday();
    const r = await burst(job, connections);
    const ok = r.status["200"] ?? 0;
    const counted = (await checkinsToday()) - before;
    const again = await send("GET", "/checkins/me", undefined, token(`c${connections}_0`));
    const verified = check(
      ok > 0 && counted === ok && again.status.checked_in_today === true,
      `${ok} check-ins acknowledged, the day's count grew by ${counted}`,
    );
    out.push({ name: "check in (a new member each request)", connections, ...r, failed: r.requests - ok, verified });
  }
  const checkinMeter = await meter(worker, path("/checkins"), {
    method: "POST",
    headers: { authorization: `Bearer ${token("meter")}` },
  });
  out.at(-1).meter = out.at(-2).meter = checkinMeter;

  // Sign-ups on a capacity-50 event, each request a new member's: exactly 50 confirmed, the
  // rest waitlisted. At most 1,000 a run, so the waitlist stays under its limit (1,000).
  let lastEvent;
  for (const connections of [1, 50]) {
    const event = await send(
      "POST",
      "/events",
      { title: `Tasting ${connections}`, venue: { kind: "online", url: "https://meet.example/x" }, starts_at: Date.now() + 48 * HOUR, ends_at: Date.now() + 50 * HOUR, capacity: 50 },
      OPERATOR_TOKEN,
    );
    const id = event.event.id;
    const job = (i) =>
      worker.api(path(`/events/${id}/signup`), {
        method: "POST",
        headers: { authorization: `Bearer ${token(`s${connections}_${i}`)}`, "content-type": "application/json" },
        body: "{}",
      });
    const r = await burst(job, connections, 1_000);
    const ok = (r.status["200"] ?? 0) + (r.status["201"] ?? 0);
    const list = await send("GET", `/events/${id}/attendees`, undefined, OPERATOR_TOKEN);
    const { confirmed, waiting: waitlisted } = list.event;
    const verified = check(
      ok > 50 && confirmed === 50 && confirmed + waitlisted === ok,
      `capacity 50: ${ok} sign-ups acknowledged, ${confirmed} confirmed, ${waitlisted} waitlisted`,
    );
    out.push({ name: "event sign-up (capacity 50, a new member each request)", connections, ...r, failed: r.requests - ok, verified });
    lastEvent = id;
  }
  const signupMeter = await meter(worker, path(`/events/${lastEvent}/signup`), {
    method: "POST",
    headers: { authorization: `Bearer ${token("meter")}`, "content-type": "application/json" },
    body: "{}",
  });
  out.at(-1).meter = out.at(-2).meter = signupMeter;
  return out;
}

// ---- main ------------------------------------------------------------------------------------

const worker = await startWorker({ meter: true });
const memory = sampleMemory();
let browser;
let page;
let home;
try {
  // The check-in view (the app at once) and the home (the worker's HTML first, the app when
  // the member reaches for it).
  const brandPage = (attrs) =>
    servePage(
      () => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Brand</title></head>
<body><h1>Brand page</h1><script src="${worker.origin}/embed.js" data-community="${SLUG}" ${attrs} async></script></body></html>`,
    );
  page = await brandPage('data-view="checkin"');
  home = await brandPage("");
  const community = await seed(worker, [page.origin, home.origin]);
  browser = await launchBrowser();
  const pageResult = await measurePage(browser, page, worker.origin);
  const homeResult = await measurePage(browser, home, worker.origin);
  await browser.close();
  browser = undefined;
  const load = await scenarios(worker, community);
  const result = { seconds_per_scenario: SECONDS, page: pageResult, home: homeResult, scenarios: load, runtime_peak_rss_kib: memory.stop() };
  writeFileSync(OUT, JSON.stringify(result, null, 2));
} finally {
  memory.stop();
  await browser?.close();
  await page?.close();
  await home?.close();
  await worker.dispose();
}
