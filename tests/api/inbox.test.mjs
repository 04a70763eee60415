// The member's inbox (notifications, unread count kept exact) and daily activity for the
// community's owner, against the real worker.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { memberToken, startWithTwoCommunities } from "../support/community.mjs";
import { OPERATOR_TOKEN } from "../support/worker.mjs";

describe("inbox and activity", () => {
  let worker, key, otherKey;
  before(async () => {
    ({ worker, key, otherKey } = await startWithTwoCommunities());
  });
  after(() => worker?.dispose());

  const token = (sub, aud = "tea", k = key) => memberToken(k, sub, aud);
  const call = (path, { method = "GET", who, body, slug = "tea" } = {}) => {
    const headers = {};
    if (who === "operator") headers.authorization = `Bearer ${OPERATOR_TOKEN}`;
    else if (who) headers.authorization = `Bearer ${token(who, slug, slug === "tea" ? key : otherKey)}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    return worker.api(`/api/v1/communities/${slug}/${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
  };
  const expect = async (res, status, code) => {
    const text = await res.text();
    assert.equal(res.status, status, text);
    if (code) assert.equal(JSON.parse(text).error.code, code, text);
    return text ? JSON.parse(text) : null;
  };
  const unread = async (who) => (await expect(await call("notifications/unread-count", { who }), 200)).unread;
  const screening = { mode: "screening", questions: ["Why?"] };

  /** Applies and has the operator decide, which notifies the member. */
  const applyAndDecide = async (who, decision) => {
    await expect(await call("join", { method: "POST", who, body: { accept_rules: true, answers: ["tea"] } }), 201);
    await expect(await call(`applications/${who}/${decision}`, { method: "POST", who: "operator" }), 200);
  };

  test("a JoinApproved notification appears and the unread count goes 1 → 0", async () => {
    await expect(await call("join", { method: "PUT", who: "operator", body: screening }), 200);
    assert.equal(await unread("u_1"), 0);
    assert.deepEqual(await expect(await call("notifications", { who: "u_1" }), 200), { items: [], unread: 0 });
    await applyAndDecide("u_1", "approve");
    assert.equal(await unread("u_1"), 1);
    const page = await expect(await call("notifications", { who: "u_1" }), 200);
    assert.equal(page.items.length, 1);
    const [note] = page.items;
    assert.equal(note.kind, "join_approved");
    assert.equal(note.read, false);
    assert.equal(page.unread, 1);

    const marked = await expect(await call("notifications/read", { method: "POST", who: "u_1", body: { ids: [note.id] } }), 200);
    assert.deepEqual(marked, { marked: 1, unread: 0 });
    assert.equal(await unread("u_1"), 0);
    const again = await expect(await call("notifications", { who: "u_1" }), 200);
    assert.equal(again.items[0].read, true);
    assert.deepEqual(await expect(await call("notifications/read", { method: "POST", who: "u_1", body: { ids: [note.id] } }), 200), {
      marked: 0,
      unread: 0,
    });
  });

  test("notifications page newest first; mark all read", async () => {
    for (let i = 0; i < 3; i++) await applyAndDecide("u_2", "reject");
    await applyAndDecide("u_2", "approve");
    assert.equal(await unread("u_2"), 4);
    const page = await expect(await call("notifications", { who: "u_2" }), 200);
    assert.deepEqual(page.items.map((n) => n.kind), ["join_approved", "join_rejected", "join_rejected", "join_rejected"]);
    assert.ok(page.items.every((n, i) => i === 0 || page.items[i - 1].at >= n.at));
    assert.equal(page.next, undefined);
    assert.deepEqual(await expect(await call("notifications/read", { method: "POST", who: "u_2", body: { all: true } }), 200), {
      marked: 4,
      unread: 0,
    });
  });

  test("20 concurrent mark-reads of the same notifications count each once", async () => {
    for (let i = 0; i < 5; i++) await applyAndDecide("u_3", "reject");
    const ids = (await expect(await call("notifications", { who: "u_3" }), 200)).items.map((n) => n.id);
    assert.equal(ids.length, 5);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => call("notifications/read", { method: "POST", who: "u_3", body: { ids } })),
    );
    const bodies = await Promise.all(results.map((r) => r.json()));
    assert.deepEqual([...new Set(results.map((r) => r.status))], [200]);
    assert.equal(bodies.reduce((sum, b) => sum + b.marked, 0), 5, "each notification marked exactly once");
    assert.equal(await unread("u_3"), 0);
  });

  test("refusals: no token, bad cursor, bad body, another community's token", async () => {
    await expect(await call("notifications"), 401, "unauthenticated");
    await expect(await call("notifications/unread-count"), 401, "unauthenticated");
    await expect(await call("notifications?cursor=%%%", { who: "u_1" }), 400, "invalid_input");
    await expect(await call("notifications/read", { method: "POST", who: "u_1", body: { all: false } }), 400, "invalid_input");
    await expect(await call("notifications/read", { method: "POST", who: "u_1", body: "not json" }), 400, "invalid_input");
    const tooMany = Array.from({ length: 101 }, (_, i) => `n${i}`);
    await expect(await call("notifications/read", { method: "POST", who: "u_1", body: { ids: tooMany } }), 400, "invalid_input");
    await expect(await call("notifications/read", { who: "u_1" }), 405, "method_not_allowed");
    const wrongAud = await worker.api("/api/v1/communities/other/notifications", { headers: { authorization: `Bearer ${token("u_1")}` } });
    await expect(wrongAud, 401, "unauthenticated");
    const onOther = await expect(await call("notifications/unread-count", { who: "u_1", slug: "other" }), 200);
    assert.equal(onOther.unread, 0, "u_1's inbox in tea is not in other");
  });

  test("daily activity counts active members and events by kind", async () => {
    await expect(await call("join", { method: "PUT", who: "operator", body: { mode: "open" } }), 200);
    let today;
    for (const who of ["a_1", "a_2", "a_3"]) {
      const res = await expect(await call("checkins", { method: "POST", who }), 200);
      today = res.status.today;
    }
    await expect(await call("join", { method: "POST", who: "a_1", body: { accept_rules: true } }), 201);
    await expect(await call("checkins", { method: "POST", who: "a_x", slug: "other" }), 200);

    const daily = await expect(await call(`activity/daily?from=${today}&to=${today}`, { who: "operator" }), 200);
    assert.equal(daily.days.length, 1);
    const [day] = daily.days;
    assert.equal(day.day, today);
    // u_1 and u_2 joined on approval today as well, in the tests above.
    assert.equal(day.events.checked_in, 3);
    assert.equal(day.events.joined, 3, "u_1, u_2 approved; a_1 joined");
    assert.equal(day.active_members, 5, "a_1, a_2, a_3, u_1, u_2");

    const week = await expect(await call(`activity/daily?from=2026-01-01&to=2026-01-07`, { who: "operator" }), 200);
    assert.equal(week.days.length, 7);
    assert.ok(week.days.every((d) => d.active_members === 0));

    await expect(await call(`activity/daily?from=${today}&to=${today}`, { who: "a_1" }), 401, "unauthenticated");
    await expect(await call(`activity/daily?from=${today}`, { who: "operator" }), 400, "invalid_input");
    await expect(await call(`activity/daily?from=2026-02-30&to=2026-03-01`, { who: "operator" }), 400, "invalid_input");
    await expect(await call(`activity/daily?from=2026-03-02&to=2026-03-01`, { who: "operator" }), 400, "invalid_input");
    await expect(await call(`activity/daily?from=2025-01-01&to=2026-03-01`, { who: "operator" }), 400, "invalid_input");
    const other = await expect(await call(`activity/daily?from=${today}&to=${today}`, { who: "operator", slug: "other" }), 200);
    assert.equal(other.days[0].active_members, 1, "tea's members are not counted in other");
  });
});
