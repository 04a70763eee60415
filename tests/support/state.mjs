// What the API lets a community's own people read, taken as one value, so a test can show
// that a request changed nothing: every `GET` route of the API document, with the community's
// real ids in its path, read as its owner (the dashboard session) where staff may read it and
// as one of its members where members may. Read through the object, not the anonymous
// snapshots (those follow a change a moment later).
import { readFileSync } from "node:fs";

const ROUTE_LIST = new URL("../../edge/src/route_list.rs", import.meta.url);
const ERROR_RS = new URL("../../core/src/error.rs", import.meta.url);

/** `[method, template]` of every route the worker serves, from `edge/src/route_list.rs`. */
export function servedRoutes() {
  const source = readFileSync(ROUTE_LIST, "utf8");
  const list = source.slice(source.indexOf("pub const ROUTES"), source.indexOf("];"));
  const routes = [...list.matchAll(/\(\s*"([A-Z]+)",\s*"([^"]+)",?\s*\)/g)].map((m) => [m[1], m[2]]);
  if (routes.length < 50) throw new Error(`only ${routes.length} routes read from route_list.rs`);
  return routes;
}

/** Every wire error code and the status that carries it, read from `core/src/error.rs`. */
export function errorStatuses() {
  const source = readFileSync(ERROR_RS, "utf8");
  const body = source.slice(source.indexOf("pub fn http_status(self) -> u16"));
  const arms = body.slice(body.indexOf("match self {"), body.indexOf("}\n    }"));
  const statuses = new Map();
  for (const [, variants, status] of arms.matchAll(/((?:\s*\|?\s*Self::\w+)+)\s*=>\s*(\d{3})/g)) {
    for (const [, name] of variants.matchAll(/Self::(\w+)/g)) {
      statuses.set(name.replace(/(?<!^)([A-Z])/g, "_$1").toLowerCase(), Number(status));
    }
  }
  if (!statuses.has("not_found") || statuses.size < 15) throw new Error(`error.rs not understood: ${[...statuses]}`);
  return statuses;
}

/** The API document the worker serves. */
export async function apiDocument(worker) {
  const res = await worker.api("/api/v1/openapi.json");
  if (res.status !== 200) throw new Error(`openapi.json: ${res.status}`);
  return res.json();
}

/** The schemes an operation of the document accepts: `anonymous`, `member`, `marketer_session`, `operator`. */
export function schemesOf(op) {
  return new Set((op.security ?? []).flatMap((r) => (Object.keys(r).length ? Object.keys(r) : ["anonymous"])));
}

/** `template` with each `{name}` replaced by `ids[name]` (an error if one is missing). */
export function fill(template, ids) {
  return template.replace(/\{(\w+)\}/g, (_, name) => {
    if (!(name in ids)) throw new Error(`${template}: no id for {${name}}`);
    return encodeURIComponent(ids[name]);
  });
}

/** Fields whose value moves with the clock, not with what anyone did. */
const CLOCK_FIELDS = new Set(["age_days", "generated_at", "now", "today", "exported_at"]);

/**
 * The community's readable state: `{"GET /path as who": "status body"}` for each `GET` of the
 * document (`only`: a filter on the template). `community` is what `populated.mjs` returns.
 */
export async function readableState(worker, doc, community, { only = () => true } = {}) {
  const reads = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const op = item.get;
    if (!op || !template.startsWith("/api/v1/communities/{slug}") || !only(template)) continue;
    const schemes = schemesOf(op);
    const query = new URLSearchParams();
    for (const p of op.parameters ?? []) {
      if (p.in !== "query") continue;
      const value = community.query[p.name] ?? (p.required ? p.example : undefined);
      if (value !== undefined) query.set(p.name, value);
    }
    const url = fill(template, community.ids) + (query.size ? `?${query}` : "");
    if (schemes.has("marketer_session")) reads.push([`${template} as owner`, () => community.owner.api(url)]);
    if (schemes.has("member")) {
      const headers = { authorization: `Bearer ${community.token(community.members.author)}` };
      reads.push([`${template} as member`, () => worker.api(url, { headers })]);
    }
  }
  const answers = await Promise.all(
    reads.map(async ([what, read]) => {
      const res = await read();
      const text = await res.text();
      let shown = text;
      if (res.headers.get("content-type")?.startsWith("application/json") && text) {
        shown = JSON.stringify(JSON.parse(text, (k, v) => (CLOCK_FIELDS.has(k) ? "(clock)" : v)));
      }
      return [what, `${res.status} ${shown}`];
    }),
  );
  return Object.fromEntries(answers);
}
