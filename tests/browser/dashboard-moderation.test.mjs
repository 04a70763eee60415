// Moderating from the dashboard: a member reports a post through the API, a moderator hides
// it from the queue, and anonymous readers no longer get it from the API or see it in the
// widget; bans with an expiry; pre-moderated posts approved; every decision in the audit log.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { codeOf } from "../support/community.mjs";
import { screenshot, signInToDashboard } from "../support/dashboard.mjs";
import { marketer } from "../support/marketer.mjs";
import { servePage } from "../support/page.mjs";
import { signMemberToken } from "../support/sso.mjs";
import { startWorker } from "../support/worker.mjs";

const SLUG = "mod-tea";
const MIA = { email: "mia@brand.example", password: "correct horse battery" };

describe("dashboard moderation", () => {
  let worker, browser, brandPage, staff, key;

  const token = (sub) => signMemberToken(key, { sub, name: `Member ${sub}`, aud: SLUG });
  const api = (method, path, { sub, body } = {}) =>
    worker.api(`/api/v1/communities/${SLUG}${path}`, {
      method,
      headers: {
        ...(sub ? { authorization: `Bearer ${token(sub)}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const post = async (sub, title) => {
    const res = await api("POST", "/threads", { sub, body: { topic: "general", title, body: `${title}, says ${sub}` } });
    assert.equal(res.status, 201, await res.clone().text());
    return res.json();
  };

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    brandPage = await servePage(
      () => `<!doctype html><html lang="en"><body><h1>Brand</h1>
        <script src="${worker.origin}/embed.js" data-community="${SLUG}" async></script></body></html>`,
    );
    staff = await marketer(worker, { email: MIA.email, password: MIA.password });
    const created = await staff.api("/api/v1/communities", {
      method: "POST",
      body: JSON.stringify({ slug: SLUG, settings: { name: "Mod Tea", locale: "en", allowed_origins: [brandPage.origin] } }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const keyRes = await staff.api(`/api/v1/communities/${SLUG}/sso-keys`, { method: "POST" });
    assert.equal(keyRes.status, 201, await keyRes.clone().text());
    key = await keyRes.json();
    const topic = await staff.api(`/api/v1/communities/${SLUG}/topics`, {
      method: "POST",
      body: JSON.stringify({ id: "general", name: "General" }),
    });
    assert.equal(topic.status, 201, await topic.clone().text());
  });

  after(async () => {
    await browser?.close();
    await brandPage?.close();
    await worker?.dispose();
  });

  test("a moderator hides a reported post and anonymous readers lose it", async (t) => {
    const spam = await post("ann", "Cheap watches here");
    const kept = await post("bob", "Welcome tea for newcomers");
    const report = await api("POST", "/moderation/reports", {
      sub: "cat",
      body: { target: { kind: "post", thread: spam.id }, reason: "spam", note: "an advert" },
    });
    assert.equal(report.status, 201, await report.clone().text());

    await withPage(browser, t, async (tab, errors) => {
      await tab.setViewportSize({ width: 1280, height: 900 });
      await signInToDashboard(tab, worker.origin, MIA, `#/c/${SLUG}/moderation`);
      const item = tab.getByTestId("queue-item").filter({ hasText: "Cheap watches here" });
      await item.waitFor();
      assert.match(await item.textContent(), /1 report/);
      assert.match(await item.textContent(), /spam 1/);
      assert.match(await item.textContent(), /an advert/);
      await screenshot(tab, "moderation-en");
      await tab.getByRole("button", { name: "中文" }).click();
      await item.getByRole("button", { name: "隐藏" }).waitFor();
      await screenshot(tab, "moderation-zh");
      await tab.getByRole("button", { name: "EN" }).click();
      await item.getByLabel(/Reason/).fill("advertising");
      await item.getByRole("button", { name: "Hide" }).click();
      await tab.getByText("Hidden: members no longer see it.").waitFor();
      await tab.getByTestId("queue-empty").waitFor();

      // The audit log has the decision and the closed report, newest first.
      await tab.getByRole("link", { name: "Audit log" }).click();
      const rows = tab.getByTestId("audit-row");
      await rows.first().waitFor();
      assert.deepEqual(
        (await rows.allTextContents()).map((r) => (r.includes("Hid") ? "hide" : r.includes("Acted on 1 report") ? "resolve" : r)),
        ["resolve", "hide"],
      );
      assert.match(await rows.nth(1).textContent(), /advertising/);
      assert.deepEqual(errors, []);
    });

    // Anonymous readers: not found, and gone from the feed.
    const read = await api("GET", `/threads/${spam.id}`);
    assert.equal(read.status, 404);
    assert.equal(await codeOf(read), "not_found");
    const feed = await (await api("GET", "/threads")).json();
    assert.deepEqual(feed.threads.map((th) => th.id), [kept.id]);
    // Its author still sees it, marked hidden.
    const own = await api("GET", `/threads/${spam.id}`, { sub: "ann" });
    assert.equal((await own.json()).thread.visibility.state, "hidden");

    // The widget on the brand's page shows the other thread, not the hidden one.
    await withPage(browser, t, async (tab) => {
      await tab.goto(brandPage.origin);
      await tab.getByTestId("thread-card").filter({ hasText: "Welcome tea for newcomers" }).waitFor({ timeout: 20_000 });
      assert.equal(await tab.getByTestId("thread-card").filter({ hasText: "Cheap watches here" }).count(), 0);
    });
  });

  test("a ban with an expiry refuses the member's posts until it is lifted", async (t) => {
    await withPage(browser, t, async (tab) => {
      await signInToDashboard(tab, worker.origin, MIA, `#/c/${SLUG}/moderation/bans`);
      await tab.getByTestId("no-bans").waitFor();
      await tab.getByLabel("Member id").fill("not a valid id!");
      await tab.getByRole("button", { name: "Ban", exact: true }).click();
      assert.match(await tab.getByTestId("ban-error").textContent(), /A member id is 1–64/);
      await tab.getByLabel("Member id").fill("ann");
      await tab.getByLabel("Ban for").selectOption("30");
      await tab.getByLabel(/Reason/).fill("repeated spam");
      await tab.getByRole("button", { name: "Ban", exact: true }).click();
      await tab.getByText("ann is banned.").waitFor();
      const row = tab.getByTestId("bans").getByRole("row").filter({ hasText: "ann" });
      await row.waitFor();
      assert.match(await row.textContent(), /repeated spam/);
      assert.match(await row.textContent(), /mia@brand\.example/);

      const refused = await api("POST", "/threads", { sub: "ann", body: { topic: "general", title: "Back again", body: "x" } });
      assert.equal(refused.status, 403);
      assert.equal(await codeOf(refused), "banned");

      await row.getByRole("button", { name: "Lift the ban on ann" }).click();
      await tab.getByTestId("no-bans").waitFor();
      await post("ann", "Sorry about that");
    });
  });

  test("posts waiting for review are approved from the queue", async (t) => {
    const settings = await staff.api(`/api/v1/communities/${SLUG}/moderation/settings`, {
      method: "PUT",
      body: JSON.stringify({ pre_moderation: { mode: "all_posts" } }),
    });
    assert.equal(settings.status, 200, await settings.clone().text());
    const waiting = await post("dan", "My first brew");
    assert.equal(waiting.visibility?.state, "pending");
    assert.equal((await api("GET", `/threads/${waiting.id}`)).status, 404, "not public yet");

    await withPage(browser, t, async (tab) => {
      await signInToDashboard(tab, worker.origin, MIA, `#/c/${SLUG}/moderation`);
      const item = tab.getByTestId("queue-item").filter({ hasText: "My first brew" });
      await item.waitFor();
      assert.match(await item.textContent(), /Awaiting review/);
      await item.getByRole("button", { name: "Approve" }).click();
      await tab.getByText("Approved: it is published.").waitFor();
    });
    assert.equal((await api("GET", `/threads/${waiting.id}`)).status, 200);
  });
});
