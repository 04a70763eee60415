// Property-based requests from the API document, on the real worker. For every operation
// that takes a body or path/query parameters, fast-check draws requests from the
// operation's own schemas (so many get past parsing into the rules) and from hostile
// inputs: wrong types, missing and extra fields, strings up to 1 MB, deep nesting, bytes
// that are not UTF-8, bad cursors, unicode edge cases, negative and huge numbers, as each
// caller the operation accepts or none. Whatever is sent: no 5xx; every error is the JSON
// error model with a code of core/src/error.rs and the status that code carries (and one
// the document lists); and a refused request changes nothing a cheap read of the community
// shows. The seed and the number of runs are fixed; a failure prints the request.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { populate } from "../support/populated.mjs";
import { apiDocument, errorStatuses, readableState, schemesOf } from "../support/state.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

/** The seed of every property (each operation's run adds its index); `FUZZ_SEED` explores others. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
/** Requests per operation; `FUZZ_RUNS` runs more. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 8);
/** What a refused request must not change: reads that show each area's state. */
const CHEAP_STATE = new Set(
  [
    "",
    "/settings",
    "/sso-keys",
    "/join",
    "/applications",
    "/topics",
    "/threads/{thread}",
    "/events/{event}/attendees",
    "/rewards",
    "/badges",
    "/points/rules",
    "/levels",
    "/members",
    "/me/points",
    "/moderation/audit",
    "/moderation/bans",
    "/moderation/settings",
    "/notifications",
    "/segments",
    "/webhooks",
    "/team",
    "/automations",
  ].map((rest) => `/api/v1/communities/{slug}${rest}`),
);
const METHODS = ["get", "post", "put", "patch", "delete"];

const MB = "x".repeat(1 << 20);
const DEEP = 100_000;
/** Strings that have broken parsers before. */
const NASTY_STRINGS = [
  "",
  " ",
  "\t\n",
  "null",
  "undefined",
  "0",
  "-1",
  "1e309",
  "NaN",
  "../../etc/passwd",
  "a/b",
  "%00",
  "\u0000",
  "\u202egnp.exe",
  "\ufeffbom",
  "\ud800",
  "👩‍👩‍👧‍👦".repeat(50),
  "ｆｕｌｌｗｉｄｔｈ",
  "İıſK",
  "<script>alert(1)</script>",
  "'; DROP TABLE x; --",
  "a".repeat(64 * 1024 + 1),
  MB,
];
const NASTY_NUMBERS = [-1, 0, 1, -0, 0.5, -2147483649, 2147483648, 4294967296, Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308];
/** Raw values for path segments and query parameters: percent-encoding and its abuse. */
const RAW_SEGMENTS = ["%ff", "%fe%ff", "%c0%af", "%2F", "%2e%2e", "..", "%00", "%", "%zz", "a%20b", "%E2%80%AE"];
const QUERY_VALUES = ["-1", "0", "51", "1000000000000", "1e3", "1.5", "NaN", "true", "2026-02-30", "2026-13-01", "0000-01-01", "99999-01-01", "%ff", "AAAA", "eyJ4IjoxfQ", "0:0:0", "-"];

/** Percent-encodes any string (lone surrogates too, as UTF-8's replacement character). */
const encode = (s) => [...Buffer.from(s, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");

/** A fast-check arbitrary of values for a JSON schema of the document (depth-bounded). */
function fromSchema(doc, schema, depth = 0) {
  if (depth > 6) return fc.constant(null);
  if (schema.$ref) return fromSchema(doc, doc.components.schemas[schema.$ref.split("/").pop()], depth + 1);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.oneOf || schema.anyOf) return fc.oneof(...(schema.oneOf ?? schema.anyOf).map((s) => fromSchema(doc, s, depth + 1)));
  if (schema.allOf) {
    return fc.tuple(...schema.allOf.map((s) => fromSchema(doc, s, depth + 1))).map((parts) => Object.assign({}, ...parts.filter((p) => p && typeof p === "object")));
  }
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => fromSchema(doc, { ...schema, type }, depth)));
  switch (schema.type) {
    case "object": {
      const props = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, fromSchema(doc, s, depth + 1)]));
      return fc.record(props, { requiredKeys: schema.required ?? [] });
    }
    case "array":
      return fc.array(schema.items ? fromSchema(doc, schema.items, depth + 1) : fc.jsonValue(), { maxLength: 4 });
    case "string":
      return fc.oneof(
        { weight: 3, arbitrary: fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 30) }) },
        fc.string({ unit: "binary", maxLength: 30 }),
        fc.stringMatching(/^[a-z0-9-]{1,12}$/),
        fc.constantFrom(...NASTY_STRINGS),
      );
    case "integer":
      return fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: schema.minimum ?? -1000, max: Math.min(schema.maximum ?? 1000, 2 ** 31) }) },
        fc.constantFrom(...NASTY_NUMBERS),
      );
    case "number":
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(...NASTY_NUMBERS));
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A body for `op`: the schema's values, broken a little or a lot, or hostile bytes. */
function bodies(doc, op) {
  const schema = op.requestBody.content["application/json"].schema;
  const shaped = fromSchema(doc, schema);
  const wrong = fc.oneof(fc.constantFrom(...NASTY_STRINGS), fc.constantFrom(...NASTY_NUMBERS), fc.jsonValue({ maxDepth: 3 }));
  const json = (arb) => arb.map((value) => ({ text: JSON.stringify(value) }));
  return fc.oneof(
    { weight: 5, arbitrary: json(shaped) },
    // One field of a good shape replaced by a wrong one, removed, or joined by an extra one.
    {
      weight: 4,
      arbitrary: json(
        fc.tuple(shaped, wrong, fc.nat(), fc.constantFrom("replace", "remove", "extra")).map(([value, bad, i, how]) => {
          if (!value || typeof value !== "object" || Array.isArray(value)) return bad;
          const keys = Object.keys(value);
          const key = keys.length ? keys[i % keys.length] : "field";
          if (how === "remove") delete value[key];
          else value[how === "extra" ? `${key}_extra` : key] = bad;
          return value;
        }),
      ),
    },
    { weight: 2, arbitrary: json(fc.jsonValue({ maxDepth: 4 })) },
    fc.constantFrom(
      { text: "" },
      { text: "{" },
      { text: "not json" },
      { text: "\ufeff{}" },
      { text: '{"a":1,"a":2}' },
      { text: "[".repeat(DEEP) + "]".repeat(DEEP) },
      { text: '{"a":'.repeat(DEEP / 10) + "1" + "}".repeat(DEEP / 10) },
      { text: JSON.stringify({ big: MB }) },
      { text: JSON.stringify(MB) },
      { bytes: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0xaf, 0x22, 0x7d]) },
      { bytes: Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x00, 0x7d]) },
    ),
  );
}

/** A value for a path parameter: the real one mostly for the slug, anything otherwise. */
function segments(name, real) {
  const drawn = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 20 }), fc.stringMatching(/^[a-z0-9-]{1,45}$/), fc.constantFrom(...NASTY_STRINGS.filter((s) => s.length < 5000)));
  return fc.oneof(
    { weight: name === "slug" ? 12 : 3, arbitrary: fc.constant({ raw: encodeURIComponent(real) }) },
    { weight: 2, arbitrary: drawn.map((s) => ({ raw: encode(s) })) },
    fc.constantFrom(...RAW_SEGMENTS).map((raw) => ({ raw })),
  );
}

/** A query value: boundary numbers and dates, bad cursors, unicode, long strings. */
const queryValue = fc.oneof(
  fc.constantFrom(...QUERY_VALUES).map((raw) => ({ raw })),
  fc.string({ unit: "binary", maxLength: 40 }).map((s) => ({ raw: encode(s) })),
  fc.integer().map((n) => ({ raw: String(n) })),
  fc.base64String({ maxLength: 60 }).map((s) => ({ raw: encodeURIComponent(s) })),
  fc.constant({ raw: "q".repeat(2_000) }),
);

describe("fuzzing every operation of the API document", () => {
  let worker, doc, statuses, community;

  before(async () => {
    worker = await startWorker();
    doc = await apiDocument(worker);
    statuses = errorStatuses();
    community = await populate(worker, "fuzz");
  });
  after(() => worker?.dispose());

  /** The community's cheap state. */
  const state = () => readableState(worker, doc, community, { only: (template) => CHEAP_STATE.has(template) });

  /** Headers for `who`, one of the schemes an operation accepts (or `anonymous`). */
  function credentials(who) {
    switch (who) {
      case "operator":
        return { authorization: `Bearer ${OPERATOR_TOKEN}` };
      case "member":
        return { authorization: `Bearer ${community.token(community.members.author)}` };
      case "moderator":
        return { authorization: `Bearer ${community.token(community.members.moderator)}` };
      case "marketer_session":
        return { cookie: community.owner.cookie, "x-csrf-token": community.owner.me.csrf };
      default:
        return {};
    }
  }

  /** Every operation with a body or a path or query parameter. */
  function operations() {
    const out = [];
    for (const [template, item] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const params = (op.parameters ?? []).filter((p) => p.in === "path" || p.in === "query");
        if (op.requestBody || params.length) out.push({ method: method.toUpperCase(), template, op, params });
      }
    }
    return out;
  }

  /** The arbitrary of whole requests for one operation. */
  function requests({ method, template, op, params }) {
    const path = Object.fromEntries(
      params.filter((p) => p.in === "path").map((p) => [p.name, segments(p.name, p.name === "member" ? community.members.author : community.ids[p.name])]),
    );
    const query = Object.fromEntries(params.filter((p) => p.in === "query").map((p) => [p.name, queryValue]));
    const schemes = [...schemesOf(op)].map((s) => (s === "anonymous" ? "none" : s));
    if (schemes.includes("member")) schemes.push("moderator");
    return fc
      .record(
        {
          path: fc.record(path),
          query: fc.record(query, { requiredKeys: [] }),
          extraQuery: fc.option(fc.tuple(fc.stringMatching(/^[a-z_]{1,10}$/), queryValue), { nil: undefined }),
          who: fc.constantFrom(...schemes, "none"),
          body: op.requestBody ? bodies(doc, op) : fc.constant(undefined),
          contentType: fc.constantFrom("application/json", "application/json", "application/json", "text/plain", undefined),
          idempotencyKey: fc.option(fc.stringMatching(/^[\x21-\x7e]{0,300}$/), { nil: undefined }),
        },
        { requiredKeys: ["path", "query", "who", "body", "contentType"] },
      )
      .map((r) => {
        let url = template.replace(/\{(\w+)\}/g, (_, name) => r.path[name].raw);
        const pairs = Object.entries(r.query).map(([k, v]) => `${k}=${v.raw}`);
        if (r.extraQuery) pairs.push(`${r.extraQuery[0]}=${r.extraQuery[1].raw}`);
        if (pairs.length) url += `?${pairs.join("&")}`;
        const request = { method, url, who: r.who, contentType: r.contentType, idempotencyKey: r.idempotencyKey, body: r.body };
        // Printed on failure: the request, long bodies cut short.
        Object.defineProperty(request, fc.toStringMethod, {
          value: () => {
            const body = r.body?.bytes ? `bytes ${r.body.bytes.toString("hex")}` : (r.body?.text ?? "");
            const shown = body.length > 300 ? `${body.slice(0, 300)}… (${body.length} chars)` : body;
            return `${method} ${url.length > 300 ? `${url.slice(0, 300)}…` : url} as ${r.who}, content-type ${r.contentType}, body ${JSON.stringify(shown)}`;
          },
        });
        return request;
      });
  }

  /** Sends `request`; returns `{status, text}` after checking the error model. */
  async function send(request, op) {
    const headers = credentials(request.who);
    if (request.body !== undefined && request.contentType) headers["content-type"] = request.contentType;
    if (request.idempotencyKey !== undefined) headers["idempotency-key"] = request.idempotencyKey;
    const body = request.body === undefined ? undefined : (request.body.bytes ?? request.body.text);
    const res = await worker.api(request.url, { method: request.method, headers, body });
    const text = await res.text();
    assert.ok(res.status < 500, `${res.status}: ${text}`);
    if (res.status >= 400) {
      assert.match(res.headers.get("content-type") ?? "", /^application\/json/, `${res.status}: ${text}`);
      const parsed = JSON.parse(text);
      const code = parsed?.error?.code;
      assert.equal(typeof parsed?.error?.message, "string", text);
      assert.ok(statuses.has(code) && code !== "unknown", `not a code of error.rs: ${text}`);
      assert.equal(res.status, statuses.get(code), `\`${code}\` is carried by ${statuses.get(code)}, not ${res.status}`);
      // `..`, `%2e%2e` and empty segments make another path: another route's answer.
      const routed = !["route_not_found", "method_not_allowed", "community_not_found"].includes(code);
      if (routed) assert.ok(String(res.status) in op.responses, `${res.status} is not a documented answer: ${text}`);
    }
    return { status: res.status, text };
  }

  test("the operations and the error codes are read", () => {
    assert.ok(operations().length > 100, `${operations().length} operations`);
    assert.equal(statuses.get("invalid_input"), 400);
    assert.equal(statuses.get("idempotency_key_reused"), 422);
  });

  test("what fuzzing found stays fixed, and hostile bodies are plain refusals", async () => {
    const member = { who: "member", contentType: "application/json" };
    const staff = { who: "marketer_session", contentType: "application/json" };
    const thread = `/api/v1/communities/fuzz/threads/${community.ids.thread}/replies`;
    const cases = [
      // Found: a view without parameters refused an unknown one with a 400 its operation
      // did not document.
      [{ ...staff, method: "GET", url: "/api/v1/communities/fuzz/insight/tiers.csv?_zarapplyr=1803984203" }, 400, "GET", "/api/v1/communities/{slug}/insight/tiers.csv"],
      [{ ...member, method: "POST", url: thread, body: { text: "[".repeat(DEEP) + "]".repeat(DEEP) } }, 400],
      [{ ...member, method: "POST", url: thread, body: { text: JSON.stringify({ body: MB }) } }, 400],
      // Found: a body that is not UTF-8 was decoded with `�` in place of the bad bytes, and
      // the mangled post stored.
      [{ ...member, method: "POST", url: thread, body: { bytes: Buffer.from([0x7b, 0x22, 0x62, 0x6f, 0x64, 0x79, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) } }, 400],
      [{ ...member, method: "POST", url: thread, body: { text: '{"body":"\\ud800"}' } }, 400],
      [{ ...member, method: "GET", url: "/api/v1/communities/fuzz/me/points/ledger?cursor=%ff%fe" }, 400],
      [{ ...member, method: "GET", url: "/api/v1/communities/fuzz/threads?limit=1000000000000" }, 400],
      [{ ...staff, method: "GET", url: "/api/v1/communities/fuzz/members?min_points=-1" }, 400],
    ];
    const before = await state();
    for (const [request, status, method = request.method, template] of cases) {
      const op = template ? doc.paths[template][method.toLowerCase()] : { responses: { [status]: {} } };
      const answer = await send(request, op);
      assert.equal(answer.status, status, `${request.method} ${request.url.slice(0, 120)}: ${answer.text}`);
    }
    assert.deepEqual(await state(), before, "the refusals changed nothing");
  });

  test("no request gets a 5xx or an error outside the model, and refusals change nothing", async (t) => {
    const ops = operations();
    let seen = await state();
    let sent = 0;
    let succeeded = 0;
    const failures = [];
    for (const [index, operation] of ops.entries()) {
      const { method, template, op } = operation;
      const failed = await fc.check(
        fc.asyncProperty(requests(operation), async (request) => {
          const { status, text } = await send(request, op);
          sent += 1;
          if (request.body?.bytes) assert.ok(status >= 400, `a body that is not UTF-8 was taken: ${status} ${text.slice(0, 300)}`);
          if (status < 400) {
            succeeded += 1;
            // A new sign-in key retires older ones: members sign with the newest.
            if (template.endsWith("/sso-keys") && method === "POST") community.key = JSON.parse(text);
            seen = await state();
          } else if (method !== "GET") {
            const now = await state();
            const changed = Object.keys(seen).filter((k) => seen[k] !== now[k]);
            seen = now;
            assert.deepEqual(changed, [], `refused with ${status} ${text.slice(0, 300)}, yet changed what these read`);
          }
        }),
        { seed: SEED + index, numRuns: RUNS, endOnFailure: true },
      );
      if (failed.failed) {
        const why = failed.errorInstance instanceof Error ? failed.errorInstance.message : String(failed.errorInstance);
        failures.push(`${method} ${template}: ${why.slice(0, 600)}\n${fc.defaultReportMessage(failed)}`);
        seen = await state();
      }
    }
    const final = await state();
    assert.deepEqual(Object.keys(seen).filter((k) => seen[k] !== final[k]), [], "the reads changed the community");
    t.diagnostic(`${ops.length} operations, ${sent} requests, ${succeeded} succeeded`);
    assert.deepEqual(failures, [], `seed ${SEED}, ${RUNS} runs per operation`);
  });
});
