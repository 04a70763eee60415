// Marketer accounts, sessions, CSRF and community ownership, against the real worker.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { marketer } from "../support/marketer.mjs";
import { startWorker } from "../support/worker.mjs";

describe("marketer accounts", () => {
  let worker;
  before(async () => {
    worker = await startWorker();
  });
  after(() => worker?.dispose());

  const post = (path, body, headers = {}) =>
    worker.api(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

  async function codeOf(res) {
    return (await res.json()).error.code;
  }

  test("sign-up sets a locked-down session cookie and never returns the hash", async () => {
    const res = await post("/api/v1/auth/signup", { email: " Mia@Brand.Example ", name: "Mia", password: "correct horse battery" });
    assert.equal(res.status, 201);
    const cookie = res.headers.get("set-cookie");
    for (const attribute of ["HttpOnly", "Secure", "SameSite=Lax", "Path=/api/"]) {
      assert.ok(cookie.includes(attribute), `${attribute} in ${cookie}`);
    }
    const text = await res.text();
    assert.doesNotMatch(text, /argon2|password/i);
    const me = JSON.parse(text);
    assert.equal(me.email, "mia@brand.example");
    assert.match(me.csrf, /^[0-9a-f]{32}$/);
    assert.deepEqual(me.communities, []);
  });

  test("bad sign-ups are refused with clear errors", async () => {
    const cases = [
      [{ email: "not-an-email", name: "X", password: "long enough pw" }, 400, "invalid_input"],
      [{ email: "x@brand.example", name: "X", password: "short" }, 400, "invalid_input"],
      [{ email: "x@brand.example", name: "", password: "long enough pw" }, 400, "invalid_input"],
      [{ email: "mia@brand.example", name: "Again", password: "long enough pw" }, 409, "conflict"],
    ];
    for (const [body, status, code] of cases) {
      const res = await post("/api/v1/auth/signup", body);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(await codeOf(res), code);
    }
  });

  test("login checks the password and says the same for unknown emails", async () => {
    const wrong = await post("/api/v1/auth/login", { email: "mia@brand.example", password: "not the password" });
    const unknown = await post("/api/v1/auth/login", { email: "nobody@brand.example", password: "not the password" });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.deepEqual(await wrong.json(), await unknown.json());

    const session = await marketer(worker, { email: "mia@brand.example", login: true });
    const me = await session.api("/api/v1/auth/me");
    assert.equal(me.status, 200);
    assert.equal((await me.json()).email, "mia@brand.example");
    assert.equal((await worker.api("/api/v1/auth/me")).status, 401, "no cookie, no session");
  });

  test("the dashboard API refuses other origins", async () => {
    const res = await post("/api/v1/auth/login", { email: "mia@brand.example", password: "correct horse battery" }, { origin: "https://evil.example" });
    assert.equal(res.status, 403);
    assert.equal(await codeOf(res), "origin_not_allowed");
  });

  test("a marketer creates a community, owns it, and others cannot touch it", async () => {
    const mia = await marketer(worker, { email: "mia@brand.example", login: true });
    const leo = await marketer(worker, { email: "leo@brand.example", name: "Leo" });
    const create = (who, slug, headers) =>
      who.api("/api/v1/communities", {
        method: "POST",
        headers,
        body: JSON.stringify({ slug, settings: { name: "Tea", allowed_origins: ["https://tea.example"] } }),
      });

    const noCsrf = await create(mia, "tea", { "x-csrf-token": "" });
    assert.equal(noCsrf.status, 403, "a write without the CSRF token");
    assert.equal(await codeOf(noCsrf), "forbidden");
    assert.equal((await worker.api("/api/v1/communities/tea")).status, 404, "nothing created");

    const created = await create(mia, "tea");
    assert.equal(created.status, 201);
    assert.equal((await created.json()).name, "Tea");
    const listed = await (await mia.api("/api/v1/auth/me")).json();
    assert.deepEqual(listed.communities, [{ slug: "tea", role: "owner" }]);

    const taken = await create(leo, "tea");
    assert.equal(taken.status, 409);
    assert.equal(await codeOf(taken), "conflict");

    const settings = JSON.stringify({ name: "Hijacked" });
    const hijack = await leo.api("/api/v1/communities/tea", { method: "PUT", body: settings });
    assert.equal(hijack.status, 403);
    assert.equal((await (await worker.api("/api/v1/communities/tea")).json()).name, "Tea", "unchanged");

    const rename = await mia.api("/api/v1/communities/tea", { method: "PUT", body: JSON.stringify({ name: "Tea Club" }) });
    assert.equal(rename.status, 200);
    assert.equal((await (await worker.api("/api/v1/communities/tea")).json()).name, "Tea Club");
  });

  test("logout ends the session", async () => {
    const mia = await marketer(worker, { email: "mia@brand.example", login: true });
    const out = await mia.api("/api/v1/auth/logout", { method: "POST" });
    assert.equal(out.status, 204);
    assert.match(out.headers.get("set-cookie"), /Max-Age=0/);
    assert.equal((await mia.api("/api/v1/auth/me")).status, 401);
  });
});
