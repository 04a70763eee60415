// Automations on the real worker: saved, dry-run, switched on, set off by a real join (the
// message in the member's inbox, the points in their ledger, the run log); a time trigger
// run by the object's alarm; owners and admins only; one community never sees another's;
// a retried create with the same Idempotency-Key saves one.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { codeOf } from "../support/community.mjs";
import { marketer } from "../support/marketer.mjs";
import { signMemberToken } from "../support/sso.mjs";
import { startWorker } from "../support/worker.mjs";

const BASE = "/api/v1/communities";

describe("automations", () => {
  let worker, mia, leo, mo, key;

  const bearer = (sub, tags = []) => ({
    authorization: `Bearer ${signMemberToken(key, { sub, name: `Member ${sub}`, aud: "club", tags })}`,
  });
  const asMember = async (sub, path, init = {}) => {
    const res = await worker.api(`${BASE}/club${path}`, {
      ...init,
      headers: { ...bearer(sub), "content-type": "application/json", ...(init.headers || {}) },
    });
    return res;
  };
  const expect = async (res, status) => {
    const text = await res.text();
    assert.equal(res.status, status, text);
    return text ? JSON.parse(text) : undefined;
  };
  const save = (who, draft, slug = "club", headers = {}) =>
    who.api(`${BASE}/${slug}/automations`, { method: "POST", body: JSON.stringify(draft), headers });
  const welcome = {
    name: "Welcome VIPs",
    trigger: { kind: "member_joined" },
    segment: { tag: "vip" },
    action: { kind: "grant_points", points: 25 },
  };
  const hello = {
    name: "Say hello",
    trigger: { kind: "member_joined" },
    segment: { tag: "vip" },
    action: { kind: "notify", message: "欢迎 Welcome to the club!" },
  };
  /** Polls `read` until `check` holds on its answer (the alarm runs on its own). */
  const eventually = async (read, check, what) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const value = await read();
      if (check(value)) return value;
      if (Date.now() > deadline) assert.fail(`${what}: ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  before(async () => {
    worker = await startWorker();
    mia = await marketer(worker, { email: "mia@brand.example" });
    assert.equal((await mia.api(BASE, { method: "POST", body: JSON.stringify({ slug: "club", settings: { name: "Club" } }) })).status, 201);
    key = await (await mia.api(`${BASE}/club/sso-keys`, { method: "POST" })).json();
    leo = await marketer(worker, { email: "leo@brand.example", name: "Leo" });
    assert.equal((await leo.api(BASE, { method: "POST", body: JSON.stringify({ slug: "other", settings: { name: "Other" } }) })).status, 201);
    mo = await marketer(worker, { email: "mo@brand.example", name: "Mo" });
    const invite = await expect(
      await mia.api(`${BASE}/club/team/invites`, { method: "POST", body: JSON.stringify({ email: "mo@brand.example", role: "moderator" }) }),
      201,
    );
    await expect(await mo.api(`${BASE}/club/team/accept`, { method: "POST", body: JSON.stringify({ token: invite.token }) }), 200);
    // A VIP who was here before the automations.
    await expect(await asMember("u_old", "/checkins", { method: "POST", headers: bearer("u_old", ["vip"]) }), 200);
  });
  after(() => worker?.dispose());

  test("create, dry run, switch on; a real join fires it once, in the inbox, the ledger and the log", async () => {
    const points = await expect(await save(mia, welcome), 201);
    assert.match(points.id, /^au-[0-9a-f]{12}$/);
    assert.equal(points.enabled, false, "off until switched on");
    assert.equal(points.created_by, "mia@brand.example");
    const note = await expect(await save(mia, { ...hello, enabled: true }), 201);

    const dry = await expect(await mia.api(`${BASE}/club/automations/${points.id}/dry-run`, { method: "POST" }), 200);
    assert.deepEqual(dry, { id: points.id, count: 1, members: ["u_old"], on_event: true });

    // Switched off, a VIP's join does nothing of it.
    await expect(await asMember("u_early", "/join", { method: "POST", body: JSON.stringify({ accept_rules: true }), headers: bearer("u_early", ["vip"]) }), 201);
    assert.deepEqual((await expect(await mia.api(`${BASE}/club/automations/${points.id}/runs`), 200)).entries, []);

    const { id: _, created_by: __, created_at: ___, updated_at: ____, ...draft } = points;
    const on = await expect(await mia.api(`${BASE}/club/automations/${points.id}`, { method: "PUT", body: JSON.stringify({ ...draft, enabled: true }) }), 200);
    assert.equal(on.enabled, true);

    await expect(await asMember("u_vip", "/join", { method: "POST", body: JSON.stringify({ accept_rules: true }), headers: bearer("u_vip", ["vip"]) }), 201);
    await expect(await asMember("u_plain", "/join", { method: "POST", body: JSON.stringify({ accept_rules: true }) }), 201);
    // Joining again is refused and fires nothing twice.
    await expect(await asMember("u_vip", "/join", { method: "POST", body: JSON.stringify({ accept_rules: true }), headers: bearer("u_vip", ["vip"]) }), 409);

    const inbox = await expect(await asMember("u_vip", "/notifications", { headers: bearer("u_vip", ["vip"]) }), 200);
    const said = inbox.items.filter((n) => n.target.message === "欢迎 Welcome to the club!");
    assert.equal(said.length, 1, JSON.stringify(inbox));
    const plain = await expect(await asMember("u_plain", "/notifications"), 200);
    assert.equal(plain.items.filter((n) => n.target.message).length, 0, "not in the segment");

    const ledger = await expect(await asMember("u_vip", "/me/points/ledger", { headers: bearer("u_vip", ["vip"]) }), 200);
    const lines = ledger.entries.filter((e) => e.cause === `auto:${points.id}:joined`);
    assert.equal(lines.length, 1, JSON.stringify(ledger));
    assert.equal(lines[0].delta, 25);
    assert.deepEqual(lines[0].reason, { kind: "adjustment", note: "Welcome VIPs", by: "Automation" });
    assert.equal((await expect(await asMember("u_plain", "/me/points/ledger"), 200)).entries.length, 0);

    const runs = await expect(await mia.api(`${BASE}/club/automations/${points.id}/runs`), 200);
    assert.equal(runs.entries.length, 1);
    assert.deepEqual(
      { member: runs.entries[0].member, occurrence: runs.entries[0].occurrence, done: runs.entries[0].done },
      { member: "u_vip", occurrence: "joined", done: true },
    );
    const noted = (await expect(await mia.api(`${BASE}/club/automations/${note.id}/runs`), 200)).entries;
    assert.deepEqual(noted.map((e) => e.member), ["u_vip", "u_early"], "on from the start: newest first");

    const list = await expect(await mia.api(`${BASE}/club/automations`), 200);
    assert.deepEqual(list.items.map((a) => a.id).sort(), [points.id, note.id].sort());
    assert.equal((await expect(await mia.api(`${BASE}/club/automations/${note.id}`), 200)).name, "Say hello");
    assert.deepEqual(await expect(await mia.api(`${BASE}/club/automations/${note.id}`, { method: "DELETE" }), 200), { id: note.id });
    assert.equal(await codeOf(await mia.api(`${BASE}/club/automations/${note.id}`)), "not_found");
  });

  test("a daily trigger runs on the object's alarm", async () => {
    const daily = await expect(
      await save(mia, {
        name: "Good morning",
        enabled: true,
        trigger: { kind: "daily", hour: 0 },
        segment: { tag: "vip" },
        action: { kind: "notify", message: "Good morning" },
      }),
      201,
    );
    const greeted = (n) => n.items.filter((i) => i.target.message === "Good morning").length;
    await eventually(
      async () => expect(await asMember("u_old", "/notifications", { headers: bearer("u_old", ["vip"]) }), 200),
      (inbox) => greeted(inbox) === 1,
      "u_old greeted by the alarm",
    );
    const runs = await eventually(
      async () => expect(await mia.api(`${BASE}/club/automations/${daily.id}/runs`), 200),
      (log) => log.entries.length === 3,
      "three VIPs reached",
    );
    assert.deepEqual(runs.entries.map((e) => e.member).sort(), ["u_early", "u_old", "u_vip"]);
    const dry = await expect(await mia.api(`${BASE}/club/automations/${daily.id}/dry-run`, { method: "POST" }), 200);
    assert.equal(dry.count, 0, "everyone reached today");
  });

  test("only owners and admins; bad input refused unchanged", async () => {
    assert.equal(await codeOf(await save(mo, welcome)), "forbidden");
    assert.equal(await codeOf(await mo.api(`${BASE}/club/automations`)), "forbidden");
    assert.equal(await codeOf(await worker.api(`${BASE}/club/automations`)), "unauthenticated");
    assert.equal((await asMember("u_vip", "/automations")).status, 403);
    const before = (await expect(await mia.api(`${BASE}/club/automations`), 200)).items.length;
    for (const bad of [
      { ...welcome, trigger: { kind: "rain" } },
      { ...welcome, action: { kind: "grant_points", points: 0 } },
      { ...welcome, segment: { all: [] } },
      { ...welcome, trigger: { kind: "daily", hour: 24 } },
      { ...welcome, surprise: true },
    ]) {
      const res = await save(mia, bad);
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.equal(await codeOf(res), "invalid_input");
    }
    assert.equal((await expect(await mia.api(`${BASE}/club/automations`), 200)).items.length, before);
    assert.equal(await codeOf(await mia.api(`${BASE}/club/automations/NOPE!`)), "not_found");
    assert.equal((await mia.api(`${BASE}/club/automations/au-000000000000/dry-run?limit=0`, { method: "POST" })).status, 400);
  });

  test("one community never sees another's automations", async () => {
    const mine = (await expect(await mia.api(`${BASE}/club/automations`), 200)).items;
    assert.ok(mine.length > 0);
    assert.equal(await codeOf(await leo.api(`${BASE}/club/automations`)), "forbidden");
    assert.equal(await codeOf(await leo.api(`${BASE}/club/automations/${mine[0].id}`)), "forbidden");
    assert.deepEqual(await expect(await leo.api(`${BASE}/other/automations`), 200), { items: [] });
    assert.equal(await codeOf(await leo.api(`${BASE}/other/automations/${mine[0].id}`)), "not_found");
    assert.equal(await codeOf(await mia.api(`${BASE}/other/automations`)), "forbidden");
  });

  test("a retried create with the same Idempotency-Key saves one", async () => {
    const before = (await expect(await leo.api(`${BASE}/other/automations`), 200)).items.length;
    const headers = { "idempotency-key": "create-welcome-1" };
    const first = await expect(await save(leo, welcome, "other", headers), 201);
    const again = await expect(await save(leo, welcome, "other", headers), 201);
    assert.deepEqual(again, first);
    const after = (await expect(await leo.api(`${BASE}/other/automations`), 200)).items;
    assert.equal(after.length, before + 1);
  });
});
