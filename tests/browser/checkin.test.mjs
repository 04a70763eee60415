// A member signed in by the brand's token checks in from the widget on the brand's page.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { hostilePage, servePage } from "../support/page.mjs";
import { addSsoKey, signMemberToken } from "../support/sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

describe("check-in in the widget", () => {
  let worker, browser, page, token, lang, key;

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    page = await servePage(() => {
      const html = hostilePage({ edge: worker.origin, community: "tea", lang });
      return html.replace("<script src", `<script>window.Quanzi = { token: ${JSON.stringify(token ?? "")} };</script><script src`);
    });
    await worker.putCommunity("tea", { name: "Tea", allowed_origins: [page.origin] });
    key = await addSsoKey(worker, "tea", OPERATOR_TOKEN);
    token = signMemberToken(key, { sub: "u_browser", name: "Lin", aud: "tea" });
  });

  after(async () => {
    await browser?.close();
    await page?.close();
    await worker?.dispose();
  });

  test("checks in once, sees the points, and cannot check in twice", async (t) => {
    lang = "en";
    await withPage(browser, t, async (tab, errors) => {
      await tab.goto(page.origin);
      const button = tab.getByTestId("checkin-button");
      await button.waitFor({ timeout: 20_000 });
      assert.equal(await button.textContent(), "Check in");
      assert.equal(await tab.getByTestId("streak").textContent(), "0-day streak");

      await button.click();
      await tab.getByTestId("checkin-result").filter({ hasText: "+5 points" }).waitFor();
      assert.equal(await button.textContent(), "Checked in today");
      assert.equal(await button.isDisabled(), true);
      assert.equal(await tab.getByTestId("streak").textContent(), "1-day streak");
      assert.equal(await tab.getByTestId("balance").textContent(), "5 points");
      assert.equal(await tab.locator('[data-testid="checkin-calendar"] [data-checked="true"]').count(), 1);

      await tab.reload();
      await tab.getByTestId("checkin-button").filter({ hasText: "Checked in today" }).waitFor({ timeout: 20_000 });
      assert.equal(await tab.getByTestId("checkin-button").isDisabled(), true, "still done after a reload");
      assert.deepEqual(errors, []);
    });
  });

  test("a check-in whose answer was lost, tried again by the member, is the same check-in", async (t) => {
    lang = "en";
    const saved = token;
    token = signMemberToken(key, { sub: "u_retry", name: "Rui", aud: "tea" });
    try {
      await withPage(browser, t, async (tab) => {
        await tab.goto(page.origin);
        const button = tab.getByTestId("checkin-button");
        await button.waitFor({ timeout: 20_000 });
        // The worker takes the check-in, but its answer never reaches the page: twice (the
        // widget's own retry with the same key), so the member sees a failure.
        const keys = [];
        const statuses = [];
        await tab.route("**/checkins", async (route) => {
          if (route.request().method() !== "POST") return route.continue();
          keys.push(route.request().headers()["idempotency-key"]);
          const answer = await route.fetch();
          statuses.push(answer.status());
          if (keys.length <= 2) return route.abort("connectionreset");
          return route.fulfill({ response: answer });
        });
        await button.click();
        await tab.getByTestId("checkin-result").filter({ hasText: /./ }).waitFor();
        await tab.locator('[data-testid="checkin-button"]:enabled').waitFor();
        assert.equal(keys.length, 2);
        // The member tries again: the same key, so the worker answers with the first answer
        // instead of refusing a second check-in today.
        await button.click();
        await tab.getByTestId("checkin-result").filter({ hasText: "+5 points" }).waitFor();
        assert.equal(await button.textContent(), "Checked in today");
        assert.equal(keys.length, 3);
        assert.equal(new Set(keys).size, 1, `one key: ${keys}`);
        assert.deepEqual(statuses, [200, 200, 200]);
        const mine = await worker.api("/api/v1/communities/tea/me/points", { headers: { authorization: `Bearer ${token}` } });
        const { balance } = await mine.json();
        assert.deepEqual([balance.balance, balance.entries], [5, 1], "checked in once");
      });
    } finally {
      token = saved;
    }
  });

  test("the member switches the daily reminder on, it stays on after a reload, and off", async (t) => {
    lang = "en";
    await withPage(browser, t, async (tab, errors) => {
      await tab.goto(page.origin);
      const toggle = tab.getByTestId("checkin-reminder");
      await toggle.waitFor({ timeout: 20_000 });
      assert.equal(await toggle.getAttribute("role"), "switch");
      assert.equal(await toggle.textContent(), "Remind me daily");
      assert.equal(await toggle.getAttribute("aria-checked"), "false");
      const saved = tab.waitForResponse((r) => r.url().endsWith("/checkins/reminder") && r.request().method() === "PUT");
      await toggle.click();
      assert.equal(await toggle.getAttribute("aria-checked"), "true", "at once");
      assert.equal((await saved).status(), 200);
      await tab.locator('[data-testid="checkin-reminder"][aria-busy="false"]').waitFor();
      assert.equal(await toggle.getAttribute("aria-checked"), "true");

      await tab.reload();
      await tab.locator('[data-testid="checkin-reminder"][aria-checked="true"]').waitFor({ timeout: 20_000 });
      // Keyboard: a switch is a button, Space flips it.
      const off = tab.waitForResponse((r) => r.url().endsWith("/checkins/reminder") && r.request().method() === "PUT");
      await tab.getByTestId("checkin-reminder").focus();
      await tab.keyboard.press("Space");
      assert.equal((await off).status(), 200);
      await tab.locator('[data-testid="checkin-reminder"][aria-checked="false"][aria-busy="false"]').waitFor();
      const mine = await worker.api("/api/v1/communities/tea/checkins/me", { headers: { authorization: `Bearer ${token}` } });
      assert.equal((await mine.json()).reminder, false, "saved off");
      assert.deepEqual(errors, []);
    });
  });

  test("a refused switch flips back and says why", async (t) => {
    lang = "en";
    await withPage(browser, t, async (tab) => {
      await tab.goto(page.origin);
      const toggle = tab.getByTestId("checkin-reminder");
      await toggle.waitFor({ timeout: 20_000 });
      assert.equal(await toggle.getAttribute("aria-checked"), "false");
      await tab.route("**/checkins/reminder", (route) =>
        route.fulfill({
          status: 503,
          contentType: "application/json",
          headers: { "access-control-allow-origin": page.origin },
          body: JSON.stringify({ error: { code: "internal", message: "down" } }),
        }),
      );
      await toggle.click();
      await tab.locator('[data-testid="checkin-reminder"][aria-checked="false"][aria-busy="false"]').waitFor();
      assert.notEqual((await tab.getByTestId("checkin-result").textContent()).trim(), "");
    });
  });

  test("the reminder arrives in the bell at the community's reminder hour", async (t) => {
    const api = (path, init = {}, auth = OPERATOR_TOKEN) =>
      worker.api(`/api/v1/communities/tea/${path}`, {
        ...init,
        headers: { authorization: `Bearer ${auth}`, "content-type": "application/json" },
      });
    const rules = await (await api("points/rules")).json();
    rules.checkin.reminder_hour = 0; // due at once, whatever the time of day
    assert.equal((await api("points/rules", { method: "PUT", body: JSON.stringify(rules) })).status, 200);
    const saved = token;
    token = signMemberToken(key, { sub: "u_bell", name: "Bo", aud: "tea" });
    try {
      assert.equal((await api("checkins/reminder", { method: "PUT", body: JSON.stringify({ enabled: true }) }, token)).status, 200);
      const deadline = Date.now() + 10_000;
      while (!(await (await api("notifications", {}, token)).json()).items.some((n) => n.kind === "checkin_reminder")) {
        assert.ok(Date.now() < deadline, "the alarm sent the reminder");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      lang = "en";
      await withPage(browser, t, async (tab, errors) => {
        await tab.goto(page.origin);
        await tab.getByTestId("bell-count").filter({ hasText: "1" }).waitFor({ timeout: 20_000 });
        await tab.getByTestId("bell").click();
        const panel = tab.getByRole("region", { name: "Notifications" });
        await panel.getByText("You haven't checked in today: keep your streak going").waitFor();
        assert.equal(await tab.locator('[data-testid="checkin-reminder"][aria-checked="true"]').count(), 1);
        assert.deepEqual(errors, []);
      });
    } finally {
      token = saved;
    }
  });

  test("speaks Chinese on a zh-CN page", async (t) => {
    lang = "zh-CN";
    await withPage(browser, t, async (tab) => {
      await tab.goto(page.origin);
      const button = tab.getByTestId("checkin-button");
      await button.waitFor({ timeout: 20_000 });
      assert.equal(await button.textContent(), "今日已签到");
      assert.equal(await tab.getByTestId("streak").textContent(), "已连续签到 1 天");
    });
  });

  test("without a token it invites the member to sign in", async (t) => {
    const saved = token;
    token = "";
    lang = "en";
    try {
      await withPage(browser, t, async (tab) => {
        await tab.goto(page.origin);
        const invite = tab.getByTestId("checkin-signed-out");
        await invite.waitFor({ timeout: 20_000 });
        assert.match(await invite.textContent(), /Sign in to check in/);
        assert.equal(await tab.getByTestId("checkin-button").count(), 0);
        // The page signs the member in later: the widget picks the token up.
        await tab.evaluate((tok) => window.Quanzi.setToken(tok), saved);
        await tab.getByTestId("checkin-button").waitFor({ timeout: 20_000 });
      });
    } finally {
      token = saved;
    }
  });

  test("the member downloads their own data from the profile", async (t) => {
    lang = "en";
    await withPage(browser, t, async (tab, errors) => {
      await tab.goto(page.origin);
      await tab.locator('[role="tab"][data-tab="profile"]').click();
      const button = tab.getByRole("button", { name: "Download my data" });
      await button.waitFor({ timeout: 20_000 });
      const download = tab.waitForEvent("download");
      await button.click();
      const file = await download;
      assert.equal(file.suggestedFilename(), "tea-my-data.json");
      const mine = JSON.parse(await readFile(await file.path(), "utf8"));
      assert.equal(mine.format, "quanzi-member-export");
      assert.equal(mine.member, "u_browser");
      assert.ok(mine.entries.some(([k]) => k === "member/u_browser/checkin"), "the check-ins");
      await tab.getByTestId("my-data-result").filter({ hasText: "Saved as a file." }).waitFor();
      assert.equal(await button.getAttribute("aria-busy"), "false");
      assert.deepEqual(errors, []);
    });
  });
});
