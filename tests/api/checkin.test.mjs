// Members sign in with the brand's token and check in: once a day, points exactly once,
// every refusal explained, nothing lost under concurrency.
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
