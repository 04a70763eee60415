// One community's marketer never reaches another's: the dashboard shows the refusal on the
// other community's pages, and the API refuses every staff route, changing nothing.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { codeOf } from "../support/community.mjs";
import { signInToDashboard } from "../support/dashboard.mjs";
import { marketer } from "../support/marketer.mjs";
import { signMemberToken } from "../support/sso.mjs";
import { startWorker } from "../support/worker.mjs";

const AVA = { email: "ava@brand-a.example", password: "ava's long password" };

describe("dashboard access between communities", () => {
  let worker, browser, ava, ben, benKey, eventId, pendingThread;

  const create = async (who, slug, settings) => {
    const res = await who.api("/api/v1/communities", { method: "POST", body: JSON.stringify({ slug, settings }) });
    assert.equal(res.status, 201, await res.clone().text());
  };

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    ava = await marketer(worker, { email: AVA.email, password: AVA.password });
    ben = await marketer(worker, { email: "ben@brand-b.example" });
    await create(ava, "ava-club", { name: "Ava's club" });
    await create(ben, "ben-club", { name: "Ben's club", allowed_origins: ["https://b.example"] });
    benKey = await (await ben.api("/api/v1/communities/ben-club/sso-keys", { method: "POST" })).json();
    const event = await ben.api("/api/v1/communities/ben-club/events", {
      method: "POST",
      body: JSON.stringify({
        title: "Ben's tasting",
        venue: { kind: "offline", place: "Ben's shop" },
        starts_at: Date.now() + 86_400_000,
        ends_at: Date.now() + 90_000_000,
      }),
    });
    assert.equal(event.status, 201, await event.clone().text());
    eventId = (await event.json()).event.id;
    const premod = await ben.api("/api/v1/communities/ben-club/moderation/settings", {
      method: "PUT",
      body: JSON.stringify({ pre_moderation: { mode: "all_posts" } }),
    });
    assert.equal(premod.status, 200);
    const topic = await ben.api("/api/v1/communities/ben-club/topics", {
      method: "POST",
      body: JSON.stringify({ id: "general", name: "General" }),
    });
    assert.equal(topic.status, 201, await topic.clone().text());
    const member = signMemberToken(benKey, { sub: "zoe", name: "Zoe", aud: "ben-club" });
    const thread = await worker.api("/api/v1/communities/ben-club/threads", {
      method: "POST",
      headers: { authorization: `Bearer ${member}`, "content-type": "application/json" },
      body: JSON.stringify({ topic: "general", title: "Waiting for review", body: "only Ben's team may read this" }),
    });
    assert.equal(thread.status, 201, await thread.clone().text());
    pendingThread = (await thread.json()).id;
  });

  after(async () => {
    await browser?.close();
    await worker?.dispose();
  });

  test("the other community's pages say so and show nothing of it", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      await signInToDashboard(tab, worker.origin, AVA);
      await tab.getByTestId("community-row").waitFor();
      assert.deepEqual(await tab.getByTestId("community-row").locator("code.qd-slug").allTextContents(), ["ava-club"]);
      for (const hash of ["#/c/ben-club/setup/origins", "#/c/ben-club/moderation", `#/c/ben-club/events/${eventId}`]) {
        await tab.goto(`${worker.origin}/dashboard/${hash}`);
        await tab.getByTestId("no-access").waitFor();
        assert.equal(await tab.getByTestId("setup-step").count(), 0);
        assert.equal(await tab.getByTestId("queue").count(), 0);
        assert.equal(await tab.getByTestId("attendance-code").count(), 0);
      }
      assert.deepEqual(errors, []);
    });
  });

  test("the API refuses every staff route of the other community", async () => {
    const base = "/api/v1/communities/ben-club";
    const attempts = [
      ["GET", "/settings"],
      ["GET", "/sso-keys"],
      ["POST", "/sso-keys"],
      ["PUT", "", { name: "Taken over" }],
      ["PUT", "/join", { mode: "open", rules: "mine now" }],
      ["GET", "/moderation/queue"],
      ["GET", "/moderation/bans"],
      ["GET", "/moderation/audit"],
      ["POST", "/moderation/hide", { target: { kind: "post", thread: pendingThread } }],
      ["POST", "/moderation/approve", { target: { kind: "post", thread: pendingThread } }],
      ["PUT", "/members/zoe/ban", { days: 7 }],
      ["POST", "/events", { title: "x", venue: { kind: "offline", place: "y" }, starts_at: Date.now() + 1e8, ends_at: Date.now() + 2e8 }],
      ["GET", `/events/${eventId}/attendees`],
      ["GET", `/events/${eventId}/attendees.csv`],
      ["POST", `/events/${eventId}/cancel`, {}],
    ];
    for (const [method, path, body] of attempts) {
      const res = await ava.api(base + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
      assert.equal(res.status, 403, `${method} ${path}: ${res.status}`);
      assert.equal(await codeOf(res), "forbidden", `${method} ${path}`);
    }
    // A post waiting for Ben's review is not Ava's to read.
    assert.equal((await ava.api(`${base}/threads/${pendingThread}`)).status, 404);
    const forBen = await ben.api(`${base}/threads/${pendingThread}`);
    assert.equal((await forBen.json()).thread.visibility.state, "pending");
    // Nothing changed.
    const settings = await (await ben.api(`${base}/settings`)).json();
    assert.equal(settings.name, "Ben's club");
    assert.deepEqual(settings.allowed_origins, ["https://b.example"]);
    assert.equal((await (await ben.api(`${base}/sso-keys`)).json()).length, 1);
    const event = await (await worker.api(`${base}/events/${eventId}`)).json();
    assert.equal(event.phase, "signup_open");
  });
});
