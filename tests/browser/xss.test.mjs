// Stored XSS: every payload of tests/fixtures/xss.json goes through the real API as thread
// titles, bodies, replies, members' display names (the SSO token's `name`), event titles,
// descriptions, sign-up questions and answers; then the widget (thread list, threads,
// events with their sign-up forms) and the dashboard (moderation queue, members, event
// attendees) draw them. Any payload that runs (the `__xss` hook, `alert`, a dialog) or any
// dangerous node or attribute in the DOM, shadow roots included, fails the test.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { signInToDashboard } from "../support/dashboard.mjs";
import { marketer } from "../support/marketer.mjs";
import { servePage } from "../support/page.mjs";
import { signMemberToken } from "../support/sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

const SLUG = "xss-tea";
const MIA = { email: "mia@brand.example", password: "correct horse battery" };
const corpus = JSON.parse(readFileSync(new URL("../fixtures/xss.json", import.meta.url))).payloads.map((p) => ({
  ...p,
  text: p.repeat ? p.payload.repeat(p.repeat) : p.payload,
}));
// Control characters other than newline and tab are refused as input (checked below); the
// rest is stored and drawn.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const refusedAsInput = corpus.filter((p) => CONTROL.test(p.text));
const stored = corpus.filter((p) => !CONTROL.test(p.text));
const short = stored.filter((p) => !p.repeat);
const long = stored.filter((p) => p.repeat);

/** Greedy groups of `items` whose texts, joined by a space, fit in `max` characters. */
function pack(items, max) {
  const groups = [];
  let current = [];
  for (const item of items.filter((p) => p.text.length <= max)) {
    const joined = [...current, item].map((p) => p.text).join(" ");
    if (joined.length > max && current.length) {
      groups.push(current);
      current = [item];
    } else current.push(item);
  }
  if (current.length) groups.push(current);
  return groups;
}
const chunks = (items, size) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

/** Installed before any page script: the hooks a payload would call if it ran. */
const hooks = () => {
  window.__xssHits = [];
  const hit = (what) => window.__xssHits.push(String(what));
  window.__xss = (id) => hit(`__xss(${id})`);
  window.alert = (m) => hit(`alert(${m})`);
  window.confirm = (m) => hit(`confirm(${m})`);
  window.prompt = (m) => hit(`prompt(${m})`);
};

/** Dangerous nodes and attributes in the document and every shadow root under it. */
const scan = () => {
  const bad = [];
  // Where stored HTML is drawn (`inner_html`): only ammonia's allowlist may appear there.
  const SINKS = ".qz-prose, .qd-excerpt-body";
  const NEVER = ["script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link", "style", "form", "input", "button", "textarea", "select", "svg", "math", "template", "noscript", "isindex", "marquee", "video", "audio", "source"];
  const URL_ATTRS = ["href", "src", "action", "formaction", "xlink:href", "data", "background", "poster", "srcset", "lowsrc", "dynsrc", "ping", "cite"];
  const describe = (el) => el.outerHTML.slice(0, 160);
  const ownScript = (el) =>
    el.getRootNode() === document &&
    ((el.src && /\/embed\.js$|\/dashboard\/quanzi-site\.[0-9a-f]+\.js$/.test(el.src)) || (!el.src && el.type === "module" && el.closest("head")));
  const visit = (root) => {
    for (const el of root.querySelectorAll("*")) {
      const tag = el.localName;
      const inSink = el.parentElement?.closest(SINKS);
      if (inSink && NEVER.includes(tag)) bad.push(`in stored HTML: ${describe(el)}`);
      if (!inSink) {
        if (tag === "script" && !ownScript(el)) bad.push(`script: ${describe(el)}`);
        if (["iframe", "frame", "object", "embed", "applet", "base"].includes(tag) && !el.matches('[data-testid="theme-preview"]')) bad.push(`${tag}: ${describe(el)}`);
        if (tag === "meta" && !el.closest("head")) bad.push(`meta: ${describe(el)}`);
        if (tag === "form" && !/\b(qz|qd)-/.test(el.className) && !el.dataset.testid) bad.push(`form: ${describe(el)}`);
      }
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        const value = attr.value.replace(/[\u0000-\u0020\u007f-\u009f]/g, "").toLowerCase();
        if (name.startsWith("on")) bad.push(`handler ${name}: ${describe(el)}`);
        if (name === "srcdoc" && !el.matches('[data-testid="theme-preview"]')) bad.push(`srcdoc: ${describe(el)}`);
        if (URL_ATTRS.includes(name) && /(^|,)(javascript|vbscript|data|livescript):/.test(value)) {
          const csvExport = el.matches('[data-testid="export-csv"]') && value.startsWith("data:text/csv");
          if (!csvExport) bad.push(`${name}=${attr.value.slice(0, 60)}: ${describe(el)}`);
        }
        if (name === "style" && /url\(|expression\(|@import|javascript:|behavior:/.test(value)) bad.push(`style: ${describe(el)}`);
        // In stored HTML, links and images are absolute http(s) (or mailto): a relative one
        // would request a URL of the brand's own site.
        if (el.closest(SINKS) && ["href", "src"].includes(name) && !/^(https?:\/\/|mailto:)/.test(value)) bad.push(`relative ${name}: ${describe(el)}`);
      }
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  visit(document);
  return bad;
};

/** Fails if anything ran or anything dangerous is in the DOM of `tab`. */
async function assertClean(tab, dialogs, where) {
  const hits = await tab.evaluate(() => window.__xssHits);
  assert.deepEqual(hits, [], `${where}: a payload ran`);
  assert.deepEqual(dialogs, [], `${where}: a dialog opened`);
  assert.deepEqual(await tab.evaluate(scan), [], `${where}: dangerous DOM`);
}

describe("stored XSS", () => {
  let worker, browser, page, visitor, events = [], visit = "";
  // The threads the widget test opens: those holding bodies and replies.
  const opened = [];
  const titleGroups = pack(short, 120);
  const bodyGroups = chunks(short, 18);
  const eventGroups = chunks(short, 10);
  const refusals = [];

  const call = (method, path, { token = OPERATOR_TOKEN, body } = {}) =>
    worker.api(`/api/v1/communities/${SLUG}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  /** A write that must pass, or be refused as bad input (recorded); returns the body. */
  async function write(what, res, status = 201) {
    const text = await res.text();
    if (res.status === 400 && JSON.parse(text).error.code === "invalid_input") {
      refusals.push(what);
      return null;
    }
    assert.equal(res.status, status, `${what}: ${text}`);
    return JSON.parse(text);
  }

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    page = await servePage(() => visit);
    const mia = await marketer(worker, { ...MIA, name: "Mia" });
    const created = await mia.api("/api/v1/communities", {
      method: "POST",
      body: JSON.stringify({ slug: SLUG, settings: { name: "XSS Tea", locale: "en", allowed_origins: [page.origin] } }),
    });
    assert.equal(created.status, 201, await created.text());
    const keyRes = await mia.api(`/api/v1/communities/${SLUG}/sso-keys`, { method: "POST" });
    const key = await keyRes.json();
    await write("topic", await call("POST", "/topics", { body: { id: "tea", name: "Tea" } }));
    // Payloads are full of links, from brand-new members: with the spam signals on they would
    // wait for review, out of sight, and the widget would have nothing to draw.
    await write("settings", await call("PUT", "/moderation/settings", { body: { spam: { links_until_posts: 0, repeated_text: false } } }), 200);

    // Payloads with control characters are refused as bad input, and store nothing.
    assert.ok(refusedAsInput.length >= 1);
    for (const p of refusedAsInput) {
      const res = await call("POST", "/threads", { body: { topic: "tea", title: p.text, body: p.text } });
      assert.equal(res.status, 400, `payload ${p.id}`);
      assert.equal((await res.json()).error.code, "invalid_input");
    }
    // One member per payload, named by it when it fits a name; each joins.
    const members = new Map();
    for (const p of stored) {
      let token = signMemberToken(key, { sub: `m${p.id}`, name: p.text.length <= 60 ? p.text : `Member ${p.id}`, aud: SLUG });
      let res = await call("POST", "/join", { token, body: { accept_rules: true } });
      if (res.status === 401) {
        refusals.push(`name ${p.id}`);
        await res.text();
        token = signMemberToken(key, { sub: `m${p.id}`, name: `Member ${p.id}`, aud: SLUG });
        res = await call("POST", "/join", { token, body: { accept_rules: true } });
      }
      await write(`join ${p.id}`, res);
      members.set(p.id, token);
    }
    visitor = signMemberToken(key, { sub: "visitor", name: "Visitor", aud: SLUG });
    await write("join visitor", await call("POST", "/join", { token: visitor, body: { accept_rules: true } }));
    const reporter = signMemberToken(key, { sub: "reporter", name: "Reporter", aud: SLUG });
    await write("join reporter", await call("POST", "/join", { token: reporter, body: { accept_rules: true } }));

    // Titles: packed several to a thread, each by a member named by its first payload.
    for (const group of titleGroups) {
      const title = group.map((p) => p.text).join(" ");
      await write(`title ${group[0].id}`, await call("POST", "/threads", { token: members.get(group[0].id), body: { topic: "tea", title, body: "Title test" } }));
    }
    // Bodies and replies: a few threads holding every payload, one reply per payload.
    for (const [i, group] of bodyGroups.entries()) {
      const thread = await write(
        `body ${i}`,
        await call("POST", "/threads", { token: members.get(group[0].id), body: { topic: "tea", title: `Carrier ${i + 1}`, body: group.map((p) => p.text).join("\n\n") } }),
      );
      assert.ok(thread, `carrier ${i} accepted`);
      opened.push(`Carrier ${i + 1}`);
      for (const p of group) {
        await write(`reply ${p.id}`, await call("POST", `/threads/${thread.id}/replies`, { token: members.get(p.id), body: { body: p.text } }));
      }
      await write(`report ${i}`, await call("POST", "/moderation/reports", { token: reporter, body: { target: { kind: "post", thread: thread.id }, reason: "spam", note: group[0].text.slice(0, 200) } }));
    }
    for (const p of long) {
      const thread = await write(`long ${p.id}`, await call("POST", "/threads", { token: members.get(p.id), body: { topic: "tea", title: `Long ${p.id}`, body: p.text } }));
      assert.ok(thread, `long ${p.id} accepted`);
      opened.push(`Long ${p.id}`);
      await write(`report long ${p.id}`, await call("POST", "/moderation/reports", { token: reporter, body: { target: { kind: "post", thread: thread.id }, reason: "spam" } }));
    }
    // Events: ten payloads as the questions of each, its title and description; members
    // answer every question with their own payload.
    const DAY = 24 * 3600 * 1000;
    for (const [i, group] of eventGroups.entries()) {
      const questions = group.map((p, n) => ({ id: `q${n + 1}`, prompt: p.text.slice(0, 200), type: "short_text" }));
      const res = await call("POST", "/events", {
        body: {
          title: titleGroups[i % titleGroups.length].map((p) => p.text).join(" "),
          description: group.map((p) => p.text).join("\n"),
          venue: { kind: "offline", place: group[0].text.slice(0, 300) },
          starts_at: Date.now() + 3 * DAY,
          ends_at: Date.now() + 3 * DAY + 3600 * 1000,
          capacity: 200,
          questions,
        },
      });
      const { event } = await write(`event ${i}`, res);
      events.push(event.id);
      for (const p of group) {
        const answers = Object.fromEntries(questions.map((q) => [q.id, p.text.slice(0, 300)]));
        await write(`signup ${p.id}`, await call("POST", `/events/${event.id}/signup`, { token: members.get(p.id), body: { answers } }));
      }
    }
    // The corpus must mostly get in, or the test proves nothing.
    assert.ok(refusals.length <= stored.length / 10, `too many refused: ${refusals.join(", ")}`);
  });

  after(async () => {
    await browser?.close();
    await page?.close();
    await worker?.dispose();
  });

  const brandPage = (widgets) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Brand</title></head><body><h1>Brand</h1>${widgets}</body></html>`;

  test("the widget draws every payload as text: thread list, threads, replies", async (t) => {
    visit = brandPage(`<script src="${worker.origin}/embed.js" data-community="${SLUG}" async></script>`);
    await withPage(browser, t, async (tab, errors) => {
      const dialogs = [];
      tab.on("dialog", (d) => {
        dialogs.push(d.message());
        d.dismiss().catch(() => {});
      });
      await tab.addInitScript(hooks);
      await tab.goto(page.origin);
      await tab.getByTestId("thread-card").first().waitFor({ timeout: 20_000 });
      // Every page of the feed.
      while (await tab.getByTestId("feed-more").count()) {
        const before = await tab.getByTestId("thread-card").count();
        await tab.getByTestId("feed-more").click();
        await tab.waitForFunction(
          (n) => document.querySelector("quanzi-widget").shadowRoot.querySelectorAll('[data-testid="thread-card"]').length > n,
          before,
        );
      }
      assert.equal(await tab.getByTestId("thread-card").count(), titleGroups.length + bodyGroups.length + long.length);
      // Shown as text, not dropped: the first title reads as written.
      const first = titleGroups[0].map((p) => p.text).join(" ");
      assert.equal(await tab.getByTestId("thread-card").filter({ hasText: titleGroups[0][0].text }).count(), 1, first);
      await assertClean(tab, dialogs, "thread list");

      // Images in the shadow root that have loaded or failed. Their events do not leave the
      // shadow root; a capturing listener there hears each one before any handler on the
      // image itself would run.
      await tab.evaluate(() => {
        const root = document.querySelector("quanzi-widget").shadowRoot;
        window.__settled = new WeakSet();
        for (const type of ["load", "error"]) root.addEventListener(type, (e) => window.__settled.add(e.target), true);
      });
      for (const title of opened) {
        await tab.getByRole("button", { name: title, exact: true }).click();
        await tab.getByTestId("thread-body").waitFor();
        if (title.startsWith("Carrier")) await tab.getByTestId("reply").first().waitFor();
        // Every image with a source has loaded or failed (and its handlers, if any, ran).
        await tab.waitForFunction(() =>
          [...document.querySelector("quanzi-widget").shadowRoot.querySelectorAll("img")]
            .filter((img) => img.getAttribute("src") || img.getAttribute("srcset"))
            .every((img) => window.__settled.has(img)),
        );
        await assertClean(tab, dialogs, title);
        await tab.getByTestId("thread-back").click();
        await tab.getByTestId("thread-card").first().waitFor();
      }
      assert.deepEqual(errors, []);
    });
  });

  test("the widget draws events, their questions and descriptions as text", async (t) => {
    visit = brandPage(
      events
        .map((id) => `<script src="${worker.origin}/embed.js" data-community="${SLUG}" data-view="event" data-event="${id}" async></script>`)
        .join("\n"),
    );
    await withPage(browser, t, async (tab, errors) => {
      const dialogs = [];
      tab.on("dialog", (d) => {
        dialogs.push(d.message());
        d.dismiss().catch(() => {});
      });
      await tab.addInitScript(hooks);
      await tab.setViewportSize({ width: 1280, height: 20_000 });
      await tab.goto(page.origin);
      await tab.waitForFunction(
        (n) => [...document.querySelectorAll("quanzi-widget")].filter((w) => w.shadowRoot.querySelector('[data-testid="event-title"]')).length === n,
        events.length,
        { timeout: 30_000 },
      );
      await assertClean(tab, dialogs, "events");
      assert.deepEqual(errors, []);
    });
  });

  test("a signed-in member sees the sign-up questions as text", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      const dialogs = [];
      tab.on("dialog", (d) => {
        dialogs.push(d.message());
        d.dismiss().catch(() => {});
      });
      await tab.addInitScript(hooks);
      // A member who has not signed up: each event shows its form with its ten questions.
      visit = brandPage(
        events
          .map((id) => `<script src="${worker.origin}/embed.js" data-community="${SLUG}" data-view="event" data-event="${id}" data-token="${visitor}" async></script>`)
          .join("\n"),
      );
      await tab.setViewportSize({ width: 1280, height: 20_000 });
      await tab.goto(page.origin);
      await tab.waitForFunction(
        (n) => [...document.querySelectorAll("quanzi-widget")].filter((w) => w.shadowRoot.querySelector('[data-testid="signup-form"] label')).length === n,
        events.length,
        { timeout: 30_000 },
      );
      const prompt = short[0].text;
      const labels = await tab.evaluate(() =>
        [...document.querySelectorAll("quanzi-widget")].flatMap((w) => [...w.shadowRoot.querySelectorAll('[data-testid="signup-form"] label')].map((l) => l.textContent)),
      );
      assert.ok(labels.some((l) => l.includes(prompt)), `the prompt ${prompt} shows as text`);
      await assertClean(tab, dialogs, "events again");
      assert.deepEqual(errors, []);
    });
  });

  test("the dashboard draws the queue and attendees as text", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      const dialogs = [];
      tab.on("dialog", (d) => {
        dialogs.push(d.message());
        d.dismiss().catch(() => {});
      });
      await tab.addInitScript(hooks);
      await tab.setViewportSize({ width: 1280, height: 2000 });
      await signInToDashboard(tab, worker.origin, MIA, `#/c/${SLUG}/moderation`);
      await tab.getByTestId("queue-item").first().waitFor();
      assert.ok((await tab.getByTestId("queue-item").count()) >= bodyGroups.length);
      await assertClean(tab, dialogs, "moderation queue");

      for (const id of events) {
        await tab.goto(`${worker.origin}/dashboard/#/c/${SLUG}/events/${id}`);
        await tab.getByTestId("attendee-row").first().waitFor();
        await assertClean(tab, dialogs, `attendees of ${id}`);
      }
      assert.deepEqual(errors, []);
    });
  });
});
