// The home's first view is HTML the worker draws (GET …/first-view); the app loads when the
// member reaches for the widget and takes its place. The facade must be the app's own markup,
// fetch no wasm, and hand over what the member did meanwhile: a click, the focus.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { servePage } from "../support/page.mjs";
import { populate } from "../support/populated.mjs";
import { startWorker } from "../support/worker.mjs";

const LOGIN_URL = "https://brand.example/login";

/** The widget's `.qz-root` as a plain tree: tags, sorted attributes (classes sorted), text. */
function shape() {
  const root = document.querySelector("quanzi-widget").shadowRoot.querySelector(".qz-root");
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      // "3 min ago": the worker's clock and the browser's, moments apart.
      return node.parentElement.matches(".qz-thread-meta > .qz-muted") ? "(when)" : node.textContent;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return null;
    const attrs = [...node.attributes]
      .map((a) => `${a.name}=${a.name === "class" ? a.value.split(/\s+/).filter(Boolean).sort().join(" ") : a.value}`)
      .sort();
    const kids = [];
    for (const child of node.childNodes) {
      const k = walk(child);
      if (k === null || k === "") continue;
      // Leptos may write one text in several nodes.
      if (typeof k === "string" && typeof kids.at(-1) === "string") kids[kids.length - 1] += k;
      else kids.push(k);
    }
    return { tag: node.tagName.toLowerCase(), attrs, kids };
  };
  return walk(root);
}

/** Waits until the app has taken the facade's place (a new `.qz-root`). */
async function appTookOver(tab, facadeRoot) {
  await tab.waitForFunction((old) => {
    const now = document.querySelector("quanzi-widget")?.shadowRoot?.querySelector(".qz-root");
    return now && now !== old;
  }, facadeRoot, { timeout: 20_000 });
}

describe("the first view drawn by the worker", () => {
  let worker, browser, community, pages;

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    community = await populate(worker, "tea");
    const page = (lang, attrs = "") =>
      servePage(
        () => `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Brand</title></head>
<body><h1>Brand page</h1><script src="${worker.origin}/embed.js" data-community="tea" data-login-url="${LOGIN_URL}" ${attrs} async></script></body></html>`,
      );
    pages = {
      en: await page("en"),
      zh: await page("zh-CN"),
      member: await page("en", `data-token="${community.token(community.members.replier)}"`),
    };
    // A question, so that a card wears a badge.
    await worker.api("/api/v1/communities/tea/threads", {
      method: "POST",
      headers: { authorization: `Bearer ${community.token(community.members.author)}`, "content-type": "application/json" },
      body: JSON.stringify({ topic: community.ids.topic, title: "Which kettle <b>for</b> oolong?", body: "Asking", kind: "question" }),
    });
    const settings = await (await community.owner.api("/api/v1/communities/tea/settings")).json();
    const saved = await community.owner.api("/api/v1/communities/tea", {
      method: "PUT",
      body: JSON.stringify({ ...settings, slogan: "Every cup", allowed_origins: Object.values(pages).map((p) => p.origin) }),
    });
    assert.equal(saved.status, 200, await saved.text());
  });

  after(async () => {
    await browser?.close();
    await Promise.all(Object.values(pages || {}).map((p) => p.close()));
    await worker?.dispose();
  });

  for (const lang of ["en", "zh"]) {
    test(`is the app's own markup (${lang})`, async (t) => {
      await withPage(browser, t, async (tab, errors) => {
        const wasm = [];
        tab.on("request", (r) => r.url().endsWith(".wasm") && wasm.push(r.url()));
        await tab.goto(pages[lang].origin);
        await tab.getByTestId("thread-card").first().waitFor({ timeout: 20_000 });
        await tab.waitForLoadState("networkidle");
        assert.deepEqual(wasm, [], "the facade fetches no wasm");
        const facade = await tab.evaluate(shape);
        const facadeRoot = await tab.evaluateHandle(() => document.querySelector("quanzi-widget").shadowRoot.querySelector(".qz-root"));

        await tab.getByTestId("community-name").hover();
        await appTookOver(tab, facadeRoot);
        assert.ok(wasm.length > 0, "reaching for the widget loads the app");
        assert.deepEqual(await tab.evaluate(shape), facade);
        // The first view's own stylesheet left with it: the app's two remain.
        assert.equal(await tab.evaluate(() => document.querySelector("quanzi-widget").shadowRoot.adoptedStyleSheets.length), 2);
        assert.deepEqual(errors, []);
      });
    });
  }

  test("a click on the facade is replayed in the app", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      await tab.goto(pages.en.origin);
      const title = tab.getByRole("button", { name: "Hello from tea" });
      await title.waitFor({ timeout: 20_000 });
      // One click: the pointer over the widget starts the app, the click lands on the facade.
      await title.click();
      const heading = tab.getByTestId("thread-title");
      await heading.waitFor({ timeout: 20_000 });
      assert.equal(await heading.textContent(), "Hello from tea");
      await tab.getByTestId("thread-body").waitFor();
      assert.deepEqual(errors, []);
    });
  });

  test("a click elsewhere on the page before the app is in cancels the replay", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      // The app's wasm waits until the member has clicked elsewhere.
      let release;
      const held = new Promise((resolve) => (release = resolve));
      await tab.route("**/quanzi-widget.wasm", async (route) => {
        await held;
        await route.continue();
      });
      await tab.goto(pages.en.origin);
      const title = tab.getByRole("button", { name: "Hello from tea" });
      await title.waitFor({ timeout: 20_000 });
      const facadeRoot = await tab.evaluateHandle(() => document.querySelector("quanzi-widget").shadowRoot.querySelector(".qz-root"));
      await title.click();
      await tab.getByRole("heading", { name: "Brand page" }).click();
      release();
      await appTookOver(tab, facadeRoot);
      await tab.getByTestId("thread-card").first().waitFor();
      // A replayed click would fetch the thread's part and open it.
      await tab.waitForLoadState("networkidle");
      assert.equal(await tab.getByTestId("thread-view").count(), 0, "the thread did not open");
      assert.deepEqual(errors, []);
    });
  });

  test("keyboard focus on the facade starts the app and stays where it was", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      await tab.goto(pages.en.origin);
      const newThread = tab.getByTestId("new-thread");
      await newThread.waitFor({ timeout: 20_000 });
      const facadeRoot = await tab.evaluateHandle(() => document.querySelector("quanzi-widget").shadowRoot.querySelector(".qz-root"));
      await newThread.focus();
      await appTookOver(tab, facadeRoot);
      await tab.waitForFunction(() => document.querySelector("quanzi-widget").shadowRoot.activeElement?.dataset.testid === "new-thread");
      // The focused button is the app's: Enter opens it.
      await tab.keyboard.press("Enter");
      // A visitor: "New thread" offers the brand's sign-in.
      assert.equal(await tab.getByTestId("talk-sign-in").getAttribute("href", { timeout: 20_000 }), LOGIN_URL);
      assert.deepEqual(errors, []);
    });
  });

  test("with a member's token the app loads at once; meanwhile their card shows as loading", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      const firstView = tab.waitForResponse((r) => r.url().includes("/first-view?"));
      await tab.goto(pages.member.origin);
      const answer = await (await firstView).json();
      assert.match(answer.html, /data-testid="checkin-card"[^]*class="qz-skeleton"/);
      assert.doesNotMatch(answer.html, /checkin-signed-out/);
      // No interaction: the app replaces the facade with the member's own card.
      await tab.getByTestId("checkin-button").waitFor({ timeout: 20_000 });
      assert.deepEqual(errors, []);
    });
  });

  test("the answer escapes members' text and says which community", async () => {
    const res = await worker.api("/api/v1/communities/tea/first-view?lang=zh-CN&login=javascript:alert(1)");
    assert.equal(res.status, 200);
    const { css, html } = await res.json();
    assert.match(css, /\.qz-root\{--qz-accent:/);
    assert.match(html, /Which kettle &lt;b&gt;for&lt;\/b&gt; oolong\?/);
    assert.doesNotMatch(html, /javascript:/);
    assert.match(html, /lang="zh-CN"/);
    assert.match(html, /问答/);
    const missing = await worker.api("/api/v1/communities/nobody-here/first-view");
    assert.equal(missing.status, 404);
    const posted = await worker.api("/api/v1/communities/tea/first-view", { method: "POST" });
    assert.equal(posted.status, 405);
  });
});
