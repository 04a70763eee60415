// Binding-call budgets on the real worker, read from its meter (`QUANZI_METER=1`, header
// `x-quanzi-meter`): a warm anonymous read costs one KV read and no Durable Object request;
// a member's write costs exactly one object request and no KV read; the anonymous snapshots
// follow writes and moderation within the flush, and never show what an anonymous reader
// may not see.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { addSsoKey, signMemberToken } from "../support/sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

const BASE = "/api/v1/communities/tea";
const DAY = 24 * 3600_000;
/** Longer than the object's flush spacing and the worker's read-through window together. */
const SETTLE_MS = 6_000;

const WARM = { kv_read: 1, kv_write: 0, do: 0 };
const WRITE = { kv_read: 0, kv_write: 0, do: 1 };

/** The meter header as numbers; fails if it is missing or reports overlapping requests. */
function meterOf(res) {
  const header = res.headers.get("x-quanzi-meter");
  assert.match(header ?? "", /^kv_read=\d+,kv_write=\d+,do=\d+$/, `meter header: ${header}`);
  return Object.fromEntries(header.split(",").map((pair) => pair.split("=")).map(([k, v]) => [k, Number(v)]));
}

describe("binding budgets", () => {
  let worker, key, thread, event;
  before(async () => {
    worker = await startWorker({ meter: true });
    await worker.putCommunity("tea", { name: "Tea" });
    key = await addSsoKey(worker, "tea", OPERATOR_TOKEN);
    assert.equal((await op("POST", "/topics", { id: "oolong", name: "Oolong" })).status, 201);
    await post("ann", "Older");
    thread = await post("ann", "Hello");
    await reply("bob", thread.id, "me too");
    const created = await op("POST", "/events", {
      title: "Tea tasting",
      venue: { kind: "online", url: "https://meet.example/tea" },
      starts_at: Date.now() + 3 * DAY,
      ends_at: Date.now() + 3 * DAY + 3600_000,
      capacity: 10,
    });
    assert.equal(created.status, 201, await created.clone().text());
    event = (await created.json()).event;
    assert.equal((await as("ann").send("POST", "/checkins")).status, 200);
  });
  after(() => worker?.dispose());

  const token = (sub) => signMemberToken(key, { sub, name: `Member ${sub}`, aud: "tea" });
  const call = (method, path, { tok, body } = {}) =>
    worker.api(BASE + path, {
      method,
      headers: {
        ...(tok ? { authorization: `Bearer ${tok}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const op = (method, path, body) => call(method, path, { tok: OPERATOR_TOKEN, body });
  const as = (sub) => ({
    get: (path) => call("GET", path, { tok: token(sub) }),
    send: (method, path, body) => call(method, path, { tok: token(sub), body }),
  });
  const anon = (path) => call("GET", path);
  async function post(who, title) {
    const res = await as(who).send("POST", "/threads", { topic: "oolong", title, body: "hi" });
    assert.equal(res.status, 201, await res.clone().text());
    return res.json();
  }
  async function reply(who, threadId, body) {
    const res = await as(who).send("POST", `/threads/${threadId}/replies`, { body });
    assert.equal(res.status, 201, await res.clone().text());
    return (await res.json()).reply;
  }

  /**
   * Reads `path` anonymously until KV answers it (no object request) and `done(status,
   * body)` holds, at most SETTLE_MS. `each(status, body)` checks every read on the way,
   * whoever answered it. Returns the last read: `{status, body, meter}`.
   */
  async function settle(path, done = () => true, each = () => {}) {
    const deadline = Date.now() + SETTLE_MS;
    let last;
    for (;;) {
      const res = await anon(path);
      const meter = meterOf(res);
      const body = await res.json();
      each(res.status, body, meter);
      last = { status: res.status, body, meter };
      if (meter.do === 0 && done(res.status, body)) return last;
      if (Date.now() > deadline) assert.fail(`${path} did not settle: ${JSON.stringify(last)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /**
   * Makes this isolate read the community's configuration afresh (a settings change drops
   * its copy), so that the next 30 s of requests find it in memory: the budgets below
   * assume a warm isolate, and must not depend on how long the tests before took.
   */
  async function freshConfig() {
    await worker.putCommunity("tea", { name: "Tea" });
    const res = await anon("/");
    assert.deepEqual(meterOf(res), { kv_read: 1, kv_write: 0, do: 0 }, "the configuration comes from KV once");
  }

  /**
   * Reads `path` anonymously, checking each answer with `check(res)`, until this isolate
   * consults KV again after its own write (a KV read); that read must find no snapshot (the
   * object answers).
   */
  async function readsFromKvAgain(path, check) {
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      const res = await anon(path);
      check(res);
      const meter = meterOf(res);
      if (meter.kv_read === 1) {
        assert.equal(meter.do, 1, `${path}: no snapshot left in KV`);
        return;
      }
      if (Date.now() > deadline) assert.fail(`${path} never read KV again`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  test("the meter reports the worker's own binding calls", async () => {
    const res = await anon("/");
    assert.equal(res.status, 200);
    const meter = meterOf(res);
    assert.equal(meter.kv_write, 0, "the worker never writes KV");
    assert.equal(meter.do, 0, "the community's own page needs no object");
  });

  test("the community's page costs nothing once this isolate holds its configuration", async () => {
    await freshConfig();
    const res = await anon("/");
    assert.deepEqual(meterOf(res), { kv_read: 0, kv_write: 0, do: 0 });
    assert.equal((await res.json()).name, "Tea");
  });

  test("a warm anonymous read costs one KV read and no object request, and is what the object answers", async () => {
    const page = `/pages/comments?url=${encodeURIComponent("https://brand.example/tea/oolong")}`;
    assert.equal((await as("cy").send("POST", page, { body: "Lovely page" })).status, 201);
    const reads = [
      `/threads/${thread.id}`,
      "/threads",
      "/threads?feed=featured",
      "/threads?topic=oolong",
      "/topics/oolong/threads",
      "/topics",
      page,
      "/events",
      `/events/${event.id}`,
      "/leaderboards/week",
      "/leaderboards/month",
      "/leaderboards/all",
    ];
    await freshConfig();
    for (const path of reads) {
      const warm = await settle(path);
      assert.equal(warm.status, 200, path);
      const again = await anon(path);
      assert.deepEqual(meterOf(again), WARM, path);
      // The same read, with a parameter no snapshot knows, goes to the object.
      const direct = await anon(path + (path.includes("?") ? "&" : "?") + "fresh=1");
      assert.deepEqual(meterOf(direct), { kv_read: 0, kv_write: 0, do: 1 }, `${path}: config from memory, one object request`);
      assert.deepEqual(await again.json(), await direct.json(), `${path}: the snapshot is the object's answer`);
    }
  });

  test("members, cursors and page sizes read through the object", async () => {
    await freshConfig();
    await settle(`/threads/${thread.id}`);
    assert.deepEqual(meterOf(await as("ann").get(`/threads/${thread.id}`)), WRITE, "a member reads from the object");
    assert.deepEqual(meterOf(await anon(`/threads/${thread.id}?limit=5`)), WRITE, "a page size");
    const feed = await (await anon("/threads?limit=1")).json();
    assert.ok(feed.next, "two threads: a second page");
    const next = await anon(`/threads?cursor=${encodeURIComponent(feed.next)}`);
    assert.equal(next.status, 200);
    assert.deepEqual(meterOf(next), WRITE, "a cursor");
    const cookie = await worker.api(`${BASE}/threads/${thread.id}`, { headers: { cookie: "qz_session=nobody" } });
    assert.equal(cookie.status, 200);
    assert.equal(meterOf(cookie).kv_read, 0, "a dashboard cookie is not anonymous");
  });

  test("a member's write costs exactly one object request and no KV read", async () => {
    const writes = [
      () => as("dan").send("POST", `/threads/${thread.id}/replies`, { body: "hello" }),
      () => as("dan").send("POST", "/checkins"),
      () => as("dan").send("POST", `/threads/${thread.id}/reactions`, { kind: "like" }),
      () => as("dan").send("POST", `/events/${event.id}/signup`, {}),
      () => as("dan").send("POST", "/threads", { topic: "oolong", title: "Dan's", body: "text" }),
    ];
    await freshConfig();
    for (const write of writes) {
      const res = await write();
      assert.ok(res.status === 200 || res.status === 201, `${res.status} ${await res.clone().text()}`);
      assert.deepEqual(meterOf(res), WRITE, await res.text());
    }
  });

  test("after a write the anonymous snapshots show it, and the writer reads it at once", async () => {
    const path = `/threads/${thread.id}`;
    await settle(path);
    await settle("/leaderboards/week");
    const fresh = await reply("eve", thread.id, "brand new");
    const hasFresh = (body) => body.replies.some((r) => r.id === fresh.id);
    const immediately = await anon(path);
    assert.ok(hasFresh(await immediately.json()), "this isolate reads its own write");
    await settle(path, (status, body) => hasFresh(body), (status, body) => assert.ok(hasFresh(body), "never the old page again"));

    const before = await settle("/leaderboards/week");
    assert.ok(!before.body.rows.some((r) => r.member_id === "fay"));
    assert.equal((await as("fay").send("POST", "/checkins")).status, 200);
    const onBoard = (body) => body.rows.some((r) => r.member_id === "fay");
    await settle("/leaderboards/week", (status, body) => onBoard(body), (status, body) => assert.ok(onBoard(body)));

    const gone = await post("gus", "Soon deleted");
    const inFeed = (body) => body.threads.some((t) => t.id === gone.id);
    await settle(`/threads/${gone.id}`);
    await settle("/threads", (status, body) => inFeed(body));
    assert.equal((await as("gus").send("DELETE", `/threads/${gone.id}`)).status, 200);
    // A deleted thread stays as a tombstone without its text, and leaves the feed.
    const tombstone = (status, body) => body.thread.deleted === true && body.thread.body_html === null;
    await settle(`/threads/${gone.id}`, tombstone, (status, body) => assert.ok(tombstone(status, body), JSON.stringify(body)));
    await settle("/threads", (status, body) => !inFeed(body), (status, body) => assert.ok(!inFeed(body)));
  });

  test("hidden posts leave the anonymous view: no anonymous read shows them after the hide", async () => {
    const hidden = await post("hal", "Hide me");
    const visible = await reply("ivy", thread.id, "hide this reply");
    const inFeed = (body) => body.threads.some((t) => t.id === hidden.id);
    const hasReply = (body) => body.replies.some((r) => r.id === visible.id);
    await settle("/threads", (status, body) => inFeed(body));
    await settle(`/threads/${hidden.id}`);
    await settle(`/threads/${thread.id}`, (status, body) => hasReply(body));

    const moderate = (target) => op("POST", "/moderation/hide", { target });
    assert.equal((await moderate({ kind: "post", thread: hidden.id })).status, 200);
    assert.equal((await moderate({ kind: "reply", thread: thread.id, reply: visible.id })).status, 200);

    await settle("/threads", (status, body) => !inFeed(body), (status, body) => assert.ok(!inFeed(body)));
    await settle(`/threads/${thread.id}`, (status, body) => !hasReply(body), (status, body) => assert.ok(!hasReply(body)));
    // The hidden thread: not found for every anonymous read, and no snapshot left in KV.
    await readsFromKvAgain(`/threads/${hidden.id}`, (res) => assert.equal(res.status, 404));
    const author = await as("hal").get(`/threads/${hidden.id}`);
    assert.equal(author.status, 200, "the author still sees it");
  });

  test("a part switched off is never served from a snapshot", async () => {
    await settle("/threads");
    await settle(`/events/${event.id}`);
    await worker.putCommunity("tea", { name: "Tea", features: { talk: false } });
    for (let i = 0; i < 5; i++) {
      const res = await anon("/threads");
      assert.equal(res.status, 403, await res.clone().text());
      assert.equal((await res.json()).error.code, "feature_disabled");
    }
    const events = await settle(`/events/${event.id}`);
    assert.equal(events.status, 200, "events stay on");
    await worker.putCommunity("tea", { name: "Tea" });
    const back = await settle("/threads");
    assert.equal(back.status, 200);
  });
});
