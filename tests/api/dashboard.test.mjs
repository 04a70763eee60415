// The routes the dashboard adds on the real worker: the saved settings (allowed origins,
// logo), the sign-in key list and rotation, the bans in force, and changing a password
// (which ends every other session).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { codeOf } from "../support/community.mjs";
import { marketer } from "../support/marketer.mjs";
import { startWorker } from "../support/worker.mjs";

describe("dashboard routes", () => {
  let worker, mia;
  const base = "/api/v1/communities/tea";

  before(async () => {
    worker = await startWorker();
    mia = await marketer(worker, { email: "mia@brand.example" });
    const res = await mia.api("/api/v1/communities", {
      method: "POST",
      body: JSON.stringify({ slug: "tea", settings: { name: "Tea", allowed_origins: ["https://www.tea.example"] } }),
    });
    assert.equal(res.status, 201, await res.clone().text());
  });
  after(() => worker?.dispose());

  test("the owner reads the settings as saved, logo and allowed origins included", async () => {
    const res = await mia.api(`${base}/settings`);
    assert.equal(res.status, 200);
    const settings = await res.json();
    assert.deepEqual(settings.allowed_origins, ["https://www.tea.example"]);
    assert.equal(settings.logo, undefined);

    const saved = await mia.api(base, {
      method: "PUT",
      body: JSON.stringify({ ...settings, logo: "https://cdn.tea.example/logo.png" }),
    });
    assert.equal(saved.status, 200, await saved.clone().text());
    assert.equal((await saved.json()).logo, "https://cdn.tea.example/logo.png", "the public view carries it");
    assert.equal((await (await mia.api(`${base}/settings`)).json()).logo, "https://cdn.tea.example/logo.png");

    for (const logo of ["http://cdn.tea.example/logo.png", "https://cdn.tea.example/a b.png", "javascript:alert(1)"]) {
      const bad = await mia.api(base, { method: "PUT", body: JSON.stringify({ ...settings, logo }) });
      assert.equal(bad.status, 400, logo);
      assert.equal(await codeOf(bad), "invalid_input");
    }
    assert.equal((await (await mia.api(`${base}/settings`)).json()).logo, "https://cdn.tea.example/logo.png", "unchanged");

    assert.equal((await worker.api(`${base}/settings`)).status, 401, "no session");
    assert.equal((await mia.api(`${base}/settings`, { method: "POST" })).status, 405);
  });

  test("sign-in keys are listed without secrets; two stay active through rotations", async () => {
    assert.deepEqual(await (await mia.api(`${base}/sso-keys`)).json(), []);
    const made = [];
    for (let i = 0; i < 3; i++) {
      const res = await mia.api(`${base}/sso-keys`, { method: "POST" });
      assert.equal(res.status, 201);
      made.push(await res.json());
    }
    assert.match(made[0].secret, /^[0-9a-f]{64}$/);
    const listed = await (await mia.api(`${base}/sso-keys`)).json();
    assert.deepEqual(listed.map((k) => k.kid), [made[1].kid, made[2].kid], "the oldest retired");
    assert.deepEqual(made[2].active.map((k) => k.kid), [made[1].kid, made[2].kid]);
    assert.ok(listed.every((k) => !("secret" in k) && typeof k.created_at === "number"));
  });

  test("the bans in force are listed for those who ban", async () => {
    const ban = await mia.api(`${base}/members/ann/ban`, { method: "PUT", body: JSON.stringify({ days: 3, reason: "spam" }) });
    assert.equal(ban.status, 200, await ban.clone().text());
    const forGood = await mia.api(`${base}/members/bob/ban`, { method: "PUT", body: "" });
    assert.equal(forGood.status, 200, await forGood.clone().text());
    const bans = await (await mia.api(`${base}/moderation/bans`)).json();
    assert.deepEqual(
      bans.items.map((b) => [b.member, b.until === null, b.reason]),
      [
        ["ann", false, "spam"],
        ["bob", true, ""],
      ],
    );
    assert.equal((await mia.api(`${base}/members/ann/ban`, { method: "DELETE" })).status, 200);
    assert.deepEqual((await (await mia.api(`${base}/moderation/bans`)).json()).items.map((b) => b.member), ["bob"]);
    assert.equal((await worker.api(`${base}/moderation/bans`)).status, 401);
  });

  test("changing the password ends every other session and keeps this one", async () => {
    const leo = await marketer(worker, { email: "leo@brand.example", password: "first password 1" });
    const other = await marketer(worker, { email: "leo@brand.example", password: "first password 1", login: true });
    const change = (session, body, headers = {}) =>
      session.api("/api/v1/auth/password", { method: "POST", body: JSON.stringify(body), headers });

    const noCsrf = await change(leo, { current: "first password 1", new: "second password 2" }, { "x-csrf-token": "" });
    assert.equal(noCsrf.status, 403);
    const wrong = await change(leo, { current: "not the password", new: "second password 2" });
    assert.equal(wrong.status, 403);
    assert.equal(await codeOf(wrong), "forbidden");
    const short = await change(leo, { current: "first password 1", new: "short" });
    assert.equal(short.status, 400);
    assert.equal(await codeOf(short), "invalid_input");
    assert.equal((await other.api("/api/v1/auth/me")).status, 200, "refusals change nothing");

    const done = await change(leo, { current: "first password 1", new: "second password 2" });
    assert.equal(done.status, 200, await done.clone().text());
    const me = await done.json();
    assert.notEqual(me.csrf, leo.me.csrf);
    const cookie = done.headers.get("set-cookie").split(";")[0];
    assert.notEqual(cookie, leo.cookie);

    assert.equal((await other.api("/api/v1/auth/me")).status, 401, "the other session ended");
    assert.equal((await leo.api("/api/v1/auth/me")).status, 401, "the old cookie ended");
    const now = await worker.api("/api/v1/auth/me", { headers: { cookie } });
    assert.equal(now.status, 200);

    const login = (password) =>
      worker.api("/api/v1/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "leo@brand.example", password }),
      });
    assert.equal((await login("first password 1")).status, 401);
    assert.equal((await login("second password 2")).status, 200);
  });
});
