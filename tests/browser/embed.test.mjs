// One script tag on a brand's page (a second origin) draws the widget from the worker,
// inside a shadow root the page's CSS cannot reach, and only when it nears the viewport;
// the app behind it loads when the member reaches for it.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { brotliCompressSync, constants } from "node:zlib";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { hostilePage, servePage } from "../support/page.mjs";
import { startWorker } from "../support/worker.mjs";

/**
 * Everything the home's first view fetches from Quanzi (embed.js, the first view's HTML with
 * the stylesheet), brotli bytes: the product's budget.
 */
const FIRST_VIEW_BUDGET = 80 * 1024;

/**
 * What reaching for the widget then adds (glue, main wasm, part loader, the app's API
 * answers). A ratchet: it holds what the code-split build measures today (the build prints
 * about 248 KB; the page-level count here a little more) so the app cannot grow unnoticed.
 */
const APP_BUDGET = 249 * 1024;

/** Collects the brotli size of every answer from the worker, from now on. */
function measureFrom(tab, origin) {
  const fetched = [];
  tab.on("response", (r) => {
    if (r.url().startsWith(origin)) fetched.push(r.body().then((b) => ({ url: r.url(), bytes: b })).catch(() => null));
  });
  return async () => {
    const files = (await Promise.all(fetched.splice(0))).filter(Boolean);
    const sizes = files.map(({ url, bytes }) => ({
      url: url.slice(origin.length),
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    }));
    return { sizes, total: sizes.reduce((sum, f) => sum + f.brotli, 0), list: sizes.map((f) => `${f.url} ${f.brotli}`).join("\n") };
  };
}

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

  test("draws nothing until the widget nears the viewport, and loads no wasm until the member reaches for it", async (t) => {
    await withPage(browser, t, async (tab) => {
      const requests = [];
      tab.on("request", (r) => /\.wasm$|\/first-view\?/.test(r.url()) && requests.push(r.url().replace(/\?.*/, "")));
      await tab.goto(farPage.origin);
      await tab.waitForFunction(() => !!document.querySelector("quanzi-widget")?.shadowRoot);
      await tab.waitForLoadState("networkidle");
      assert.deepEqual(requests, [], "nothing while the widget is far below the fold");

      await tab.evaluate(() => document.querySelector("quanzi-widget").scrollIntoView());
      await tab.getByTestId("community-name").waitFor({ timeout: 20_000 });
      await tab.waitForLoadState("networkidle");
      assert.equal(requests.length, 1, requests.join("\n"));
      assert.match(requests[0], /\/first-view$/);

      const wasm = tab.waitForRequest((r) => r.url().endsWith("/quanzi-widget.wasm"));
      await tab.getByTestId("community-name").hover();
      await wasm;
    });
  });

  test("the first view downloads within its byte budget, and the app only when reached for", async (t) => {
    await withPage(browser, t, async (tab) => {
      const measured = measureFrom(tab, worker.origin);
      await tab.goto(page.origin);
      await tab.getByTestId("community-name").waitFor({ timeout: 20_000 });
      await tab.waitForLoadState("networkidle");
      const first = await measured();
      assert.ok(first.sizes.some((f) => f.url.includes("/first-view?")), first.list);
      assert.ok(!first.sizes.some((f) => f.url.endsWith(".wasm")), `no wasm in the first view:\n${first.list}`);
      assert.ok(first.total <= FIRST_VIEW_BUDGET, `first view ${first.total} B brotli > budget ${FIRST_VIEW_BUDGET}:\n${first.list}`);
      t.diagnostic(`first view: ${first.total} B brotli (${first.list.replaceAll("\n", ", ")})`);

      const root = await tab.evaluateHandle(() => document.querySelector("quanzi-widget").shadowRoot.querySelector(".qz-root"));
      await tab.getByTestId("community-name").hover();
      await tab.waitForFunction((old) => document.querySelector("quanzi-widget").shadowRoot.querySelector(".qz-root") !== old, root, { timeout: 20_000 });
      await tab.waitForLoadState("networkidle");
      const app = await measured();
      assert.ok(app.sizes.some((f) => f.url.endsWith("/quanzi-widget.wasm")), app.list);
      assert.ok(!app.sizes.some((f) => /\/(split|chunk)_[^/]*\.wasm$/.test(f.url)), `no later part with the app:\n${app.list}`);
      assert.ok(app.total <= APP_BUDGET, `the app ${app.total} B brotli > ratchet ${APP_BUDGET}:\n${app.list}`);
      t.diagnostic(`the app: ${app.total} B brotli (${app.list.replaceAll("\n", ", ")})`);
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
