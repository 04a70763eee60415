// Talk on the real worker: topics, threads, replies, reactions, answers, flags, page
// comments; markdown sanitised on write; every refusal explained; nothing lost under
// concurrency.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { marketer } from "../support/marketer.mjs";
import { codeOf, startWithTwoCommunities } from "../support/community.mjs";
import { signMemberToken } from "../support/sso.mjs";
import { OPERATOR_TOKEN } from "../support/worker.mjs";

describe("talk", () => {
  let worker, key, otherKey;
  before(async () => {
    ({ worker, key, otherKey } = await startWithTwoCommunities());
    const res = await op("POST", "/topics", { id: "oolong", name: "Oolong", description: "Rolled leaves" });
    assert.equal(res.status, 201, await res.clone().text());
  });
  after(() => worker?.dispose());

  const token = (sub, extra = {}) => signMemberToken(key, { sub, name: sub, aud: "tea", ...extra });
  const base = (slug = "tea") => `/api/v1/communities/${slug}`;
  const call = (method, path, { tok, body, headers = {}, slug = "tea" } = {}) =>
    worker.api(base(slug) + path, {
      method,
      headers: {
        ...(tok ? { authorization: `Bearer ${tok}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const op = (method, path, body) => call(method, path, { tok: OPERATOR_TOKEN, body });
  const as = (sub, extra) => ({
    get: (path) => call("GET", path, { tok: token(sub, extra) }),
    send: (method, path, body) => call(method, path, { tok: token(sub, extra), body }),
  });
  const post = async (who, body) => {
    const res = await as(who).send("POST", "/threads", { topic: "oolong", title: "Hello", body: "hi", ...body });
    assert.equal(res.status, 201, await res.clone().text());
    return res.json();
  };
  const reply = async (who, thread, body) => {
    const res = await as(who).send("POST", `/threads/${thread}/replies`, { body: "me too", ...body });
    assert.equal(res.status, 201, await res.clone().text());
    return (await res.json()).reply;
  };

  test("staff create and edit topics; members cannot", async () => {
    const member = await as("ann").send("POST", "/topics", { name: "Green" });
    assert.equal(member.status, 401, "a member token is no dashboard session");
    const leo = await marketer(worker, { email: "leo@brand.example", name: "Leo" });
    const stranger = await leo.api(`${base()}/topics`, { method: "POST", body: JSON.stringify({ name: "Green" }) });
    assert.equal(stranger.status, 403);
    assert.equal(await codeOf(stranger), "forbidden");
    const drawn = await op("POST", "/topics", { name: "Green", auto_join_tags: ["VIP"] });
    assert.equal(drawn.status, 201);
    const green = await drawn.json();
    assert.match(green.id, /^[0-9a-f]{20}$/);
    assert.equal((await op("POST", "/topics", { id: "oolong", name: "Again" })).status, 409);
    assert.equal((await op("POST", "/topics", { id: "Bad Id", name: "x" })).status, 400);
    assert.equal((await op("POST", "/topics", { name: "" })).status, 400);

    const edited = await op("PUT", `/topics/${green.id}`, { name: "Green tea", description: "Steamed" });
    assert.equal(edited.status, 200);
    assert.equal((await edited.json()).name, "Green tea");
    assert.equal((await op("PUT", "/topics/nope", { name: "x" })).status, 404);
    assert.equal((await op("DELETE", "/topics/nope")).status, 405);

    const list = await (await call("GET", "/topics")).json();
    assert.deepEqual(list.topics.map((t) => t.name).sort(), ["Green tea", "Oolong"]);
    assert.equal(list.next, null);
  });

  test("members join and leave; brand tags join them when they act", async () => {
    await op("POST", "/topics", { id: "gold-club", name: "Gold", auto_join_tags: ["gold"] });
    const lin = as("lin", { tags: ["gold"] });
    const seen = await (await lin.get("/topics")).json();
    assert.equal(seen.topics.find((t) => t.id === "gold-club").joined, true);
    const joined = await lin.send("POST", "/topics/oolong/membership");
    assert.equal(joined.status, 200);
    assert.equal((await joined.json()).joined, true);
    const anonymous = await (await call("GET", "/topics")).json();
    assert.equal(anonymous.topics.find((t) => t.id === "gold-club").member_count, 1, "the tag's topic was joined on acting");
    const left = await lin.send("DELETE", "/topics/gold-club/membership");
    assert.deepEqual(await left.json().then((t) => [t.joined, t.member_count]), [false, 0]);
    assert.equal((await lin.send("POST", "/topics/nope/membership")).status, 404);
    assert.equal((await call("POST", "/topics/oolong/membership")).status, 401);
  });

  test("stored HTML is sanitised: no script, no event handlers, no javascript: URLs", async (t) => {
    const markdown = [
      "**bold** and [ok](https://brand.example/a)",
      "<script>alert(1)</script>",
      '<img src="https://brand.example/x.png" onerror="alert(2)">',
      "[click](javascript:alert(3))",
      '<a href="JaVaScRiPt:alert(4)" onclick="alert(5)">x</a>',
      '<iframe src="https://evil.example"></iframe><style>body{}</style>',
    ].join("\n\n");
    // Links from a new member would wait for review (a spam signal); this is about the HTML.
    const off = await op("PUT", "/moderation/settings", { spam: { links_until_posts: 0, repeated_text: true } });
    assert.equal(off.status, 200);
    t.after(() => op("PUT", "/moderation/settings", {}));
    const thread = await post("ann", { title: "Safe?", body: markdown });
    for (const html of [thread.body_html, (await (await call("GET", `/threads/${thread.id}`)).json()).thread.body_html]) {
      assert.match(html, /<strong>bold<\/strong>/);
      assert.match(html, /href="https:\/\/brand\.example\/a"/);
      assert.match(html, /rel="noopener noreferrer nofollow ugc"/);
      assert.doesNotMatch(html, /<script|<iframe|<style/i);
      assert.doesNotMatch(html, /\bon[a-z]+=/i);
      assert.doesNotMatch(html, /javascript:/i);
    }
    assert.equal(thread.body_markdown, markdown, "the source is kept for the editor");
    const r = await reply("bob", thread.id, { body: "<img src=x onerror=alert(1)> *hi*" });
    assert.doesNotMatch(r.body_html, /onerror/);
    assert.match(r.body_html, /<em>hi<\/em>/);
  });

  test("threads: create, read, feeds with pinned first and cursors", async () => {
    const ids = [];
    for (const title of ["one", "two", "three"]) ids.push((await post("cat", { title, kind: "discussion" })).id);
    const pin = await op("PUT", `/threads/${ids[0]}/flags`, { pinned: true });
    assert.equal(pin.status, 200);
    assert.equal((await pin.json()).pinned, true);

    const all = [];
    let cursor = null;
    do {
      const res = await call("GET", `/threads?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      assert.equal(res.status, 200);
      const page = await res.json();
      assert.ok(page.threads.length <= 2);
      all.push(...page.threads);
      cursor = page.next;
    } while (cursor);
    assert.equal(all[0].id, ids[0], "pinned first");
    assert.equal(new Set(all.map((t) => t.id)).size, all.length, "each thread once");
    assert.ok(ids.every((id) => all.some((t) => t.id === id)));
    const topicFeed = await (await call("GET", "/topics/oolong/threads?limit=50")).json();
    assert.equal(topicFeed.threads[0].id, ids[0]);
    assert.equal((await call("GET", "/topics/nope/threads")).status, 404);
    assert.equal((await call("GET", "/threads?limit=0")).status, 400);
    assert.equal((await call("GET", "/threads?cursor=%25%25")).status, 400);
    assert.equal((await call("GET", "/threads?feed=nope")).status, 400);

    const read = await call("GET", `/threads/${ids[1]}`);
    assert.equal(read.status, 200);
    const detail = await read.json();
    assert.deepEqual([detail.thread.title, detail.thread.author, detail.replies.length], ["two", "cat", 0]);
    assert.equal((await call("GET", "/threads/nope")).status, 404);
    assert.equal((await call("GET", "/threads/NOPE")).status, 404);

    const refused = [
      [{ topic: "nope", title: "x", body: "x" }, 404],
      [{ topic: "oolong", title: "", body: "x" }, 400],
      [{ topic: "oolong", title: "x", body: "x", kind: "poll" }, 400],
      [{ topic: "oolong", title: "x", body: "x", author: "someone" }, 400],
    ];
    for (const [body, status] of refused) assert.equal((await as("cat").send("POST", "/threads", body)).status, status, JSON.stringify(body));
    assert.equal((await call("POST", "/threads", { body: { topic: "oolong", title: "x", body: "x" } })).status, 401);
    assert.equal((await op("POST", "/threads", { topic: "oolong", title: "x", body: "x" })).status, 401, "posting needs a member token");
  });

  test("replies nest one level and page in reading order", async () => {
    const t = await post("ann", { title: "Nesting" });
    const r1 = await reply("bob", t.id);
    const r2 = await reply("cat", t.id, { in_reply_to: r1.id });
    const r3 = await reply("ann", t.id, { in_reply_to: r2.id });
    const r4 = await reply("dan", t.id);
    assert.deepEqual([r2.parent, r3.parent, r3.in_reply_to], [r1.id, r1.id, r2.id]);
    const first = await (await call("GET", `/threads/${t.id}?limit=3`)).json();
    assert.equal(first.thread.reply_count, 4);
    assert.deepEqual(first.replies.map((r) => r.id), [r1.id, r2.id, r3.id]);
    const rest = await (await call("GET", `/threads/${t.id}/replies?cursor=${first.next}`)).json();
    assert.deepEqual(rest.replies.map((r) => r.id), [r4.id]);
    assert.equal(rest.next, null);
    const missing = await as("bob").send("POST", `/threads/${t.id}/replies`, { body: "x", in_reply_to: "nope" });
    assert.equal(missing.status, 404);
    assert.equal((await as("bob").send("POST", "/threads/nope/replies", { body: "x" })).status, 404);
    assert.equal((await as("bob").send("POST", `/threads/${t.id}/replies`, { body: "  " })).status, 400);
  });

  test("authors edit and delete their own posts only", async () => {
    const t = await post("ann", { title: "Mine" });
    const r = await reply("bob", t.id);
    assert.equal((await as("bob").send("PATCH", `/threads/${t.id}`, { title: "Hijack" })).status, 403);
    const edited = await as("ann").send("PATCH", `/threads/${t.id}`, { title: "Mine, edited", body: "_new_" });
    assert.equal(edited.status, 200);
    const view = await edited.json();
    assert.equal(view.title, "Mine, edited");
    assert.match(view.body_html, /<em>new<\/em>/);
    assert.ok(view.edited_at);
    assert.equal((await as("ann").send("PATCH", `/threads/${t.id}`, {})).status, 400);

    assert.equal((await as("ann").send("PATCH", `/threads/${t.id}/replies/${r.id}`, { body: "no" })).status, 403);
    const re = await as("bob").send("PATCH", `/threads/${t.id}/replies/${r.id}`, { body: "edited" });
    assert.equal(re.status, 200);
    assert.equal((await re.json()).body_markdown, "edited");
    assert.equal((await as("ann").send("DELETE", `/threads/${t.id}/replies/${r.id}`)).status, 403);
    const gone = await as("bob").send("DELETE", `/threads/${t.id}/replies/${r.id}`);
    assert.deepEqual(await gone.json().then((v) => [v.deleted, v.body_html]), [true, null]);
    assert.equal((await as("bob").send("DELETE", `/threads/${t.id}/replies/${r.id}`)).status, 404);

    assert.equal((await as("bob").send("DELETE", `/threads/${t.id}`)).status, 403);
    const deleted = await as("ann").send("DELETE", `/threads/${t.id}`);
    assert.equal(deleted.status, 200);
    assert.equal((await deleted.json()).deleted, true);
    const feed = await (await call("GET", "/threads?limit=50")).json();
    assert.ok(!feed.threads.some((x) => x.id === t.id), "a deleted thread leaves the feeds");
  });

  test("reactions toggle, and the viewer sees their own", async () => {
    const t = await post("ann", { title: "React" });
    const r = await reply("ann", t.id);
    const heart = (who) => as(who).send("POST", `/threads/${t.id}/reactions`, { kind: "heart" });
    const on = await (await heart("bob")).json();
    assert.deepEqual([on.kind, on.on, on.counts.heart], ["heart", true, 1]);
    const off = await (await heart("bob")).json();
    assert.deepEqual([off.on, off.counts.heart], [false, 0]);
    await heart("bob");
    const mine = await (await as("bob").get(`/threads/${t.id}`)).json();
    assert.deepEqual(mine.thread.my_reactions, ["heart"]);
    const liked = await as("bob").send("POST", `/threads/${t.id}/replies/${r.id}/reactions`, { kind: "like" });
    assert.equal((await liked.json()).counts.like, 1);
    assert.equal((await as("bob").send("POST", `/threads/${t.id}/reactions`, { kind: "angry" })).status, 400);
    assert.equal((await call("POST", `/threads/${t.id}/reactions`, { body: { kind: "like" } })).status, 401);
  });

  test("the asker or staff accept an answer; staff and member moderators set flags", async () => {
    const q = await post("ann", { title: "Which kettle?", kind: "question" });
    const a1 = await reply("bob", q.id);
    const a2 = await reply("cat", q.id);
    const accept = (who, reply) => as(who).send("PUT", `/threads/${q.id}/answer`, { reply });
    assert.equal((await accept("cat", a2.id)).status, 403);
    const accepted = await accept("ann", a1.id);
    assert.equal(accepted.status, 200);
    assert.equal((await accepted.json()).accepted_answer, a1.id);
    const detail = await (await call("GET", `/threads/${q.id}`)).json();
    assert.deepEqual(detail.replies.map((r) => r.accepted), [true, false]);
    const byStaff = await op("PUT", `/threads/${q.id}/answer`, { reply: null });
    assert.equal((await byStaff.json()).accepted_answer, null);
    assert.equal((await accept("ann", "nope")).status, 404);

    assert.equal((await as("bob").send("PUT", `/threads/${q.id}/flags`, { locked: true })).status, 403);
    const locked = await op("PUT", `/threads/${q.id}/flags`, { locked: true, featured: true });
    assert.deepEqual(await locked.json().then((v) => [v.locked, v.featured]), [true, true]);
    const refused = await as("bob").send("POST", `/threads/${q.id}/replies`, { body: "late" });
    assert.equal(refused.status, 409);
    assert.equal(await codeOf(refused), "thread_locked");
    const featured = await (await call("GET", "/threads?feed=featured")).json();
    assert.ok(featured.threads.some((t) => t.id === q.id));
    assert.equal((await op("PUT", `/threads/${q.id}/flags`, { sticky: true })).status, 400);

    const mia = await marketer(worker, { email: "mia@brand.example", name: "Mia" });
    const noRole = await mia.api(`${base()}/threads/${q.id}/flags`, { method: "PUT", body: JSON.stringify({ locked: false }) });
    assert.equal(noRole.status, 403, "a marketer without a role here");
  });

  test("a page has one comment thread, found by its normalised URL", async () => {
    const url = (u) => `/pages/comments?url=${encodeURIComponent(u)}`;
    const empty = await (await call("GET", url("https://Brand.example/post/1?utm_source=wx#c"))).json();
    assert.deepEqual([empty.page, empty.thread, empty.replies], ["https://brand.example/post/1", null, []]);
    const first = await as("ann").send("POST", url("https://brand.example/post/1"), { body: "Nice *post*" });
    assert.equal(first.status, 201);
    const posted = await first.json();
    assert.equal(posted.thread, empty.thread_id);
    await as("bob").send("POST", url("https://brand.example/post/1?fbclid=z"), { body: "Agreed", in_reply_to: posted.reply.id });
    const seen = await (await call("GET", url("https://brand.example/post/1"))).json();
    assert.equal(seen.thread.reply_count, 2);
    assert.deepEqual(seen.replies.map((r) => r.parent), [null, posted.reply.id]);
    assert.equal((await call("GET", "/pages/comments")).status, 400);
    assert.equal((await call("GET", url("javascript:alert(1)"))).status, 400);
    assert.equal((await call("POST", url("https://brand.example/post/1"), { body: { body: "x" } })).status, 401);
  });

  test("community A's token and threads mean nothing in community B", async () => {
    const t = await post("ann", { title: "Tea only" });
    const foreign = await call("POST", "/threads", { slug: "other", tok: token("ann"), body: { topic: "oolong", title: "x", body: "x" } });
    assert.equal(foreign.status, 401);
    assert.equal((await call("GET", `/threads/${t.id}`, { slug: "other" })).status, 404);
    const otherTok = signMemberToken(otherKey, { sub: "ann", name: "ann", aud: "other" });
    const cross = await call("POST", `/threads/${t.id}/replies`, { tok: otherTok, body: { body: "hi" } });
    assert.equal(cross.status, 401, "a token for B is refused in A");
    const feed = await (await call("GET", "/threads", { slug: "other" })).json();
    assert.deepEqual(feed.threads, []);
  });

  test("concurrent replies, reactions and joins are all counted", async () => {
    const t = await post("ann", { title: "Busy" });
    const n = 60;
    const replies = await Promise.all(
      Array.from({ length: n }, (_, i) => as(`crowd_${i}`).send("POST", `/threads/${t.id}/replies`, { body: `reply ${i}` })),
    );
    assert.deepEqual([...new Set(replies.map((r) => r.status))], [201]);
    const hearts = await Promise.all(
      Array.from({ length: n }, (_, i) => as(`crowd_${i}`).send("POST", `/threads/${t.id}/reactions`, { kind: "heart" })),
    );
    assert.deepEqual([...new Set(hearts.map((r) => r.status))], [200]);
    // One member toggling 20 times at once ends where they started.
    const toggles = await Promise.all(Array.from({ length: 20 }, () => as("ann").send("POST", `/threads/${t.id}/reactions`, { kind: "wow" })));
    assert.deepEqual([...new Set(toggles.map((r) => r.status))], [200]);
    const joins = await Promise.all(Array.from({ length: n }, (_, i) => as(`crowd_${i}`).send("POST", "/topics/oolong/membership")));
    assert.deepEqual([...new Set(joins.map((r) => r.status))], [200]);

    const detail = await (await call("GET", `/threads/${t.id}?limit=50`)).json();
    assert.equal(detail.thread.reply_count, n);
    assert.equal(detail.thread.reactions.heart, n);
    assert.equal(detail.thread.reactions.wow, 0);
    const card = (await (await call("GET", "/threads?limit=50")).json()).threads.find((x) => x.id === t.id);
    assert.deepEqual([card.reply_count, card.reactions.heart], [n, n], "the feed card agrees");
    let listed = detail.replies.length;
    let cursor = detail.next;
    while (cursor) {
      const page = await (await call("GET", `/threads/${t.id}/replies?cursor=${cursor}`)).json();
      listed += page.replies.length;
      cursor = page.next;
    }
    assert.equal(listed, n, "every reply listed once");
    const topics = await (await call("GET", "/topics")).json();
    assert.ok(topics.topics.find((x) => x.id === "oolong").member_count >= n);
  });
});
