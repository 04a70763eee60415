// A new marketer signs up in the dashboard, creates a community, copies the snippet, and
// a brand page on another origin shows the widget from that snippet.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { servePage } from "../support/page.mjs";
import { startWorker } from "../support/worker.mjs";

describe("dashboard", () => {
  let worker, browser, brandPage, snippet;

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    brandPage = await servePage(() => `<!doctype html><html lang="en"><body><h1>Brand</h1>${snippet ?? ""}</body></html>`);
  });

  after(async () => {
    await browser?.close();
    await brandPage?.close();
    await worker?.dispose();
  });

  test("a new marketer gets a community live on their site", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      await tab.goto(`${worker.origin}/dashboard/`);
      await tab.getByRole("button", { name: "Create an account" }).click();
      await tab.getByLabel("Email").fill("nina@brand.example");
      await tab.getByLabel("Your name").fill("Nina");
      await tab.getByLabel("Password").fill("tea every day 2026");
      await tab.getByRole("button", { name: "Create account" }).click();

      await tab.getByTestId("no-communities").waitFor();
      assert.equal(await tab.getByTestId("signed-in-as").textContent(), "nina@brand.example");

      await tab.getByLabel("Name").fill("Nina 的茶室");
      await tab.getByLabel("Address (used in the embed code)").fill("nina-tea");
      await tab.getByLabel(/Websites that may embed it/).fill(brandPage.origin);
      await tab.getByRole("button", { name: "Create community" }).click();

      snippet = await tab.getByTestId("embed-snippet").textContent();
      assert.equal(snippet, `<script src="${worker.origin}/embed.js" data-community="nina-tea" async></script>`);

      // The session survives a reload (the cookie works in a real browser).
      await tab.reload();
      await tab.getByTestId("community-row").waitFor();
      assert.deepEqual(errors, []);
    });

    await withPage(browser, t, async (tab) => {
      await tab.goto(brandPage.origin);
      const name = tab.getByTestId("community-name");
      await name.waitFor({ timeout: 20_000 });
      assert.equal(await name.textContent(), "Nina 的茶室");
    });
  });

  test("a wrong password is explained and nothing else happens", async (t) => {
    await withPage(browser, t, async (tab) => {
      await tab.goto(`${worker.origin}/dashboard/`);
      await tab.getByLabel("Email").fill("nina@brand.example");
      await tab.getByLabel("Password").fill("not my password!");
      await tab.getByRole("button", { name: "Sign in" }).click();
      const error = tab.getByTestId("auth-error");
      await error.waitFor();
      assert.match(await error.textContent(), /wrong email or password/);
      assert.equal(await tab.getByTestId("signed-in-as").count(), 0);
    });
  });
});
