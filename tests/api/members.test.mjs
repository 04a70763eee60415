// The members directory against the real worker: filters give exact answers, a member's
// page with the staff adjustment in its timeline, staff tags (audited, counted by segments),
// staff-only, one community never reads another's members, bad input refused unchanged.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { codeOf } from "../support/community.mjs";
import { marketer } from "../support/marketer.mjs";
import { signMemberToken } from "../support/sso.mjs";
import { startWorker } from "../support/worker.mjs";

const BASE = "/api/v1/communities";

describe("members directory", () => {
  let worker, mia, leo, stranger, key, otherKey;

  const token = (k, aud, sub, name, tags = []) => signMemberToken(k, { sub, name, aud, tags });
  const checkIn = async (k, aud, sub, name, tags) => {
    const res = await worker.api(`${BASE}/${aud}/checkins`, {
      method: "POST",
      headers: { authorization: `Bearer ${token(k, aud, sub, name, tags)}` },
    });
    assert.equal(res.status, 200, await res.clone().text());
  };
  const members = async (who, query = "", slug = "club") => {
    const res = await who.api(`${BASE}/${slug}/members${query}`);
    assert.equal(res.status, 200, await res.clone().text());
    return res.json();
  };
  const ids = (page) => page.items.map((m) => m.member);

  before(async () => {
    worker = await startWorker();
    mia = await marketer(worker, { email: "mia@brand.example" });
    const created = await mia.api(BASE, {
      method: "POST",
      body: JSON.stringify({ slug: "club", settings: { name: "Club" } }),
    });
    assert.equal(created.status, 201);
    key = await (await mia.api(`${BASE}/club/sso-keys`, { method: "POST" })).json();
    leo = await marketer(worker, { email: "leo@brand.example", name: "Leo" });
    const other = await leo.api(BASE, { method: "POST", body: JSON.stringify({ slug: "other", settings: { name: "Other" } }) });
    assert.equal(other.status, 201);
    otherKey = await (await leo.api(`${BASE}/other/sso-keys`, { method: "POST" })).json();
    stranger = await marketer(worker, { email: "sam@elsewhere.example", name: "Sam" });

    await checkIn(key, "club", "u1", "Lin Wei", ["VIP"]);
    await checkIn(key, "club", "u2", "Mia Chen", []);
    await checkIn(key, "club", "u3", "Bo", ["runner"]);
    await checkIn(otherKey, "other", "o1", "Olga", ["vip"]);
    const adjusted = await mia.api(`${BASE}/club/points/adjustments`, {
      method: "POST",
      body: JSON.stringify({ member: "u2", delta: 100, reason: "meetup photos" }),
    });
    assert.equal(adjusted.status, 201, await adjusted.clone().text());
  });
  after(() => worker?.dispose());

  test("every filter gives the exact members", async () => {
    const all = await members(mia);
    assert.deepEqual(ids(all), ["u1", "u2", "u3"]);
    assert.equal(all.next, undefined);
    const [u1, u2] = all.items;
    assert.equal(u2.name, "Mia Chen");
    assert.deepEqual(u1.brand_tags, ["vip"]);
    const perCheckIn = u1.points;
    assert.ok(perCheckIn > 0);
    assert.equal(u2.points, perCheckIn + 100);
    assert.equal(u2.balance, perCheckIn + 100);

    const cases = [
      ["?q=chen", ["u2"]],
      ["?q=U3", ["u3"]],
      ["?q=nobody", []],
      ["?tag=vip", ["u1"]],
      ["?tag=RUNNER", ["u3"]],
      ["?active_within_days=1", ["u1", "u2", "u3"]],
      ["?inactive_days=1", []],
      [`?min_points=${perCheckIn + 1}`, ["u2"]],
      [`?max_points=${perCheckIn}`, ["u1", "u3"]],
      [`?level=${u2.level}`, ["u2"]],
      [`?level=1&q=l`, ["u1"]],
      ["?q=&tag=", ["u1", "u2", "u3"]],
    ];
    for (const [query, want] of cases) {
      assert.deepEqual(ids(await members(mia, query)), want, query);
    }
    assert.ok(u2.level > u1.level, "100 points lift u2 a level");

    const first = await members(mia, "?limit=2");
    assert.deepEqual(ids(first), ["u1", "u2"]);
    const second = await members(mia, `?limit=2&cursor=${encodeURIComponent(first.next)}`);
    assert.deepEqual(ids(second), ["u3"]);
    assert.equal(second.next, undefined);
  });

  test("a member's page holds the adjustment with its reason in the timeline", async () => {
    const res = await mia.api(`${BASE}/club/members/u2`);
    assert.equal(res.status, 200, await res.clone().text());
    const page = await res.json();
    assert.equal(page.summary.member, "u2");
    assert.equal(page.balance.balance, page.summary.balance);
    const [newest] = page.timeline;
    assert.equal(newest.kind, "points");
    assert.equal(newest.entry.delta, 100);
    assert.equal(newest.entry.reason.kind, "adjustment");
    assert.equal(newest.entry.reason.note, "meetup photos");
    assert.ok(page.timeline.some((i) => i.kind === "activity" && i.activity === "checked_in"));
  });

  test("staff tags: Chinese tags, counted by the directory and segments, audited, taken off", async () => {
    const tagPath = `${BASE}/club/members/u3/tags/${encodeURIComponent("高级会员")}`;
    const put = await mia.api(tagPath, { method: "PUT" });
    assert.equal(put.status, 200, await put.clone().text());
    assert.deepEqual(await put.json(), { member: "u3", brand_tags: ["runner"], staff_tags: ["高级会员"] });
    assert.equal((await mia.api(tagPath, { method: "PUT" })).status, 200, "again is no change");
    assert.deepEqual(ids(await members(mia, `?tag=${encodeURIComponent("高级会员")}`)), ["u3"]);
    const preview = await mia.api(`${BASE}/club/segments/preview`, {
      method: "POST",
      body: JSON.stringify({ filter: { tag: "高级会员" } }),
    });
    assert.equal(preview.status, 200, await preview.clone().text());
    assert.equal((await preview.json()).count, 1, "segments count staff tags");

    const audit = await (await mia.api(`${BASE}/club/moderation/audit`)).json();
    const tagged = audit.items.filter((r) => r.action.type === "tag_member");
    assert.equal(tagged.length, 1, "one audit entry for one change");
    assert.deepEqual(tagged[0].target, { kind: "member", member: "u3" });
    assert.equal(tagged[0].action.tag, "高级会员");

    const del = await mia.api(tagPath, { method: "DELETE" });
    assert.equal(del.status, 200);
    assert.deepEqual((await del.json()).staff_tags, []);
    assert.deepEqual(ids(await members(mia, `?tag=${encodeURIComponent("高级会员")}`)), []);
  });

  test("only the community's staff see or tag its members", async () => {
    const paths = [
      ["GET", `${BASE}/club/members`],
      ["GET", `${BASE}/club/members/u1`],
      ["PUT", `${BASE}/club/members/u1/tags/x`],
      ["DELETE", `${BASE}/club/members/u1/tags/x`],
    ];
    for (const [method, path] of paths) {
      const anonymous = await worker.api(path, { method });
      assert.equal(anonymous.status, 401, `${method} ${path}`);
      assert.equal(await codeOf(anonymous), "unauthenticated");
      const member = await worker.api(path, {
        method,
        headers: { authorization: `Bearer ${token(key, "club", "u1", "Lin Wei")}` },
      });
      assert.equal(member.status, 403, `${method} ${path}`);
      assert.equal(await codeOf(member), "forbidden");
      const outsider = await stranger.api(path, { method });
      assert.equal(outsider.status, 403, `${method} ${path}`);
    }
    assert.deepEqual((await (await mia.api(`${BASE}/club/members/u1`)).json()).summary.staff_tags, []);
  });

  test("community A cannot read B's members, and each directory holds only its own", async () => {
    for (const path of [`${BASE}/other/members`, `${BASE}/other/members/o1`, `${BASE}/other/members/o1/tags/x`]) {
      const res = await mia.api(path, { method: path.endsWith("/x") ? "PUT" : "GET" });
      assert.equal(res.status, 403, path);
      assert.equal(await codeOf(res), "forbidden");
    }
    assert.deepEqual(ids(await members(leo, "", "other")), ["o1"]);
    assert.deepEqual(ids(await members(leo, "?tag=vip", "other")), ["o1"]);
    const crossed = await leo.api(`${BASE}/other/members/u1`);
    assert.equal(crossed.status, 404);
    assert.equal(await codeOf(crossed), "not_found");
    assert.deepEqual(ids(await members(mia, "?q=olga")), []);
  });

  test("bad input is refused with a clear 4xx and changes nothing", async () => {
    const before = await (await mia.api(`${BASE}/club/members/u1`)).json();
    const badQueries = [
      "?level=0",
      "?level=two",
      "?min_points=10&max_points=5",
      "?limit=0",
      "?limit=500",
      "?inactive_days=0",
      "?tag=a%2Fb",
      "?colour=red",
      "?cursor=!!",
      `?q=${"x".repeat(65)}`,
    ];
    for (const query of badQueries) {
      const res = await mia.api(`${BASE}/club/members${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(await codeOf(res), "invalid_input", query);
    }
    const badTags = [`${encodeURIComponent("a/b")}`, "t".repeat(41), "%20%20"];
    for (const tag of badTags) {
      const res = await mia.api(`${BASE}/club/members/u1/tags/${tag}`, { method: "PUT" });
      assert.equal(res.status, 400, tag);
      const body = await res.json();
      assert.equal(body.error.code, "invalid_input");
      assert.match(body.error.message, /tag/);
    }
    const ghost = await mia.api(`${BASE}/club/members/ghost`);
    assert.equal(ghost.status, 404);
    assert.equal(await codeOf(ghost), "not_found");
    const ghostTag = await mia.api(`${BASE}/club/members/ghost/tags/vip`, { method: "PUT" });
    assert.equal(ghostTag.status, 404);
    const absent = await mia.api(`${BASE}/club/members/u1/tags/gold`, { method: "DELETE" });
    assert.equal(absent.status, 404);
    assert.equal(await codeOf(absent), "not_found");
    const wrongMethod = await mia.api(`${BASE}/club/members/u1`, { method: "POST" });
    assert.equal(wrongMethod.status, 405);

    const afterwards = await (await mia.api(`${BASE}/club/members/u1`)).json();
    assert.deepEqual(afterwards, before, "nothing changed");
    const audit = await (await mia.api(`${BASE}/club/moderation/audit`)).json();
    assert.equal(audit.items.filter((r) => r.target.member === "u1").length, 0, "no audit entry from a refusal");
  });
});
