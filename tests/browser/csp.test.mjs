// Content Security Policy: the widget on a brand's page whose policy allows only Quanzi's
// origin plus `'wasm-unsafe-eval'` (no inline styles: the widget's shadow root adopts
// constructable stylesheets), and the dashboard under its own policy. Any `securitypolicyviolation`, in the page or a frame,
// fails the test: a blocked style or script would leave a half-working page.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { signUpInDashboard } from "../support/dashboard.mjs";
import { servePage } from "../support/page.mjs";
import { addSsoKey, signMemberToken } from "../support/sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

/** The policy SECURITY.md gives brands, for a page embedding the widget from `quanzi`. */
const brandPolicy = (quanzi) =>
  [
    "default-src 'none'",
    `script-src ${quanzi} 'wasm-unsafe-eval'`,
    `connect-src ${quanzi}`,
    `img-src ${quanzi} https:`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");

/** Records every CSP violation of the page and its same-origin frames in `window.top`. */
const recordViolations = () => {
  document.addEventListener("securitypolicyviolation", (e) => {
    const into = (() => {
      try {
        return window.top.__violations ? window.top : window;
      } catch {
        return window;
      }
    })();
    (into.__violations ||= []).push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
  });
  window.__violations ||= [];
};

const violations = (tab) => tab.evaluate(() => window.__violations);

describe("content security policy", () => {
  let worker, browser, page, key, visit;

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    // No inline script on the brand's page: the member's token rides on the script tag.
    page = await servePage(
      () => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Brand</title></head>
<body><h1>Brand page</h1>
<script src="${worker.origin}/embed.js" data-community="tea" data-token="${visit.token}" async></script>
</body></html>`,
      () => ({ "content-security-policy": brandPolicy(worker.origin) }),
    );
    await worker.putCommunity("tea", {
      name: "Tea",
      locale: "en",
      allowed_origins: [page.origin],
      theme: { accent: "#2f7d4f", radius: 10, scheme: "light" },
    });
    key = await addSsoKey(worker, "tea", OPERATOR_TOKEN);
    const api = (method, path, body, token = OPERATOR_TOKEN) =>
      worker.api(`/api/v1/communities/tea${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    let res = await api("POST", "/topics", { id: "oolong", name: "Oolong" });
    assert.equal(res.status, 201, await res.text());
    const lin = signMemberToken(key, { sub: "u_lin", name: "Lin", aud: "tea" });
    res = await api("POST", "/join", { accept_rules: true }, lin);
    assert.equal(res.status, 201, await res.text());
    res = await api("POST", "/threads", { topic: "oolong", title: "Rinse the leaves first?", body: "Always **rinse**." }, lin);
    assert.equal(res.status, 201, await res.text());
  });

  after(async () => {
    await browser?.close();
    await page?.close();
    await worker?.dispose();
  });

  test("the brand's page really sends the strict policy", async () => {
    visit = { token: "" };
    const res = await fetch(page.origin);
    const csp = res.headers.get("content-security-policy");
    assert.match(csp, /script-src http:\/\/127\.0\.0\.1:\d+ 'wasm-unsafe-eval'/);
    assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/);
    await res.text();
  });

  test("the widget reads and a signed-in member writes under the brand's policy", async (t) => {
    const lin = signMemberToken(key, { sub: "u_lin", name: "Lin", aud: "tea" });
    visit = { token: lin };
    await withPage(browser, t, async (tab, errors) => {
      await tab.addInitScript(recordViolations);
      await tab.goto(page.origin);
      const card = tab.getByTestId("thread-card").filter({ hasText: "Rinse the leaves first?" });
      await card.waitFor({ timeout: 20_000 });
      // The member's own card: the app has taken over from the first view.
      await tab.getByTestId("checkin-button").waitFor({ timeout: 20_000 });
      // The shadow root's styles applied without any inline style: the stylesheet and the
      // theme are adopted sheets (the first view's own sheet is gone with it), and the
      // community's accent reaches the buttons.
      const styled = await tab.evaluate(() => {
        const shadow = document.querySelector("quanzi-widget").shadowRoot;
        const root = shadow.querySelector('[data-testid="quanzi-widget"]');
        return {
          accent: getComputedStyle(root).getPropertyValue("--qz-accent").trim(),
          padding: getComputedStyle(root).paddingTop,
          adopted: shadow.adoptedStyleSheets.length,
          styleElements: shadow.querySelectorAll("style").length,
        };
      });
      assert.equal(styled.accent, "#2f7d4f", "the community's accent applies");
      assert.equal(styled.padding, "16px", "the stylesheet applies");
      assert.equal(styled.adopted, 2);
      assert.equal(styled.styleElements, 0);

      await tab.getByRole("button", { name: "Rinse the leaves first?" }).click();
      await tab.getByTestId("thread-body").waitFor();
      await tab.getByLabel("Your reply").fill("Yes, a quick one.");
      await tab.getByTestId("reply-submit").click();
      // The reply shows at once (optimistic); wait until the worker has confirmed it.
      await tab.getByTestId("reply").filter({ hasText: "Yes, a quick one." }).and(tab.locator('[aria-busy="false"]')).waitFor();
      // Read as the member: a signed-in read goes to the community's object, not a snapshot.
      const stored = await (await worker.api("/api/v1/communities/tea/threads", { headers: { authorization: `Bearer ${lin}` } })).json();
      assert.equal(stored.threads[0].reply_count, 1);

      assert.deepEqual(await violations(tab), []);
      assert.deepEqual(errors, []);
    });
  });

  test("a policy that forbids what the widget needs is reported, so the check above can fail", async (t) => {
    // The same page without `'wasm-unsafe-eval'`: compiling the widget's app is refused, and
    // the recorder sees it.
    const strict = await servePage(
      () => `<!doctype html><html lang="en"><body>
<script src="${worker.origin}/embed.js" data-community="tea" async></script></body></html>`,
      () => ({ "content-security-policy": brandPolicy(worker.origin).replace(" 'wasm-unsafe-eval'", "") }),
    );
    await worker.putCommunity("tea", { name: "Tea", locale: "en", allowed_origins: [page.origin, strict.origin] });
    try {
      await withPage(browser, t, async (tab) => {
        await tab.addInitScript(recordViolations);
        await tab.goto(strict.origin);
        // The first view is HTML: it shows without WebAssembly.
        await tab.getByTestId("thread-card").first().waitFor({ timeout: 20_000 });
        assert.deepEqual(await violations(tab), []);
        // Reaching for the widget loads the app, which the policy refuses.
        await tab.getByTestId("community-name").hover();
        await tab.waitForFunction(() => window.__violations.some((v) => v.startsWith("script-src")));
        assert.ok(await tab.getByTestId("thread-card").count() > 0, "the first view stays");
      });
    } finally {
      await strict.close();
    }
  });

  test("the dashboard works under its own policy", async (t) => {
    await withPage(
      browser,
      t,
      async (tab, errors) => {
        await tab.addInitScript(recordViolations);
        await tab.setViewportSize({ width: 1280, height: 900 });
        await signUpInDashboard(tab, worker.origin, { email: "csp@example.com", name: "Cai", password: "correct horse battery" });
        await tab.getByTestId("no-communities").waitFor();
        const created = await tab.evaluate(async () => {
          const me = await (await fetch("/api/v1/auth/me")).json();
          const res = await fetch("/api/v1/communities", {
            method: "POST",
            headers: { "content-type": "application/json", "x-csrf-token": me.csrf },
            body: JSON.stringify({ slug: "csp-tea", settings: { name: "CSP Tea", locale: "en" } }),
          });
          return res.status;
        });
        assert.equal(created, 201);
        // The theme step embeds the real widget in a frame that inherits the policy.
        await tab.goto(`${worker.origin}/dashboard/#/c/csp-tea/setup/theme`);
        await tab.reload(); // the dashboard reads its communities again
        const preview = tab.frameLocator('[data-testid="theme-preview"]');
        await preview.getByTestId("community-name").waitFor({ timeout: 20_000 });
        await tab.getByLabel("Accent colour (#rrggbb)").fill("#2f7d4f");
        await tab.frameLocator('[data-testid="theme-preview"]').locator("body").waitFor();
        const frame = tab.frames().find((f) => f !== tab.mainFrame());
        await frame.waitForFunction(() => {
          const root = document.querySelector("quanzi-widget")?.shadowRoot?.querySelector('[data-testid="quanzi-widget"]');
          return root && getComputedStyle(root).getPropertyValue("--qz-accent").trim() === "#2f7d4f";
        });
        for (const hash of ["#/c/csp-tea/moderation", "#/c/csp-tea/events", "#/account"]) {
          await tab.goto(`${worker.origin}/dashboard/${hash}`);
          await tab.getByTestId("signed-in-as").waitFor({ state: "attached" });
          await tab.locator("main h1, main h2").first().waitFor();
        }
        assert.deepEqual(await violations(tab), []);
        assert.deepEqual(errors, []);
      },
      { permissions: [] },
    );
  });
});
