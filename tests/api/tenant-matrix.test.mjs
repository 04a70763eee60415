// Tenant isolation, route by route, on the real worker. Two communities, A and B, each with
// one of everything (tests/support/populated.mjs). Every route the worker serves
// (edge/src/route_list.rs) is classified below; a route nobody classified fails the first
// test, so a new route cannot go unchecked. Then each route is called on B with each
// identity of A (a member's token, a member moderator's token, the owner's, an admin's and
// a moderator's dashboard session with its CSRF token), with a body that would be valid: a guarded route refuses
// with 401/403/404 and the JSON error model, never B's data; a public read answers what
// anybody reads; and B's readable state (every GET of the API document, as B's owner and
// as B's member) is the same after as before. Last, B's ids inside A's paths are not found,
// and neither community changes (but for member ids staff may act on ahead: see ACTS_AHEAD).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { isDeepStrictEqual } from "node:util";
import { marketer } from "../support/marketer.mjs";
import { populate } from "../support/populated.mjs";
import { apiDocument, errorStatuses, fill, readableState, schemesOf, servedRoutes } from "../support/state.mjs";
import { startWorker } from "../support/worker.mjs";

const COMMUNITY = "/api/v1/communities/{slug}";
const HOUR = 3600_000;
const DAY = 24 * HOUR;

// How a route answers another community's people.
/** Only B's members, staff or the operator: A's identities are refused (401, 403, 404). */
const guarded = (body, member) => ({ kind: "guarded", body, member });
/** Anyone reads it (the widget's reads): A's identities get what an anonymous visitor gets. */
const PUBLIC = { kind: "public" };
/** The caller's own dashboard account, in no community: not a route of B. */
const ACCOUNT = { kind: "account" };
/** Makes a new community: B's slug is taken (409 `conflict`) or the caller is refused. */
const create = (body) => ({ kind: "create", body });

const TAKEN = "Taken over";
const draft = () => ({
  title: TAKEN,
  venue: { kind: "offline", place: "Elsewhere" },
  starts_at: Date.now() + 5 * DAY,
  ends_at: Date.now() + 5 * DAY + HOUR,
});
const content = (b) => ({ target: { kind: "post", thread: b.ids.thread }, reason: TAKEN });

/**
 * Every route, keyed `METHOD template` (`…` is `/api/v1/communities/{slug}`). A write's
 * `body(b)` is valid for community `b` (its ids, and `b.current`: what its staff read), so a
 * refusal is the caller's, not the body's; `member` names which of `b.members` the
 * `{member}` of the path is (default: the author).
 */
const ROUTES = {
  "POST /api/v1/auth/signup": ACCOUNT,
  "POST /api/v1/auth/login": ACCOUNT,
  "POST /api/v1/auth/logout": ACCOUNT,
  "POST /api/v1/auth/password": ACCOUNT,
  "GET /api/v1/auth/me": ACCOUNT,
  "PUT /api/v1/admin/communities/{slug}": guarded(() => ({ name: TAKEN })),
  "POST /api/v1/communities": create((b) => ({ slug: b.slug, settings: { name: TAKEN } })),
  "GET …": PUBLIC,
  "PUT …": guarded(() => ({ name: TAKEN })),
  "GET …/settings": guarded(),
  "GET …/first-view": PUBLIC,
  "GET …/sso-keys": guarded(),
  "POST …/sso-keys": guarded(),
  "GET …/webhooks": guarded(),
  "POST …/webhooks": guarded(() => ({ url: "https://hooks.taken.example/q", events: ["thread.created"] })),
  "DELETE …/webhooks/{webhook}": guarded(),
  "GET …/webhooks/{webhook}/deliveries": guarded(),
  "POST …/checkins": guarded(),
  "GET …/checkins/me": guarded(),
  "PUT …/checkins/reminder": guarded(() => ({ enabled: true })),
  "GET …/topics": PUBLIC,
  "POST …/topics": guarded(() => ({ id: "taken-over", name: TAKEN })),
  "PUT …/topics/{topic}": guarded(() => ({ name: TAKEN })),
  "POST …/topics/{topic}/membership": guarded(),
  "DELETE …/topics/{topic}/membership": guarded(),
  "GET …/topics/{topic}/threads": PUBLIC,
  "GET …/threads": PUBLIC,
  "POST …/threads": guarded((b) => ({ topic: b.ids.topic, title: TAKEN, body: TAKEN })),
  "GET …/threads/{thread}": PUBLIC,
  "PATCH …/threads/{thread}": guarded(() => ({ title: TAKEN })),
  "DELETE …/threads/{thread}": guarded(),
  "GET …/threads/{thread}/replies": PUBLIC,
  "POST …/threads/{thread}/replies": guarded(() => ({ body: TAKEN })),
  "PATCH …/threads/{thread}/replies/{reply}": guarded(() => ({ body: TAKEN })),
  "DELETE …/threads/{thread}/replies/{reply}": guarded(),
  "POST …/threads/{thread}/reactions": guarded(() => ({ kind: "heart" })),
  "POST …/threads/{thread}/replies/{reply}/reactions": guarded(() => ({ kind: "heart" })),
  "PUT …/threads/{thread}/answer": guarded((b) => ({ reply: b.ids.reply })),
  "PUT …/threads/{thread}/flags": guarded(() => ({ pinned: true, locked: true, featured: true })),
  "GET …/pages/comments": PUBLIC,
  "POST …/pages/comments": guarded(() => ({ body: TAKEN })),
  "GET …/events": PUBLIC,
  "POST …/events": guarded(draft),
  "POST …/events/reminders": guarded(),
  "GET …/events/{event}": PUBLIC,
  "PATCH …/events/{event}": guarded(() => ({ title: TAKEN, venue: { kind: "offline", place: "Elsewhere" } })),
  "POST …/events/{event}/cancel": guarded(() => ({ reason: TAKEN })),
  "PUT …/events/{event}/capacity": guarded(() => ({ capacity: 1 })),
  "POST …/events/{event}/attendance-code": guarded(),
  "GET …/events/{event}/attendees": guarded(),
  "GET …/events/{event}/attendees.csv": guarded(),
  "POST …/events/{event}/attendees/{member}/attendance": guarded(undefined, "replier"),
  "POST …/events/{event}/signup": guarded(() => ({})),
  "DELETE …/events/{event}/signup": guarded(),
  // B's real attendance code: knowing it is not being B's member.
  "POST …/events/{event}/check-in": guarded((b) => ({ code: b.current.attendees.attendance_code })),
  "GET …/me/points": guarded(),
  "GET …/me/points/ledger": guarded(),
  "PUT …/me/title": guarded((b) => ({ badge: b.ids.badge })),
  "GET …/rewards": PUBLIC,
  "POST …/rewards": guarded(() => ({ id: "taken-over", name: TAKEN, cost: 1 })),
  "PUT …/rewards/{reward}": guarded(() => ({ name: TAKEN, cost: 1, stock: 1000 })),
  "POST …/rewards/{reward}/redeem": guarded(),
  "POST …/points/adjustments": guarded((b) => ({ member: b.ids.member, delta: 1000, reason: TAKEN })),
  "GET …/points/rules": PUBLIC,
  "PUT …/points/rules": guarded((b) => ({ ...b.current.rules, points: { ...b.current.rules.points, post: { points: 999, daily_cap: null } } })),
  "GET …/levels": PUBLIC,
  "PUT …/levels": guarded((b) => ({ levels: b.current.levels.levels.map((l, i) => (i ? l : { ...l, names: { en: TAKEN, zh_cn: TAKEN } })) })),
  "GET …/badges": PUBLIC,
  "PUT …/badges": guarded((b) => ({ badges: b.current.badges.badges.map((d, i) => (i ? d : { ...d, names: { en: TAKEN, zh_cn: TAKEN } })) })),
  "POST …/badges/{badge}/holders/{member}": guarded(undefined, "replier"),
  "DELETE …/badges/{badge}/holders/{member}": guarded(),
  "GET …/leaderboards/{period}": PUBLIC,
  "GET …/join": PUBLIC,
  "PUT …/join": guarded((b) => ({ ...b.current.join, welcome: TAKEN })),
  "POST …/join": guarded(() => ({ accept_rules: true, answers: [TAKEN] })),
  "GET …/members/me": guarded(),
  "GET …/applications": guarded(),
  "POST …/applications/{member}/approve": guarded(() => ({ reason: TAKEN }), "applicant"),
  "POST …/applications/{member}/reject": guarded(() => ({ reason: TAKEN }), "applicant"),
  "POST …/moderation/reports": guarded((b) => ({ target: { kind: "post", thread: b.ids.thread }, reason: "spam" })),
  "POST …/moderation/reports/resolve": guarded((b) => ({ target: { kind: "post", thread: b.ids.thread }, decision: "action_taken" })),
  "GET …/moderation/queue": guarded(),
  "POST …/moderation/hide": guarded(content),
  "POST …/moderation/restore": guarded(content),
  "POST …/moderation/approve": guarded(content),
  "POST …/moderation/reject": guarded(content),
  "GET …/moderation/audit": guarded(),
  "GET …/moderation/bans": guarded(),
  "GET …/moderation/settings": guarded(),
  "PUT …/moderation/settings": guarded(() => ({ pre_moderation: { mode: "all_posts" }, reason: TAKEN })),
  "PUT …/members/{member}/ban": guarded(() => ({ days: 1, reason: TAKEN }), "replier"),
  "DELETE …/members/{member}/ban": guarded(() => ({ reason: TAKEN }), "banned"),
  "PUT …/members/{member}/role": guarded(() => ({ role: "member_moderator", reason: TAKEN }), "replier"),
  "GET …/members": guarded(),
  "GET …/members.csv": guarded(),
  "GET …/members/{member}": guarded(),
  "PUT …/members/{member}/tags/{tag}": guarded(undefined, "replier"),
  "DELETE …/members/{member}/tags/{tag}": guarded(),
  "GET …/export": guarded(),
  "POST …/import": guarded((b) => ({ format: "quanzi-export", version: 1, slug: b.slug, exported_at: 0, entries: [["community", { slug: b.slug, name: TAKEN }]] })),
  "GET …/members/{member}/export": guarded(),
  "GET …/me/export": guarded(),
  "DELETE …/members/{member}": guarded(undefined, "replier"),
  "GET …/notifications": guarded(),
  "GET …/notifications/unread-count": guarded(),
  "POST …/notifications/read": guarded(() => ({ all: true })),
  "GET …/activity/daily": guarded(),
  "GET …/insight/overview": guarded(),
  "GET …/insight/overview.csv": guarded(),
  "GET …/insight/retention": guarded(),
  "GET …/insight/retention.csv": guarded(),
  "GET …/insight/tiers": guarded(),
  "GET …/insight/tiers.csv": guarded(),
  "GET …/insight/top": guarded(),
  "GET …/insight/top.csv": guarded(),
  "GET …/insight/streaks": guarded(),
  "GET …/insight/streaks.csv": guarded(),
  "GET …/insight/churn": guarded(),
  "GET …/insight/churn.csv": guarded(),
  "GET …/insight/churn/members": guarded(),
  "GET …/insight/churn/members.csv": guarded(),
  "GET …/segments": guarded(),
  "POST …/segments": guarded(() => ({ name: TAKEN, filter: { tag: "taken" } })),
  "POST …/segments/preview": guarded((b) => ({ filter: { tag: b.ids.tag } })),
  "GET …/segments/{segment}": guarded(),
  "PUT …/segments/{segment}": guarded(() => ({ name: TAKEN, filter: { tag: "taken" } })),
  "DELETE …/segments/{segment}": guarded(),
  "GET …/segments/{segment}/members": guarded(),
  "GET …/segments/{segment}/members.csv": guarded(),
  "GET …/team": guarded(),
  "POST …/team/invites": guarded(() => ({ email: "taken@brand.example", role: "admin" })),
  "DELETE …/team/invites/{invite}": guarded(),
  // B's real invite link, in the hands of A's people: not the invited email, not B's team.
  "POST …/team/accept": guarded((b) => ({ token: b.inviteToken })),
  "PUT …/team/members/{email}": guarded(() => ({ role: "moderator" })),
  "DELETE …/team/members/{email}": guarded(),
  "GET …/automations": guarded(),
  "POST …/automations": guarded(() => ({ name: TAKEN, trigger: { kind: "member_joined" }, action: { kind: "notify", message: TAKEN }, enabled: true })),
  "GET …/automations/{automation}": guarded(),
  "PUT …/automations/{automation}": guarded(() => ({ name: TAKEN, trigger: { kind: "member_joined" }, action: { kind: "notify", message: TAKEN }, enabled: true })),
  "DELETE …/automations/{automation}": guarded(),
  "POST …/automations/{automation}/dry-run": guarded(),
  "GET …/automations/{automation}/runs": guarded(),
};

/** The `ROUTES` key of a served route. */
const keyOf = (method, template) => `${method} ${template.replace(COMMUNITY, "…")}`;
/** The path parameters that name one community's things (a badge or tag id may be any community's). */
const OWN_IDS = ["thread", "reply", "event", "member", "reward", "topic", "segment", "webhook", "invite", "email", "automation"];
/**
 * Staff acts on a member id before that member's first visit (member ids are the brand's
 * own, per community: a moderator named ahead, a known spammer banned, a VIP badge given
 * on import), so B's member id in A's path is simply an id of A's namespace: it succeeds
 * in A, shows nothing of B's member, and changes nothing in B. Erasing that id (acted on
 * ahead above) erases what A holds under it, in A only.
 */
const ACTS_AHEAD = ["POST …/badges/{badge}/holders/{member}", "PUT …/members/{member}/ban", "PUT …/members/{member}/role", "DELETE …/members/{member}"];

describe("tenant isolation, every route", () => {
  let worker, doc, statuses, a, b, identitiesOfA;

  before(async () => {
    worker = await startWorker();
    doc = await apiDocument(worker);
    statuses = errorStatuses();
    a = await populate(worker, "alpha");
    b = await populate(worker, "bravo");
    for (const c of [a, b]) {
      const read = async (rest) => {
        const res = await c.owner.api(`/api/v1/communities/${c.slug}/${rest}`);
        assert.equal(res.status, 200, `${rest}: ${await res.clone().text()}`);
        return res.json();
      };
      c.current = {
        rules: await read("points/rules"),
        levels: await read("levels"),
        badges: await read("badges"),
        join: await read("join"),
        attendees: await read(`events/${c.ids.event}/attendees`),
      };
    }
    // A's admin and moderator: marketers who accepted A's invites.
    const teammate = async (role) => {
      const email = `${role}-alpha@brand.example`;
      const res = await a.owner.api("/api/v1/communities/alpha/team/invites", { method: "POST", body: JSON.stringify({ email, role }) });
      assert.equal(res.status, 201, await res.clone().text());
      const { token } = await res.json();
      const session = await marketer(worker, { email, name: role });
      const accepted = await session.api("/api/v1/communities/alpha/team/accept", { method: "POST", body: JSON.stringify({ token }) });
      assert.equal(accepted.status, 200, await accepted.clone().text());
      return { cookie: session.cookie, "x-csrf-token": session.me.csrf };
    };
    const bearer = (token) => ({ authorization: `Bearer ${token}` });
    identitiesOfA = [
      ["A's admin (dashboard session and CSRF token)", await teammate("admin")],
      ["A's moderator (dashboard session and CSRF token)", await teammate("moderator")],
      ["A's member (SSO token)", bearer(a.token(a.members.author))],
      ["A's member moderator (SSO token)", bearer(a.token(a.members.moderator))],
      ["A's owner (dashboard session and CSRF token)", { cookie: a.owner.cookie, "x-csrf-token": a.owner.me.csrf }],
    ];
  });
  after(() => worker?.dispose());

  /** The document's operation of a route. */
  const operation = (method, template) => doc.paths[template]?.[method.toLowerCase()];

  /** The request of route `[method, template]` against community `c` (ids from `ids`). */
  function request([method, template], entry, c, ids, headers) {
    const member = c.members[entry.member ?? "author"];
    const query = new URLSearchParams();
    for (const p of operation(method, template).parameters ?? []) {
      if (p.in !== "query") continue;
      const value = c.query[p.name] ?? (p.required ? p.example : undefined);
      if (value !== undefined) query.set(p.name, value);
    }
    const url = fill(template, { ...c.ids, member, ...ids }) + (query.size ? `?${query}` : "");
    const init = { method, headers: { ...headers } };
    if (entry.body) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(entry.body(c));
    }
    return worker.api(url, init);
  }

  /** Checks that `res` is a refusal in the error model (`allowed` statuses); returns its code. */
  async function assertRefusal(res, what, allowed = [401, 403, 404]) {
    const text = await res.text();
    assert.ok(allowed.includes(res.status), `${what}: ${res.status} ${text}`);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/, what);
    const body = JSON.parse(text);
    assert.deepEqual(Object.keys(body), ["error"], `${what}: ${text}`);
    const { code, message } = body.error;
    assert.equal(typeof message, "string", what);
    assert.equal(statuses.get(code), res.status, `${what}: \`${code}\` is not carried by ${res.status}`);
    // What only B's people know (the path's own ids may be echoed back: the caller sent them).
    const secrets = [b.current.attendees.attendance_code, b.key.secret, "Hello from bravo", b.owner.me.email, "hooks.bravo.example"];
    for (const secret of secrets) {
      assert.ok(!text.includes(secret), `${what}: the refusal shows B's data: ${text}`);
    }
    return code;
  }

  /**
   * Fails naming what differs if community `c`'s readable state is not `states[c.slug]`
   * (which then becomes the new state, so each change is reported once).
   */
  async function sameState(c, states, what) {
    const [before, now] = [states[c.slug], await readableState(worker, doc, c)];
    states[c.slug] = now;
    const changed = Object.keys(before).filter((k) => before[k] !== now[k]);
    assert.deepEqual(changed, [], `${what}: ${changed.map((k) => `${k}\n  was ${before[k]}\n  now ${now[k]}`).join("\n")}`);
  }

  test("every route the worker serves is classified here, and public reads are the document's anonymous reads", () => {
    const served = servedRoutes();
    const keys = served.map(([m, t]) => keyOf(m, t));
    assert.deepEqual(keys.filter((k) => !(k in ROUTES)), [], "routes nobody classified: add them to ROUTES");
    assert.deepEqual(Object.keys(ROUTES).filter((k) => !keys.includes(k)), [], "classified routes the worker no longer serves");
    for (const [method, template] of served) {
      const op = operation(method, template);
      assert.ok(op, `${method} ${template} is not in the API document`);
      const anonymousRead = method === "GET" && schemesOf(op).has("anonymous") && template.startsWith(COMMUNITY);
      assert.equal(ROUTES[keyOf(method, template)] === PUBLIC, anonymousRead, `${keyOf(method, template)}: public here iff anonymous in the document`);
      if (ROUTES[keyOf(method, template)].kind !== "account") {
        assert.equal(Boolean(ROUTES[keyOf(method, template)].body), Boolean(op.requestBody), `${keyOf(method, template)}: a body iff the document has one`);
      }
    }
  });

  test("A's members and staff are refused on every route of B, and B is unchanged", async (t) => {
    const states = { [b.slug]: await readableState(worker, doc, b) };
    const problems = [];
    const check = (promise) => promise.catch((err) => problems.push(err.message));
    let calls = 0;
    for (const route of servedRoutes()) {
      const [method, template] = route;
      const entry = ROUTES[keyOf(method, template)];
      if (!entry || entry.kind === "account") continue; // (an unclassified route fails the first test)
      for (const [who, headers] of identitiesOfA) {
        const what = `${who}: ${method} ${template} on B`;
        const res = await request(route, entry, b, {}, headers);
        calls += 1;
        if (entry.kind === "public") {
          // What anybody reads, and nothing more: the same as without credentials, or refused.
          const anonymous = await request(route, entry, b, {}, {});
          assert.equal(anonymous.status, 200, what);
          if (res.status === 200) {
            const [mine, anybody] = [await res.json(), await anonymous.json()];
            if (!isDeepStrictEqual(mine, anybody)) problems.push(`${what}: more than a visitor reads: ${JSON.stringify(mine)}`);
          } else {
            await check(assertRefusal(res, what));
            await anonymous.arrayBuffer();
          }
        } else if (entry.kind === "create") {
          await check(assertRefusal(res, what, [401, 403, 409]));
        } else {
          await check(assertRefusal(res, what));
        }
      }
      if (method !== "GET") await check(sameState(b, states, `${method} ${template} changed B`));
    }
    await check(sameState(b, states, "the reads changed B"));
    t.diagnostic(`${calls} calls by A's identities on B's routes`);
    assert.deepEqual(problems, []);
  });

  test("B's ids inside A's paths are not found, and B never changes", async (t) => {
    const states = { [a.slug]: await readableState(worker, doc, a), [b.slug]: await readableState(worker, doc, b) };
    const problems = [];
    const check = (promise) => promise.catch((err) => problems.push(err.message));
    let calls = 0;
    for (const route of servedRoutes()) {
      const [method, template] = route;
      const entry = ROUTES[keyOf(method, template)];
      const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).filter((n) => OWN_IDS.includes(n));
      if (!entry || !names.length) continue;
      // A's own people, as the route expects them: staff where staff may, else A's member.
      const schemes = schemesOf(operation(method, template));
      const headers = schemes.has("marketer_session")
        ? { cookie: a.owner.cookie, "x-csrf-token": a.owner.me.csrf }
        : { authorization: `Bearer ${a.token(a.members.author)}` };
      const bIds = Object.fromEntries(names.map((n) => [n, n === "member" ? b.members[entry.member ?? "author"] : b.ids[n]]));
      const what = `${method} ${fill(template, { ...a.ids, ...bIds })} as A's own`;
      const res = await request(route, entry, a, bIds, headers);
      calls += 1;
      if (ACTS_AHEAD.includes(keyOf(method, template))) {
        const text = await res.text();
        if (res.status >= 300 || text.includes(`Member ${bIds.member}`)) problems.push(`${what}: ${res.status} ${text}`);
        states[a.slug] = await readableState(worker, doc, a);
        continue;
      }
      await check(
        assertRefusal(res, what, [404]).then((code) => assert.equal(code, "not_found", what)),
      );
      if (method !== "GET") await check(sameState(a, states, `${what} changed A`));
    }
    await check(sameState(a, states, "A changed"));
    await check(sameState(b, states, "B changed"));
    t.diagnostic(`${calls} calls with B's ids in A's paths`);
    assert.deepEqual(problems, []);
  });
});
