// The API document (`GET /api/v1/openapi.json`) against the real worker: it is served, it is
// valid OpenAPI 3.1, every operation it lists is routed by the worker (not refused as an
// unknown route or method), every answer's status is one it documents, and the answers
// that succeed match their documented schema. (That the worker serves no route the document
// lacks is checked natively: openapi/tests/routes.rs against edge/src/route_list.rs, the
// list the worker's gate lets through.)
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import { codeOf } from "../support/community.mjs";
import { marketer } from "../support/marketer.mjs";
import { addSsoKey, signMemberToken } from "../support/sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

const METHODS = ["get", "post", "put", "patch", "delete"];
const DOC_ID = "https://quanzi.invalid/api/v1/openapi.json";

describe("the API document", () => {
  let worker, doc, member, staff;

  before(async () => {
    worker = await startWorker();
    const res = await worker.api("/api/v1/openapi.json");
    assert.equal(res.status, 200, "the document is served");
    doc = await res.json();
    // The example slug of the document names a real community, so calls reach its routes.
    const slug = doc.paths["/api/v1/communities/{slug}"].get.parameters.find((p) => p.name === "slug").example;
    await worker.putCommunity(slug, { name: "Demo" });
    const key = await addSsoKey(worker, slug, OPERATOR_TOKEN);
    member = signMemberToken(key, { sub: "u_42", name: "Lin", aud: slug });
    const joined = await worker.api(`/api/v1/communities/${slug}/join`, {
      method: "POST",
      headers: { authorization: `Bearer ${member}`, "content-type": "application/json" },
      body: JSON.stringify({ accept_rules: true }),
    });
    assert.equal(joined.status, 201, await joined.text());
    staff = await marketer(worker, { email: "mia@brand.example" });
  });
  after(() => worker?.dispose());

  /** Every `{method, path, op}` of the document. */
  function operations() {
    const out = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of METHODS) if (item[method]) out.push({ method, path, op: item[method] });
    }
    return out;
  }

  /** The path with its parameters' examples, and the required query parameters'. */
  function concrete(path, op) {
    let url = path;
    const query = new URLSearchParams();
    for (const p of op.parameters ?? []) {
      if (p.in === "path") url = url.replace(`{${p.name}}`, encodeURIComponent(p.example));
      if (p.in === "query" && p.required) query.set(p.name, p.example);
    }
    assert.ok(!url.includes("{"), `${path}: a path parameter without an example`);
    return query.size ? `${url}?${query}` : url;
  }

  /** Credentials `op` accepts: the operator's where it may (it may do what staff may), else
   * the member's, else the marketer's session. */
  function credentials(op) {
    const schemes = (op.security ?? []).flatMap((r) => Object.keys(r));
    if (schemes.includes("operator")) return { authorization: `Bearer ${OPERATOR_TOKEN}` };
    if (schemes.includes("member")) return { authorization: `Bearer ${member}` };
    if (schemes.includes("marketer_session")) return { cookie: staff.cookie, "x-csrf-token": staff.me.csrf };
    return {};
  }

  test("is served by the assets binding as JSON, to any origin", async () => {
    const res = await worker.api("/api/v1/openapi.json", { headers: { origin: "https://any-brand.example" } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type"), /^application\/json/);
    assert.equal(res.headers.get("access-control-allow-origin"), "*");
    const body = await res.json();
    assert.equal(body.openapi, "3.1.0");
  });

  test("is valid OpenAPI 3.1 and every reference resolves", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    assert.equal(validator.version, "3.1");
    assert.ok(result.valid, JSON.stringify(result.errors, null, 2));
    assert.doesNotThrow(() => validator.resolveRefs());
  });

  test("every documented operation is routed by the worker and answers a documented status", async () => {
    const codes = doc.components.schemas.ErrorCode.enum;
    const problems = [];
    const ops = operations();
    assert.ok(ops.length > 80, `${ops.length} operations`);
    for (const { method, path, op } of ops) {
      const url = concrete(path, op);
      const headers = credentials(op);
      const init = { method: method.toUpperCase(), headers };
      if (op.requestBody) {
        headers["content-type"] = "application/json";
        init.body = "{}";
      }
      const res = await worker.api(url, init);
      const what = `${method.toUpperCase()} ${url} → ${res.status}`;
      if (!(String(res.status) in op.responses)) problems.push(`${what}: not a documented status`);
      if (res.status >= 400) {
        const body = await res.json();
        const code = body?.error?.code;
        if (typeof body?.error?.message !== "string" || !codes.includes(code)) {
          problems.push(`${what}: not the error body: ${JSON.stringify(body)}`);
        } else if (code === "route_not_found" || code === "method_not_allowed") {
          problems.push(`${what}: ${code}: the worker does not route it`);
        }
      } else {
        await res.arrayBuffer();
      }
    }
    assert.deepEqual(problems, []);
  });

  test("answers that succeed match their documented schema", async (t) => {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema({ $id: DOC_ID, components: doc.components });
    const absolute = (schema) =>
      JSON.parse(JSON.stringify(schema), (k, v) => (k === "$ref" && v.startsWith("#") ? DOC_ID + v : v));
    // The operations above signed the marketer out; sign in again for `GET /auth/me`.
    staff = await marketer(worker, { email: "mia@brand.example", login: true });
    let checked = 0;
    const problems = [];
    const skipped = [];
    // Reads only: the same calls a reader makes, as the caller each one expects.
    for (const { method, path, op } of operations().filter((o) => o.method === "get")) {
      const url = concrete(path, op);
      const res = await worker.api(url, { headers: credentials(op) });
      const documented = op.responses[String(res.status)];
      const schema = documented?.content?.["application/json"]?.schema;
      if (res.status >= 300 || !schema) {
        skipped.push(`${url} ${res.status}`);
        await res.arrayBuffer();
        continue;
      }
      const validate = ajv.compile(absolute(schema));
      const body = await res.json();
      checked += 1;
      if (!validate(body)) problems.push(`GET ${url}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
    }
    t.diagnostic(`${checked} answers checked against their schemas; not a success: ${skipped.join(", ")}`);
    assert.deepEqual(problems, []);
    assert.ok(checked >= 20, `only ${checked} answers were checked`);
  });

  test("a route the document does not list is refused as such", async () => {
    const unknown = await worker.api("/api/v1/communities/demo/nothing-here");
    assert.equal(unknown.status, 404);
    assert.equal(await codeOf(unknown), "route_not_found");
    const wrongMethod = await worker.api("/api/v1/communities/demo/threads", { method: "DELETE" });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get("allow"), "GET, POST, OPTIONS");
    assert.equal(await codeOf(wrongMethod), "method_not_allowed");
    // A missing thing on a real route is a different answer from a missing route.
    const missing = await worker.api("/api/v1/communities/demo/threads/a1b2c3d4e5f6a7b8c9d0");
    assert.equal(missing.status, 404);
    assert.equal(await codeOf(missing), "not_found");
  });
});
