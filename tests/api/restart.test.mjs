// Persistence across a restart of the local runtime: the worker writes to a persist
// directory, is stopped, starts again on the same directory and reads everything back —
// the community and its sign-in key, a marketer's account, a thread with its reply, a
// check-in with its points, an event sign-up.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { marketer } from "../support/marketer.mjs";
import { addSsoKey, signMemberToken } from "../support/sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

const BASE = "/api/v1/communities/tea";
const DAY = 24 * 3600_000;
const MIA = { email: "mia@brand.example", name: "Mia", password: "correct horse battery" };

describe("restart", () => {
  let dir;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "quanzi-restart-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const client = (worker, key) => {
    const call = (method, path, { tok, body } = {}) =>
      worker.api(BASE + path, {
        method,
        headers: {
          ...(tok ? { authorization: `Bearer ${tok}` } : {}),
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const ok = async (res, status = 200) => {
      assert.equal(res.status, status, await res.clone().text());
      return res.json();
    };
    const token = (sub) => signMemberToken(key, { sub, name: `Member ${sub}`, aud: "tea" });
    return {
      get: (path, sub) => call("GET", path, { tok: sub && token(sub) }).then((res) => ok(res)),
      member: (sub, method, path, body, status) => call(method, path, { tok: token(sub), body }).then((res) => ok(res, status)),
      operator: (method, path, body, status) => call(method, path, { tok: OPERATOR_TOKEN, body }).then((res) => ok(res, status)),
    };
  };

  test("what was written before a restart reads back after it", async () => {
    const first = await startWorker({ persist: dir });
    let key, written;
    try {
      await marketer(first, MIA);
      await first.putCommunity("tea", { name: "Tea 茶会", allowed_origins: ["https://brand.example"] });
      key = await addSsoKey(first, "tea", OPERATOR_TOKEN);
      const tea = client(first, key);
      await tea.operator("POST", "/topics", { id: "oolong", name: "Oolong" }, 201);
      const thread = await tea.member("ann", "POST", "/threads", { topic: "oolong", title: "Kept", body: "**still here**" }, 201);
      const { reply } = await tea.member("bob", "POST", `/threads/${thread.id}/replies`, { body: "me too" }, 201);
      const checkin = await tea.member("ann", "POST", "/checkins");
      const { event } = await tea.operator(
        "POST",
        "/events",
        {
          title: "Tasting",
          venue: { kind: "offline", place: "Hangzhou" },
          starts_at: Date.now() + 3 * DAY,
          ends_at: Date.now() + 3 * DAY + 3600_000,
          capacity: 5,
        },
        201,
      );
      await tea.member("ann", "POST", `/events/${event.id}/signup`, {}, 201);
      // An anonymous read, so that KV holds a snapshot too.
      await tea.get(`/threads/${thread.id}`);
      const points = await tea.get("/me/points", "ann");
      written = { thread, reply, checkin, event, points };
    } finally {
      await first.dispose();
    }

    const second = await startWorker({ persist: dir });
    try {
      const tea = client(second, key);
      const community = await tea.get("/");
      assert.equal(community.name, "Tea 茶会");
      const page = await tea.get(`/threads/${written.thread.id}`);
      assert.equal(page.thread.title, "Kept");
      assert.deepEqual(
        page.replies.map((r) => r.id),
        [written.reply.id],
      );
      const feed = await tea.get("/threads");
      assert.ok(feed.threads.some((t) => t.id === written.thread.id));

      const mine = await tea.get("/checkins/me", "ann");
      assert.equal(mine.status.checked_in_today, true, "the key signed before the restart still signs members in");
      assert.equal(mine.status.current_streak, 1);
      const again = await second.api(`${BASE}/checkins`, {
        method: "POST",
        headers: { authorization: `Bearer ${signMemberToken(key, { sub: "ann", name: "Member ann", aud: "tea" })}` },
      });
      assert.equal(again.status, 409, "today's check-in is remembered");
      assert.deepEqual(await tea.get("/me/points", "ann"), written.points);

      const event = await tea.get(`/events/${written.event.id}`, "ann");
      assert.deepEqual(event.my_ticket, { status: "confirmed", attended: false });

      const mia = await marketer(second, { ...MIA, login: true });
      assert.equal(mia.me.email, MIA.email, "the marketer's account survives");
      const origin = await second.api(`${BASE}/threads`, { headers: { origin: "https://brand.example" } });
      assert.equal(origin.headers.get("access-control-allow-origin"), "https://brand.example", "the allowlist too");
    } finally {
      await second.dispose();
    }
  });
});
