// One script tag on a brand's page (a second origin) draws the widget from the worker,
// inside a shadow root the page's CSS cannot reach, and only when it nears the viewport.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { brotliCompressSync, constants } from "node:zlib";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { hostilePage, servePage } from "../support/page.mjs";
import { startWorker } from "../support/worker.mjs";

/**
 * Everything the home's first view fetches from Quanzi (embed.js, glue, main wasm, part
 * loader, API answers), brotli bytes. A ratchet: it holds what the code-split build
 * measures today (the build prints about 245 KB; the page-level count here is a little
 * lower) so the first view cannot grow unnoticed; the product's target is 80 KB, not met
 * yet (most of the main module is Leptos's render code for the home feed, the check-in card
 * and the header; see the README's size note).
 */
const FIRST_VIEW_BUDGET = 246 * 1024;

describe("embedding the widget", () => {
  let worker, browser, page, farPage, refusedPage;

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    page = await servePage(() => hostilePage({ edge: worker.origin, community: "demo" }));
    farPage = await servePage(() =>
      hostilePage({ edge: worker.origin, community: "demo", before: '<div style="height:4000px">long article</div>' }),
    );
    refusedPage = await servePage(() => hostilePage({ edge: worker.origin, community: "demo" }));
    await worker.putCommunity("demo", {
      name: "Acme 茶友会",
      slogan: "每天一杯好茶",
      allowed_origins: [page.origin, farPage.origin],
    });
  });

  after(async () => {
    await browser?.close();
    await Promise.all([page?.close(), farPage?.close(), refusedPage?.close()]);
    await worker?.dispose();
  });

  test("shows the community's name from the worker, unstyled by the host page", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      await tab.goto(page.origin);
      const name = tab.getByTestId("community-name");
      await name.waitFor({ timeout: 20_000 });
      assert.equal(await name.textContent(), "Acme 茶友会");

      const probe = await tab.evaluate(() => {
        const host = document.querySelector("quanzi-widget");
        const el = host?.shadowRoot?.querySelector('[data-testid="community-name"]');
        if (!el) return null;
        const style = getComputedStyle(el);
        return { inShadow: el.getRootNode() !== document, color: style.color, font: style.fontFamily, border: style.borderTopStyle };
      });
      assert.ok(probe, "the name is inside the widget host's shadow root");
      assert.ok(probe.inShadow);
      assert.notEqual(probe.color, "rgb(255, 0, 0)", "the host page's colour does not leak in");
      assert.doesNotMatch(probe.font, /^serif$/, "the host page's font does not leak in");
      assert.notEqual(probe.border, "dashed", "the host page's borders do not reach the widget");
      assert.deepEqual(errors, []);
    });
  });

  test("loads no wasm until the widget nears the viewport", async (t) => {
    await withPage(browser, t, async (tab) => {
      const wasmRequests = [];
      tab.on("request", (r) => r.url().endsWith(".wasm") && wasmRequests.push(r.url()));
      await tab.goto(farPage.origin);
      await tab.waitForFunction(() => !!document.querySelector("quanzi-widget")?.shadowRoot);
      await tab.waitForLoadState("networkidle");
      assert.equal(wasmRequests.length, 0, "no wasm while the widget is far below the fold");

      await tab.evaluate(() => document.querySelector("quanzi-widget").scrollIntoView());
      await tab.getByTestId("community-name").waitFor({ timeout: 20_000 });
      assert.equal(wasmRequests.length, 1);
    });
  });

  test("the first view downloads within its byte budget, and none of the later parts", async (t) => {
    await withPage(browser, t, async (tab) => {
      const fetched = [];
      tab.on("response", (r) => {
        if (r.url().startsWith(worker.origin)) fetched.push(r.body().then((b) => ({ url: r.url(), bytes: b })).catch(() => null));
      });
      await tab.goto(page.origin);
      await tab.getByTestId("community-name").waitFor({ timeout: 20_000 });
      await tab.waitForLoadState("networkidle");
      const files = (await Promise.all(fetched)).filter(Boolean);
      const sizes = files.map(({ url, bytes }) => ({
        url: url.slice(worker.origin.length),
        brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
      }));
      const total = sizes.reduce((sum, f) => sum + f.brotli, 0);
      const list = sizes.map((f) => `${f.url} ${f.brotli}`).join("\n");
      assert.ok(sizes.some((f) => f.url.endsWith("/quanzi-widget.wasm")), list);
      assert.ok(!sizes.some((f) => /\/(split|chunk)_[^/]*\.wasm$/.test(f.url)), `no later part in the first view:\n${list}`);
      assert.ok(total <= FIRST_VIEW_BUDGET, `first view ${total} B brotli > budget ${FIRST_VIEW_BUDGET}:\n${list}`);
    });
  });

  test("a page on an origin the community has not allowed gets a clear message", async (t) => {
    await withPage(browser, t, async (tab) => {
      await tab.goto(refusedPage.origin);
      const alert = tab.getByTestId("widget-error");
      await alert.waitFor({ timeout: 20_000 });
      assert.equal(await alert.getAttribute("data-code"), "OriginNotAllowed");
      assert.match(await alert.textContent(), /allowed origins/);
      assert.equal(await tab.getByTestId("community-name").count(), 0, "no community data shown");
    });
  });
});
