// The dashboard's insight section in a real browser over the real worker: a community's day
// played through the API, then the cards show its numbers, the charts draw one point per
// day of the period and one bar per tier and streak bucket, the tooltip follows the
// keyboard, each CSV link downloads the same numbers with the session, a failed read offers
// a retry, Chinese labels after the switch, a brand-new community says why it is empty, the
// members page exports the directory, and the section fits a 360 px phone.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { overflowsSideways, screenshot, signInToDashboard } from "../support/dashboard.mjs";
import { marketer } from "../support/marketer.mjs";
import { signMemberToken } from "../support/sso.mjs";
import { startWorker } from "../support/worker.mjs";

const SLUG = "insight-tea";
const QUIET = "quiet-tea";
const MIA = { email: "mia@brand.example", password: "correct horse battery" };
const BASE = `/api/v1/communities/${SLUG}`;

describe("dashboard insight", () => {
  let worker, browser, staff, key, today;

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    staff = await marketer(worker, { email: MIA.email, password: MIA.password });
    for (const slug of [SLUG, QUIET]) {
      const created = await staff.api("/api/v1/communities", {
        method: "POST",
        body: JSON.stringify({ slug, settings: { name: slug === SLUG ? "Insight Tea" : "Quiet Tea", locale: "en" } }),
      });
      assert.equal(created.status, 201, await created.clone().text());
    }
    const keyRes = await staff.api(`${BASE}/sso-keys`, { method: "POST" });
    assert.equal(keyRes.status, 201, await keyRes.clone().text());
    key = await keyRes.json();
    const as = (sub, name) => ({
      authorization: `Bearer ${signMemberToken(key, { sub, name, aud: SLUG })}`,
      "content-type": "application/json",
    });
    const call = async (sub, name, method, rest, body) => {
      const res = await worker.api(`${BASE}/${rest}`, {
        method,
        headers: as(sub, name),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      assert.ok(res.status < 300, `${method} ${rest}: ${res.status} ${await res.clone().text()}`);
      return res.json();
    };
    // Three members join and check in; one posts in a topic, another replies.
    for (const [sub, name] of [
      ["u1", "Lin Wei"],
      ["u2", "Mia Chen"],
      ["u3", "Bo"],
    ]) {
      await call(sub, name, "POST", "join", { accept_rules: true });
      today = (await call(sub, name, "POST", "checkins")).status.today;
    }
    const topic = await staff.api(`${BASE}/topics`, { method: "POST", body: JSON.stringify({ id: "oolong", name: "Oolong" }) });
    assert.equal(topic.status, 201, await topic.clone().text());
    const thread = await call("u1", "Lin Wei", "POST", "threads", { topic: "oolong", title: "Roasting at home", body: "How?" });
    await call("u2", "Mia Chen", "POST", `threads/${thread.id}/replies`, { body: "Low and slow." });
  });

  after(async () => {
    await browser?.close();
    await worker?.dispose();
  });

  const card = (tab, id) => tab.getByTestId(`card-${id}`).getByTestId("value");
  const points = (tab, chart) => tab.getByTestId(chart).locator('[data-testid="point"]');
  /** Fetches `href` from inside the page: same origin, with the session cookie. */
  const download = (tab, href) =>
    tab.evaluate(async (href) => {
      const res = await fetch(href);
      return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
    }, href);

  test("cards, charts and CSV files show the community's day", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      await tab.setViewportSize({ width: 1280, height: 900 });
      await signInToDashboard(tab, worker.origin, MIA, `#/c/${SLUG}/insight`);
      assert.equal(await tab.getByRole("link", { name: "Insight" }).getAttribute("aria-current"), "page");

      await card(tab, "dau").filter({ hasText: /^3$/ }).waitFor();
      assert.equal(await card(tab, "wau").textContent(), "3");
      assert.equal(await card(tab, "mau").textContent(), "3");
      assert.equal(await card(tab, "new").textContent(), "3");
      await card(tab, "at-risk").filter({ hasText: /^0$/ }).waitFor();

      // The last 30 days: one point per day for each of the four activity lines.
      const activity = tab.getByTestId("activity-lines");
      await activity.waitFor();
      assert.equal(await activity.getAttribute("data-points"), "30");
      assert.equal(await points(tab, "activity-lines").count(), 4 * 30);
      assert.equal(await points(tab, "active-lines").count(), 2 * 30);
      // Tiers: top 1 %, top 10 %, the rest; streaks: five buckets, today's three check-ins
      // all reached a streak of 1.
      await tab.getByTestId("tiers-bars").waitFor();
      assert.equal(await tab.getByTestId("tiers-bars").locator('[data-testid="bar"]').count(), 3);
      const streakBars = tab.getByTestId("streaks-bars").locator('[data-testid="bar"]');
      await tab.getByTestId("streaks-bars").waitFor();
      assert.deepEqual(await streakBars.evaluateAll((bars) => bars.map((b) => b.dataset.value)), ["3", "0", "0", "0", "0"]);
      // The week's most engaged thread and topic.
      await tab.getByTestId("top-threads").getByTestId("top-item").filter({ hasText: "Roasting at home" }).waitFor();
      await tab.getByTestId("top-topics").getByTestId("top-item").filter({ hasText: "Oolong" }).waitFor();
      await tab.getByTestId("top-events").getByText("None this week yet.").waitFor();
      // Retention: this week's cohort of three, week 2 still to come.
      const cohorts = tab.getByTestId("cohorts").getByTestId("cohort");
      await cohorts.first().waitFor();
      assert.match(await cohorts.first().textContent(), /3\s*0\.0%\*/);
      await tab.getByTestId("no-quiet").waitFor();
      // How long counts as quiet: 14 days first; 7 reads the chart and the list again, and
      // both CSV files follow.
      const churn = tab.getByTestId("chart-churn");
      assert.equal(await churn.getByTestId("quiet-14").getAttribute("aria-pressed"), "true");
      assert.equal(await churn.locator('a[href*="quiet_days=14"]').count(), 2);
      await churn.getByTestId("quiet-7").click();
      await churn.locator('a[href*="quiet_days=7"]').nth(1).waitFor();
      assert.equal(await churn.getByTestId("quiet-7").getAttribute("aria-pressed"), "true");
      const quietList = await download(tab, await churn.locator('a[href*="quiet_days=7"]').nth(1).getAttribute("href"));
      assert.equal(quietList.status, 200, quietList.text);
      await tab.getByTestId("no-quiet").waitFor();
      assert.equal(await card(tab, "at-risk").textContent(), "0");

      // The keyboard moves the tooltip day by day; today's numbers first.
      await activity.locator(".qd-chart-area").focus();
      const tooltip = activity.getByTestId("chart-tooltip");
      await tooltip.waitFor();
      assert.match(await tooltip.textContent(), /Posts: 1.*Replies: 1.*Check-ins: 3/);
      await tab.keyboard.press("ArrowLeft");
      await tooltip.filter({ hasText: "Posts: 0" }).waitFor();
      // Screen readers get the numbers as a table.
      assert.equal(await activity.locator("table tbody tr").count(), 30);

      // The activity chart's CSV: the same days, today's row last.
      const href = await tab.getByTestId("chart-activity").getByTestId("csv").getAttribute("href");
      assert.match(href, new RegExp(`/insight/overview\\.csv\\?from=\\d{4}-\\d\\d-\\d\\d&to=${today}$`));
      const file = await download(tab, href);
      assert.equal(file.status, 200);
      assert.equal(file.type, "text/csv; charset=utf-8");
      const lines = file.text.replace(/^\ufeff/, "").split("\r\n").filter(Boolean);
      assert.equal(lines.length, 1 + 30);
      assert.equal(lines[0], "day,active,new_members,checkins,posts,replies,reactions,signups,attended");
      assert.equal(lines.at(-1), `${today},3,3,3,1,1,0,0,0`);
      const tiers = await download(tab, await tab.getByTestId("chart-tiers").getByTestId("csv").getAttribute("href"));
      assert.deepEqual(
        tiers.text.split("\r\n").filter(Boolean).map((r) => r.split(",")[0]),
        ["tier", "top_1", "top_10", "rest"],
      );
      const top = await download(tab, await tab.getByTestId("top-threads").getByTestId("csv").getAttribute("href"));
      assert.match(top.text, /,thread,[^,]+,Roasting at home,2,1,1,0,0,0,0\r\n$/);

      // Seven days: seven points a line, and the CSV link follows.
      await tab.getByTestId("period-7").click();
      await tab.waitForFunction(() => document.querySelector('[data-testid="activity-lines"]')?.dataset.points === "7");
      assert.equal(await points(tab, "activity-lines").count(), 4 * 7);
      const week = await download(tab, await tab.getByTestId("chart-activity").getByTestId("csv").getAttribute("href"));
      assert.equal(week.text.split("\r\n").filter(Boolean).length, 1 + 7);
      assert.equal(await card(tab, "dau").textContent(), "3");
      await screenshot(tab, "insight-en");

      // 中文.
      await tab.getByRole("button", { name: "中文" }).click();
      await tab.getByTestId("card-dau").getByText("今日活跃").waitFor();
      await tab.getByRole("heading", { name: "每日动态" }).waitFor();
      await tab.getByRole("button", { name: "最近 30 天" }).waitFor();
      await tab.getByTestId("chart-activity").getByRole("link", { name: "下载 CSV：每日动态" }).waitFor();
      assert.match(await activity.locator("text.qd-tick").last().textContent(), /^\d+月\d+日$/);
      await screenshot(tab, "insight-zh");
      await tab.getByRole("button", { name: "EN" }).click();
      assert.deepEqual(errors, []);
    });
  });

  test("a failed read says so and retries", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      await tab.setViewportSize({ width: 1280, height: 900 });
      let failures = 0;
      const topThreads = (url) => url.pathname.endsWith("/insight/top") && url.searchParams.get("kind") === "thread";
      await tab.route(topThreads, async (route) => {
        if (failures++ === 0) {
          await route.fulfill({
            status: 503,
            contentType: "application/json",
            body: JSON.stringify({ error: { code: "unavailable", message: "try again" } }),
          });
        } else {
          await route.continue();
        }
      });
      await signInToDashboard(tab, worker.origin, MIA, `#/c/${SLUG}/insight`);
      const threads = tab.getByTestId("top-threads");
      await threads.getByTestId("insight-error").waitFor();
      await threads.getByRole("button", { name: "Retry" }).click();
      await threads.getByTestId("top-item").filter({ hasText: "Roasting at home" }).waitFor();
      assert.equal(failures, 2);
      assert.deepEqual(errors, []);
    });
  });

  test("a brand-new community says numbers come after the first member acts", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      await tab.setViewportSize({ width: 1280, height: 900 });
      await signInToDashboard(tab, worker.origin, MIA, `#/c/${QUIET}/insight`);
      await tab.getByTestId("insight-empty").getByText("Numbers appear here after the first member acts.").waitFor();
      await card(tab, "dau").filter({ hasText: /^0$/ }).waitFor();
      assert.equal(await tab.getByTestId("chart-activity").count(), 0, "no empty charts");
      assert.deepEqual(errors, []);
    });
  });

  test("the members page exports the directory as CSV", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      await tab.setViewportSize({ width: 1280, height: 900 });
      await signInToDashboard(tab, worker.origin, MIA, `#/c/${SLUG}/members`);
      const exportLink = tab.getByRole("link", { name: "Export members (CSV)" });
      await exportLink.waitFor();
      const all = await download(tab, await exportLink.getAttribute("href"));
      assert.equal(all.status, 200);
      const rows = all.text.replace(/^\ufeff/, "").split("\r\n").filter(Boolean);
      assert.equal(rows[0], "member,name,brand_tags,staff_tags,joined,last_active,points,balance,level");
      assert.deepEqual(rows.slice(1).map((r) => r.split(",")[0]), ["u1", "u2", "u3"]);
      // The link follows the search.
      await tab.getByLabel("Name or member id").fill("chen");
      await tab.getByLabel("Name or member id").press("Enter");
      await tab.waitForFunction(() => document.querySelector('[data-testid="members-export"]')?.getAttribute("href")?.includes("q=chen"));
      const one = await download(tab, await exportLink.getAttribute("href"));
      assert.deepEqual(one.text.split("\r\n").filter(Boolean).slice(1).map((r) => r.split(",")[0]), ["u2"]);
      assert.deepEqual(errors, []);
    });
  });

  test("the section fits a 360 px phone", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      await tab.setViewportSize({ width: 360, height: 740 });
      await signInToDashboard(tab, worker.origin, MIA, `#/c/${SLUG}/insight`);
      await tab.getByTestId("activity-lines").waitFor();
      await tab.getByTestId("cohorts").waitFor();
      assert.equal(await overflowsSideways(tab), false, "nothing sticks out at 360 px");
      assert.deepEqual(errors, []);
    });
  });
});
