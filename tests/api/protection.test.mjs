// Write protection on the real worker: an Idempotency-Key replays the first answer (one
// effect, even for 20 copies at once), a key reused for another request is refused, write
// rate limits per member and per address answer 429 with Retry-After and change nothing,
// and a community may require a verified phone to post.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { codeOf } from "../support/community.mjs";
import { addSsoKey, signMemberToken } from "../support/sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

const base = "/api/v1/communities/tea";

/** A client of `worker` for the community `tea`, signing members with `key`. */
function client(worker, key) {
  const token = (sub, extra = {}) => signMemberToken(key, { sub, name: sub, aud: "tea", ...extra });
  const call = (method, path, { tok, body, key: idem, ip, headers = {} } = {}) =>
    worker.api(base + path, {
      method,
      headers: {
        ...(tok ? { authorization: `Bearer ${tok}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(idem !== undefined ? { "idempotency-key": idem } : {}),
        ...(ip ? { "cf-connecting-ip": ip } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const as = (sub, extra) => ({
    send: (method, path, body, options = {}) => call(method, path, { tok: token(sub, extra), body, ...options }),
    get: (path, options = {}) => call("GET", path, { tok: token(sub, extra), ...options }),
  });
  /** The thread ids in the `all` feed, read by a member (straight from the community's object). */
  const threadIds = async () => {
    const res = await as("reader").get("/threads?limit=50");
    assert.equal(res.status, 200);
    return (await res.json()).threads.map((t) => t.id);
  };
  const ledgerEntries = async (sub) => (await (await as(sub).get("/checkins/me")).json()).balance.entries;
  const checkedIn = async (sub) => (await (await as(sub).get("/checkins/me")).json()).status.checked_in_today;
  return { token, call, as, threadIds, ledgerEntries, checkedIn };
}

async function startTea(options) {
  const worker = await startWorker(options);
  await worker.putCommunity("tea", { name: "Tea" });
  const key = await addSsoKey(worker, "tea", OPERATOR_TOKEN);
  const c = client(worker, key);
  const topic = await c.call("POST", "/topics", { tok: OPERATOR_TOKEN, body: { id: "oolong", name: "Oolong" } });
  assert.equal(topic.status, 201, await topic.clone().text());
  return { worker, key, ...c };
}

describe("Idempotency-Key", () => {
  let t;
  before(async () => {
    t = await startTea();
  });
  after(() => t?.worker.dispose());

  test("a retried check-in gets the first answer and earns points once", async () => {
    const first = await t.as("lin").send("POST", "/checkins", undefined, { key: "checkin-lin-1" });
    assert.equal(first.status, 200);
    const firstBody = await first.text();
    assert.equal(JSON.parse(firstBody).awarded.length, 1);

    const again = await t.as("lin").send("POST", "/checkins", undefined, { key: "checkin-lin-1" });
    assert.equal(again.status, 200, "not already_checked_in: the first answer again");
    assert.equal(await again.text(), firstBody);
    assert.equal(await t.ledgerEntries("lin"), 1);

    const unkeyed = await t.as("lin").send("POST", "/checkins");
    assert.equal(unkeyed.status, 409);
    assert.equal(await codeOf(unkeyed), "already_checked_in");
  });

  test("20 copies of one keyed request at once make one thread", async () => {
    const before = await t.threadIds();
    const body = { topic: "oolong", title: "Once", body: "sent twenty times" };
    const results = await Promise.all(
      Array.from({ length: 20 }, () => t.as("mei").send("POST", "/threads", body, { key: "mei-thread-1" })),
    );
    assert.deepEqual([...new Set(results.map((r) => r.status))], [201]);
    const bodies = await Promise.all(results.map((r) => r.text()));
    assert.equal(new Set(bodies).size, 1, "every copy gets the same answer");
    const created = JSON.parse(bodies[0]);
    const afterIds = await t.threadIds();
    assert.equal(afterIds.length, before.length + 1);
    assert.ok(afterIds.includes(created.id));
  });

  test("a key used for another request is refused and changes nothing", async () => {
    const body = { topic: "oolong", title: "First", body: "one" };
    const first = await t.as("ann").send("POST", "/threads", body, { key: "ann-k" });
    assert.equal(first.status, 201);
    const before = await t.threadIds();
    const cases = [
      ["POST", "/threads", { ...body, body: "another body" }],
      ["POST", "/threads?x=1", body],
      ["POST", "/checkins", undefined],
    ];
    for (const [method, path, other] of cases) {
      const res = await t.as("ann").send(method, path, other, { key: "ann-k" });
      assert.equal(res.status, 422, `${method} ${path}`);
      assert.equal(await codeOf(res), "idempotency_key_reused");
    }
    assert.deepEqual(await t.threadIds(), before);
    assert.equal(await t.checkedIn("ann"), false, "the check-in did not run");
  });

  test("keys belong to their caller: the same key by another member is a new request", async () => {
    const body = { topic: "oolong", title: "Mine", body: "mine" };
    const bo = await (await t.as("bo").send("POST", "/threads", body, { key: "shared" })).json();
    const cy = await t.as("cy").send("POST", "/threads", body, { key: "shared" });
    assert.equal(cy.status, 201);
    const cyThread = await cy.json();
    assert.notEqual(cyThread.id, bo.id, "Cy never sees Bo's answer");
    assert.equal(cyThread.author, "cy");
  });

  test("a malformed key is refused with 400 before anything runs", async () => {
    const before = await t.threadIds();
    for (const bad of ["has space", "k".repeat(256)]) {
      const res = await t.as("dan").send("POST", "/threads", { topic: "oolong", title: "x", body: "x" }, { key: bad });
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.equal(await codeOf(res), "invalid_input");
      assert.match((await t.as("dan").send("POST", "/checkins", undefined, { key: bad }).then((r) => r.json())).error.message, /Idempotency-Key/);
    }
    assert.deepEqual(await t.threadIds(), before);
    assert.equal(await t.ledgerEntries("dan"), 0);
    const longest = await t.as("dan").send("POST", "/checkins", undefined, { key: "k".repeat(255) });
    assert.equal(longest.status, 200);
  });

  test("a retried new sign-in key returns the same key and secret, and the key works", async () => {
    const add = () => t.call("POST", "/sso-keys", { tok: OPERATOR_TOKEN, key: "rotate-2026-09" });
    const first = await add();
    assert.equal(first.status, 201);
    const firstBody = await first.text();
    const again = await add();
    assert.equal(again.status, 201);
    assert.equal(await again.text(), firstBody);
    const added = JSON.parse(firstBody);
    const listed = await (await t.call("GET", "/sso-keys", { tok: OPERATOR_TOKEN })).json();
    assert.deepEqual(listed.map((k) => k.kid), added.active.map((k) => k.kid), "no third key was added");
    const tok = signMemberToken(added, { sub: "eve", name: "Eve", aud: "tea" });
    assert.equal((await t.call("POST", "/checkins", { tok })).status, 200);
  });
});

describe("write rate limits", () => {
  let t;
  before(async () => {
    t = await startTea({ writeLimits: { perCaller: 3, perAddress: 5 } });
  });
  after(() => t?.worker.dispose());

  const thread = (title) => ({ topic: "oolong", title, body: "x" });

  test("a member's fourth write in a minute gets 429 with Retry-After and changes nothing", async () => {
    const lin = t.as("lin");
    // Each from its own address, so only Lin's own limit applies.
    assert.equal((await lin.send("POST", "/checkins", undefined, { ip: "198.51.100.1", key: "lin-c" })).status, 200);
    assert.equal((await lin.send("POST", "/threads", thread("one"), { ip: "198.51.100.2" })).status, 201);
    assert.equal((await lin.send("POST", "/threads", thread("two"), { ip: "198.51.100.3" })).status, 201);
    const before = await t.threadIds();

    const refused = await lin.send("POST", "/threads", thread("three"), { ip: "198.51.100.4" });
    assert.equal(refused.status, 429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 20, `Retry-After: ${retryAfter}`);
    const body = await refused.json();
    assert.equal(body.error.code, "rate_limited");
    assert.equal(body.error.retry_after, retryAfter);
    assert.deepEqual(await t.threadIds(), before, "nothing written");

    // A replay is not a new write: it still gets its first answer.
    const replay = await lin.send("POST", "/checkins", undefined, { ip: "198.51.100.5", key: "lin-c" });
    assert.equal(replay.status, 200);
    // Reads are not limited.
    for (let i = 0; i < 10; i++) assert.equal((await lin.get("/checkins/me", { ip: "198.51.100.1" })).status, 200);
    // Others are not affected.
    assert.equal((await t.as("mei").send("POST", "/threads", thread("mei"), { ip: "198.51.100.6" })).status, 201);
  });

  test("one address gets five writes a minute, whoever signs them", async () => {
    const ip = "203.0.113.50";
    for (let i = 0; i < 5; i++) {
      const res = await t.as(`crowd${i}`).send("POST", "/checkins", undefined, { ip });
      assert.equal(res.status, 200, `write ${i + 1}`);
    }
    const refused = await t.as("crowd5").send("POST", "/checkins", undefined, { ip });
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get("retry-after")) >= 1);
    assert.equal(await t.ledgerEntries("crowd5"), 0, "the refused check-in did not happen");
    // The same member from another address is fine; an IPv6 /64 counts as one address.
    assert.equal((await t.as("crowd5").send("POST", "/checkins", undefined, { ip: "203.0.113.51" })).status, 200);
    for (let i = 0; i < 5; i++) {
      const res = await t.as(`six${i}`).send("POST", "/checkins", undefined, { ip: `2001:db8:7:7::${i + 1}` });
      assert.equal(res.status, 200);
    }
    const sameNetwork = await t.as("six5").send("POST", "/checkins", undefined, { ip: "2001:db8:7:7:ffff::1" });
    assert.equal(sameNetwork.status, 429);
  });

  test("the operator is not limited", async () => {
    for (let i = 0; i < 8; i++) {
      const res = await t.call("PUT", "/topics/oolong", {
        tok: OPERATOR_TOKEN,
        body: { name: `Oolong ${i}` },
        ip: "203.0.113.60",
      });
      assert.equal(res.status, 200, await res.clone().text());
    }
  });
});

describe("posting requires a verified phone", () => {
  let t;
  before(async () => {
    t = await startTea();
  });
  after(() => t?.worker.dispose());

  test("the setting is off by default, public, and refuses unverified members' posts with 403", async () => {
    const plain = await (await t.call("GET", "")).json();
    assert.equal(plain.posting_requires_phone_verified, false);
    const open = await t.as("ann").send("POST", "/threads", { topic: "oolong", title: "Open", body: "x" });
    assert.equal(open.status, 201);
    const opened = await open.json();

    const view = await t.worker.putCommunity("tea", { name: "Tea", posting_requires_phone_verified: true });
    assert.equal(view.posting_requires_phone_verified, true);
    const before = await t.threadIds();
    const comments = `/pages/comments?url=${encodeURIComponent("https://brand.example/a")}`;
    for (const extra of [{}, { phone_verified: false }]) {
      const posts = [
        await t.as("ann", extra).send("POST", "/threads", { topic: "oolong", title: "Hi", body: "x" }),
        await t.as("ann", extra).send("POST", `/threads/${opened.id}/replies`, { body: "x" }),
        await t.as("ann", extra).send("POST", comments, { body: "x" }),
      ];
      for (const res of posts) {
        assert.equal(res.status, 403);
        const { error } = await res.json();
        assert.equal(error.code, "phone_verification_required");
        assert.match(error.message, /phone/);
      }
    }
    assert.deepEqual(await t.threadIds(), before);
    const thread = await (await t.as("reader").get(`/threads/${opened.id}`)).json();
    assert.equal(thread.thread.reply_count, 0);

    const verified = { phone_verified: true };
    assert.equal((await t.as("bo", verified).send("POST", "/threads", { topic: "oolong", title: "Hi", body: "x" })).status, 201);
    assert.equal((await t.as("bo", verified).send("POST", `/threads/${opened.id}/replies`, { body: "x" })).status, 201);
    assert.equal((await t.as("bo", verified).send("POST", comments, { body: "x" })).status, 201);
    // Checking in is not posting.
    assert.equal((await t.as("ann").send("POST", "/checkins")).status, 200);
  });
});
