// Light and dark: a community whose theme follows the reader (the default) takes the brand
// page's own scheme when the page declares one (an attribute or class on <html> or <body>,
// or `color-scheme`), follows it when the page switches, falls back to the reader's system
// setting, and a `data-theme` on the script tag decides over all of them. A community with
// an explicit scheme keeps it.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { servePage } from "../support/page.mjs";
import { startWorker } from "../support/worker.mjs";

const DARK_BG = "rgb(22, 24, 29)";
const LIGHT_BG = "rgb(255, 255, 255)";

describe("the widget follows the page's light or dark", () => {
  let worker, browser, page;
  // What the next visit's page holds: attributes of <html> and <body>, the script tag's.
  let visit = { html: "", body: "", script: "", style: "" };

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    page = await servePage(
      () => `<!doctype html>
<html lang="en" ${visit.html}><head><meta charset="utf-8"><title>Brand page</title>
<style>${visit.style}</style></head>
<body ${visit.body}>
  <h1>Brand page</h1>
  <script src="${worker.origin}/embed.js" data-community="tea" ${visit.script} async></script>
</body></html>`,
    );
    await worker.putCommunity("tea", { name: "Tea", allowed_origins: [page.origin] });
  });

  after(async () => {
    await browser?.close();
    await page?.close();
    await worker?.dispose();
  });

  /** The widget card's background once it has drawn. */
  const background = async (tab) => {
    const root = tab.getByTestId("quanzi-widget");
    await root.waitFor({ timeout: 20_000 });
    return root.evaluate((el) => getComputedStyle(el).backgroundColor);
  };
  /** Waits until the card's background is `want` (a class or attribute change applies at once). */
  const becomes = async (tab, want) => {
    await tab.waitForFunction(
      (want) => {
        const el = document.querySelector("quanzi-widget")?.shadowRoot?.querySelector('[data-testid="quanzi-widget"]');
        return el && getComputedStyle(el).backgroundColor === want;
      },
      want,
    );
    assert.equal(await background(tab), want);
  };

  const cases = [
    { name: "nothing said: the system's dark", system: "dark", visit: {}, want: DARK_BG },
    { name: "nothing said: the system's light", system: "light", visit: {}, want: LIGHT_BG },
    { name: "<html data-theme=dark> over a light system", system: "light", visit: { html: 'data-theme="dark"' }, want: DARK_BG },
    { name: "<html data-bs-theme=light> over a dark system", system: "dark", visit: { html: 'data-bs-theme="light"' }, want: LIGHT_BG },
    { name: "<body class=dark>", system: "light", visit: { body: 'class="page dark"' }, want: DARK_BG },
    { name: "a class that only contains the word does not count", system: "light", visit: { body: 'class="dark-header"' }, want: LIGHT_BG },
    { name: "color-scheme: dark on <html>", system: "light", visit: { style: ":root { color-scheme: dark; }" }, want: DARK_BG },
    { name: "data-theme=light on the script tag over a dark page", system: "dark", visit: { html: 'class="dark"', script: 'data-theme="light"' }, want: LIGHT_BG },
  ];
  for (const c of cases) {
    test(c.name, async (t) => {
      visit = { html: "", body: "", script: "", style: "", ...c.visit };
      await withPage(browser, t, async (tab, errors) => {
        await tab.emulateMedia({ colorScheme: c.system });
        await tab.goto(page.origin);
        assert.equal(await background(tab), c.want);
        assert.deepEqual(errors, []);
      });
    });
  }

  test("the widget follows the page when it switches", async (t) => {
    visit = { html: "", body: "", script: "", style: "" };
    await withPage(browser, t, async (tab) => {
      await tab.emulateMedia({ colorScheme: "light" });
      await tab.goto(page.origin);
      assert.equal(await background(tab), LIGHT_BG);
      await tab.evaluate(() => document.documentElement.setAttribute("data-theme", "dark"));
      await becomes(tab, DARK_BG);
      await tab.evaluate(() => document.documentElement.setAttribute("data-theme", "light"));
      await becomes(tab, LIGHT_BG);
      // The page says nothing again: the system's setting (dark now) decides.
      await tab.emulateMedia({ colorScheme: "dark" });
      await tab.evaluate(() => document.documentElement.removeAttribute("data-theme"));
      await becomes(tab, DARK_BG);
    });
  });

  test("a community with an explicit light scheme keeps it on a dark page", async (t) => {
    await worker.putCommunity("tea", {
      name: "Tea",
      allowed_origins: [page.origin],
      theme: { accent: "#c8432b", radius: 10, scheme: "light" },
    });
    try {
      visit = { html: 'data-theme="dark"', body: "", script: "", style: "" };
      await withPage(browser, t, async (tab) => {
        await tab.emulateMedia({ colorScheme: "dark" });
        await tab.goto(page.origin);
        await tab.locator("quanzi-widget").getByTestId("quanzi-widget").and(tab.locator('[data-scheme="light"]')).waitFor({ timeout: 20_000 });
        assert.equal(await background(tab), LIGHT_BG);
      });
    } finally {
      await worker.putCommunity("tea", { name: "Tea", allowed_origins: [page.origin] });
    }
  });
});
