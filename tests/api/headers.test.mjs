// Security headers on what the worker serves: the dashboard's page and files (a strict
// Content Security Policy, no framing, no sniffing), the widget's files, and API answers.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { startWorker } from "../support/worker.mjs";

/** The directives of a Content-Security-Policy header: `{name: [values]}`. */
function directives(header) {
  assert.ok(header, "a Content-Security-Policy header");
  return Object.fromEntries(
    header
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name, values]),
  );
}

describe("security headers", () => {
  let worker, html;

  before(async () => {
    worker = await startWorker();
    await worker.putCommunity("tea", { name: "Tea", allowed_origins: ["https://brand.example"] });
    const res = await worker.api("/dashboard/");
    assert.equal(res.status, 200);
    html = await res.text();
  });

  after(async () => {
    await worker?.dispose();
  });

  test("the dashboard's page has a strict policy and cannot be framed", async () => {
    const res = await worker.api("/dashboard/");
    assert.match(res.headers.get("content-type"), /^text\/html/);
    assert.equal(res.headers.get("x-frame-options"), "DENY");
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("referrer-policy"), "same-origin");
    const csp = directives(res.headers.get("content-security-policy"));
    assert.deepEqual(csp["default-src"], ["'self'"]);
    assert.deepEqual(csp["frame-ancestors"], ["'none'"]);
    assert.deepEqual(csp["object-src"], ["'none'"]);
    assert.deepEqual(csp["base-uri"], ["'none'"]);
    assert.deepEqual(csp["connect-src"], ["'self'"]);
    // Scripts: this origin, WebAssembly, and exactly the page's inline boot script by hash.
    const scripts = csp["script-src"];
    assert.deepEqual(scripts.slice(0, 2), ["'self'", "'wasm-unsafe-eval'"]);
    assert.ok(!scripts.includes("'unsafe-inline'") && !scripts.includes("'unsafe-eval'"), scripts.join(" "));
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    assert.ok(inline.length >= 1, "the page boots with an inline module script");
    const hashes = inline.map((body) => `'sha256-${createHash("sha256").update(body).digest("base64")}'`);
    assert.deepEqual(scripts.slice(2), hashes, "every inline script, and nothing else, is allowed by its hash");
    assert.ok(!html.includes("__DASHBOARD_CSP__"));
  });

  test("the dashboard's files are not sniffed or framed", async () => {
    const files = [...html.matchAll(/(quanzi-site\.[0-9a-f]+\.(?:js|wasm))/g)].map((m) => m[1]);
    assert.ok(files.some((f) => f.endsWith(".js")) && files.some((f) => f.endsWith(".wasm")), html);
    for (const file of new Set(files)) {
      const res = await worker.api(`/dashboard/${file}`);
      assert.equal(res.status, 200, file);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff", file);
      assert.equal(res.headers.get("x-frame-options"), "DENY", file);
      await res.arrayBuffer();
    }
  });

  test("the widget's files may be loaded by any page but are not sniffed", async () => {
    const res = await worker.api("/embed.js");
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("access-control-allow-origin"), "*");
    const loader = await res.text();
    const glue = loader.match(/widget\/[0-9a-f]+\/[\w.-]+\.js/);
    assert.ok(glue, "embed.js names the widget's glue");
    const asset = await worker.api(`/${glue[0]}`);
    assert.equal(asset.status, 200, glue[0]);
    assert.equal(asset.headers.get("x-content-type-options"), "nosniff");
    assert.match(asset.headers.get("content-type"), /javascript/);
    await asset.arrayBuffer();
  });

  test("API answers are never sniffed, rendered as pages or framed", async () => {
    const cases = [
      ["GET", "/api/v1/communities/tea", 200],
      ["GET", "/api/v1/communities/nowhere", 404],
      ["GET", "/api/v1/no/such/route", 404],
      ["DELETE", "/api/v1/communities/tea", 405],
      ["GET", "/api/v1/auth/me", 401, null],
      ["POST", "/api/v1/auth/login", 400, null],
      ["GET", "/api/v1/auth/me", 403, "https://evil.example"],
      ["GET", "/api/v1/communities/tea/threads", 200],
    ];
    for (const [method, path, status, origin = "https://brand.example"] of cases) {
      const res = await worker.api(path, { method, headers: origin ? { origin } : {} });
      assert.equal(res.status, status, `${method} ${path}: ${await res.clone().text()}`);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff", `${method} ${path}`);
      const csp = directives(res.headers.get("content-security-policy"));
      assert.deepEqual(csp["default-src"], ["'none'"], `${method} ${path}`);
      assert.deepEqual(csp["frame-ancestors"], ["'none'"], `${method} ${path}`);
      await res.arrayBuffer();
    }
    // A CORS preflight too.
    const preflight = await worker.api("/api/v1/communities/tea/threads", {
      method: "OPTIONS",
      headers: { origin: "https://brand.example", "access-control-request-method": "POST" },
    });
    assert.ok(preflight.status < 300, String(preflight.status));
    assert.equal(preflight.headers.get("x-content-type-options"), "nosniff");
  });
});
