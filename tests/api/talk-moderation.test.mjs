// Moderation taking effect in talk on the real worker: hidden threads leave the feeds and
// read as not found for everyone but their author and moderators; pre-moderated threads
// wait (pending) until staff approve them, as do posts with a spam signal (a link from a new
// member, the same text twice) and posts enough members reported.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { codeOf, startWithTwoCommunities } from "../support/community.mjs";
import { signMemberToken } from "../support/sso.mjs";
import { OPERATOR_TOKEN } from "../support/worker.mjs";

describe("talk moderation", () => {
  let worker, key;
  before(async () => {
    ({ worker, key } = await startWithTwoCommunities());
    const topic = await op("POST", "/topics", { id: "oolong", name: "Oolong" });
    assert.equal(topic.status, 201, await topic.clone().text());
    const role = await op("PUT", "/members/mo/role", { role: "member_moderator" });
    assert.equal(role.status, 200, await role.clone().text());
  });
  after(() => worker?.dispose());

  const token = (sub) => signMemberToken(key, { sub, name: sub, aud: "tea" });
  const call = (method, path, { tok, body, slug = "tea" } = {}) =>
    worker.api(`/api/v1/communities/${slug}${path}`, {
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
  const post = async (who, title) => {
    const res = await as(who).send("POST", "/threads", { topic: "oolong", title, body: "hi" });
    assert.equal(res.status, 201, await res.clone().text());
    return res.json();
  };
  const feedIds = async () => {
    const res = await call("GET", "/threads?limit=50");
    assert.equal(res.status, 200);
    return (await res.json()).threads.map((t) => t.id);
  };
  const moderate = (tok, action, thread) =>
    call("POST", `/moderation/${action}`, { tok, body: { target: { kind: "post", thread } } });

  test("a hidden thread leaves the feed and is not found but for its author and moderators", async () => {
    const thread = await post("ann", "Hide me");
    assert.equal(thread.visibility, undefined, "published: no marker");
    assert.ok((await feedIds()).includes(thread.id));

    const hidden = await moderate(token("mo"), "hide", thread.id);
    assert.equal(hidden.status, 200, await hidden.clone().text());
    assert.equal((await hidden.json()).visibility.state, "hidden");
    assert.ok(!(await feedIds()).includes(thread.id));
    const topicFeed = await (await call("GET", "/threads?topic=oolong&limit=50")).json();
    assert.ok(!topicFeed.threads.some((t) => t.id === thread.id));

    for (const res of [await as("bob").get(`/threads/${thread.id}`), await call("GET", `/threads/${thread.id}`)]) {
      assert.equal(res.status, 404);
      assert.equal(await codeOf(res), "not_found");
    }
    const reply = await as("bob").send("POST", `/threads/${thread.id}/replies`, { body: "hello?" });
    assert.equal(reply.status, 404, "no replies to a hidden thread");
    for (const who of ["ann", "mo"]) {
      const res = await as(who).get(`/threads/${thread.id}`);
      assert.equal(res.status, 200, who);
      assert.equal((await res.json()).thread.visibility.state, "hidden", who);
    }
    assert.equal((await moderate(token("bob"), "restore", thread.id)).status, 403);

    const restored = await moderate(OPERATOR_TOKEN, "restore", thread.id);
    assert.equal(restored.status, 200, await restored.clone().text());
    assert.ok((await feedIds()).includes(thread.id));
    const read = await as("bob").get(`/threads/${thread.id}`);
    assert.equal(read.status, 200);
    assert.equal((await read.json()).thread.visibility, undefined);
  });

  test("hiding content that does not exist, or in another community, is not found", async () => {
    assert.equal((await moderate(OPERATOR_TOKEN, "hide", "nope")).status, 404);
    const thread = await post("ann", "Mine");
    const elsewhere = await call("POST", "/moderation/hide", {
      tok: OPERATOR_TOKEN,
      slug: "other",
      body: { target: { kind: "post", thread: thread.id } },
    });
    assert.equal(elsewhere.status, 404);
    assert.ok((await feedIds()).includes(thread.id));
  });

  test("with pre-moderation of all posts a new thread waits until staff approve it", async () => {
    const settings = await op("PUT", "/moderation/settings", { pre_moderation: { mode: "all_posts" } });
    assert.equal(settings.status, 200, await settings.clone().text());
    try {
      const thread = await post("cy", "Please approve");
      assert.equal(thread.visibility.state, "pending");
      assert.ok(!(await feedIds()).includes(thread.id));
      assert.equal((await as("bob").get(`/threads/${thread.id}`)).status, 404);
      const own = await as("cy").get(`/threads/${thread.id}`);
      assert.equal(own.status, 200);
      assert.equal((await own.json()).thread.visibility.state, "pending");

      const queue = await (await call("GET", "/moderation/queue", { tok: token("mo") })).json();
      const line = queue.items.find((i) => i.target.thread === thread.id);
      assert.ok(line?.pending_since, JSON.stringify(queue));

      assert.equal((await moderate(token("bob"), "approve", thread.id)).status, 403);
      const approved = await moderate(OPERATOR_TOKEN, "approve", thread.id);
      assert.equal(approved.status, 200, await approved.clone().text());
      assert.equal((await approved.json()).visibility.state, "published");
      assert.ok((await feedIds()).includes(thread.id));
      assert.equal((await as("bob").get(`/threads/${thread.id}`)).status, 200);
      assert.equal((await moderate(OPERATOR_TOKEN, "approve", thread.id)).status, 409);
      const after = await (await call("GET", "/moderation/queue", { tok: token("mo") })).json();
      assert.ok(!after.items.some((i) => i.target.thread === thread.id));

      const rejected = await post("cy", "Spam");
      assert.equal((await moderate(token("mo"), "reject", rejected.id)).status, 200);
      assert.ok(!(await feedIds()).includes(rejected.id));
      assert.equal((await call("GET", `/threads/${rejected.id}`)).status, 404);
    } finally {
      await op("PUT", "/moderation/settings", { pre_moderation: { mode: "off" } });
    }
  });

  test("a link from a new member and the same text twice wait for review, saying why", async () => {
    const queueLine = async (id) => {
      const queue = await (await call("GET", "/moderation/queue", { tok: token("mo") })).json();
      return queue.items.find((i) => i.target.thread === id && i.pending_since);
    };
    const linked = await as("newbie").send("POST", "/threads", { topic: "oolong", title: "Deals", body: "cheap tea at https://spam.example" });
    assert.equal(linked.status, 201, await linked.clone().text());
    const thread = await linked.json();
    assert.equal(thread.visibility.state, "pending");
    assert.ok(!(await feedIds()).includes(thread.id));
    assert.equal((await queueLine(thread.id))?.held_for, "link_from_new_member");

    const text = { topic: "oolong", title: "Free samples", body: "Join my group for free samples every day" };
    const first = await as("repeater").send("POST", "/threads", text);
    assert.equal(first.status, 201);
    assert.equal((await first.json()).visibility, undefined, "the first one is published");
    const again = await (await as("repeater").send("POST", "/threads", text)).json();
    assert.equal(again.visibility.state, "pending");
    assert.equal((await queueLine(again.id))?.held_for, "repeated_text");

    // A bad setting is refused and changes nothing.
    const bad = await op("PUT", "/moderation/settings", { spam: { links_until_posts: 300 } });
    assert.equal(bad.status, 400);
    const now = await (await op("GET", "/moderation/settings")).json();
    assert.deepEqual(now.spam, { links_until_posts: 3, repeated_text: true });
  });

  test("reports from three members take a post out of sight until a moderator approves it", async () => {
    const thread = await post("ann", "Controversial");
    const report = (who) =>
      as(who).send("POST", "/moderation/reports", { target: { kind: "post", thread: thread.id }, reason: "spam" });
    for (const who of ["r1", "r2"]) assert.equal((await report(who)).status, 201);
    assert.ok((await feedIds()).includes(thread.id), "two reports: still up");
    assert.equal((await report("r3")).status, 201);
    assert.ok(!(await feedIds()).includes(thread.id), "the third takes it down");
    assert.equal((await call("GET", `/threads/${thread.id}`)).status, 404);
    const queue = await (await call("GET", "/moderation/queue", { tok: token("mo") })).json();
    assert.ok(queue.items.some((i) => i.target.thread === thread.id && i.held_for === "reports"), JSON.stringify(queue));
    const audit = await (await op("GET", "/moderation/audit")).json();
    const hold = audit.items.find((e) => e.action.type === "hold_for_review");
    assert.deepEqual([hold?.actor, hold?.action.reports], [{ kind: "community" }, 3]);

    const approved = await moderate(token("mo"), "approve", thread.id);
    assert.equal(approved.status, 200, await approved.clone().text());
    assert.ok((await feedIds()).includes(thread.id));
  });
});
