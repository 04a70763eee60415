// Tokens and sessions under attack, against the real worker: members' SSO tokens that are
// forged, expired, for another community, under an unknown key, `alg: none` or another
// algorithm, or garbage; dashboard sessions replayed after logout, fixed before login, used
// without or with a wrong CSRF token; password guessing. Each refusal has its status and
// JSON error, and changes nothing.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { addSsoKeys, memberToken } from "../support/community.mjs";
import { marketer } from "../support/marketer.mjs";
import { signMemberToken } from "../support/sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

const b64url = (data) => Buffer.from(data).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

/** A JWT with any header, claims and signing (`sign(input) -> base64url signature`). */
function jwt(header, claims, sign) {
  const head = b64url(JSON.stringify(header));
  const body = b64url(JSON.stringify(claims));
  return `${head}.${body}.${sign(`${head}.${body}`)}`;
}
const hmac = (algorithm, secret) => (input) => createHmac(algorithm, secret).update(input).digest("base64url");

/** Asserts `res` is the error `status`/`code` with a message, as JSON. */
async function refused(res, status, code, what) {
  const text = await res.text();
  assert.equal(res.status, status, `${what}: ${text}`);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/, what);
  const body = JSON.parse(text);
  assert.equal(body.error.code, code, `${what}: ${text}`);
  assert.ok(body.error.message.length > 0, what);
  return body;
}

describe("member tokens", () => {
  let worker, key, otherKey;

  before(async () => {
    worker = await startWorker();
    await worker.putCommunity("tea", { name: "Tea" });
    await worker.putCommunity("other", { name: "Other" });
    [key, otherKey] = await addSsoKeys(worker, "tea", "other");
    const topic = await worker.api("/api/v1/communities/tea/topics", {
      method: "POST",
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ id: "oolong", name: "Oolong" }),
    });
    assert.equal(topic.status, 201, await topic.text());
  });
  after(() => worker?.dispose());

  const asBearer = (token, path, init = {}) =>
    worker.api(`/api/v1/communities/tea/${path}`, {
      ...init,
      headers: { ...(init.headers || {}), authorization: `Bearer ${token}`, "content-type": "application/json" },
    });
  const post = (token) => asBearer(token, "threads", { method: "POST", body: JSON.stringify({ topic: "oolong", title: "Forged?", body: "x" }) });
  const checkIn = (token) => asBearer(token, "checkins", { method: "POST", body: "{}" });

  test("every forged, stale, foreign or malformed token is refused and changes nothing", async () => {
    const claims = (extra = {}) => ({ sub: "u_eve", name: "Eve", aud: "tea", iat: now(), exp: now() + 3600, ...extra });
    const hs256 = hmac("sha256", key.secret);
    const header = { alg: "HS256", typ: "JWT", kid: key.kid };
    const good = jwt(header, claims(), hs256);
    const [head, , sig] = good.split(".");
    const cases = [
      ["signed with another secret", jwt(header, claims(), hmac("sha256", "x".repeat(64)))],
      ["signed with the other community's secret under our kid", jwt(header, claims(), hmac("sha256", otherKey.secret))],
      ["claims changed after signing", `${head}.${b64url(JSON.stringify(claims({ sub: "u_admin" })))}.${sig}`],
      ["signature cut off", `${head}.${good.split(".")[1]}.`],
      ["expired beyond the leeway", jwt(header, claims({ iat: now() - 7200, exp: now() - 120 }), hs256)],
      ["issued in the future", jwt(header, claims({ iat: now() + 600, exp: now() + 3600 }), hs256)],
      ["living over 24 hours", jwt(header, claims({ exp: now() + 25 * 3600 }), hs256)],
      ["no exp", jwt(header, claims({ exp: undefined }), hs256)],
      ["for another community", jwt(header, claims({ aud: "other" }), hs256)],
      ["no audience", jwt(header, claims({ aud: undefined }), hs256)],
      ["the other community's own token", memberToken(otherKey, "u_eve", "other")],
      ["the other community's key, our audience", signMemberToken(otherKey, { sub: "u_eve", name: "Eve", aud: "tea" })],
      ["an unknown kid", jwt({ ...header, kid: "nope" }, claims(), hs256)],
      ["alg none, no signature", jwt({ alg: "none", typ: "JWT", kid: key.kid }, claims(), () => "")],
      ["alg None", jwt({ alg: "None", kid: key.kid }, claims(), () => "")],
      ["alg HS512 with the secret", jwt({ ...header, alg: "HS512" }, claims(), hmac("sha512", key.secret))],
      ["alg HS384 with the secret", jwt({ ...header, alg: "HS384" }, claims(), hmac("sha384", key.secret))],
      ["alg RS256, HMAC-signed (key confusion)", jwt({ ...header, alg: "RS256" }, claims(), hs256)],
      ["alg ES256", jwt({ ...header, alg: "ES256" }, claims(), hs256)],
      ["no alg", jwt({ typ: "JWT", kid: key.kid }, claims(), hs256)],
      ["a bad member id", jwt(header, claims({ sub: "<script>" }), hs256)],
      ["an empty name", jwt(header, claims({ name: "" }), hs256)],
      ["an http avatar", jwt(header, claims({ avatar: "javascript:alert(1)" }), hs256)],
      ["two parts", `${head}.${good.split(".")[1]}`],
      ["four parts", `${good}.x`],
      ["not base64", "!!!.???.***"],
      ["not JSON", `${b64url("hello")}.${b64url("world")}.${sig}`],
      ["garbage", "garbage"],
      ["a very long token", `${head}.${"A".repeat(20_000)}.${sig}`],
    ];
    for (const [what, token] of cases) {
      await refused(await post(token), 401, "unauthenticated", `thread, ${what}`);
      await refused(await checkIn(token), 401, "unauthenticated", `check-in, ${what}`);
      await refused(await asBearer(token, "members/me"), 401, "unauthenticated", `read, ${what}`);
    }
    // No bearer, or another scheme: a member route needs a token.
    for (const authorization of ["Bearer", "Bearer ", "Basic dXNlcjpwYXNz", `bearer ${good} extra`]) {
      const res = await worker.api("/api/v1/communities/tea/checkins", { method: "POST", headers: { authorization } });
      assert.ok([400, 401].includes(res.status), `${authorization}: ${res.status}`);
      await refused(res, res.status, res.status === 400 ? "invalid_input" : "unauthenticated", authorization);
    }

    // Nothing happened: no thread, no check-in, no member.
    const feed = await (await worker.api("/api/v1/communities/tea/threads")).json();
    assert.deepEqual(feed.threads, []);
    const mine = await asBearer(good, "checkins/me");
    assert.equal(mine.status, 200, "the well-signed token works");
    assert.equal((await mine.json()).checked_in_today ?? false, false);
    // The control: the same claims, properly signed, do write.
    assert.equal((await post(good)).status, 201);
  });
});

describe("dashboard sessions", () => {
  let worker;
  const MIA = { email: "mia@brand.example", password: "correct horse battery" };
  const EVE = { email: "eve@brand.example", password: "eve's own password" };

  before(async () => {
    worker = await startWorker();
    await marketer(worker, { ...MIA, name: "Mia" });
    await marketer(worker, { ...EVE, name: "Eve" });
  });
  after(() => worker?.dispose());

  const login = (body, headers = {}) =>
    worker.api("/api/v1/auth/login", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const cookieOf = (res) => res.headers.get("set-cookie")?.split(";")[0];
  const whoIs = async (cookie) => {
    const res = await worker.api("/api/v1/auth/me", { headers: { cookie } });
    return res.status === 200 ? (await res.json()).email : res.status;
  };
  const communities = async (session) => (await (await session.api("/api/v1/auth/me")).json()).communities.map((c) => c.slug);

  test("a session is dead after logout: reads and writes with it are refused", async () => {
    const mia = await marketer(worker, { ...MIA, login: true });
    assert.equal((await mia.api("/api/v1/auth/logout", { method: "POST" })).status, 204);
    await refused(await mia.api("/api/v1/auth/me"), 401, "unauthenticated", "me after logout");
    const create = await mia.api("/api/v1/communities", {
      method: "POST",
      body: JSON.stringify({ slug: "replayed", settings: { name: "Replayed" } }),
    });
    await refused(create, 401, "unauthenticated", "a write after logout");
    await refused(await mia.api("/api/v1/auth/logout", { method: "POST" }), 401, "unauthenticated", "logout again");
    const fresh = await marketer(worker, { ...MIA, login: true });
    assert.deepEqual(await communities(fresh), [], "the replayed write created nothing");
    assert.equal((await worker.api("/api/v1/communities/replayed")).status, 404);
  });

  test("a cookie planted before login is never the session after it", async () => {
    // A value the attacker chose: login issues its own token, and the planted one is nothing.
    const planted = "qz_session=" + "a".repeat(64);
    const res = await login(MIA, { cookie: planted });
    assert.equal(res.status, 200);
    const issued = cookieOf(res);
    assert.notEqual(issued, planted);
    assert.match(issued, /^qz_session=[0-9a-f]{64}$/);
    assert.equal(await whoIs(planted), 401);
    assert.equal(await whoIs(issued), MIA.email);

    // The attacker's own live session planted in the victim's browser: the victim's login
    // replaces it, and the attacker's cookie still opens only the attacker's account.
    const eve = cookieOf(await login(EVE));
    const victim = await login(MIA, { cookie: eve });
    const victimCookie = cookieOf(victim);
    assert.notEqual(victimCookie, eve);
    assert.equal(await whoIs(victimCookie), MIA.email);
    assert.equal(await whoIs(eve), EVE.email);
  });

  test("cookie writes need this origin and the session's own CSRF token", async () => {
    const mia = await marketer(worker, { ...MIA, login: true });
    const eve = await marketer(worker, { ...EVE, login: true });
    const body = JSON.stringify({ slug: "csrf-tea", settings: { name: "CSRF Tea" } });
    const write = (headers) =>
      worker.api("/api/v1/communities", { method: "POST", headers: { cookie: mia.cookie, "content-type": "application/json", ...headers }, body });
    await refused(await write({}), 403, "forbidden", "no CSRF header");
    await refused(await write({ "x-csrf-token": "" }), 403, "forbidden", "an empty CSRF header");
    await refused(await write({ "x-csrf-token": "0".repeat(32) }), 403, "forbidden", "a wrong CSRF token");
    await refused(await write({ "x-csrf-token": eve.me.csrf }), 403, "forbidden", "another session's CSRF token");
    await refused(await write({ "x-csrf-token": mia.me.csrf.toUpperCase() }), 403, "forbidden", "a CSRF token in another case");
    await refused(await write({ "x-csrf-token": mia.me.csrf, origin: "https://evil.example" }), 403, "origin_not_allowed", "another origin");
    await refused(
      await worker.api("/api/v1/auth/logout", { method: "POST", headers: { cookie: mia.cookie } }),
      403,
      "forbidden",
      "logout without CSRF",
    );
    assert.equal(await whoIs(mia.cookie), MIA.email, "the refused logout ended nothing");
    assert.deepEqual(await communities(mia), [], "nothing was created");

    // Inside a community too: a topic needs the token; the same request with it passes.
    assert.equal((await mia.api("/api/v1/communities", { method: "POST", body })).status, 201);
    const topic = JSON.stringify({ id: "oolong", name: "Oolong" });
    const topicWrite = (headers) =>
      worker.api("/api/v1/communities/csrf-tea/topics", { method: "POST", headers: { cookie: mia.cookie, "content-type": "application/json", ...headers }, body: topic });
    await refused(await topicWrite({}), 403, "forbidden", "a community write without CSRF");
    await refused(await topicWrite({ "x-csrf-token": eve.me.csrf }), 403, "forbidden", "a community write with another's CSRF");
    const password = await worker.api("/api/v1/auth/password", {
      method: "POST",
      headers: { cookie: mia.cookie, "content-type": "application/json" },
      body: JSON.stringify({ current: MIA.password, new: "a brand new password" }),
    });
    await refused(password, 403, "forbidden", "a password change without CSRF");
    assert.deepEqual((await (await worker.api("/api/v1/communities/csrf-tea/topics")).json()).topics ?? [], []);
    assert.equal((await topicWrite({ "x-csrf-token": mia.me.csrf })).status, 201);
    assert.equal(await whoIs(cookieOf(await login(MIA))), MIA.email, "the password did not change");
  });

  test("password guessing is cut off per account and per address, right password or not", async () => {
    const LEO = { email: "leo@brand.example", password: "leo's real password" };
    await marketer(worker, { ...LEO, name: "Leo" });
    const from = (ip) => ({ "cf-connecting-ip": ip });
    for (let i = 0; i < 10; i++) {
      await refused(await login({ email: LEO.email, password: `wrong guess number ${i}` }, from(`198.51.100.${i + 1}`)), 401, "unauthenticated", `guess ${i}`);
    }
    // The eleventh try is refused before the password is even checked, from any address.
    const blocked = await login(LEO, from("203.0.113.50"));
    const body = await refused(blocked, 429, "rate_limited", "after ten failures");
    const retry = Number(blocked.headers.get("retry-after"));
    assert.ok(retry > 800 && retry <= 900, `Retry-After ${retry}`);
    assert.equal(body.error.retry_after, retry);
    assert.equal(blocked.headers.get("set-cookie"), null, "no session");
    // Other accounts are not locked out.
    assert.equal((await login(MIA, from("203.0.113.50"))).status, 200);

    // One address guessing many accounts: thirty failures, then even a right password from
    // there is refused; another address still signs in.
    for (let i = 0; i < 30; i++) {
      await refused(await login({ email: `nobody${i}@brand.example`, password: "a wrong guess" }, from("192.0.2.9")), 401, "unauthenticated", `spray ${i}`);
    }
    await refused(await login(EVE, from("192.0.2.9")), 429, "rate_limited", "the address after thirty failures");
    assert.equal((await login(EVE, from("192.0.2.10"))).status, 200);
  });
});
