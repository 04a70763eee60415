// Accessibility, checked by axe-core in a real browser against the real worker: the member
// widget inside its open shadow root on the demo brand page (a second origin), every part a
// member reaches (home signed out and signed in with the check-in card and a thread, the
// thread, events, ranks, rewards, the profile), in Chinese and English, light and dark; and
// the dashboard's main pages. Any "serious" or "critical" finding fails, listed by rule,
// impact, element and axe's summary.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { signUpInDashboard } from "../support/dashboard.mjs";
import { marketer } from "../support/marketer.mjs";
import { servePage } from "../support/page.mjs";
import { addSsoKey, signMemberToken } from "../support/sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

const AXE_SOURCE = createRequire(import.meta.url)("axe-core").source;
const SERIOUS = new Set(["serious", "critical"]);
const MINUTE = 60_000;
const SLUG = "demo";
const BASE = `/api/v1/communities/${SLUG}`;
const DEMO_PAGE = readFileSync(new URL("../../widget/demo/index.html", import.meta.url), "utf8");
const PREVIEW = /^(Preview|预览)$/;

/** Runs axe over `scope` (a CSS selector; its shadow trees included) and returns the serious findings. */
async function seriousFindings(tab, view, scope = null) {
  if (!(await tab.evaluate(() => typeof window.axe === "object"))) await tab.evaluate(AXE_SOURCE);
  const violations = await tab.evaluate(async (scope) => {
    const context = scope ? document.querySelector(scope) : document;
    if (!context) throw new Error(`nothing matches ${scope}`);
    const result = await window.axe.run(context, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ impact: n.impact, target: n.target, summary: n.failureSummary })),
    }));
  }, scope);
  const found = [];
  for (const v of violations) {
    for (const n of v.nodes) {
      const impact = n.impact ?? v.impact;
      if (SERIOUS.has(impact)) found.push({ view, id: v.id, impact, help: v.help, target: n.target, summary: n.summary });
    }
  }
  return found;
}

/** Fails with every finding, one block each. */
function assertNone(findings) {
  const lines = findings.map(
    (f) => `[${f.view}] ${f.id} (${f.impact}): ${f.help}\n    at ${JSON.stringify(f.target)}\n    ${String(f.summary).replaceAll("\n", "\n    ")}`,
  );
  assert.equal(findings.length, 0, `axe found ${findings.length} serious or critical problem(s):\n${lines.join("\n")}`);
}

describe("accessibility of the member widget", () => {
  let worker, browser, page, key, lin, mei;
  // What the demo page holds for the next visit.
  let visit = { token: "", lang: "en", extra: "" };

  const api = (method, path, { token = OPERATOR_TOKEN, body } = {}) =>
    worker.api(`${BASE}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const ok = async (res, status = 200) => {
    assert.equal(res.status, status, await res.clone().text());
    return res.json();
  };

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    page = await servePage(() =>
      DEMO_PAGE.replaceAll("{{EDGE}}", worker.origin)
        .replace('<html lang="zh-CN">', `<html lang="${visit.lang}">`)
        .replace("<script src", `<script>window.Quanzi = { token: ${JSON.stringify(visit.token)} };</script><script src`)
        .replace("</main>", `${visit.extra ?? ""}</main>`),
    );
    // The default theme (scheme "auto": the reader's light or dark).
    await worker.putCommunity(SLUG, { name: "Acme Tea 茶", time_zone: "Asia/Shanghai", allowed_origins: [page.origin] });
    key = await addSsoKey(worker, SLUG, OPERATOR_TOKEN);
    lin = signMemberToken(key, { sub: "u_lin", name: "小林", aud: SLUG });
    mei = signMemberToken(key, { sub: "u_mei", name: "Mei", aud: SLUG });

    await ok(await api("PUT", "/join", { body: { mode: "open", rules: "Be kind.\n友善交流。", questions: [] } }));
    for (const token of [lin, mei]) await ok(await api("POST", "/join", { token, body: { accept_rules: true } }), 201);
    await ok(
      await api("PUT", "/badges", {
        body: {
          badges: [
            { id: "first-checkin", names: { zh_cn: "初次签到", en: "First check-in" }, award: { by: "automatic", rule: { kind: "checkin_days", days: 1 } }, title: true },
          ],
        },
      }),
    );
    await ok(await api("POST", "/topics", { body: { id: "oolong", name: "乌龙 Oolong", description: "Rolled leaves" } }), 201);
    const thread = await ok(
      await api("POST", "/threads", {
        token: mei,
        body: { topic: "oolong", kind: "question", title: "Best water for oolong? 泡乌龙用什么水", body: "I brew at **95°C**.\n\n- rinse first\n- short steeps" },
      }),
      201,
    );
    await ok(await api("POST", `/threads/${thread.id}/replies`, { token: lin, body: { body: "95 is right for *rolled* leaves." } }), 201);
    await ok(
      await api("POST", "/events", {
        body: {
          title: "Spring tea tasting 春茶品鉴",
          description: "Five first-flush teas, tasted side by side.",
          venue: { kind: "offline", place: "Shanghai, Wukang Rd 1" },
          starts_at: Date.now() + 24 * 60 * MINUTE,
          ends_at: Date.now() + 26 * 60 * MINUTE,
          capacity: 12,
          questions: [{ id: "size", prompt: "T-shirt size", required: true, type: "single_choice", options: ["S", "M", "L"] }],
        },
      }),
      201,
    );
    await ok(await api("POST", "/rewards", { body: { id: "tea-sample", name: "Tea sample 茶样", cost: 5, stock: 3 } }), 201);
    await ok(await api("POST", "/rewards", { body: { id: "teapot", name: "Yixing teapot 紫砂壶", cost: 500, stock: 1 } }), 201);
    // Someone on the leaderboard before the member checks in.
    await ok(await api("POST", "/checkins", { token: mei }));
  });

  after(async () => {
    await browser?.close();
    await page?.close();
    await worker?.dispose();
  });

  const widget = "quanzi-widget";
  const openSection = async (tab, key) => {
    const button = tab.locator(`[role="tab"][data-tab="${key}"]`);
    await button.click();
    await tab.locator(`[data-section="${key}"]`).waitFor();
  };

  for (const lang of ["zh-CN", "en"]) {
    for (const scheme of ["light", "dark"]) {
      test(`signed out, ${lang}, ${scheme}`, async (t) => {
        visit = { token: "", lang };
        await withPage(browser, t, async (tab) => {
          await tab.emulateMedia({ colorScheme: scheme });
          await tab.goto(page.origin);
          await tab.getByTestId("thread-card").first().waitFor({ timeout: 20_000 });
          await tab.getByTestId("checkin-card").waitFor();
          assertNone(await seriousFindings(tab, "home, signed out", widget));
        });
      });

      test(`a newcomer's join panel and a page's comments, ${lang}, ${scheme}`, async (t) => {
        visit = {
          token: signMemberToken(key, { sub: `u_new_${lang}_${scheme}`, name: "New 新人", aud: SLUG }),
          lang,
          extra: `<h2>An article</h2><script src="${worker.origin}/embed.js" data-community="${SLUG}" data-page="/articles/oolong" async></script>`,
        };
        await withPage(browser, t, async (tab) => {
          await tab.emulateMedia({ colorScheme: scheme });
          await tab.goto(page.origin);
          // The home's join panel (the page's comments show their own).
          const join = tab.getByTestId("talk").getByTestId("join-panel");
          await join.waitFor({ timeout: 20_000 });
          await join.getByTestId("join-open").click();
          await join.getByTestId("join-submit").waitFor();
          const comments = tab.getByTestId("page-comments");
          await comments.scrollIntoViewIfNeeded();
          await comments.waitFor({ timeout: 20_000 });
          await tab.locator('[data-testid="comments-loading"]').waitFor({ state: "detached" });
          assertNone([
            ...(await seriousFindings(tab, "join panel, open", widget)),
            ...(await seriousFindings(tab, "page comments", `${widget}:nth-of-type(2)`)),
          ]);
          assert.equal(await tab.locator(widget).count(), 2);
        });
      });

      test(`a member's every part, ${lang}, ${scheme}`, async (t) => {
        visit = { token: lin, lang };
        await withPage(browser, t, async (tab) => {
          await tab.emulateMedia({ colorScheme: scheme });
          await tab.goto(page.origin);
          const findings = [];
          await tab.getByTestId("checkin-button").waitFor({ timeout: 20_000 });
          await tab.getByTestId("thread-card").first().waitFor();
          assert.equal(await tab.locator('[data-testid="quanzi-widget"]').getAttribute("data-scheme"), "auto");
          findings.push(...(await seriousFindings(tab, "home", widget)));

          // The card after the check-in: the reward, the badge, the calendar (once per day;
          // the later runs see the checked-in card straight away).
          if (await tab.getByTestId("checkin-button").isEnabled()) await tab.getByTestId("checkin-button").click();
          await tab.locator('[data-testid="checkin-button"][disabled]').waitFor();
          await tab.getByTestId("checkin-calendar").waitFor();
          findings.push(...(await seriousFindings(tab, "home, checked in", widget)));

          // The new-thread composer, showing its preview.
          await tab.getByTestId("new-thread").click();
          const composer = tab.getByTestId("thread-composer");
          await composer.locator("textarea").fill("Water at **95°C**, then [a link](https://example.com).");
          await composer.getByRole("button", { name: PREVIEW }).click();
          await composer.getByTestId("preview").locator("strong").waitFor();
          findings.push(...(await seriousFindings(tab, "thread composer, preview", widget)));
          await tab.getByTestId("new-thread").click();

          await tab.getByTestId("thread-card").first().getByRole("button").first().click();
          await tab.getByTestId("thread-body").waitFor();
          await tab.getByTestId("reply").first().waitFor();
          findings.push(...(await seriousFindings(tab, "thread", widget)));

          // The reply composer's preview and the open report form.
          const reply = tab.getByTestId("reply-composer");
          await reply.locator("textarea").fill("Agreed, *rolled* leaves.");
          await reply.getByRole("button", { name: PREVIEW }).click();
          await reply.getByTestId("preview").locator("em").waitFor();
          const report = tab.getByTestId("report-button").first();
          await report.click();
          await tab.locator('[data-testid="report-button"][aria-expanded="true"]').waitFor();
          await tab.getByTestId("report-submit").waitFor();
          findings.push(...(await seriousFindings(tab, "thread, reply preview and report form", widget)));

          // The open bell.
          await tab.getByTestId("bell").click();
          await tab.getByTestId("notifications").waitFor();
          findings.push(...(await seriousFindings(tab, "notifications", widget)));
          await tab.getByTestId("bell").click();

          await openSection(tab, "events");
          await tab.getByTestId("event-card").first().waitFor();
          findings.push(...(await seriousFindings(tab, "events", widget)));
          // One event, with its sign-up form and required question.
          await tab.getByTestId("event-card").first().click();
          await tab.getByTestId("signup-form").waitFor();
          findings.push(...(await seriousFindings(tab, "event sign-up form", widget)));

          await openSection(tab, "leaderboard");
          await tab.getByTestId("board-row").first().waitFor();
          findings.push(...(await seriousFindings(tab, "leaderboard", widget)));

          await openSection(tab, "rewards");
          await tab.getByTestId("reward").first().waitFor();
          findings.push(...(await seriousFindings(tab, "rewards", widget)));

          await openSection(tab, "profile");
          await tab.getByTestId("ledger-entry").first().waitFor();
          await tab.getByTestId("badge").first().waitFor();
          findings.push(...(await seriousFindings(tab, "profile", widget)));
          assertNone(findings);
        });
      });
    }
  }
});

describe("accessibility of the dashboard", () => {
  const MIA = { email: "mia@brand.example", name: "Mia", password: "tea every day 2026" };
  const DASH_SLUG = "mia-tea";
  let worker, browser, eventId;

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await worker?.dispose();
  });

  /** Loads the page at `hash` afresh and waits until it has drawn and loaded what it shows. */
  const visitPage = async (tab, hash) => {
    await tab.goto("about:blank");
    await tab.goto(`${worker.origin}/dashboard/${hash}`);
    await tab.getByTestId("signed-in-as").waitFor({ state: "attached", timeout: 20_000 });
    if (hash.startsWith("#/c/")) await tab.getByTestId("community-title").waitFor();
    await tab.locator("main h1, main h2").first().waitFor();
    await tab.locator(".qd-loading").first().waitFor({ state: "detached" });
  };

  for (const locale of ["en-US", "zh-CN"]) {
    test(`the dashboard's main pages, ${locale}`, async (t) => {
      await withPage(
        browser,
        t,
        async (tab) => {
          await tab.setViewportSize({ width: 1280, height: 900 });
          const findings = [];
          await tab.goto(`${worker.origin}/dashboard/`);
          await tab.locator('input[type="password"]').waitFor({ timeout: 20_000 });
          findings.push(...(await seriousFindings(tab, "sign-in")));

          if (!eventId) {
            await tab.getByRole("button", { name: /Create an account|创建账号|注册/ }).click();
            findings.push(...(await seriousFindings(tab, "sign-up")));
            await tab.goto(`${worker.origin}/dashboard/`);
            await signUpInDashboard(tab, worker.origin, MIA);
            const staff = await marketer(worker, { ...MIA, login: true });
            const create = await staff.api("/api/v1/communities", {
              method: "POST",
              body: JSON.stringify({ slug: DASH_SLUG, settings: { name: "Mia Tea", locale: "en" } }),
            });
            assert.equal(create.status, 201, await create.text());
            const created = await staff.api(`/api/v1/communities/${DASH_SLUG}/events`, {
              method: "POST",
              body: JSON.stringify({
                title: "Spring tasting",
                venue: { kind: "online", url: "https://meet.example/tea" },
                starts_at: Date.now() + 24 * 60 * MINUTE,
                ends_at: Date.now() + 25 * 60 * MINUTE,
              }),
            });
            assert.equal(created.status, 201, await created.clone().text());
            eventId = (await created.json()).event.id;
          } else {
            await tab.getByLabel(/Email|邮箱/).fill(MIA.email);
            await tab.locator('input[type="password"]').fill(MIA.password);
            await tab.locator('input[type="password"]').press("Enter");
            await tab.getByTestId("signed-in-as").waitFor({ state: "attached" });
          }

          const pages = [
            "#/",
            "#/account",
            ...["basics", "joining", "origins", "keys", "theme", "embed"].map((s) => `#/c/${DASH_SLUG}/setup/${s}`),
            ...["queue", "bans", "audit"].map((s) => `#/c/${DASH_SLUG}/moderation/${s}`),
            `#/c/${DASH_SLUG}/events`,
            `#/c/${DASH_SLUG}/events/new`,
            `#/c/${DASH_SLUG}/events/${eventId}`,
            `#/c/${DASH_SLUG}/members`,
            `#/c/${DASH_SLUG}/insight`,
            ...["points", "levels", "badges", "rewards"].map((s) => `#/c/${DASH_SLUG}/gamification/${s}`),
            `#/c/${DASH_SLUG}/topics`,
            `#/c/${DASH_SLUG}/webhooks`,
            `#/c/${DASH_SLUG}/automations`,
            `#/c/${DASH_SLUG}/team`,
            `#/c/${DASH_SLUG}/data`,
          ];
          for (const hash of pages) {
            await visitPage(tab, hash);
            findings.push(...(await seriousFindings(tab, hash)));
          }
          assertNone(findings);
        },
        { locale, bypassCSP: true },
      );
    });
  }
});
