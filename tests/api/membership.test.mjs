// Joining (open and screened, with rules) and moderation (reports, the queue, hide/restore,
// bans, member moderators, settings, the audit log) against the real worker.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { marketer } from "../support/marketer.mjs";
import { memberToken } from "../support/community.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

const BRAND = "https://tea.example";

describe("membership and moderation", () => {
  let worker, mia, leo, key, otherKey;
  before(async () => {
    worker = await startWorker();
    mia = await marketer(worker, { email: "mia@brand.example" });
    const created = await mia.api("/api/v1/communities", {
      method: "POST",
      body: JSON.stringify({ slug: "tea", settings: { name: "Tea", allowed_origins: [BRAND] } }),
    });
    assert.equal(created.status, 201);
    const keyRes = await mia.api("/api/v1/communities/tea/sso-keys", { method: "POST" });
    assert.equal(keyRes.status, 201);
    key = await keyRes.json();
    leo = await marketer(worker, { email: "leo@brand.example", name: "Leo" });
    const other = await leo.api("/api/v1/communities", {
      method: "POST",
      body: JSON.stringify({ slug: "other", settings: { name: "Other" } }),
    });
    assert.equal(other.status, 201);
    otherKey = await (await leo.api("/api/v1/communities/other/sso-keys", { method: "POST" })).json();
  });
  after(() => worker?.dispose());

  const token = (sub, aud = "tea", k = key) => memberToken(k, sub, aud);
  const as = (who) =>
    who === "operator" ? { authorization: `Bearer ${OPERATOR_TOKEN}` } : { authorization: `Bearer ${token(who)}` };
  const call = (path, { method = "GET", who, body, slug = "tea", headers = {} } = {}) => {
    const init = { method, headers: { ...(who ? as(who) : {}), ...headers } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers["content-type"] = "application/json";
    }
    return worker.api(`/api/v1/communities/${slug}/${path}`, init);
  };
  const staff = (path, { method = "GET", body } = {}) =>
    mia.api(`/api/v1/communities/tea/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const expect = async (res, status, code) => {
    const text = await res.text();
    assert.equal(res.status, status, text);
    if (code) assert.equal(JSON.parse(text).error.code, code, text);
    return text ? JSON.parse(text) : null;
  };
  const state = async (who) => (await (await call("members/me", { who })).json()).state;
  const openPolicy = { mode: "open", rules: "Be kind. No ads.", welcome: "欢迎加入!" };
  const screening = { mode: "screening", rules: "Be kind.", questions: ["Why do you love tea?"] };

  test("anyone reads the join policy; only the owner or an admin sets it", async () => {
    assert.deepEqual(await expect(await call("join"), 200), { mode: "open", rules: "", questions: [], welcome: "" });
    await expect(await call("join", { method: "PUT", who: "u_1", body: openPolicy }), 401, "unauthenticated");
    await expect(await leo.api("/api/v1/communities/tea/join", { method: "PUT", body: JSON.stringify(openPolicy) }), 403, "forbidden");
    await expect(await staff("join", { method: "PUT", body: { mode: "screening" } }), 400, "invalid_input");
    await expect(await staff("join", { method: "PUT", body: { ...openPolicy, surprise: 1 } }), 400, "invalid_input");
    assert.deepEqual(await expect(await staff("join", { method: "PUT", body: openPolicy }), 200), { ...openPolicy, questions: [] });
    const read = await call("join", { headers: { origin: BRAND } });
    assert.equal(read.headers.get("access-control-allow-origin"), BRAND);
    assert.equal((await read.json()).rules, "Be kind. No ads.");
    await expect(await call("join", { method: "DELETE" }), 405, "method_not_allowed");
  });

  test("an open community takes a member who accepts the rules, once", async () => {
    assert.equal(await state("u_open"), "none");
    await expect(await call("join", { method: "POST", who: "u_open", body: { accept_rules: false } }), 400, "invalid_input");
    await expect(await call("join", { method: "POST", who: "u_open", body: { accept_rules: true, answers: ["x"] } }), 400, "invalid_input");
    assert.equal(await state("u_open"), "none", "refusals change nothing");
    const joined = await expect(await call("join", { method: "POST", who: "u_open", body: { accept_rules: true } }), 201);
    assert.equal(joined.membership.state, "member");
    assert.equal(joined.welcome, "欢迎加入!");
    await expect(await call("join", { method: "POST", who: "u_open", body: { accept_rules: true } }), 409, "conflict");
    assert.equal(await state("u_open"), "member");
    await expect(await call("join", { method: "POST", body: { accept_rules: true } }), 401, "unauthenticated");
    await expect(await call("members/me"), 401, "unauthenticated");
  });

  test("50 concurrent joins by one member make one membership", async () => {
    const tok = token("u_race");
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        worker.api("/api/v1/communities/tea/join", {
          method: "POST",
          headers: { authorization: `Bearer ${tok}`, "content-type": "application/json" },
          body: JSON.stringify({ accept_rules: true }),
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 1);
    assert.equal(statuses.filter((s) => s === 409).length, 49);
  });

  test("screening queues applications; staff approve or reject", async () => {
    await expect(await staff("join", { method: "PUT", body: screening }), 200);
    await expect(await call("join", { method: "POST", who: "u_a", body: { accept_rules: true } }), 400, "invalid_input");
    const pending = await expect(await call("join", { method: "POST", who: "u_a", body: { accept_rules: true, answers: ["Oolong!"] } }), 201);
    assert.equal(pending.membership.state, "pending");
    assert.equal(pending.welcome, undefined);
    await expect(await call("join", { method: "POST", who: "u_b", body: { accept_rules: true, answers: ["Puer"] } }), 201);
    await expect(await call("join", { method: "POST", who: "u_a", body: { accept_rules: true, answers: ["again"] } }), 409, "conflict");
    assert.equal(await state("u_a"), "pending");

    await expect(await call("applications", { who: "u_a" }), 403, "forbidden");
    await expect(await call("applications"), 401, "unauthenticated");
    await expect(await leo.api("/api/v1/communities/tea/applications"), 403, "forbidden");
    const list = await expect(await staff("applications"), 200);
    assert.deepEqual(list.items.map((a) => a.member), ["u_a", "u_b"]);
    assert.deepEqual(list.items[0].answers, [{ question: "Why do you love tea?", answer: "Oolong!" }]);
    assert.equal(list.items[0].name, "Member u_a");

    await expect(await call("applications/u_a/approve", { method: "POST", who: "u_b" }), 403, "forbidden");
    assert.deepEqual(await expect(await staff("applications/u_a/approve", { method: "POST" }), 200), { member: "u_a", approved: true });
    await expect(await call("applications/u_b/reject", { method: "POST", who: "operator", body: { reason: "not yet" } }), 200);
    await expect(await staff("applications/u_a/approve", { method: "POST" }), 404, "not_found");
    await expect(await staff("applications/bad%20id/approve", { method: "POST" }), 400, "invalid_input");
    assert.equal(await state("u_a"), "member");
    assert.equal(await state("u_b"), "none", "rejected, may apply again");
    assert.deepEqual((await expect(await staff("applications"), 200)).items, []);
  });

  test("20 concurrent approvals of one application approve it once and notify once", async () => {
    await expect(await call("join", { method: "POST", who: "u_c", body: { accept_rules: true, answers: ["Green"] } }), 201);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => call("applications/u_c/approve", { method: "POST", who: "operator" })),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 1);
    assert.equal(statuses.filter((s) => s === 404).length, 19);
    const unread = await expect(await call("notifications/unread-count", { who: "u_c" }), 200);
    assert.equal(unread.unread, 1);
  });

  test("members report; staff and member moderators work the queue", async () => {
    // What moderators hide lives in talk: a real thread.
    await expect(await call("topics", { method: "POST", who: "operator", body: { id: "oolong", name: "Oolong" } }), 201);
    const thread = await expect(await call("threads", { method: "POST", who: "u_a", body: { topic: "oolong", title: "Hi", body: "hi" } }), 201);
    const post = { kind: "post", thread: thread.id };
    const report = (who, body) => call("moderation/reports", { method: "POST", who, body });
    assert.deepEqual(await expect(await report("u_r1", { target: post, reason: "spam" }), 201), { open_reports: 1 });
    assert.deepEqual(await expect(await report("u_r2", { target: post, reason: "other", note: "ads" }), 201), { open_reports: 2 });
    await expect(await report("u_r1", { target: post, reason: "spam" }), 409, "conflict");
    await expect(await report("u_r3", { target: post, reason: "other" }), 400, "invalid_input");
    await expect(await report("u_r3", { target: { kind: "member", member: "u_r3" }, reason: "spam" }), 400, "invalid_input");
    await expect(await report(undefined, { target: post, reason: "spam" }), 401, "unauthenticated");

    await expect(await call("moderation/queue", { who: "u_mm" }), 403, "forbidden");
    await expect(await call("members/u_mm/role", { method: "PUT", who: "u_mm", body: { role: "member_moderator" } }), 403, "forbidden");
    assert.deepEqual(await expect(await staff("members/u_mm/role", { method: "PUT", body: { role: "member_moderator", reason: "helpful" } }), 200), {
      member: "u_mm",
      role: "member_moderator",
    });
    const queue = await expect(await call("moderation/queue", { who: "u_mm" }), 200);
    assert.equal(queue.items.length, 1);
    assert.equal(queue.items[0].reports, 2);
    assert.deepEqual(queue.items[0].notes, ["ads"]);

    const hidden = await expect(await call("moderation/hide", { method: "POST", who: "u_mm", body: { target: post, reason: "spam" } }), 200);
    assert.equal(hidden.visibility.state, "hidden");
    await expect(await call("moderation/hide", { method: "POST", who: "u_mm", body: { target: post } }), 409, "conflict");
    await expect(await call("moderation/hide", { method: "POST", who: "u_r1", body: { target: post } }), 403, "forbidden");
    await expect(await call("moderation/reports/resolve", { method: "POST", who: "u_mm", body: { target: post, decision: "action_taken" } }), 200);
    await expect(await call("moderation/reports/resolve", { method: "POST", who: "u_mm", body: { target: post, decision: "dismissed" } }), 404, "not_found");
    assert.deepEqual((await expect(await staff("moderation/queue"), 200)).items, []);
    const restored = await expect(await call("moderation/restore", { method: "POST", who: "operator", body: { target: post } }), 200);
    assert.equal(restored.visibility.state, "published");
    await expect(await call("moderation/restore", { method: "POST", who: "operator", body: { target: post } }), 409, "conflict");

    await expect(await call("members/u_r1/ban", { method: "PUT", who: "u_mm", body: { days: 1 } }), 403, "forbidden");
    await expect(await call("moderation/audit", { who: "u_mm" }), 403, "forbidden");
  });

  test("a banned member is refused until unbanned; the ban lasts its days", async () => {
    const checkIn = (who, slug = "tea", k = key) =>
      worker.api(`/api/v1/communities/${slug}/checkins`, { method: "POST", headers: { authorization: `Bearer ${token(who, slug, k)}` } });
    await expect(await staff("members/bob/ban", { method: "PUT", body: { days: 0 } }), 400, "invalid_input");
    await expect(await leo.api("/api/v1/communities/tea/members/bob/ban", { method: "PUT", body: "{}" }), 403, "forbidden");
    const ban = await expect(await staff("members/bob/ban", { method: "PUT", body: { days: 3, reason: "spam" } }), 200);
    assert.equal(ban.until - ban.at, 3 * 86_400_000);
    assert.deepEqual(ban.by, { kind: "staff", email: "mia@brand.example" });

    const refused = await checkIn("bob");
    assert.equal(refused.status, 403);
    const error = (await refused.json()).error;
    assert.equal(error.code, "banned");
    assert.match(error.message, /until \d{4}-\d\d-\d\d/);
    assert.equal(await state("bob"), "banned");
    await expect(await call("join", { method: "POST", who: "bob", body: { accept_rules: true, answers: ["x"] } }), 403, "banned");
    await expect(await call("moderation/reports", { method: "POST", who: "bob", body: { target: { kind: "post", thread: "t1" }, reason: "spam" } }), 403, "banned");
    assert.equal((await checkIn("bob", "other", otherKey)).status, 200, "a ban in tea is nothing in other");

    await expect(await staff("members/bob/ban", { method: "DELETE", body: { reason: "appeal" } }), 200);
    await expect(await staff("members/bob/ban", { method: "DELETE" }), 404, "not_found");
    assert.equal((await checkIn("bob")).status, 200, "works again after unban");

    await expect(await call("members/bob/ban", { method: "PUT", who: "operator" }), 200, undefined);
    assert.equal(await state("bob"), "banned", "no days: for good");
    await expect(await call("members/bob/ban", { method: "DELETE", who: "operator" }), 200);
  });

  test("pre-moderation settings: owner and admins set them, moderators read them", async () => {
    const body = { pre_moderation: { mode: "new_members", first_posts: 3 }, reason: "launch week" };
    await expect(await call("moderation/settings", { method: "PUT", who: "u_mm", body }), 403, "forbidden");
    await expect(await staff("moderation/settings", { method: "PUT", body: { pre_moderation: { mode: "sometimes" } } }), 400, "invalid_input");
    assert.deepEqual(await expect(await staff("moderation/settings", { method: "PUT", body }), 200), {
      pre_moderation: { mode: "new_members", first_posts: 3, younger_than_days: null },
      // Left out of the request: their defaults.
      spam: { links_until_posts: 3, repeated_text: true },
      hide_after_reports: 3,
    });
    const read = await expect(await call("moderation/settings", { who: "u_mm" }), 200);
    assert.equal(read.pre_moderation.mode, "new_members");
  });

  test("every staff action is in the audit log, in order", async () => {
    const log = await expect(await staff("moderation/audit"), 200);
    const actions = log.items.map((e) => e.action.type);
    assert.deepEqual(actions, [
      "approve", "reject", "approve", // applications
      "change_member_role", "hide", "resolve_reports", "restore", // the queue
      "ban", "unban", "ban", "unban", // bob
      "change_settings",
    ]);
    assert.equal(new Set(log.items.map((e) => e.id)).size, log.items.length, "unique ids");
    assert.deepEqual(log.items[7].target, { kind: "member", member: "bob" });
    assert.equal(log.items[7].reason, "spam");
    assert.equal(log.next, undefined);
    await expect(await staff("moderation/audit?cursor=!!"), 400, "invalid_input");
    await expect(await call("moderation/audit", { who: "u_a" }), 403, "forbidden");
    await expect(await worker.api("/api/v1/communities/tea/moderation/audit"), 401, "unauthenticated");
  });

  test("a token for community A does nothing in community B", async () => {
    const tok = token("u_open");
    const onOther = await worker.api("/api/v1/communities/other/join", {
      method: "POST",
      headers: { authorization: `Bearer ${tok}`, "content-type": "application/json" },
      body: JSON.stringify({ accept_rules: true }),
    });
    await expect(onOther, 401, "unauthenticated");
    await expect(await mia.api("/api/v1/communities/other/moderation/queue"), 403, "forbidden");
    await expect(await mia.api("/api/v1/communities/other/members/bob/ban", { method: "PUT", body: "{}" }), 403, "forbidden");
    const mine = await worker.api("/api/v1/communities/other/members/me", { headers: { authorization: `Bearer ${token("u_open", "other", otherKey)}` } });
    assert.equal((await mine.json()).state, "none", "a member of tea is not a member of other");
    await expect(await worker.api("/api/v1/communities/nowhere/join"), 404, "community_not_found");
  });
});
