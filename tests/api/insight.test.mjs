// Insight and segments against the real worker: a small community's day played through the
// API, every number of the dashboard's reads asserted (JSON and CSV), saved segments, and
// who may read: staff of this community only.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { marketer } from "../support/marketer.mjs";
import { addSsoKeys } from "../support/community.mjs";
import { signMemberToken } from "../support/sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

const HOUR = 3600_000;

describe("insight", () => {
  let worker, key, otherKey, mia, leo, sam;
  let today, thread, event;
  before(async () => {
    worker = await startWorker();
    mia = await marketer(worker, { email: "mia@brand.example", name: "Mia" });
    leo = await marketer(worker, { email: "leo@brand.example", name: "Leo" });
    sam = await marketer(worker, { email: "sam@brand.example", name: "Sam" });
    for (const [who, slug] of [
      [mia, "tea"],
      [leo, "other"],
    ]) {
      const res = await who.api("/api/v1/communities", {
        method: "POST",
        body: JSON.stringify({ slug, settings: { name: slug } }),
      });
      assert.equal(res.status, 201, await res.text());
    }
    [key, otherKey] = await addSsoKeys(worker, "tea", "other");
  });
  after(() => worker?.dispose());

  const path = (rest, slug = "tea") => `/api/v1/communities/${slug}/${rest}`;
  const token = (sub, claims = {}, slug = "tea") =>
    signMemberToken(slug === "tea" ? key : otherKey, { sub, name: `Member ${sub}`, aud: slug, ...claims });
  /** A member's request; `claims` go into their token (brand tags). */
  const asMember = (sub, method, rest, body, { claims, slug } = {}) =>
    worker.api(path(rest, slug), {
      method,
      headers: { authorization: `Bearer ${token(sub, claims, slug)}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  /**
   * Checks the status (and error code); returns the JSON body, or a CSV body's text after
   * checking that it starts with a byte-order mark (which decoding drops).
   */
  const expect = async (res, status, code) => {
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    assert.equal(res.status, status, text);
    if (code) assert.equal(JSON.parse(text).error.code, code, text);
    if (!res.headers.get("content-type")?.startsWith("text/csv")) return text ? JSON.parse(text) : null;
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], "a byte-order mark, for spreadsheets");
    return text;
  };
  const staff = (rest, init = {}) => mia.api(path(rest), init);
  const read = async (rest) => expect(await staff(rest), 200);

  test("a day of the community, played through the API", async () => {
    const vip = { tags: ["vip"] };
    for (const sub of ["a1", "a2", "a3", "a4"]) {
      await expect(await asMember(sub, "POST", "join", { accept_rules: true }, { claims: sub === "a1" ? vip : {} }), 201);
    }
    for (const sub of ["a1", "a2", "a3"]) {
      const res = await expect(await asMember(sub, "POST", "checkins", undefined, { claims: sub === "a1" ? vip : {} }), 200);
      today = res.status.today;
    }
    await expect(await staff("topics", { method: "POST", body: JSON.stringify({ id: "oolong", name: "Oolong" }) }), 201);
    thread = (await expect(await asMember("a1", "POST", "threads", { topic: "oolong", title: "Roasting", body: "hi" }, { claims: vip }), 201)).id;
    await expect(await asMember("a2", "POST", `threads/${thread}/replies`, { body: "yes" }), 201);
    await expect(await asMember("a3", "POST", `threads/${thread}/reactions`, { kind: "like" }), 200);
    const draft = {
      title: "Tasting",
      venue: { kind: "offline", place: "Shanghai" },
      starts_at: Date.now() + HOUR / 2,
      ends_at: Date.now() + 2 * HOUR,
    };
    const created = await expect(await staff("events", { method: "POST", body: JSON.stringify(draft) }), 201);
    event = created.event.id;
    for (const sub of ["a1", "a2"]) {
      await expect(await asMember(sub, "POST", `events/${event}/signup`, {}, { claims: sub === "a1" ? vip : {} }), 201);
    }
    await expect(await asMember("a1", "POST", `events/${event}/check-in`, { code: created.attendance_code }, { claims: vip }), 200);
    // Another community's member: counted there, never here.
    await expect(await asMember("x1", "POST", "checkins", undefined, { slug: "other" }), 200);
  });

  test("the overview counts the day, its week and its month", async () => {
    const o = await read(`insight/overview?from=${today}&to=${today}`);
    assert.deepEqual(o.days, [
      { day: today, active: 4, new_members: 4, checkins: 3, posts: 1, replies: 1, reactions: 1, signups: 2, attended: 1 },
    ]);
    assert.equal(o.weeks.length, 1);
    assert.equal(o.weeks[0].active, 4);
    assert.deepEqual(o.months, [{ period: today.slice(0, 7), active: 4 }]);
    const defaults = await read("insight/overview");
    assert.equal(defaults.days.length, 30, "the last 30 days by default");
    assert.equal(defaults.to, today);
    assert.equal(defaults.days.at(-1).active, 4);

    const other = await expect(await leo.api(path(`insight/overview?from=${today}&to=${today}`, "other")), 200);
    assert.equal(other.days[0].active, 1, "the other community counts its own member only");
    assert.equal(other.days[0].checkins, 1);
  });

  test("retention, tiers, the most engaged items, streaks and churn", async () => {
    const r = await read("insight/retention");
    assert.equal(r.cohorts.length, 12);
    assert.deepEqual(
      { joined: r.cohorts.at(-1).joined, week2: r.cohorts.at(-1).week2, month1: r.cohorts.at(-1).month1 },
      { joined: 4, week2: 0, month1: 0 },
    );
    assert.equal(r.cohorts.at(-1).week2_final, false);

    // Points by the community's rules: a1 checked in, posted, got a reaction and attended;
    // a2 checked in and replied; a3 checked in.
    const rules = (await read("points/rules")).points;
    const a1 = rules.check_in.points + rules.post.points + rules.reaction_received.points + rules.event_attended.points;
    const a2 = rules.check_in.points + rules.reply.points;
    const a3 = rules.check_in.points;
    const tiers = await read("insight/tiers");
    assert.equal(tiers.members, 4);
    assert.equal(tiers.with_points, 3);
    assert.equal(tiers.points, a1 + a2 + a3);
    assert.deepEqual(
      tiers.tiers.map((t) => [t.tier, t.members, t.points]),
      [
        ["top_1", 1, a1],
        ["top_10", 0, 0],
        ["rest", 3, a2 + a3],
      ],
    );
    assert.deepEqual(tiers.leaders, [{ member: "a1", points: a1 }]);

    const threads = await read("insight/top?kind=thread");
    assert.deepEqual(
      threads.items.map((i) => [i.id, i.title, i.score]),
      [[thread, "Roasting", 3]],
    );
    assert.deepEqual(threads.items[0].engagement, { posts: 1, replies: 1, reactions: 1, answers: 0, signups: 0, attended: 0 });
    const topics = await read("insight/top?kind=topic");
    assert.deepEqual(topics.items.map((i) => [i.id, i.title, i.score]), [["oolong", "Oolong", 3]]);
    const events = await read("insight/top?kind=event&limit=5");
    assert.deepEqual(events.items.map((i) => [i.id, i.title, i.score]), [[event, "Tasting", 3]]);

    const streaks = await read(`insight/streaks?from=${today}&to=${today}`);
    assert.deepEqual(streaks.days, [{ day: today, checkins: 3, streaks: { 1: 3, "2-6": 0, "7-13": 0, "14-29": 0, "30+": 0 } }]);

    const churn = await read("insight/churn?quiet_days=7");
    assert.equal(churn.quiet_days, 7);
    assert.equal(churn.at_risk, 0, "everyone was active today");
    assert.ok(churn.days.every((d) => d.at_risk === 0));
    assert.deepEqual(await read("insight/churn/members"), { quiet_days: 14, items: [] });
  });

  test("every series downloads as CSV, by path or by parameter", async () => {
    for (const view of ["overview", "retention", "tiers", "top?kind=thread", "streaks", "churn", "churn/members"]) {
      const [name, query = ""] = view.split("?");
      const byPath = await staff(`insight/${name}.csv${query ? `?${query}` : ""}`);
      const text = await expect(byPath, 200);
      assert.equal(byPath.headers.get("content-type"), "text/csv; charset=utf-8", view);
      assert.match(byPath.headers.get("content-disposition"), /^attachment; filename="tea-/, view);
      const byParam = await staff(`insight/${name}?${query ? `${query}&` : ""}format=csv`);
      assert.equal(await expect(byParam, 200), text, `${view}: the same file`);
    }
    const csv = await expect(await staff(`insight/overview.csv?from=${today}&to=${today}`), 200);
    assert.equal(
      csv,
      `day,active,new_members,checkins,posts,replies,reactions,signups,attended\r\n${today},4,4,3,1,1,1,2,1\r\n`,
    );
    const tiers = await expect(await staff("insight/tiers.csv"), 200);
    assert.match(tiers, /\r\ntop_1,1,\d+,\d+,\d+\.\d\r\n/);
  });

  test("segments: save, count, list, export, change, preview, delete", async () => {
    const filter = { all: [{ tag: "vip" }, { attended: { within_days: 30 } }] };
    const saved = await expect(
      await staff("segments", { method: "POST", body: JSON.stringify({ name: "VIP attendees", filter }) }),
      201,
    );
    const id = saved.segment.id;
    assert.match(id, /^[0-9a-f]{16}$/);
    assert.equal(saved.count, 1);
    assert.deepEqual(saved.segment.filter, filter);

    const members = await read(`segments/${id}/members`);
    assert.deepEqual(
      members.items.map((m) => [m.member, m.name, m.tags, m.joined, m.last_active]),
      [["a1", "Member a1", ["vip"], today, today]],
    );
    assert.equal(members.next, undefined);
    const file = await staff(`segments/${id}/members.csv`);
    const text = await expect(file, 200);
    assert.equal(text.split("\r\n")[0], "member,name,tags,joined,last_active,points,level");
    assert.match(text.split("\r\n")[1], new RegExp(`^a1,Member a1,vip,${today},${today},\\d+,\\d+$`));
    assert.equal(file.headers.get("x-next-cursor"), null);

    const changed = await expect(
      await staff(`segments/${id}`, { method: "PUT", body: JSON.stringify({ name: "Earners", filter: { points: { min: 2 } } }) }),
      200,
    );
    assert.equal(changed.segment.name, "Earners");
    assert.equal(changed.count, 3, "a1, a2 and a3 earned points");
    assert.equal((await read(`segments/${id}`)).count, 3);
    assert.deepEqual((await read("segments")).items.map((s) => s.id), [id]);

    const preview = await expect(
      await staff("segments/preview", { method: "POST", body: JSON.stringify({ filter: { not: { tag: "vip" } } }) }),
      200,
    );
    assert.equal(preview.count, 3);
    assert.deepEqual(preview.sample.map((m) => m.member), ["a2", "a3", "a4"]);
    const recent = await expect(
      await staff("segments/preview", { method: "POST", body: JSON.stringify({ filter: { last_active: { within_days: 1 } } }) }),
      200,
    );
    assert.equal(recent.count, 4);

    assert.deepEqual(await expect(await staff(`segments/${id}`, { method: "DELETE" }), 200), { id });
    await expect(await staff(`segments/${id}`), 404, "not_found");
    assert.deepEqual((await read("segments")).items, []);
  });

  test("only this community's staff may read, and only owners and admins save", async () => {
    const overview = path("insight/overview");
    await expect(await worker.api(overview), 401, "unauthenticated");
    await expect(await sam.api(overview), 403, "forbidden");
    await expect(await leo.api(overview), 403, "forbidden");
    await expect(await worker.api(overview, { headers: { authorization: `Bearer ${token("a1")}` } }), 403, "forbidden");
    await expect(await leo.api(path("insight/churn/members.csv")), 403, "forbidden");
    await expect(await leo.api(path("segments")), 403, "forbidden");
    const body = JSON.stringify({ name: "Mine", filter: { tag: "vip" } });
    await expect(await leo.api(path("segments"), { method: "POST", body }), 403, "forbidden");
    await expect(await leo.api(path("segments/preview"), { method: "POST", body: JSON.stringify({ filter: { tag: "vip" } }) }), 403, "forbidden");
    assert.deepEqual((await read("segments")).items, [], "nothing was saved");
    const asOperator = await worker.api(overview, { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } });
    assert.equal((await expect(asOperator, 200)).days.length, 30);
  });

  test("bad requests are refused clearly and change nothing", async () => {
    const bad = [
      [`insight/overview?from=${today}&to=2020-01-01`, "invalid_input"],
      ["insight/overview?from=2020-01-01&to=2020-12-31", "invalid_input"],
      ["insight/overview?since=yesterday", "invalid_input"],
      ["insight/overview?from=tomorrow", "invalid_input"],
      ["insight/top", "invalid_input"],
      ["insight/top?kind=rumours", "invalid_input"],
      ["insight/top?kind=thread&limit=0", "invalid_input"],
      ["insight/churn?quiet_days=0", "invalid_input"],
      ["insight/churn/members?cursor=%25%25", "invalid_input"],
      ["insight/tiers?format=xml", "invalid_input"],
    ];
    for (const [rest, code] of bad) await expect(await staff(rest), 400, code);
    await expect(await staff("insight/velocity"), 404, "route_not_found");
    await expect(await staff("insight/overview", { method: "POST", body: "{}" }), 405, "method_not_allowed");
    await expect(await staff("segments/preview"), 405, "method_not_allowed");
    await expect(await staff("segments/nope"), 404, "not_found");
    await expect(await staff("segments/NOPE!"), 404);
    for (const body of [
      { name: "Empty", filter: { all: [] } },
      { name: "Backwards", filter: { points: { min: 9, max: 1 } } },
      { name: "Unknown", filter: { shoe_size: 42 } },
      { name: "", filter: { tag: "vip" } },
      { filter: { tag: "vip" } },
    ]) {
      await expect(await staff("segments", { method: "POST", body: JSON.stringify(body) }), 400, "invalid_input");
    }
    await expect(await staff("segments", { method: "POST", body: "not json" }), 400, "invalid_input");
    assert.deepEqual((await read("segments")).items, [], "nothing was saved");
  });
});
