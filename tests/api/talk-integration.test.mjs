// Talk with the rest of the community: points for posts, replies, reactions received and
// accepted answers (read through the check-in balance); notifications in the inbox; bans
// and member moderators set through the membership routes.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { addSsoKey, signMemberToken } from "../support/sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

describe("talk with points, notifications and moderation", () => {
  let worker, key;
  before(async () => {
    worker = await startWorker();
    await worker.putCommunity("tea", { name: "Tea" });
    key = await addSsoKey(worker, "tea", OPERATOR_TOKEN);
    const res = await op("POST", "/topics", { id: "oolong", name: "Oolong" });
    assert.equal(res.status, 201);
  });
  after(() => worker?.dispose());

  const token = (sub) => signMemberToken(key, { sub, name: sub, aud: "tea" });
  const call = (method, path, tok, body) =>
    worker.api(`/api/v1/communities/tea${path}`, {
      method,
      headers: {
        ...(tok ? { authorization: `Bearer ${tok}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const op = (method, path, body) => call(method, path, OPERATOR_TOKEN, body);
  const as = (sub) => (method, path, body) => call(method, path, token(sub), body);
  const balance = async (sub) => (await (await as(sub)("GET", "/checkins/me")).json()).balance.balance;

  test("posting, replying, reactions received and accepted answers earn points once", async () => {
    const q = await (await as("ann")("POST", "/threads", { topic: "oolong", kind: "question", title: "Which kettle?", body: "?" })).json();
    assert.equal(await balance("ann"), 10);
    const r = (await (await as("bob")("POST", `/threads/${q.id}/replies`, { body: "Cast iron" })).json()).reply;
    assert.equal(await balance("bob"), 5);
    for (let i = 0; i < 3; i++) await as("cat")("POST", `/threads/${q.id}/reactions`, { kind: "like" });
    assert.equal(await balance("ann"), 11, "one reaction received, however often it is toggled");
    assert.equal((await as("ann")("PUT", `/threads/${q.id}/answer`, { reply: r.id })).status, 200);
    await as("ann")("PUT", `/threads/${q.id}/answer`, { reply: r.id });
    assert.equal(await balance("bob"), 20, "the accepted answer, once");
  });

  test("replies, mentions and accepted answers reach the inbox", async () => {
    const t = await (await as("dan")("POST", "/threads", { topic: "oolong", title: "Hi", body: "hello" })).json();
    await as("eve")("POST", `/threads/${t.id}/replies`, { body: "hi @{dan} and @{ann}" });
    const inbox = async (sub) => (await (await as(sub)("GET", "/notifications")).json()).items;
    const dan = await inbox("dan");
    assert.deepEqual(
      dan.filter((n) => n.kind !== "badge_earned").map((n) => [n.kind, n.target.thread]),
      [["reply_to_your_thread", t.id]],
    );
    assert.ok(
      dan.some((n) => n.kind === "badge_earned" && n.target.badge === "first_post"),
      "the first thread earns the first-post badge",
    );
    const ann = await inbox("ann");
    assert.ok(ann.some((n) => n.kind === "mention" && n.target.thread === t.id));
    assert.ok((await inbox("bob")).some((n) => n.kind === "answer_accepted"));
  });

  test("a banned member cannot write; a member moderator may lock", async () => {
    const t = await (await as("fay")("POST", "/threads", { topic: "oolong", title: "Lock me", body: "x" })).json();
    assert.equal((await op("PUT", "/members/gus/ban", {})).status, 200);
    const refused = await as("gus")("POST", `/threads/${t.id}/replies`, { body: "spam" });
    assert.equal(refused.status, 403);
    assert.equal((await refused.json()).error.code, "banned");
    assert.equal((await as("gus")("GET", `/threads/${t.id}`)).status, 200, "reading still works");

    assert.equal((await as("hal")("PUT", `/threads/${t.id}/flags`, { locked: true })).status, 403);
    assert.equal((await op("PUT", "/members/hal/role", { role: "member_moderator" })).status, 200);
    const locked = await as("hal")("PUT", `/threads/${t.id}/flags`, { locked: true });
    assert.equal(locked.status, 200);
    assert.equal((await locked.json()).locked, true);
  });
});
