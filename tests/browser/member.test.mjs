// A member's side of the widget on a brand's page (a second origin, hostile CSS), against the
// real worker: the check-in's reward showing up in the profile, a full event's waitlist and
// the promotion when someone cancels, the ticket and its attendance code, the bell, the
// leaderboard and rewards, and the page switching language.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { hostilePage, servePage } from "../support/page.mjs";
import { addSsoKey, signMemberToken } from "../support/sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

const MINUTE = 60_000;
const BASE = "/api/v1/communities/tea";

describe("the member's side of the widget", () => {
  let worker, browser, page, key, lin, mei, event, code;
  /** What the next page load shows: attributes of the embed tag, the page's language. */
  let shown = {};

  const asOperator = (rest, method, body) =>
    worker.api(`${BASE}/${rest}`, {
      method,
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, "content-type": "application/json" },
      body: body && JSON.stringify(body),
    });
  const asMember = (token, rest, init = {}) =>
    worker.api(`${BASE}/${rest}`, { ...init, headers: { ...(init.headers || {}), authorization: `Bearer ${token}`, "content-type": "application/json" } });
  const unread = async () => (await (await asMember(lin, "notifications/unread-count")).json()).unread;

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    page = await servePage(() => {
      const { lang = "en", token = lin, attrs = "" } = shown;
      const html = hostilePage({ edge: worker.origin, community: "tea", lang });
      return html
        .replace("<script src", `<script>window.Quanzi = { token: ${JSON.stringify(token)} };</script><script src`)
        .replace('data-community="tea"', `data-community="tea" ${attrs}`);
    });
    await worker.putCommunity("tea", { name: "Tea 茶友会", time_zone: "Asia/Shanghai", allowed_origins: [page.origin] });
    key = await addSsoKey(worker, "tea", OPERATOR_TOKEN);
    lin = signMemberToken(key, { sub: "u_lin", name: "Lin", aud: "tea" });
    mei = signMemberToken(key, { sub: "u_mei", name: "Mei", aud: "tea" });

    // A badge the first check-in earns, and a title it may show.
    const badges = await asOperator("badges", "PUT", {
      badges: [
        {
          id: "first-checkin",
          names: { zh_cn: "初次签到", en: "First check-in" },
          award: { by: "automatic", rule: { kind: "checkin_days", days: 1 } },
          title: true,
        },
      ],
    });
    assert.equal(badges.status, 200, await badges.clone().text());
    // One seat, starting in half an hour: sign-up and the attendance code are both open.
    const created = await asOperator("events", "POST", {
      title: "Spring tea tasting 春茶品鉴",
      description: "Five first-flush teas, tasted side by side.",
      venue: { kind: "offline", place: "Shanghai, Wukang Rd 1" },
      starts_at: Date.now() + 30 * MINUTE,
      ends_at: Date.now() + 150 * MINUTE,
      capacity: 1,
      questions: [
        { id: "size", prompt: "T-shirt size", required: true, type: "single_choice", options: ["S", "M", "L"] },
        { id: "note", prompt: "Anything we should know?", type: "short_text" },
      ],
    });
    assert.equal(created.status, 201, await created.clone().text());
    ({ event, attendance_code: code } = await created.json());
    const reward = await asOperator("rewards", "POST", { id: "tea-sample", name: "Tea sample 茶样", cost: 5, stock: 1 });
    assert.equal(reward.status, 201);
  });

  after(async () => {
    await browser?.close();
    await page?.close();
    await worker?.dispose();
  });

  test("checks in, sees the points and the new badge, and finds both in the profile", async (t) => {
    shown = {};
    await withPage(browser, t, async (tab, errors) => {
      await tab.goto(page.origin);
      const button = tab.getByTestId("checkin-button");
      await button.waitFor({ timeout: 20_000 });
      await button.click();
      await tab.getByTestId("checkin-result").filter({ hasText: "+5 points" }).waitFor();
      await tab.getByTestId("checkin-badge").filter({ hasText: "New badge: First check-in" }).waitFor();
      await tab.getByTestId("checkin-result").filter({ hasText: "New badge: First check-in" }).waitFor();

      await tab.getByRole("tab", { name: "Me", exact: true }).click();
      assert.equal(await tab.getByRole("tab", { name: "Me", exact: true }).getAttribute("aria-selected"), "true");
      const balance = tab.getByTestId("points-balance");
      await balance.waitFor();
      assert.equal(await balance.textContent(), "5");
      const badge = tab.getByTestId("badge").filter({ hasText: "First check-in" });
      assert.equal(await badge.count(), 1);
      assert.equal(await tab.getByTestId("badge-count").textContent(), "1");
      const entry = tab.getByTestId("ledger-entry").first();
      await entry.waitFor();
      assert.match(await entry.textContent(), /Daily check-in.*\+5/);
      const progress = tab.getByRole("progressbar", { name: "Level" });
      assert.equal(await progress.getAttribute("aria-valuenow"), "5");
      assert.match(await progress.getAttribute("aria-valuetext"), /95 more points to Lv2 Regular/);

      // A title badge can be shown beside the name, at once (optimistically) and for good.
      await badge.getByRole("button", { name: "Show as title" }).click();
      await tab.getByTestId("my-title").filter({ hasText: "First check-in" }).waitFor();
      await tab.getByTestId("profile-result").filter({ hasText: "is now your title" }).waitFor();
      const mine = await (await asMember(lin, "me/points")).json();
      assert.equal(mine.title?.id, "first-checkin");
      assert.deepEqual(errors, []);
    });
  });

  test("one member takes the last seat, another waits, is promoted when the first cancels, and checks in with the code", async (t) => {
    const eventView = `data-view="event" data-event="${event.id}"`;
    // Mei signs up first and takes the only seat, in her own browser.
    shown = { token: mei, attrs: eventView };
    await withPage(browser, t, async (meiTab, meiErrors) => {
      await meiTab.goto(page.origin);
      await meiTab.getByTestId("event-title").filter({ hasText: "Spring tea tasting" }).waitFor({ timeout: 20_000 });
      assert.equal(await meiTab.getByTestId("event-seats").textContent(), "1 seat · 0 signed up");
      await meiTab.getByLabel("S", { exact: true }).check();
      await meiTab.getByRole("button", { name: "Sign up now" }).click();
      await meiTab.getByTestId("ticket-status").filter({ hasText: "Seat confirmed" }).waitFor();
      await meiTab.getByTestId("event-result").filter({ hasText: "your seat is confirmed" }).waitFor();
      await meiTab.getByTestId("cancel-signup").and(meiTab.locator(":enabled")).waitFor();
      const hers = await (await asMember(mei, `events/${event.id}`)).json();
      assert.deepEqual(hers.my_ticket, { status: "confirmed", attended: false });

      // Lin finds the event full and joins the waitlist, in another browser.
      shown = { attrs: eventView };
      await withPage(browser, t, async (tab, errors) => {
        await tab.goto(page.origin);
        await tab.getByTestId("event-title").filter({ hasText: "Spring tea tasting" }).waitFor({ timeout: 20_000 });
        assert.equal(await tab.getByTestId("event-standing").textContent(), "Full · join the waitlist");
        assert.equal(await tab.getByTestId("event-seats").textContent(), "1 seat · 1 signed up");

        // The required question is checked before anything is sent.
        const join = tab.getByRole("button", { name: "Join the waitlist" });
        await join.click();
        await tab.getByTestId("event-result").filter({ hasText: "Please answer: T-shirt size" }).waitFor();
        assert.equal(await tab.getByLabel("M", { exact: true }).getAttribute("aria-invalid"), "true");
        await tab.getByLabel("M", { exact: true }).check();
        await tab.getByLabel("Anything we should know?").fill("Green tea only");
        await join.click();

        const status = tab.getByTestId("ticket-status");
        await status.filter({ hasText: "Waitlist #1" }).waitFor();
        await tab.getByTestId("event-result").filter({ hasText: "You're on the waitlist at #1." }).waitFor();
        assert.equal(await tab.getByTestId("ticket").getAttribute("data-status"), "waitlisted");
        assert.equal(await tab.getByTestId("attendance-form").count(), 0, "no attendance code while waiting");

        // Mei gives her seat up from her widget: Lin's widget sees the promotion.
        await meiTab.getByTestId("cancel-signup").click();
        await meiTab.getByTestId("cancel-signup-confirm").click();
        await meiTab.getByTestId("event-result").filter({ hasText: "Your sign-up is cancelled." }).waitFor();
        await meiTab.getByRole("button", { name: "Sign up now" }).or(meiTab.getByRole("button", { name: "Join the waitlist" })).first().waitFor();
        assert.equal((await (await asMember(mei, `events/${event.id}`)).json()).my_ticket, null);
        await status.filter({ hasText: "Seat confirmed" }).waitFor({ timeout: 20_000 });
        await tab.getByTestId("event-result").filter({ hasText: "a seat came free" }).waitFor();
        assert.equal(await tab.getByTestId("event-seats").textContent(), "1 seat · 1 signed up");

        // The ticket takes the attendance code the organiser gives out at the event.
        const box = tab.getByLabel("Attendance code");
        await box.fill("WRONG1");
        await tab.getByTestId("attendance-submit").click();
        await tab.getByTestId("event-result").filter({ hasText: "That code isn't right" }).waitFor();
        assert.equal(await box.getAttribute("aria-invalid"), "true");
        await box.fill(code.toLowerCase());
        await tab.getByTestId("attendance-submit").click();
        await tab.getByTestId("event-result").filter({ hasText: "You're checked in" }).waitFor();
        assert.equal(await tab.getByTestId("ticket").getAttribute("data-status"), "attended");
        const seen = await (await asMember(lin, `events/${event.id}`)).json();
        assert.deepEqual(seen.my_ticket, { status: "confirmed", attended: true });
        assert.deepEqual(errors, []);
      });
      assert.deepEqual(meiErrors, []);
    });
  });

  test("the bell shows the unread count, and marking read clears it", async (t) => {
    shown = {};
    const before = await unread();
    assert.ok(before >= 2, `a badge and a promotion at least (${before})`);
    await withPage(browser, t, async (tab, errors) => {
      await tab.goto(page.origin);
      const count = tab.getByTestId("bell-count");
      await count.filter({ hasText: String(before) }).waitFor({ timeout: 20_000 });
      const bell = tab.getByRole("button", { name: `Notifications, ${before} unread` });
      await bell.click();
      assert.equal(await bell.getAttribute("aria-expanded"), "true");
      const panel = tab.getByRole("region", { name: "Notifications" });
      await panel.getByText("You earned a new badge: First check-in").waitFor();
      await panel.getByText("A seat came free: you're in").waitFor();

      await panel.getByRole("button", { name: /^Mark read: A seat came free/ }).click();
      // Shown at once; once the panel is no longer busy the worker has answered.
      await count.filter({ hasText: String(before - 1) }).waitFor();
      await tab.getByTestId("notifications").and(tab.locator('[aria-busy="false"]')).waitFor();
      assert.equal(await count.textContent(), String(before - 1), "the worker's count agrees");
      assert.equal(await unread(), before - 1);

      await panel.getByRole("button", { name: "Mark all read" }).click();
      await count.waitFor({ state: "detached" });
      await tab.getByTestId("notifications-result").filter({ hasText: "All marked as read." }).waitFor();
      assert.equal(await tab.getByRole("button", { name: "Notifications", exact: true }).count(), 1);
      assert.equal(await unread(), 0);
      await tab.keyboard.press("Escape");
      await panel.waitFor({ state: "detached" });
      assert.deepEqual(errors, []);
    });
  });

  test("ranks the member on the leaderboard; tabs move with the arrow keys", async (t) => {
    shown = { attrs: 'data-view="leaderboard"' };
    await withPage(browser, t, async (tab, errors) => {
      await tab.goto(page.origin);
      const mine = tab.getByTestId("my-rank");
      await mine.filter({ hasText: "You're #1" }).waitFor({ timeout: 20_000 });
      const row = tab.getByTestId("board-row").first();
      assert.match(await row.textContent(), /Lin/);
      assert.equal(await row.getAttribute("data-me"), "true");

      await tab.getByRole("tab", { name: "This week" }).focus();
      await tab.keyboard.press("ArrowRight");
      await tab.keyboard.press("ArrowRight");
      const all = tab.getByRole("tab", { name: "All time" });
      assert.equal(await all.getAttribute("aria-selected"), "true");
      assert.equal(await all.evaluate((el) => el.getRootNode().activeElement === el), true, "focus follows");
      await mine.filter({ hasText: "You're #1" }).waitFor();
      assert.deepEqual(errors, []);
    });
  });

  test("redeems a reward after confirming; the balance and the stock follow", async (t) => {
    shown = { attrs: 'data-view="rewards"' };
    const { balance } = await (await asMember(lin, "rewards")).json();
    await withPage(browser, t, async (tab, errors) => {
      await tab.goto(page.origin);
      const pill = tab.getByTestId("rewards-balance");
      await pill.filter({ hasText: `${balance} points` }).waitFor({ timeout: 20_000 });
      const card = tab.getByTestId("reward").filter({ hasText: "Tea sample" });
      assert.match(await card.getByTestId("reward-stock").textContent(), /1 left/);
      await card.getByRole("button", { name: "Redeem" }).click();
      const confirm = card.getByRole("group", { name: "Confirm redemption" });
      assert.match(await confirm.textContent(), new RegExp(`Redeem “Tea sample 茶样” for 5 points\\? You'll have ${balance - 5} left`));
      await confirm.getByRole("button", { name: "Redeem now" }).click();
      await tab.getByTestId("rewards-result").filter({ hasText: "Redeemed “Tea sample 茶样” for 5 points" }).waitFor();
      await pill.filter({ hasText: `${balance - 5} points` }).waitFor();
      assert.equal(await card.getByTestId("reward-stock").textContent(), "None left");
      assert.equal(await card.getByTestId("redeem").textContent(), "Sold out");
      assert.equal(await card.getAttribute("data-state"), "gone");
      const after = await (await asMember(lin, "me/points")).json();
      assert.equal(after.balance.balance, balance - 5);
      assert.deepEqual(errors, []);
    });
  });

  test("speaks the page's language and follows it when the page switches", async (t) => {
    shown = { lang: "zh-CN" };
    await withPage(browser, t, async (tab, errors) => {
      await tab.goto(page.origin);
      const tabs = tab.getByRole("tablist", { name: "社区导航" });
      await tabs.waitFor({ timeout: 20_000 });
      assert.deepEqual(await tabs.getByRole("tab").allTextContents(), ["社区", "活动", "排行", "兑换", "我的"]);
      await tab.getByRole("tab", { name: "我的" }).click();
      await tab.getByRole("heading", { name: "我的主页" }).waitFor();

      // The brand's page flips to English with data-locale on the embed tag…
      await tab.evaluate(() => document.querySelector("script[data-community]").setAttribute("data-locale", "en"));
      await tab.getByRole("heading", { name: "My profile" }).waitFor();
      const en = tab.getByRole("tablist", { name: "Community sections" });
      assert.deepEqual(await en.getByRole("tab").allTextContents(), ["Home", "Events", "Ranks", "Rewards", "Me"]);
      // …and back with <html lang> once data-locale is gone.
      await tab.evaluate(() => {
        document.querySelector("script[data-community]").removeAttribute("data-locale");
        document.documentElement.lang = "zh-CN";
      });
      await tab.getByRole("heading", { name: "我的主页" }).waitFor();
      assert.equal(await tab.getByTestId("quanzi-widget").getAttribute("lang"), "zh-CN");
      assert.deepEqual(errors, []);
    });
  });
});
