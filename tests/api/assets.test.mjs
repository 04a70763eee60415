// The static files a brand's page loads: the loader, the widget bundle, the dashboard.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants } from "node:zlib";
import { after, before, describe, test } from "node:test";
import { startWorker } from "../support/worker.mjs";

/** The loader's size budget (brotli): it is on every page of the brand's site. */
const EMBED_BUDGET = 1024;

describe("static assets", () => {
  let worker;
  before(async () => {
    worker = await startWorker();
  });
  after(() => worker?.dispose());

  async function bundleUrls() {
    const loader = await (await worker.api("/embed.js")).text();
    const glue = loader.match(/widget\/[0-9a-f]{12}\/quanzi-widget\.js/)?.[0];
    const wasm = loader.match(/widget\/[0-9a-f]{12}\/quanzi-widget\.wasm/)?.[0];
    assert.ok(glue && wasm, "embed.js names the glue and wasm in their content-hashed directory");
    return { glue: `/${glue}`, wasm: `/${wasm}` };
  }

  test("embed.js is JavaScript any page may load, within its size budget", async () => {
    const res = await worker.api("/embed.js", { headers: { origin: "https://any-brand.example" } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type"), /javascript/);
    assert.equal(res.headers.get("access-control-allow-origin"), "*");
    const bytes = Buffer.from(await res.arrayBuffer());
    const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    assert.ok(brotli <= EMBED_BUDGET, `embed.js is ${brotli} bytes brotli; the budget is ${EMBED_BUDGET}`);
  });

  test("the widget bundle is served cross-origin with the right types", async () => {
    const { glue, wasm } = await bundleUrls();
    const js = await worker.api(glue, { headers: { origin: "https://any-brand.example" } });
    assert.equal(js.status, 200);
    assert.match(js.headers.get("content-type"), /javascript/);
    assert.equal(js.headers.get("access-control-allow-origin"), "*");
    assert.match(js.headers.get("cache-control"), /immutable/);

    const bin = await worker.api(wasm, { headers: { origin: "https://any-brand.example" } });
    assert.equal(bin.status, 200);
    assert.equal(bin.headers.get("content-type"), "application/wasm");
    assert.equal(bin.headers.get("access-control-allow-origin"), "*");
    const bytes = new Uint8Array(await bin.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 4)], [0x00, 0x61, 0x73, 0x6d], "a wasm module");
  });

  test("the widget's later parts load from beside the glue, as split.js names them", async () => {
    const { glue } = await bundleUrls();
    const dir = glue.slice(0, glue.lastIndexOf("/") + 1);
    const glueText = await (await worker.api(glue)).text();
    assert.match(glueText, /from"\.\/split\.js"/, "the glue imports the part loader beside it");
    const link = await worker.api(`${dir}split.js`, { headers: { origin: "https://any-brand.example" } });
    assert.equal(link.status, 200);
    assert.match(link.headers.get("content-type"), /javascript/);
    const parts = [...(await link.text()).matchAll(/"\.\/((?:split|chunk)_[a-z0-9_]+\.wasm)"/g)].map((m) => m[1]);
    assert.ok(parts.some((p) => p.startsWith("split_profile_")), `a part for the profile among ${parts}`);
    for (const part of new Set(parts)) {
      const res = await worker.api(`${dir}${part}`, { headers: { origin: "https://any-brand.example" } });
      assert.equal(res.status, 200, part);
      assert.equal(res.headers.get("content-type"), "application/wasm", part);
      assert.equal(res.headers.get("access-control-allow-origin"), "*", part);
      assert.match(res.headers.get("cache-control"), /immutable/, part);
    }
  });

  test("the served loader is the one the build produced", async () => {
    const served = await (await worker.api("/embed.js")).text();
    assert.equal(served, readFileSync("dist/public/embed.js", "utf8"));
  });

  test("the dashboard is served at /dashboard/", async () => {
    const res = await worker.api("/dashboard/");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type"), /text\/html/);
    const html = await res.text();
    assert.match(html, /quanzi-site\.[0-9a-f]+\.js/);
    assert.equal(res.headers.get("x-frame-options"), "DENY");
  });
});
