// A member signed in by the brand's token checks in from the widget on the brand's page.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { hostilePage, servePage } from "../support/page.mjs";
import { addSsoKey, signMemberToken } from "../support/sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

describe("check-in in the widget", () => {
  let worker, browser, page, token, lang;

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    page = await servePage(() => {
      const html = hostilePage({ edge: worker.origin, community: "tea", lang });
      return html.replace("<script src", `<script>window.Quanzi = { token: ${JSON.stringify(token ?? "")} };</script><script src`);
    });
    await worker.putCommunity("tea", { name: "Tea", allowed_origins: [page.origin] });
    const key = await addSsoKey(worker, "tea", OPERATOR_TOKEN);
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
});
