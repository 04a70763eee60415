// The brand's page learns when the member's sign-in token stops working and hands over a
// fresh one: `Quanzi.onTokenExpired(fn)` or `data-on-token-expired="fn"`.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { servePage } from "../support/page.mjs";
import { addSsoKey, signMemberToken } from "../support/sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

describe("an expired sign-in token in the widget", () => {
  let worker, browser, page, key, render;

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    page = await servePage(() => render());
    await worker.putCommunity("tea", { name: "Tea", allowed_origins: [page.origin] });
    key = await addSsoKey(worker, "tea", OPERATOR_TOKEN);
  });

  after(async () => {
    await browser?.close();
    await page?.close();
    await worker?.dispose();
  });

  const expiredToken = (sub) => {
    const now = Math.floor(Date.now() / 1000);
    return signMemberToken(key, { sub, name: "Lin", aud: "tea", iat: now - 7200, exp: now - 3600 });
  };

  test("calls the page's callback once, shows why, and works again with a fresh token", async (t) => {
    const expired = expiredToken("u_expiry");
    // embed.js loads before the page's own script, which registers the callback.
    render = () => `<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body>
<script>window.Quanzi = { token: ${JSON.stringify(expired)} }; window.expiredCalls = 0;</script>
<script src="${worker.origin}/embed.js" data-community="tea"></script>
<script>Quanzi.onTokenExpired(() => { window.expiredCalls += 1; });</script>
</body></html>`;
    await withPage(browser, t, async (tab, errors) => {
      await tab.goto(page.origin);
      const error = tab.getByTestId("checkin-error");
      await error.waitFor({ timeout: 20_000 });
      assert.match(await error.textContent(), /sign-in has expired/);
      assert.equal(await error.getAttribute("role"), "alert");
      // Every refused request has come back: still one call for the one token.
      await tab.waitForLoadState("networkidle");
      assert.equal(await tab.evaluate(() => window.expiredCalls), 1);
      assert.equal(await tab.getByTestId("checkin-button").count(), 0);

      const fresh = signMemberToken(key, { sub: "u_expiry", name: "Lin", aud: "tea" });
      await tab.evaluate((tok) => window.Quanzi.setToken(tok), fresh);
      const button = tab.getByTestId("checkin-button");
      await button.filter({ hasText: "Check in" }).waitFor({ timeout: 20_000 });
      assert.equal(await error.count(), 0, "the message is gone with the fresh token");
      await button.click();
      await tab.getByTestId("checkin-result").filter({ hasText: "+5 points" }).waitFor();
      await tab.waitForLoadState("networkidle");
      assert.equal(await tab.evaluate(() => window.expiredCalls), 1, "a working token calls nothing");
      assert.deepEqual(errors, []);
    });
  });

  test("data-on-token-expired names a global function, also for a token that is not valid at all", async (t) => {
    const forged = signMemberToken({ kid: key.kid, secret: "not-the-secret" }, { sub: "u_forged", aud: "tea" });
    // The function is defined after embed.js: it is looked up when the token is refused.
    render = () => `<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body>
<script src="${worker.origin}/embed.js" data-community="tea" data-token="${forged}" data-on-token-expired="brandTokenExpired" async></script>
<script>window.calls = []; function brandTokenExpired(...args) { window.calls.push(args.length); }</script>
</body></html>`;
    await withPage(browser, t, async (tab) => {
      await tab.goto(page.origin);
      await tab.getByTestId("checkin-error").waitFor({ timeout: 20_000 });
      await tab.waitForLoadState("networkidle");
      assert.deepEqual(await tab.evaluate(() => window.calls), [0], "called once, with no arguments");
    });
  });

  test("an anonymous visitor's refusals call nothing", async (t) => {
    render = () => `<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body>
<script src="${worker.origin}/embed.js" data-community="tea" data-on-token-expired="brandTokenExpired" async></script>
<script>window.calls = 0; function brandTokenExpired() { window.calls += 1; }</script>
</body></html>`;
    await withPage(browser, t, async (tab) => {
      await tab.goto(page.origin);
      await tab.getByTestId("checkin-signed-out").waitFor({ timeout: 20_000 });
      await tab.waitForLoadState("networkidle");
      assert.equal(await tab.evaluate(() => window.calls), 0);
    });
  });
});
