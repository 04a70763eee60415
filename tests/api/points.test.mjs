// Points and recognition over HTTP: a member's points, ledger and title; the rewards
// catalogue and redemption (balance and stock together, nothing oversold under
// concurrency); staff adjustments and badges; rules, levels and leaderboards.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { marketer } from "../support/marketer.mjs";
import { addSsoKeys, codeOf, memberToken } from "../support/community.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

const BASE = "/api/v1/communities";

describe("points and recognition", () => {
  let worker, key, otherKey, mia, leo;
  before(async () => {
    worker = await startWorker();
    mia = await marketer(worker, { email: "mia@brand.example", name: "Mia" });
    const created = await mia.api(BASE, { method: "POST", body: JSON.stringify({ slug: "tea", settings: { name: "Tea" } }) });
    assert.equal(created.status, 201, await created.text());
    leo = await marketer(worker, { email: "leo@else.example", name: "Leo" });
    await worker.putCommunity("other", { name: "Other" });
    [key, otherKey] = await addSsoKeys(worker, "tea", "other");
  });
  after(() => worker?.dispose());

  const token = (sub, aud = "tea", k = key) => memberToken(k, sub, aud);
  const asMember = (sub, path, init = {}, slug = "tea") =>
    worker.api(`${BASE}/${slug}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token(sub, slug, slug === "tea" ? key : otherKey)}`, "content-type": "application/json", ...(init.headers || {}) },
    });
  const asOperator = (path, init = {}, slug = "tea") =>
    worker.api(`${BASE}/${slug}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, "content-type": "application/json", ...(init.headers || {}) },
    });
  const post = (body) => ({ method: "POST", body: JSON.stringify(body) });
  const put = (body) => ({ method: "PUT", body: JSON.stringify(body) });
  const adjust = (member, delta, slug = "tea") => asOperator("/points/adjustments", post({ member, delta, reason: "welcome gift" }), slug);
  const myPoints = async (sub) => {
    const res = await asMember(sub, "/me/points");
    assert.equal(res.status, 200);
    return res.json();
  };
  const wholeLedger = async (sub) => {
    const entries = [];
    let cursor = null;
    do {
      const res = await asMember(sub, `/me/points/ledger?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      assert.equal(res.status, 200);
      const page = await res.json();
      entries.push(...page.entries);
      cursor = page.next_cursor;
    } while (cursor);
    return entries;
  };

  test("a new member is at level 1 with nothing; visitors must sign in", async () => {
    const mine = await myPoints("u_new");
    assert.equal(mine.member_id, "u_new");
    assert.deepEqual(mine.balance, { balance: 0, earned: 0, entries: 0 });
    assert.equal(mine.level.level, 1);
    assert.equal(mine.level.next.points_to_go, 100);
    assert.deepEqual(mine.badges, []);
    assert.equal(mine.title, null);
    const anonymous = await worker.api(`${BASE}/tea/me/points`);
    assert.equal(anonymous.status, 401);
    assert.equal(await codeOf(anonymous), "unauthenticated");
  });

  test("staff adjust with a reason; the member sees it, levels up, and cannot go below zero", async () => {
    const res = await adjust("u_adj", 150);
    assert.equal(res.status, 201);
    const done = await res.json();
    assert.equal(done.entry.delta, 150);
    assert.deepEqual(done.entry.reason, { kind: "adjustment", note: "welcome gift", by: "operator" });
    assert.deepEqual([done.level_up.from, done.level_up.to], [1, 2]);

    const byOwner = await mia.api(`${BASE}/tea/points/adjustments`, post({ member: "u_adj", delta: -50, reason: "correction" }));
    assert.equal(byOwner.status, 201);
    assert.equal((await byOwner.json()).entry.reason.by, "mia@brand.example");

    const mine = await myPoints("u_adj");
    assert.equal(mine.balance.balance, 100);
    assert.equal(mine.level.level, 2);
    assert.deepEqual(mine.level.perks, ["Custom avatar frame"]);

    const tooMuch = await adjust("u_adj", -101);
    assert.equal(tooMuch.status, 409);
    assert.equal(await codeOf(tooMuch), "insufficient_points");
    for (const bad of [{ member: "u_adj", delta: 0, reason: "x" }, { member: "u_adj", delta: 5, reason: "" }, { member: "a/b", delta: 5, reason: "x" }, { member: "u_adj", delta: 5 }]) {
      const res = await asOperator("/points/adjustments", post(bad));
      assert.equal(res.status, 400, JSON.stringify(bad));
    }
    assert.equal((await asMember("u_adj", "/points/adjustments", post({ member: "u_adj", delta: 5, reason: "me" }))).status, 401);
    const stranger = await leo.api(`${BASE}/tea/points/adjustments`, post({ member: "u_adj", delta: 5, reason: "x" }));
    assert.equal(stranger.status, 403);
    assert.equal((await myPoints("u_adj")).balance.balance, 100, "no refusal changed anything");
  });

  test("the ledger lists newest first, a page at a time", async () => {
    for (const delta of [1, 2, 3, 4, 5]) assert.equal((await adjust("u_led", delta)).status, 201);
    const entries = await wholeLedger("u_led");
    assert.deepEqual(entries.map((e) => e.delta), [5, 4, 3, 2, 1]);
    assert.deepEqual(entries.map((e) => e.balance_after), [15, 10, 6, 3, 1]);
    const bad = await asMember("u_led", "/me/points/ledger?cursor=nope");
    assert.equal(bad.status, 400);
    assert.equal((await asMember("u_led", "/me/points/ledger?limit=1000")).status, 400);
  });

  test("staff create and edit rewards; visitors and members read the catalogue", async () => {
    const created = await mia.api(`${BASE}/tea/rewards`, post({ id: "tote-bag", name: "帆布袋 Tote bag", cost: 40, stock: 3 }));
    assert.equal(created.status, 201);
    assert.deepEqual(await created.json(), { id: "tote-bag", name: "帆布袋 Tote bag", cost: 40, stock: 3, active: true });
    const again = await mia.api(`${BASE}/tea/rewards`, post({ id: "tote-bag", name: "x", cost: 1 }));
    assert.equal(again.status, 409);
    for (const bad of [{ id: "Bad Id", name: "x", cost: 1 }, { id: "ok", name: "x", cost: 0 }, { id: "ok", name: "", cost: 1 }, { id: "ok", name: "x", cost: 1, surprise: 1 }]) {
      assert.equal((await mia.api(`${BASE}/tea/rewards`, post(bad))).status, 400, JSON.stringify(bad));
    }
    assert.equal((await leo.api(`${BASE}/tea/rewards`, post({ id: "leo", name: "x", cost: 1 }))).status, 403);
    assert.equal((await asMember("u_1", "/rewards", post({ id: "mine", name: "x", cost: 1 }))).status, 401);

    const edited = await mia.api(`${BASE}/tea/rewards/tote-bag`, put({ name: "Tote bag", cost: 50, stock: 2 }));
    assert.equal(edited.status, 200);
    assert.equal((await edited.json()).cost, 50);
    assert.equal((await mia.api(`${BASE}/tea/rewards/nothing`, put({ name: "x", cost: 1 }))).status, 404);
    assert.equal((await asOperator("/rewards", post({ id: "old-mug", name: "Mug", cost: 5, active: false }))).status, 201);

    const visitor = await (await worker.api(`${BASE}/tea/rewards`)).json();
    assert.deepEqual(visitor.rewards.map((r) => r.id), ["tote-bag"], "withdrawn rewards are hidden");
    assert.equal(visitor.balance, null);
    const member = await (await asMember("u_adj", "/rewards")).json();
    assert.equal(member.balance, 100);
    assert.equal(member.rewards[0].affordable, true);
    const staff = await mia.api(`${BASE}/tea/rewards?include=withdrawn`);
    assert.equal(staff.status, 200);
    assert.deepEqual((await staff.json()).rewards.map((r) => [r.id, r.active]), [["old-mug", false], ["tote-bag", true]]);
    assert.equal((await worker.api(`${BASE}/tea/rewards?include=withdrawn`)).status, 401);
    assert.equal((await worker.api(`${BASE}/tea/rewards`, { method: "DELETE" })).status, 405);
  });

  test("redeeming spends points and stock together, and says why when it cannot", async () => {
    assert.equal((await adjust("u_red", 120)).status, 201);
    const redeem = (sub, id = "tote-bag") => asMember(sub, `/rewards/${id}/redeem`, { method: "POST" });
    const first = await redeem("u_red");
    assert.equal(first.status, 201);
    const done = await first.json();
    assert.equal(done.receipt.stock_left, 1);
    assert.equal(done.balance.balance, 70);
    assert.deepEqual(done.entry.reason, { kind: "redemption", reward: "tote-bag", reward_name: "Tote bag" });

    const poor = await redeem("u_poor");
    assert.equal(poor.status, 409);
    assert.equal(await codeOf(poor), "insufficient_points");
    assert.equal((await redeem("u_red")).status, 201);
    const empty = await redeem("u_red");
    assert.equal(empty.status, 409);
    assert.equal(await codeOf(empty), "out_of_stock");
    assert.equal((await redeem("u_red", "old-mug")).status, 404, "withdrawn");
    assert.equal((await redeem("u_red", "no-such")).status, 404);
    assert.equal((await worker.api(`${BASE}/tea/rewards/tote-bag/redeem`, { method: "POST" })).status, 401);
    const mine = await myPoints("u_red");
    assert.equal(mine.balance.balance, 20);
    assert.equal(mine.balance.earned, 120, "spending does not lower what was earned");
    assert.equal((await wholeLedger("u_red")).reduce((s, e) => s + e.delta, 0), 20);
  });

  test("100 members redeeming 10 in stock at once: exactly 10 succeed, and every balance is its ledger's sum", async () => {
    assert.equal((await asOperator("/rewards", post({ id: "limited", name: "Limited pin", cost: 10, stock: 10 }))).status, 201);
    const members = Array.from({ length: 100 }, (_, i) => `crowd_${i}`);
    const credits = await Promise.all(members.map((m) => adjust(m, 15)));
    assert.deepEqual([...new Set(credits.map((r) => r.status))], [201]);

    const results = await Promise.all(members.map((m) => asMember(m, "/rewards/limited/redeem", { method: "POST" })));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 10);
    assert.equal(statuses.filter((s) => s === 409).length, 90);
    const codes = await Promise.all(results.filter((r) => r.status === 409).map(codeOf));
    assert.deepEqual([...new Set(codes)], ["out_of_stock"]);
    await Promise.all(results.filter((r) => r.status === 201).map((r) => r.body?.cancel()));

    const catalogue = await (await worker.api(`${BASE}/tea/rewards`)).json();
    const limited = catalogue.rewards.find((r) => r.id === "limited");
    assert.equal(limited.stock, 0);
    assert.equal(limited.available, false);

    let winners = 0;
    for (const m of members) {
      const mine = await myPoints(m);
      const ledger = await wholeLedger(m);
      assert.equal(mine.balance.balance, ledger.reduce((s, e) => s + e.delta, 0), m);
      assert.equal(mine.balance.entries, ledger.length, m);
      if (mine.balance.balance === 5) winners += 1;
      else assert.equal(mine.balance.balance, 15, m);
    }
    assert.equal(winners, 10);
  });

  test("one member redeeming 20 times at once never spends more than their balance", async () => {
    assert.equal((await asOperator("/rewards", post({ id: "sticker", name: "Sticker", cost: 10 }))).status, 201);
    assert.equal((await adjust("u_greedy", 35)).status, 201);
    const results = await Promise.all(Array.from({ length: 20 }, () => asMember("u_greedy", "/rewards/sticker/redeem", { method: "POST" })));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 3);
    assert.equal(statuses.filter((s) => s === 409).length, 17);
    await Promise.all(results.map((r) => r.body?.cancel()));
    const mine = await myPoints("u_greedy");
    assert.equal(mine.balance.balance, 5);
    const ledger = await wholeLedger("u_greedy");
    assert.deepEqual(ledger.map((e) => e.seq), [3, 2, 1, 0], "no gaps, no duplicates");
    assert.equal(ledger.reduce((s, e) => s + e.delta, 0), 5);
  });

  test("staff grant and revoke badges; members show a title", async () => {
    const grant = await mia.api(`${BASE}/tea/badges/vip/holders/u_vip`, { method: "POST" });
    assert.equal(grant.status, 201);
    const granted = await grant.json();
    assert.equal(granted.granted.id, "vip");
    assert.deepEqual(granted.badges.map((b) => b.id), ["vip"]);
    assert.equal((await mia.api(`${BASE}/tea/badges/vip/holders/u_vip`, { method: "POST" })).status, 409);
    assert.equal((await mia.api(`${BASE}/tea/badges/nope/holders/u_vip`, { method: "POST" })).status, 404);
    assert.equal((await leo.api(`${BASE}/tea/badges/vip/holders/u_vip`, { method: "POST" })).status, 403);
    assert.equal((await asMember("u_vip", "/badges/vip/holders/u_vip", { method: "POST" })).status, 401);

    const title = await asMember("u_vip", "/me/title", put({ badge: "vip" }));
    assert.equal(title.status, 200);
    assert.equal((await title.json()).title.id, "vip");
    const mine = await myPoints("u_vip");
    assert.equal(mine.title.id, "vip");
    assert.equal(mine.badges[0].granted, true);
    assert.equal((await asMember("u_vip", "/me/title", put({ badge: "first_post" }))).status, 403, "not held");

    const revoke = await mia.api(`${BASE}/tea/badges/vip/holders/u_vip`, { method: "DELETE" });
    assert.equal(revoke.status, 200);
    assert.deepEqual((await revoke.json()).badges, []);
    assert.equal((await myPoints("u_vip")).title, null);
    assert.equal((await mia.api(`${BASE}/tea/badges/vip/holders/u_vip`, { method: "DELETE" })).status, 404);

    const catalogue = await (await worker.api(`${BASE}/tea/badges`)).json();
    assert.ok(catalogue.badges.some((b) => b.id === "streak_7" && b.award.by === "automatic"));
  });

  test("anyone reads the rules and levels; owners replace them and check-in follows", async () => {
    const rules = await (await worker.api(`${BASE}/tea/points/rules`)).json();
    assert.equal(rules.points.check_in.points, 5);
    assert.ok(Array.isArray(rules.checkin.streak_bonuses));
    rules.points.check_in.points = 7;
    assert.equal((await asMember("u_1", "/points/rules", put(rules))).status, 401);
    assert.equal((await leo.api(`${BASE}/tea/points/rules`, put(rules))).status, 403);
    assert.equal((await mia.api(`${BASE}/tea/points/rules`, put({ points: rules.points }))).status, 400, "both sets");
    const replaced = await mia.api(`${BASE}/tea/points/rules`, put(rules));
    assert.equal(replaced.status, 200);
    const checkin = await asMember("u_rules", "/checkins", { method: "POST" });
    assert.equal(checkin.status, 200);
    assert.equal((await checkin.json()).awarded[0].delta, 7);

    const levels = await (await worker.api(`${BASE}/tea/levels`)).json();
    assert.equal(levels.levels.length, 5);
    assert.equal(levels.levels[1].threshold, 100);
    const ladder = [
      { threshold: 0, names: { zh_cn: "新人", en: "New" } },
      { threshold: 5, names: { zh_cn: "常客", en: "Regular" }, perks: ["Stickers"] },
    ];
    assert.equal((await mia.api(`${BASE}/tea/levels`, put({ levels: [{ ...ladder[1] }] }))).status, 400, "must start at 0");
    assert.equal((await leo.api(`${BASE}/tea/levels`, put({ levels: ladder }))).status, 403);
    const newLadder = await mia.api(`${BASE}/tea/levels`, put({ levels: ladder }));
    assert.equal(newLadder.status, 200);
    const mine = await myPoints("u_rules");
    assert.equal(mine.level.level, 2);
    assert.deepEqual(mine.level.perks, ["Stickers"]);
    assert.equal((await (await worker.api(`${BASE}/tea/levels`)).json()).levels.length, 2);
  });

  test("a check-in's answer carries the badges it earned", async () => {
    const catalogue = await (await worker.api(`${BASE}/tea/badges`)).json();
    const firstDay = {
      id: "first_day",
      names: { ...catalogue.badges[0].names, en: "First day" },
      award: { by: "automatic", rule: { kind: "checkin_days", days: 1 } },
    };
    const badges = [...catalogue.badges.filter((b) => b.id !== "first_day"), firstDay];
    assert.equal((await asOperator("/badges", put({ badges }))).status, 200);

    const first = await asMember("u_badge", "/checkins", { method: "POST" });
    assert.equal(first.status, 200);
    const body = await first.json();
    assert.deepEqual(body.badges_earned.map((b) => [b.id, b.names.en]), [["first_day", "First day"]]);
    assert.ok("level_up" in body);
    const mine = await myPoints("u_badge");
    assert.deepEqual(mine.badges.map((b) => b.id), ["first_day"], "the same badge the answer named");
  });

  test("leaderboards answer for the week, the month, all time and past periods", async () => {
    for (const period of ["week", "month", "all", "2026-W09", "2026-03"]) {
      const res = await asMember("u_adj", `/leaderboards/${period}`);
      assert.equal(res.status, 200, period);
      const board = await res.json();
      assert.ok(Array.isArray(board.rows), period);
      assert.match(board.period, /^(all|\d{4}-W\d{2}|\d{4}-\d{2})$/);
    }
    const week = await (await worker.api(`${BASE}/tea/leaderboards/week`)).json();
    assert.equal(week.me, null);
    assert.equal((await worker.api(`${BASE}/tea/leaderboards/yesterday`)).status, 400);
    assert.equal((await worker.api(`${BASE}/tea/leaderboards/week?limit=0`)).status, 400);
    assert.equal((await worker.api(`${BASE}/tea/leaderboards/week`, { method: "POST" })).status, 405);
  });

  test("a token for one community does nothing in another", async () => {
    const teaToken = token("u_adj");
    const res = await worker.api(`${BASE}/other/me/points`, { headers: { authorization: `Bearer ${teaToken}` } });
    assert.equal(res.status, 401);
    const redeem = await worker.api(`${BASE}/other/rewards/tote-bag/redeem`, { method: "POST", headers: { authorization: `Bearer ${teaToken}` } });
    assert.equal(redeem.status, 401);
    const otherCatalogue = await (await worker.api(`${BASE}/other/rewards`)).json();
    assert.deepEqual(otherCatalogue.rewards, [], "tea's rewards are not other's");
    assert.equal((await mia.api(`${BASE}/other/points/adjustments`, post({ member: "u_adj", delta: 5, reason: "x" }))).status, 403);
    assert.equal((await adjust("u_adj", 7, "other")).status, 201);
    assert.equal((await asMember("u_adj", "/me/points", {}, "other").then((r) => r.json())).balance.balance, 7);
    assert.equal((await myPoints("u_adj")).balance.balance, 100, "tea's balance is untouched");
  });
});
