// Events against the real worker: staff publish and run events, members sign up (with a
// waitlist that never overbooks under concurrency), cancel, check in with the code; the
// operator sends reminders; every refusal explained; no request of one community reaches another.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { marketer } from "../support/marketer.mjs";
import { addSsoKeys, codeOf, memberToken } from "../support/community.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

const BRAND = "https://brand.example";
const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe("events", () => {
  let worker, key, otherKey, mia, leo;
  before(async () => {
    worker = await startWorker();
    mia = await marketer(worker, { email: "mia@brand.example", name: "Mia" });
    leo = await marketer(worker, { email: "leo@brand.example", name: "Leo" });
    const created = await mia.api("/api/v1/communities", {
      method: "POST",
      body: JSON.stringify({ slug: "tea", settings: { name: "Tea", allowed_origins: [BRAND] } }),
    });
    assert.equal(created.status, 201);
    await worker.putCommunity("other", { name: "Other" });
    [key, otherKey] = await addSsoKeys(worker, "tea", "other");
  });
  after(() => worker?.dispose());

  const token = (sub, aud = "tea", k = key) => memberToken(k, sub, aud);
  const path = (rest, slug = "tea") => `/api/v1/communities/${slug}/${rest}`;
  const json = (method, body) => ({ method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const asMember = (sub, rest, init = {}, slug = "tea") =>
    worker.api(path(rest, slug), { ...init, headers: { ...(init.headers || {}), authorization: `Bearer ${token(sub)}` } });
  const asOperator = (rest, init = {}) =>
    worker.api(path(rest), { ...init, headers: { ...(init.headers || {}), authorization: `Bearer ${OPERATOR_TOKEN}` } });
  const draft = (extra = {}) => ({
    title: "Tea tasting 品茶会",
    venue: { kind: "offline", place: "Shanghai, Wukang Rd 1" },
    starts_at: Date.now() + 3 * DAY,
    ends_at: Date.now() + 3 * DAY + 2 * HOUR,
    ...extra,
  });
  /** Creates an event as the owner (the dashboard session); returns the organiser's view. */
  async function createEvent(extra) {
    const res = await mia.api(path("events"), { method: "POST", body: JSON.stringify(draft(extra)) });
    assert.equal(res.status, 201, await res.clone().text());
    return res.json();
  }
  const signUp = (sub, id, answers) => asMember(sub, `events/${id}/signup`, json("POST", answers ? { answers } : {}));
  const attendees = async (id) => {
    const res = await mia.api(path(`events/${id}/attendees`));
    assert.equal(res.status, 200);
    return res.json();
  };

  test("staff publish and edit events; members and strangers may not", async () => {
    const view = await createEvent({ capacity: 20 });
    const id = view.event.id;
    assert.match(id, /^[0-9a-f]{16}$/);
    assert.match(view.attendance_code, /^[0-9A-Z]{6}$/);
    assert.equal(view.event.phase, "signup_open");
    assert.equal(view.event.capacity, 20);

    const seen = await worker.api(path(`events/${id}`), { headers: { origin: BRAND } });
    assert.equal(seen.status, 200);
    assert.equal(seen.headers.get("access-control-allow-origin"), BRAND);
    const text = await seen.text();
    assert.equal(text.includes(view.attendance_code), false, "members never see the code");
    assert.equal(JSON.parse(text).my_ticket, null);

    const edit = { title: "Tea, renamed", venue: { kind: "online", url: "https://live.example/room" } };
    const edited = await mia.api(path(`events/${id}`), { method: "PATCH", body: JSON.stringify(edit) });
    assert.equal(edited.status, 200);
    assert.equal((await edited.json()).event.title, "Tea, renamed");

    const refusals = [
      ["a marketer without a role", await leo.api(path("events"), { method: "POST", body: JSON.stringify(draft()) }), 403, "forbidden"],
      ["a member", await asMember("u1", "events", json("POST", draft())), 403, "forbidden"],
      ["nobody", await worker.api(path("events"), json("POST", draft())), 401, "unauthenticated"],
      ["a member editing", await asMember("u1", `events/${id}`, json("PATCH", edit)), 403, "forbidden"],
      ["a stranger editing", await leo.api(path(`events/${id}`), { method: "PATCH", body: JSON.stringify(edit) }), 403, "forbidden"],
      ["a past start", await mia.api(path("events"), { method: "POST", body: JSON.stringify(draft({ starts_at: Date.now() - HOUR })) }), 400, "invalid_input"],
      ["an end before the start", await mia.api(path("events"), { method: "POST", body: JSON.stringify(draft({ ends_at: Date.now() })) }), 400, "invalid_input"],
      ["capacity 0", await mia.api(path("events"), { method: "POST", body: JSON.stringify(draft({ capacity: 0 })) }), 400, "invalid_input"],
      ["an unknown field", await mia.api(path("events"), { method: "POST", body: JSON.stringify(draft({ colour: "red" })) }), 400, "invalid_input"],
      ["an unknown event", await worker.api(path("events/0000000000000000")), 404, "not_found"],
      ["a malformed id", await worker.api(path("events/NOT_AN_ID")), 404, "not_found"],
      ["a wrong method", await worker.api(path(`events/${id}`), { method: "DELETE" }), 405, "method_not_allowed"],
    ];
    for (const [what, res, status, code] of refusals) {
      assert.equal(res.status, status, what);
      assert.equal(await codeOf(res), code, what);
    }
  });

  test("sign-up asks the questions, fills seats, then the waitlist; cancelling promotes the first", async () => {
    const questions = [
      { id: "size", prompt: "T-shirt size", required: true, type: "single_choice", options: ["S", "M"] },
      { id: "note", prompt: "Anything else?", type: "short_text" },
    ];
    const { event } = await createEvent({ capacity: 1, questions });
    const missing = await signUp("q1", event.id, {});
    assert.equal(missing.status, 400);
    assert.equal(await codeOf(missing), "invalid_input");
    const notAnOption = await signUp("q1", event.id, { size: "XL" });
    assert.equal(notAnOption.status, 400);

    const first = await signUp("q1", event.id, { size: "S", note: "vegan" });
    assert.equal(first.status, 201);
    const body = await first.json();
    assert.deepEqual(body.ticket, { status: "confirmed", attended: false });
    assert.deepEqual(body.event.my_ticket, body.ticket);
    const second = await signUp("q2", event.id, { size: "M" });
    assert.deepEqual((await second.json()).ticket, { status: "waitlisted", position: 1 });
    const twice = await signUp("q1", event.id, { size: "S" });
    assert.equal(twice.status, 409);
    assert.equal(await codeOf(twice), "already_signed_up");
    assert.equal((await worker.api(path(`events/${event.id}/signup`), json("POST", {}))).status, 401, "anonymous");

    const cancel = await asMember("q1", `events/${event.id}/signup`, { method: "DELETE" });
    assert.equal(cancel.status, 200);
    assert.equal((await cancel.json()).released, "seat");
    const promoted = await (await asMember("q2", `events/${event.id}`)).json();
    assert.deepEqual(promoted.my_ticket, { status: "confirmed", attended: false });
    const again = await asMember("q1", `events/${event.id}/signup`, { method: "DELETE" });
    assert.equal(again.status, 409);
    assert.equal(await codeOf(again), "not_signed_up");

    const list = await attendees(event.id);
    assert.deepEqual(list.attendees.map((a) => [a.member, a.name, a.answers]), [["q2", "Member q2", { size: { choice: "M" } }]]);
  });

  test("200 concurrent sign-ups for 50 seats: 50 confirmed, 150 waiting in distinct places; 10 cancellations promote the first 10, once each", async () => {
    const { event } = await createEvent({ capacity: 50 });
    const subs = Array.from({ length: 200 }, (_, i) => `crowd_${i}`);
    const results = await Promise.all(subs.map((sub) => signUp(sub, event.id)));
    assert.deepEqual([...new Set(results.map((r) => r.status))], [201]);
    const tickets = await Promise.all(results.map(async (r, i) => ({ sub: subs[i], ticket: (await r.json()).ticket })));
    const confirmed = tickets.filter((t) => t.ticket.status === "confirmed").map((t) => t.sub);
    const waiting = tickets.filter((t) => t.ticket.status === "waitlisted").sort((a, b) => a.ticket.position - b.ticket.position);
    assert.equal(confirmed.length, 50);
    assert.equal(waiting.length, 150);
    assert.deepEqual(waiting.map((t) => t.ticket.position), Array.from({ length: 150 }, (_, i) => i + 1), "positions 1..150, each once");

    const before = await attendees(event.id);
    assert.equal(before.event.confirmed, 50);
    assert.equal(before.event.waiting, 150);
    assert.deepEqual(before.attendees.filter((a) => a.ticket.status === "waitlisted").map((a) => a.member), waiting.map((t) => t.sub));

    const leaving = confirmed.slice(0, 10);
    const cancels = await Promise.all(leaving.map((sub) => asMember(sub, `events/${event.id}/signup`, { method: "DELETE" })));
    assert.deepEqual([...new Set(cancels.map((r) => r.status))], [200]);

    const afterwards = await attendees(event.id);
    const nowConfirmed = afterwards.attendees.filter((a) => a.ticket.status === "confirmed").map((a) => a.member);
    const nowWaiting = afterwards.attendees.filter((a) => a.ticket.status === "waitlisted");
    const firstTen = waiting.slice(0, 10).map((t) => t.sub);
    assert.equal(nowConfirmed.length, 50, "never more than the capacity");
    assert.equal(new Set(nowConfirmed).size, 50, "nobody holds two seats");
    assert.deepEqual(nowConfirmed.slice(40).sort(), [...firstTen].sort(), "the first ten waiting were promoted");
    assert.deepEqual(new Set(nowConfirmed), new Set([...confirmed.slice(10), ...firstTen]));
    assert.deepEqual(nowWaiting.map((a) => a.member), waiting.slice(10).map((t) => t.sub), "the rest keep their order");
    assert.deepEqual(nowWaiting.map((a) => a.ticket.position), Array.from({ length: 140 }, (_, i) => i + 1));
    for (const sub of firstTen) {
      const mine = await (await asMember(sub, `events/${event.id}`)).json();
      assert.deepEqual(mine.my_ticket, { status: "confirmed", attended: false }, sub);
    }
  });

  test("members check in with the code once, earning points once; staff mark by hand and export the list", async () => {
    const { event, attendance_code: code } = await createEvent({ starts_at: Date.now() + 30 * 60_000, ends_at: Date.now() + 2 * HOUR });
    for (const sub of ["c1", "c2", "c3"]) assert.equal((await signUp(sub, event.id)).status, 201);
    const checkIn = (sub, typed) => asMember(sub, `events/${event.id}/check-in`, json("POST", { code: typed }));

    const wrong = await checkIn("c1", code === "ZZZZZZ" ? "YYYYYY" : "ZZZZZZ");
    assert.equal(wrong.status, 400);
    assert.equal(await codeOf(wrong), "wrong_attendance_code");
    const stranger = await checkIn("nobody", code);
    assert.equal(stranger.status, 409);
    assert.equal(await codeOf(stranger), "not_signed_up");

    const first = await checkIn("c1", code.toLowerCase());
    assert.equal(first.status, 200);
    const body = await first.json();
    assert.equal(body.outcome, "attended");
    assert.equal(body.awarded.length, 1);
    assert.equal(body.awarded[0].delta, 20);
    assert.equal(body.balance.balance, 20);
    const again = await (await checkIn("c1", code)).json();
    assert.equal(again.outcome, "already_attended");
    assert.deepEqual(again.awarded, []);
    assert.equal(again.balance.balance, 20, "points exactly once");

    const byMember = await asMember("c1", `events/${event.id}/attendees/c2/attendance`, { method: "POST" });
    assert.equal(byMember.status, 403);
    const marked = await mia.api(path(`events/${event.id}/attendees/c2/attendance`), { method: "POST" });
    assert.equal(marked.status, 200);
    assert.equal((await marked.json()).outcome, "attended");

    const list = await attendees(event.id);
    assert.equal(list.attended, 2);
    assert.deepEqual(list.attendees.map((a) => [a.member, a.ticket.attended, a.attended_at !== null]), [
      ["c1", true, true],
      ["c2", true, true],
      ["c3", false, false],
    ]);

    const csv = await mia.api(path(`events/${event.id}/attendees.csv`));
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get("content-type"), /^text\/csv/);
    assert.match(csv.headers.get("content-disposition"), /attachment; filename="event-[0-9a-f]{16}-attendees.csv"/);
    const lines = (await csv.text()).replace(/^\ufeff/, "").trimEnd().split("\r\n");
    assert.equal(lines[0], "member,name,status,waitlist_position,attended,signed_up_at,confirmed_at,attended_at");
    assert.equal(lines.length, 4);
    assert.match(lines[1], /^c1,Member c1,confirmed,,yes,\d{4}-\d\d-\d\dT/);
    assert.equal((await asMember("c1", `events/${event.id}/attendees.csv`)).status, 403);
    assert.equal((await worker.api(path(`events/${event.id}/attendees`))).status, 401);
  });

  test("staff raise the capacity, rotate the code and cancel the event", async () => {
    const { event, attendance_code: oldCode } = await createEvent({ capacity: 1 });
    for (const sub of ["r1", "r2", "r3"]) await signUp(sub, event.id);

    const lower = await mia.api(path(`events/${event.id}/capacity`), { method: "PUT", body: JSON.stringify({ capacity: 0 }) });
    assert.equal(lower.status, 400);
    const raised = await mia.api(path(`events/${event.id}/capacity`), { method: "PUT", body: JSON.stringify({ capacity: 2 }) });
    assert.equal(raised.status, 200);
    const view = await raised.json();
    assert.deepEqual([view.event.confirmed, view.event.waiting], [2, 1]);
    assert.deepEqual((await (await asMember("r2", `events/${event.id}`)).json()).my_ticket, { status: "confirmed", attended: false });
    assert.equal((await asMember("r1", `events/${event.id}/capacity`, json("PUT", { capacity: 9 }))).status, 403);

    const rotated = await asOperator(`events/${event.id}/attendance-code`, { method: "POST" });
    assert.equal(rotated.status, 200);
    const newCode = (await rotated.json()).attendance_code;
    assert.match(newCode, /^[0-9A-Z]{6}$/);
    assert.equal((await leo.api(path(`events/${event.id}/attendance-code`), { method: "POST" })).status, 403);

    const byMember = await asMember("r1", `events/${event.id}/cancel`, json("POST", { reason: "no" }));
    assert.equal(byMember.status, 403);
    const cancelled = await mia.api(path(`events/${event.id}/cancel`), { method: "POST", body: JSON.stringify({ reason: "typhoon 台风" }) });
    assert.equal(cancelled.status, 200);
    const after = await cancelled.json();
    assert.equal(after.event.phase, "cancelled");
    assert.equal(after.event.cancel_reason, "typhoon 台风");
    const twice = await mia.api(path(`events/${event.id}/cancel`), { method: "POST", body: JSON.stringify({}) });
    assert.equal(twice.status, 409);
    const late = await signUp("r4", event.id);
    assert.equal(late.status, 409);
    assert.equal(await codeOf(late), "event_closed");
    assert.notEqual(oldCode, undefined);
  });

  test("the list pages through events that have not ended, with the member's own ticket", async () => {
    const mine = await createEvent({ starts_at: Date.now() + DAY, ends_at: Date.now() + DAY + HOUR });
    await signUp("p1", mine.event.id);
    const seen = [];
    let cursor = null;
    let pages = 0;
    do {
      const query = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : "?limit=2";
      const res = await asMember("p1", `events${query}`);
      assert.equal(res.status, 200);
      const page = await res.json();
      assert.ok(page.events.length <= 2);
      seen.push(...page.events);
      cursor = page.next;
      pages += 1;
    } while (cursor && pages < 100);
    const ids = seen.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, "each event once");
    assert.ok(ids.length >= 5, `all events listed (${ids.length})`);
    assert.ok(pages >= 3);
    const found = seen.find((e) => e.id === mine.event.id);
    assert.deepEqual(found.my_ticket, { status: "confirmed", attended: false });
    assert.equal(seen.filter((e) => e.my_ticket).length, 1);
    const ends = seen.map((e) => e.ends_at);
    assert.deepEqual(ends, [...ends].sort((a, b) => a - b), "soonest to end first");

    const anonymous = await (await worker.api(path("events?limit=50"))).json();
    assert.ok(anonymous.events.every((e) => e.my_ticket === null));
    const history = await (await worker.api(path("events?limit=50&include_ended=true"))).json();
    assert.ok(history.events.length >= anonymous.events.length);
    for (const bad of ["?limit=0", "?limit=51", "?limit=x", "?cursor=%%%", "?include_ended=maybe"]) {
      const res = await worker.api(path(`events${bad}`));
      assert.equal(res.status, 400, bad);
      assert.equal(await codeOf(res), "invalid_input", bad);
    }
  });

  test("only the operator sends reminders; each confirmed member gets one, once", async () => {
    // Starts an hour and three seconds from now: the hour-before reminder falls due in three
    // seconds, after these members took their seats.
    const startsAt = Date.now() + HOUR + 3000;
    const { event } = await createEvent({ capacity: 2, starts_at: startsAt, ends_at: startsAt + HOUR });
    for (const sub of ["m1", "m2", "m3"]) assert.equal((await signUp(sub, event.id)).status, 201);

    const member = await asMember("m1", "events/reminders", { method: "POST" });
    assert.equal(member.status, 403);
    const anonymous = await worker.api(path("events/reminders"), { method: "POST" });
    assert.equal(anonymous.status, 401);
    const owner = await mia.api(path("events/reminders"), { method: "POST" });
    assert.equal(owner.status, 403, "not even the community's owner");
    const send = async () => {
      const res = await asOperator("events/reminders", { method: "POST" });
      assert.equal(res.status, 200);
      return res.json();
    };
    // The community's alarm sends them when they fall due (the operator's route may get
    // there first): wait for the condition, asking the worker, not sleeping.
    const reminders = async (sub) => {
      const page = await (await asMember(sub, "notifications")).json();
      return page.items.filter((n) => n.kind === "event_reminder" && n.target.event === event.id).length;
    };
    let sentByRoute = 0;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      sentByRoute += (await send()).sent;
      if ((await reminders("m1")) + (await reminders("m2")) === 2) break;
    }
    const got = [await reminders("m1"), await reminders("m2"), await reminders("m3")];
    assert.deepEqual(got, [1, 1, 0], "the two confirmed members, not the waitlist");
    assert.ok(sentByRoute <= 2);
    const again = await send();
    assert.equal(again.sent, 0, "never twice");
  });

  test("a token or an event of one community does nothing in another", async () => {
    const { event } = await createEvent();
    const wrongAudience = await worker.api(path(`events/${event.id}/signup`, "other"), {
      ...json("POST", {}),
      headers: { "content-type": "application/json", authorization: `Bearer ${token("t1")}` },
    });
    assert.equal(wrongAudience.status, 401);
    const otherMember = await worker.api(path(`events/${event.id}/signup`, "other"), {
      ...json("POST", {}),
      headers: { "content-type": "application/json", authorization: `Bearer ${token("t1", "other", otherKey)}` },
    });
    assert.equal(otherMember.status, 404, "the event does not exist in the other community");
    const viaOther = await signUp("t2", event.id);
    assert.equal(viaOther.status, 201);
    const forged = await worker.api(path(`events/${event.id}/signup`), {
      ...json("POST", {}),
      headers: { "content-type": "application/json", authorization: `Bearer ${token("t3", "tea", otherKey)}` },
    });
    assert.equal(forged.status, 401, "signed with the other community's key");
    const list = await attendees(event.id);
    assert.deepEqual(list.attendees.map((a) => a.member), ["t2"]);
    const staffElsewhere = await mia.api(path(`events/${event.id}/attendees`, "other"));
    assert.equal(staffElsewhere.status, 403, "the owner of tea has no role in other");
  });
});
