// A new marketer gets a community live in one sitting: signs up, creates it, walks the
// guided setup (basics, joining, websites, sign-in keys, look with the live preview, embed
// code), copies the snippet, and a brand page on another origin shows the widget with the
// chosen theme. Also: wrong passwords, changing the password, the language switch, the
// keyboard and a phone-sized window.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { overflowsSideways, screenshot, signInToDashboard, signUpInDashboard, waitForWidgetTheme } from "../support/dashboard.mjs";
import { servePage } from "../support/page.mjs";
import { startWorker } from "../support/worker.mjs";

const NINA = { email: "nina@brand.example", name: "Nina", password: "tea every day 2026" };
const CLIPBOARD = { permissions: ["clipboard-read", "clipboard-write"] };

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
    let signing;
    await withPage(
      browser,
      t,
      async (tab, errors) => {
        await tab.setViewportSize({ width: 1280, height: 900 });
        await signUpInDashboard(tab, worker.origin, NINA);
        await tab.getByTestId("no-communities").waitFor();
        assert.equal(await tab.getByTestId("signed-in-as").textContent(), NINA.email);

        // A bad address is explained before anything is sent.
        await tab.getByLabel("Community name").fill("Nina 的茶室");
        await tab.getByLabel("Address (used in the embed code)").fill("Nina Tea");
        await tab.getByRole("button", { name: "Create and set up" }).click();
        assert.match(await tab.getByTestId("create-error").textContent(), /lowercase letters, digits/);
        await tab.getByLabel("Address (used in the embed code)").fill("nina-tea");
        await tab.getByRole("button", { name: "Create and set up" }).click();

        // The guided setup opens on its first step.
        await tab.getByRole("heading", { name: "Basics" }).waitFor();
        assert.match(tab.url(), /#\/c\/nina-tea\/setup\/basics$/);
        assert.equal(await tab.getByTestId("setup-progress").getAttribute("aria-valuenow"), "0");
        await tab.getByLabel("Slogan").fill("每天一杯好茶");
        await tab.getByLabel("Logo URL").fill("http://not-secure.example/logo.png");
        await tab.getByRole("button", { name: "Save and continue" }).click();
        assert.match(await tab.getByTestId("basics-error").textContent(), /must start with https:\/\//);
        await tab.getByLabel("Logo URL").fill("https://cdn.brand.example/logo.png");
        await screenshot(tab, "setup-basics-en");
        await tab.getByRole("button", { name: "Save and continue" }).click();

        // Joining: screening with a question.
        await tab.getByRole("heading", { name: "Joining" }).waitFor();
        await tab.getByLabel("Community rules").fill("1. Be kind\n2. No advertising");
        await tab.getByLabel(/Screening/).check();
        await tab.getByRole("textbox", { name: "Question 1" }).fill("Which of our teas do you like best?");
        await tab.getByRole("button", { name: "Save and continue" }).click();

        // Websites: a wrong entry is named; the brand's origin is accepted.
        await tab.getByRole("heading", { name: "Websites" }).waitFor();
        const origins = tab.getByLabel(/Websites allowed to embed it/);
        await origins.fill("www.brand.example/news");
        await tab.getByRole("button", { name: "Save and continue" }).click();
        assert.match(await tab.getByTestId("origins-error").textContent(), /is not an origin/);
        await origins.fill(brandPage.origin);
        await tab.getByRole("button", { name: "Save and continue" }).click();

        // Member sign-in: a key, its secret shown once, then a second key (rotation).
        await tab.getByRole("heading", { name: "Member sign-in" }).waitFor();
        await tab.getByTestId("no-keys").waitFor();
        await tab.getByRole("button", { name: "Create a sign-in key" }).click();
        const secret = tab.getByTestId("secret-value");
        await secret.waitFor();
        assert.match(await secret.textContent(), /^[0-9a-f]{64}$/);
        await tab.getByRole("button", { name: "Copy the secret" }).click();
        await tab.getByTestId("copy-secret").and(tab.locator('[data-copied="true"]')).waitFor();
        assert.equal(await tab.evaluate(() => navigator.clipboard.readText()), await secret.textContent());
        await tab.getByRole("button", { name: "Rotate: add a new key" }).click();
        await tab.getByTestId("key-id").nth(1).waitFor();
        const kids = await tab.getByTestId("key-id").allTextContents();
        const newest = await tab.getByRole("heading", { name: /^New key / }).textContent();
        assert.equal(newest, `New key ${kids[1]}`);
        signing = {
          kid: kids[1],
          secret: await secret.textContent(),
          code: await tab.getByTestId("signing-code").textContent(),
        };
        await screenshot(tab, "setup-keys-en");
        await tab.getByRole("button", { name: "Continue" }).click();

        // Look: every change shows in the real widget beside the form before saving.
        await tab.getByRole("heading", { name: "Look" }).waitFor();
        const preview = tab.frameLocator('[data-testid="theme-preview"]');
        await preview.getByTestId("community-name").waitFor({ timeout: 20_000 });
        assert.equal(await preview.getByTestId("community-name").textContent(), "Nina 的茶室");
        await tab.getByLabel("Accent colour (#rrggbb)").fill("#2f7d4f");
        await tab.getByLabel(/Corner radius/).evaluate((range) => {
          range.value = "18";
          range.dispatchEvent(new Event("input", { bubbles: true }));
        });
        await tab.getByLabel("Dark").check();
        const frame = tab.frames().find((f) => f.url() === "about:srcdoc");
        assert.ok(frame, "the preview is a frame of this page");
        await waitForWidgetTheme(frame, { accent: "#2f7d4f", radius: 18, scheme: "dark" });
        // Not saved yet: the community still has its default theme.
        const unsaved = await (await worker.api("/api/v1/communities/nina-tea")).json();
        assert.equal(unsaved.theme.accent, "#c8432b");
        await screenshot(tab, "setup-theme-en");
        await tab.getByRole("button", { name: "Save and continue" }).click();

        // Embed code: one tag per view; the first one copied.
        await tab.getByRole("heading", { name: "Embed code" }).waitFor();
        const home = tab.getByTestId("embed-home");
        snippet = await home.getByTestId("embed-code").textContent();
        assert.equal(snippet, `<script src="${worker.origin}/embed.js" data-community="nina-tea" async></script>`);
        await home.getByRole("button", { name: "Copy the embed code: The whole community" }).click();
        await home.locator('[data-copied="true"]').waitFor();
        assert.equal(await tab.evaluate(() => navigator.clipboard.readText()), snippet);
        assert.match(
          await tab.getByTestId("embed-checkin").getByTestId("embed-code").textContent(),
          /data-community="nina-tea" data-view="checkin" async/,
        );
        await tab.getByRole("button", { name: "Finish setup" }).click();
        await tab.getByTestId("setup-finished").waitFor();
        assert.equal(await tab.getByTestId("setup-progress").getAttribute("aria-valuenow"), "6");
        await screenshot(tab, "setup-embed-en");

        // Everything is saved, and the session survives a reload.
        await tab.reload();
        await tab.getByRole("heading", { name: "Embed code" }).waitFor();
        assert.equal(await tab.getByTestId("setup-progress").getAttribute("aria-valuenow"), "6");
        assert.deepEqual(errors, []);
      },
      CLIPBOARD,
    );

    const saved = await (await worker.api("/api/v1/communities/nina-tea")).json();
    assert.deepEqual(
      { slogan: saved.slogan, logo: saved.logo, theme: saved.theme },
      { slogan: "每天一杯好茶", logo: "https://cdn.brand.example/logo.png", theme: { accent: "#2f7d4f", radius: 18, scheme: "dark" } },
    );
    const policy = await (await worker.api("/api/v1/communities/nina-tea/join")).json();
    assert.equal(policy.mode, "screening");
    assert.deepEqual(policy.questions, ["Which of our teas do you like best?"]);

    // The Node code from the dashboard signs a token the worker accepts.
    process.env.QUANZI_SECRET = signing.secret;
    const module = await import(`data:text/javascript,${encodeURIComponent(signing.code)}#${Date.now()}`);
    const token = module.quanziToken({ id: "lin", name: "小林" });
    const me = await worker.api("/api/v1/communities/nina-tea/members/me", { headers: { authorization: `Bearer ${token}` } });
    assert.equal(me.status, 200, await me.clone().text());
    delete process.env.QUANZI_SECRET;

    // The brand's page shows the widget with the theme chosen in the dashboard.
    await withPage(browser, t, async (tab) => {
      await tab.goto(brandPage.origin);
      const name = tab.getByTestId("community-name");
      await name.waitFor({ timeout: 20_000 });
      assert.equal(await name.textContent(), "Nina 的茶室");
      await waitForWidgetTheme(tab, { accent: "#2f7d4f", radius: 18, scheme: "dark" });
    });
  });

  test("a wrong password is explained and nothing else happens", async (t) => {
    await withPage(browser, t, async (tab) => {
      await tab.goto(`${worker.origin}/dashboard/`);
      await tab.getByLabel("Email").fill(NINA.email);
      await tab.getByLabel("Password").fill("not my password!");
      await tab.getByRole("button", { name: "Sign in", exact: true }).click();
      const error = tab.getByTestId("auth-error");
      await error.waitFor();
      assert.match(await error.textContent(), /wrong email or password/i);
      assert.equal(await tab.getByTestId("signed-in-as").count(), 0);
    });
  });

  test("changing the password signs the other sessions out", async (t) => {
    const leo = { email: "leo@brand.example", name: "Leo", password: "first password 1" };
    await withPage(browser, t, async (other) => {
      await signUpInDashboard(other, worker.origin, leo);
      await withPage(browser, t, async (tab) => {
        await signInToDashboard(tab, worker.origin, leo, "#/account");
        await tab.getByRole("heading", { name: "Account" }).waitFor();
        await tab.getByLabel("Current password").fill("not the password");
        await tab.getByLabel("New password", { exact: true }).fill("second password 2");
        await tab.getByLabel("New password again").fill("second password 2");
        await tab.getByRole("button", { name: "Change password" }).click();
        assert.match(await tab.getByTestId("password-error").textContent(), /current password is not right/);

        await tab.getByLabel("Current password").fill(leo.password);
        await tab.getByRole("button", { name: "Change password" }).click();
        await tab.getByText("Password changed. Other devices are signed out.").waitFor();
        // This session goes on (its new CSRF token works for writes).
        await tab.getByRole("link", { name: "Your communities" }).click();
        await tab.getByLabel("Community name").fill("Leo's club");
        await tab.getByLabel("Address (used in the embed code)").fill("leo-club");
        await tab.getByRole("button", { name: "Create and set up" }).click();
        await tab.getByRole("heading", { name: "Basics" }).waitFor();
      });
      // The other browser's session has ended.
      await other.reload();
      await other.getByRole("heading", { name: "Sign in to Quanzi" }).waitFor();
    });
    await withPage(browser, t, async (tab) => {
      await signInToDashboard(tab, worker.origin, { email: leo.email, password: "second password 2" });
      await tab.getByTestId("community-row").waitFor();
    });
  });

  test("the language switch turns the dashboard to Chinese and stays", async (t) => {
    await withPage(browser, t, async (tab) => {
      await signInToDashboard(tab, worker.origin, NINA);
      await tab.getByRole("heading", { name: "Your communities" }).waitFor();
      await screenshot(tab, "communities-en");
      await tab.getByRole("button", { name: "中文" }).click();
      await tab.getByRole("heading", { name: "我的社区" }).waitFor();
      assert.equal(await tab.locator("html").getAttribute("lang"), "zh-CN");
      assert.equal(await tab.getByRole("button", { name: "中文" }).getAttribute("aria-pressed"), "true");
      await screenshot(tab, "communities-zh");
      await tab.reload();
      await tab.getByRole("heading", { name: "我的社区" }).waitFor();
      await tab.getByRole("link", { name: "设置" }).click();
      await tab.getByRole("heading", { name: "基本信息" }).waitFor();
      await tab.getByRole("link", { name: /外观/ }).click();
      const preview = tab.frameLocator('[data-testid="theme-preview"]');
      await preview.getByTestId("community-name").waitFor({ timeout: 20_000 });
      await screenshot(tab, "setup-theme-zh");
      await tab.setViewportSize({ width: 390, height: 844 });
      assert.equal(await overflowsSideways(tab), false, "nothing sticks out on a phone");
      await screenshot(tab, "setup-theme-zh-phone");
    });
  });

  test("works from the keyboard and on a phone", async (t) => {
    await withPage(browser, t, async (tab) => {
      await tab.setViewportSize({ width: 360, height: 740 });
      await signInToDashboard(tab, worker.origin, NINA);
      await tab.reload();
      await tab.getByTestId("community-row").waitFor();
      // The first Tab reaches the skip link, which moves focus to the content.
      await tab.keyboard.press("Tab");
      assert.equal(await tab.evaluate(() => document.activeElement?.textContent), "Skip to content");
      await tab.keyboard.press("Enter");
      assert.equal(await tab.evaluate(() => document.activeElement?.id), "main");
      // A community is created with typing and Enter only.
      await tab.getByLabel("Community name").focus();
      await tab.keyboard.type("Phone club");
      await tab.keyboard.press("Tab");
      await tab.keyboard.type("phone-club");
      await tab.keyboard.press("Enter");
      await tab.getByRole("heading", { name: "Basics" }).waitFor();
      assert.equal(await overflowsSideways(tab), false, "nothing sticks out at 360 px");
      // The sections are tabs across the top on a phone; Enter follows one.
      await tab.getByRole("link", { name: "Events" }).focus();
      await tab.keyboard.press("Enter");
      await tab.getByTestId("no-events").waitFor();
      assert.equal(await overflowsSideways(tab), false);
    });
  });
});
