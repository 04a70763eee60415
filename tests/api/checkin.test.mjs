// Members sign in with the brand's token and check in: once a day, points exactly once,
// every refusal explained, nothing lost under concurrency; the daily reminder a member opts
// in to arrives once, on the object's alarm.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { marketer } from "../support/marketer.mjs";
import { codeOf } from "../support/community.mjs";
import { addSsoKey, signMemberToken } from "../support/sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

const BRAND = "https://brand.example";

describe("member check-in", () => {
  let worker, key;
  before(async () => {
    worker = await startWorker();
    await worker.putCommunity("tea", { name: "Tea", allowed_origins: [BRAND] });
    await worker.putCommunity("other", { name: "Other" });
    key = await addSsoKey(worker, "tea", OPERATOR_TOKEN);
  });
  after(() => worker?.dispose());

  const token = (sub, extra = {}, k = key) => signMemberToken(k, { sub, name: "Lin", aud: "tea", ...extra });
  const checkIn = (tok, slug = "tea", headers = {}) =>
    worker.api(`/api/v1/communities/${slug}/checkins`, { method: "POST", headers: { authorization: `Bearer ${tok}`, ...headers } });

  test("the key is shown once and never listed with its secret", async () => {
    assert.match(key.kid, /^k[0-9a-f]{8}$/);
    assert.match(key.secret, /^[0-9a-f]{64}$/);
    assert.deepEqual(key.active.map((k) => k.kid), [key.kid]);
    assert.equal(JSON.stringify(key.active).includes(key.secret), false);
  });

  test("a member checks in once a day and earns points", async () => {
    const res = await checkIn(token("u_1"), "tea", { origin: BRAND });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("access-control-allow-origin"), BRAND);
    const body = await res.json();
    assert.equal(body.status.checked_in_today, true);
    assert.equal(body.status.current_streak, 1);
    assert.equal(body.awarded.length, 1);
    assert.equal(body.balance.balance, body.awarded[0].delta);

    const again = await checkIn(token("u_1"));
    assert.equal(again.status, 409);
    assert.equal(await codeOf(again), "already_checked_in");

    const mine = await (await worker.api("/api/v1/communities/tea/checkins/me", { headers: { authorization: `Bearer ${token("u_1")}` } })).json();
    assert.equal(mine.balance.balance, body.balance.balance, "no second award");
    assert.deepEqual(mine.calendar.checked_in, [Number(body.status.today.slice(8, 10))]);
  });

  test("200 concurrent check-ins by one member count once", async () => {
    const tok = token("u_race");
    const results = await Promise.all(Array.from({ length: 200 }, () => checkIn(tok)));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 1);
    assert.equal(statuses.filter((s) => s === 409).length, 199);
    const mine = await (await worker.api("/api/v1/communities/tea/checkins/me", { headers: { authorization: `Bearer ${tok}` } })).json();
    assert.equal(mine.balance.entries, 1);
  });

  test("100 members checking in at once are all counted", async () => {
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => checkIn(token(`crowd_${i}`))));
    assert.deepEqual([...new Set(results.map((r) => r.status))], [200]);
  });

  test("bad tokens are refused and change nothing", async () => {
    const now = Math.floor(Date.now() / 1000);
    const good = token("u_bad");
    const [h, p] = good.split(".");
    const tampered = `${h}.${Buffer.from(JSON.stringify({ sub: "admin", name: "x", aud: "tea", iat: now, exp: now + 60 })).toString("base64url")}.${good.split(".")[2]}`;
    const cases = {
      tampered,
      expired: token("u_bad", { iat: now - 7200, exp: now - 3600 }),
      "wrong audience": token("u_bad", { aud: "other" }),
      "unknown kid": token("u_bad", {}, { kid: "nope", secret: key.secret }),
      "wrong secret": token("u_bad", {}, { kid: key.kid, secret: "x".repeat(64) }),
      "too long-lived": token("u_bad", { iat: now, exp: now + 2 * 86400 }),
      "not a jwt": "hello",
      "alg none": `${Buffer.from('{"alg":"none"}').toString("base64url")}.${p}.`,
    };
    for (const [what, tok] of Object.entries(cases)) {
      const res = await checkIn(tok);
      assert.equal(res.status, 401, what);
      assert.equal(await codeOf(res), "unauthenticated", what);
    }
    const anonymous = await worker.api("/api/v1/communities/tea/checkins", { method: "POST" });
    assert.equal(anonymous.status, 401);
    const mine = await worker.api("/api/v1/communities/tea/checkins/me", { headers: { authorization: `Bearer ${good}` } });
    assert.equal((await mine.json()).balance.entries, 0, "none of them checked in");
  });

  test("a token for community A does nothing in community B", async () => {
    const res = await checkIn(token("u_1"), "other");
    assert.equal(res.status, 401);
  });

  test("keys rotate without downtime", async () => {
    const second = await addSsoKey(worker, "tea", OPERATOR_TOKEN);
    const withFirst = await checkIn(token("u_rot1"));
    const withSecond = await checkIn(token("u_rot2", {}, second));
    assert.deepEqual([withFirst.status, withSecond.status], [200, 200], "both keys work while two are active");
    const third = await addSsoKey(worker, "tea", OPERATOR_TOKEN);
    assert.deepEqual(third.active.map((k) => k.kid), [second.kid, third.kid]);
    assert.equal((await checkIn(token("u_rot3"))).status, 401, "the oldest key is retired");
    assert.equal((await checkIn(token("u_rot3", {}, third))).status, 200);
    key = third;
  });

  test("only the community's staff create keys", async () => {
    const leo = await marketer(worker, { email: "leo@brand.example", name: "Leo" });
    const res = await leo.api("/api/v1/communities/tea/sso-keys", { method: "POST" });
    assert.equal(res.status, 403);
    const anonymous = await worker.api("/api/v1/communities/tea/sso-keys", { method: "POST" });
    assert.equal(anonymous.status, 401);
  });

  test("a bad month is a 400", async () => {
    const res = await worker.api("/api/v1/communities/tea/checkins/me?month=2026-13", { headers: { authorization: `Bearer ${token("u_1")}` } });
    assert.equal(res.status, 400);
    assert.equal(await codeOf(res), "invalid_input");
  });

  describe("the daily reminder", () => {
    const R = "/api/v1/communities/remind";
    let rkey;
    const as = (sub, path, init = {}, k = rkey, aud = "remind") =>
      worker.api(`${R}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${signMemberToken(k, { sub, name: "Lin", aud })}`, "content-type": "application/json" },
      });
    const setReminder = (sub, body, k, aud) =>
      as(sub, "/checkins/reminder", { method: "PUT", body: typeof body === "string" ? body : JSON.stringify(body) }, k, aud);
    const reminderOf = async (sub) => {
      const res = await as(sub, "/checkins/me");
      assert.equal(res.status, 200);
      return (await res.json()).reminder;
    };
    const reminders = async (sub) => {
      const res = await as(sub, "/notifications");
      assert.equal(res.status, 200);
      return (await res.json()).items.filter((n) => n.kind === "checkin_reminder").length;
    };
    /** Polls until `check` holds (the alarm runs on its own). */
    const eventually = async (read, check, what) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const value = await read();
        if (check(value)) return value;
        if (Date.now() > deadline) assert.fail(`${what}: ${JSON.stringify(value)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

    before(async () => {
      await worker.putCommunity("remind", { name: "Remind" });
      rkey = await addSsoKey(worker, "remind", OPERATOR_TOKEN);
      const rules = await (await worker.api(`${R}/points/rules`)).json();
      assert.equal(rules.checkin.reminder_hour, 20, "20:00 community-local by default");
      // Hour 0: due at once, whatever the time of day.
      rules.checkin.reminder_hour = 0;
      const put = await worker.api(`${R}/points/rules`, {
        method: "PUT",
        headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify(rules),
      });
      assert.equal(put.status, 200, await put.text());
    });

    test("opted-in members who have not checked in get it once, on the alarm", async () => {
      assert.equal(await reminderOf("u_ann"), false, "off until the member opts in");
      // u_done checked in today: opted in, but not reminded.
      assert.equal((await as("u_done", "/checkins", { method: "POST" })).status, 200);
      const done = await setReminder("u_done", { enabled: true });
      assert.equal(done.status, 200);
      const on = await setReminder("u_ann", { enabled: true });
      assert.equal(on.status, 200);
      assert.deepEqual(await on.json(), { enabled: true });
      assert.equal(await reminderOf("u_ann"), true);
      assert.equal(await reminderOf("u_off"), false);

      await eventually(() => reminders("u_ann"), (n) => n === 1, "u_ann reminded by the alarm");
      // Off and on again the same day: the day's reminder went out already.
      assert.deepEqual(await (await setReminder("u_ann", { enabled: false })).json(), { enabled: false });
      assert.equal(await reminderOf("u_ann"), false);
      assert.equal((await setReminder("u_ann", { enabled: true })).status, 200);
      // A member opting in after today's run is reminded too: once that has arrived, the
      // run after u_ann's second opt-in is over.
      assert.equal((await setReminder("u_late", { enabled: true })).status, 200);
      await eventually(() => reminders("u_late"), (n) => n === 1, "u_late reminded");
      await sleep(500);
      assert.equal(await reminders("u_ann"), 1, "never twice the same day");
      assert.equal(await reminders("u_done"), 0, "checked in already");
      assert.equal(await reminders("u_off"), 0, "never opted in");
      const note = (await (await as("u_ann", "/notifications")).json()).items.find((n) => n.kind === "checkin_reminder");
      assert.equal(note.read, false);
    });

    test("bad bodies are 400 and change nothing; other communities' tokens are refused", async () => {
      assert.equal((await setReminder("u_keep", { enabled: true })).status, 200);
      for (const bad of ["{}", '{"enabled":"yes"}', '{"enabled":null}', '{"enabled":false,"hour":8}', "[]", "not json"]) {
        const res = await setReminder("u_keep", bad);
        assert.equal(res.status, 400, bad);
        assert.equal(await codeOf(res), "invalid_input", bad);
      }
      assert.equal(await reminderOf("u_keep"), true, "still on");
      // A member of "tea" is nobody in "remind", and the other way round.
      const foreign = await setReminder("u_keep", { enabled: false }, key, "tea");
      assert.equal(foreign.status, 401);
      assert.equal(await codeOf(foreign), "unauthenticated");
      const there = await worker.api("/api/v1/communities/tea/checkins/reminder", {
        method: "PUT",
        headers: { authorization: `Bearer ${signMemberToken(rkey, { sub: "u_keep", name: "Lin", aud: "remind" })}`, "content-type": "application/json" },
        body: JSON.stringify({ enabled: false }),
      });
      assert.equal(there.status, 401);
      const anonymous = await worker.api(`${R}/checkins/reminder`, { method: "PUT", body: JSON.stringify({ enabled: false }), headers: { "content-type": "application/json" } });
      assert.equal(anonymous.status, 401);
      assert.equal(await reminderOf("u_keep"), true, "still on");
      const wrongMethod = await as("u_keep", "/checkins/reminder", { method: "POST", body: "{}" });
      assert.equal(wrongMethod.status, 405);
    });
  });

  test("a community that switched check-in off refuses it and says so", async () => {
    await worker.putCommunity("quiet", { name: "Quiet", features: { checkin: false } });
    const quietKey = await addSsoKey(worker, "quiet", OPERATOR_TOKEN);
    const view = await (await worker.api("/api/v1/communities/quiet")).json();
    assert.deepEqual(view.features, { talk: true, checkin: false, events: true, rewards: true });
    const res = await checkIn(signMemberToken(quietKey, { sub: "u_q", name: "Q", aud: "quiet" }), "quiet");
    assert.equal(res.status, 403);
    assert.equal(await codeOf(res), "feature_disabled");
  });
});
