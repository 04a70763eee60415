// GET /api/v1/communities/{slug} and the operator's PUT, against the real worker.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

const BRAND = "https://brand.example";

describe("community API", () => {
  let worker;
  before(async () => {
    worker = await startWorker();
  });
  after(() => worker?.dispose());

  async function errorOf(res) {
    const body = await res.json();
    assert.ok(body.error, "an error body");
    assert.equal(typeof body.error.message, "string");
    return body.error.code;
  }

  test("an unknown community is a 404 community_not_found", async () => {
    const res = await worker.api("/api/v1/communities/nobody-here");
    assert.equal(res.status, 404);
    assert.match(res.headers.get("content-type"), /application\/json/);
    assert.equal(await errorOf(res), "community_not_found");
  });

  test("a malformed slug names no community", async () => {
    const res = await worker.api("/api/v1/communities/NOT_A_SLUG");
    assert.equal(res.status, 404);
    assert.equal(await errorOf(res), "community_not_found");
  });

  test("an unknown API route is a JSON 404", async () => {
    const res = await worker.api("/api/v1/nothing");
    assert.equal(res.status, 404);
    assert.equal(await errorOf(res), "route_not_found");
  });

  test("creating a community needs the operator token", async () => {
    const settings = JSON.stringify({ name: "Nope" });
    for (const authorization of [undefined, "Bearer wrong-token-wrong-token-wrong", `Basic ${OPERATOR_TOKEN}`]) {
      const headers = { "content-type": "application/json" };
      if (authorization) headers.authorization = authorization;
      const res = await worker.api("/api/v1/admin/communities/nope", { method: "PUT", headers, body: settings });
      assert.equal(res.status, 401, String(authorization));
      assert.equal(await errorOf(res), "unauthenticated");
    }
    assert.equal((await worker.api("/api/v1/communities/nope")).status, 404, "nothing was created");
  });

  test("bad settings are a 400 and change nothing", async () => {
    const cases = [
      "not json",
      JSON.stringify({}),
      JSON.stringify({ name: "" }),
      JSON.stringify({ name: "x", time_zone: "Mars/Base" }),
      JSON.stringify({ name: "x", allowed_origins: ["https://brand.example/path"] }),
      JSON.stringify({ name: "x", theme: { accent: "red", radius: 4, scheme: "auto" } }),
      JSON.stringify({ name: "x", unexpected: 1 }),
    ];
    for (const body of cases) {
      const res = await worker.api("/api/v1/admin/communities/badly", {
        method: "PUT",
        headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, "content-type": "application/json" },
        body,
      });
      assert.equal(res.status, 400, body);
      assert.equal(await errorOf(res), "invalid_input", body);
    }
    assert.equal((await worker.api("/api/v1/communities/badly")).status, 404, "nothing was created");
  });

  test("the operator creates a community and anyone reads it", async () => {
    const created = await worker.putCommunity("tea-club", {
      name: "  Acme 茶友会 ",
      slogan: "每天一杯好茶",
      locale: "zh-CN",
      time_zone: "Asia/Shanghai",
      allowed_origins: [BRAND],
    });
    assert.equal(created.name, "Acme 茶友会");

    const res = await worker.api("/api/v1/communities/tea-club");
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(
      { slug: body.slug, name: body.name, slogan: body.slogan, locale: body.locale, time_zone: body.time_zone },
      { slug: "tea-club", name: "Acme 茶友会", slogan: "每天一杯好茶", locale: "zh-CN", time_zone: "Asia/Shanghai" },
    );
    assert.equal(body.allowed_origins, undefined, "the allowlist is not part of the public view");
  });

  test("CORS follows each community's allowlist", async () => {
    await worker.putCommunity("cors-a", { name: "A", allowed_origins: [BRAND] });
    await worker.putCommunity("cors-b", { name: "B", allowed_origins: ["https://other.example"] });

    const allowed = await worker.api("/api/v1/communities/cors-a", { headers: { origin: BRAND } });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get("access-control-allow-origin"), BRAND);
    assert.match(allowed.headers.get("vary"), /Origin/i);

    const refused = await worker.api("/api/v1/communities/cors-b", { headers: { origin: BRAND } });
    assert.equal(refused.status, 403);
    assert.equal(await errorOf(refused), "origin_not_allowed");

    const preflight = await worker.api("/api/v1/communities/cors-a", {
      method: "OPTIONS",
      headers: { origin: BRAND, "access-control-request-method": "POST", "access-control-request-headers": "authorization" },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), BRAND);
    assert.match(preflight.headers.get("access-control-allow-headers"), /authorization/);

    const refusedPreflight = await worker.api("/api/v1/communities/cors-b", {
      method: "OPTIONS",
      headers: { origin: BRAND, "access-control-request-method": "POST" },
    });
    assert.equal(refusedPreflight.status, 403);
  });

  test("replacing settings is visible to the next read", async () => {
    await worker.putCommunity("renamed", { name: "Before" });
    assert.equal((await (await worker.api("/api/v1/communities/renamed")).json()).name, "Before");
    await worker.putCommunity("renamed", { name: "After" });
    assert.equal((await (await worker.api("/api/v1/communities/renamed")).json()).name, "After");
  });

  test("operator routes refuse browsers on other origins", async () => {
    const res = await worker.api("/api/v1/admin/communities/sneaky", {
      method: "PUT",
      headers: { origin: BRAND, authorization: `Bearer ${OPERATOR_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "x" }),
    });
    assert.equal(res.status, 403);
    assert.equal(await errorOf(res), "origin_not_allowed");
  });

  test("wrong methods are a 405 with Allow", async () => {
    await worker.putCommunity("methods", { name: "M" });
    const res = await worker.api("/api/v1/communities/methods", { method: "DELETE" });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get("allow"), "GET, PUT, OPTIONS");
    assert.equal(await errorOf(res), "method_not_allowed");
  });
});
