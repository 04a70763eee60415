// Webhooks on the real worker: staff register an endpoint (the secret shown once), a Node
// receiver on 127.0.0.1 gets signed deliveries of what members do, a failing or absent
// receiver gets retries on the backoff schedule and the delivery log shows every attempt;
// only the community's owner and admins manage its endpoints; bad addresses are refused.
// Event reminders go out on the same alarm, with nobody calling the reminders route.
import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";
import { marketer } from "../support/marketer.mjs";
import { addSsoKeys, codeOf, memberToken } from "../support/community.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

const HOUR = 3600_000;
const RETRY_BASE_MS = 300;

/** What a brand's server does with a delivery (the README's snippet): true if genuine. */
function verifySignature(secret, header, body, toleranceSecs = 300) {
  const parts = Object.fromEntries((header || "").split(",").map((p) => p.split("=", 2)));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1) return false;
  if (Math.abs(Date.now() / 1000 - t) > toleranceSecs) return false;
  const want = createHmac("sha256", secret).update(`${t}.${body}`).digest();
  const got = Buffer.from(parts.v1, "hex");
  return got.length === want.length && timingSafeEqual(got, want);
}

/**
 * An HTTP receiver on 127.0.0.1 that records every request and answers with
 * `answer(n)` (the status for the n-th request, from 1).
 */
async function receiver(answer = () => 204, port = 0) {
  const requests = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      requests.push({ method: req.method, headers: req.headers, body });
      res.writeHead(answer(requests.length)).end();
    });
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}/quanzi`;
  return { url, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** A port nothing listens on (just released). */
async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `check` until it returns a truthy value (returned), or fails after `ms`. */
async function eventually(what, check, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("webhooks", () => {
  let worker, key, mia, leo;
  before(async () => {
    worker = await startWorker({ vars: { ALLOW_LOCAL_WEBHOOKS: "1", WEBHOOK_RETRY_BASE_MS: RETRY_BASE_MS } });
    mia = await marketer(worker, { email: "mia@brand.example", name: "Mia" });
    leo = await marketer(worker, { email: "leo@brand.example", name: "Leo" });
    for (const [who, slug] of [[mia, "tea"], [leo, "leos"]]) {
      const created = await who.api("/api/v1/communities", {
        method: "POST",
        body: JSON.stringify({ slug, settings: { name: slug } }),
      });
      assert.equal(created.status, 201, await created.clone().text());
    }
    [key] = await addSsoKeys(worker, "tea");
    const topic = await op("POST", "topics", { id: "oolong", name: "Oolong" });
    assert.equal(topic.status, 201, await topic.clone().text());
  });
  after(() => worker?.dispose());

  const path = (rest, slug = "tea") => `/api/v1/communities/${slug}/${rest}`;
  const send = (method, body) =>
    body === undefined ? { method } : { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  const op = (method, rest, body) =>
    worker.api(path(rest), { ...send(method, body), headers: { ...send(method, body).headers, authorization: `Bearer ${OPERATOR_TOKEN}` } });
  const asMember = (sub, method, rest, body) =>
    worker.api(path(rest), {
      ...send(method, body),
      headers: { ...send(method, body).headers, authorization: `Bearer ${memberToken(key, sub)}` },
    });
  /** Registers an endpoint as Mia (the owner, through the dashboard session). */
  async function register(url, events) {
    const res = await mia.api(path("webhooks"), { method: "POST", body: JSON.stringify({ url, events, description: "test" }) });
    assert.equal(res.status, 201, await res.clone().text());
    return res.json();
  }
  const deliveries = async (id) => {
    const res = await mia.api(path(`webhooks/${id}/deliveries`));
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()).deliveries;
  };
  const remove = async (id) => assert.equal((await mia.api(path(`webhooks/${id}`), { method: "DELETE" })).status, 200);

  test("a thread and event sign-ups reach the receiver, signed with the secret shown once", async () => {
    const inbox = await receiver();
    const hook = await register(inbox.url, ["thread.created", "event.signup"]);
    assert.match(hook.id, /^wh-[0-9a-f]{12}$/);
    assert.match(hook.secret, /^[0-9a-f]{64}$/);
    assert.deepEqual(hook.events, ["thread.created", "event.signup"]);
    const listed = await (await mia.api(path("webhooks"))).json();
    const mine = listed.webhooks.find((w) => w.id === hook.id);
    assert.equal(mine.url, inbox.url);
    assert.equal(JSON.stringify(listed).includes(hook.secret), false, "the secret is shown once");

    const posted = await asMember("ann", "POST", "threads", { topic: "oolong", title: "First brew", body: "Hello" });
    assert.equal(posted.status, 201, await posted.clone().text());
    const thread = await posted.json();
    const delivery = await eventually("thread.created", () =>
      inbox.requests.find((r) => r.headers["quanzi-event"] === "thread.created"),
    );
    assert.equal(delivery.method, "POST");
    assert.equal(delivery.headers["content-type"], "application/json");
    assert.match(delivery.headers["quanzi-delivery"], new RegExp(`^dlv-\\d+-${hook.id}$`));
    assert.ok(verifySignature(hook.secret, delivery.headers["quanzi-signature"], delivery.body), "a genuine signature");
    assert.equal(verifySignature(hook.secret, delivery.headers["quanzi-signature"], delivery.body + " "), false);
    assert.equal(verifySignature("0".repeat(64), delivery.headers["quanzi-signature"], delivery.body), false);
    const payload = JSON.parse(delivery.body);
    assert.match(payload.id, /^evt-\d+$/);
    assert.equal(payload.type, "thread.created");
    assert.equal(payload.community, "tea");
    assert.ok(Math.abs(payload.created_at - Date.now()) < 60_000);
    assert.deepEqual(payload.data, { thread: thread.id, topic: "oolong", kind: "discussion", title: "First brew", author: "ann" });

    const start = Date.now() + 3 * 24 * HOUR;
    const event = await mia.api(path("events"), {
      method: "POST",
      body: JSON.stringify({ title: "Tasting", venue: { kind: "offline", place: "Shanghai" }, starts_at: start, ends_at: start + HOUR, capacity: 1 }),
    });
    assert.equal(event.status, 201, await event.clone().text());
    const eventId = (await event.json()).event.id;
    for (const sub of ["u1", "u2"]) {
      const signed = await asMember(sub, "POST", `events/${eventId}/signup`, {});
      assert.equal(signed.status, 201, await signed.clone().text());
    }
    const signups = await eventually("two event.signup deliveries", () => {
      const found = inbox.requests.filter((r) => r.headers["quanzi-event"] === "event.signup");
      return found.length >= 2 ? found : null;
    });
    const seen = signups.map((r) => {
      assert.ok(verifySignature(hook.secret, r.headers["quanzi-signature"], r.body));
      const { data } = JSON.parse(r.body);
      return [data.member, data.status, data.position, data.event, data.title];
    });
    seen.sort();
    assert.deepEqual(seen, [
      ["u1", "confirmed", null, eventId, "Tasting"],
      ["u2", "waitlisted", 1, eventId, "Tasting"],
    ]);
    const cancelled = await asMember("u1", "DELETE", `events/${eventId}/signup`);
    assert.equal(cancelled.status, 200);
    const promoted = await eventually("the promotion", () =>
      inbox.requests.map((r) => JSON.parse(r.body)).find((p) => p.type === "event.signup" && p.data.status === "promoted"),
    );
    assert.equal(promoted.data.member, "u2");
    assert.equal(inbox.requests.some((r) => r.headers["quanzi-event"] === "member.joined"), false, "only what it asked for");

    const log = await eventually("the log", async () => {
      const lines = await deliveries(hook.id);
      return lines.length >= 4 ? lines : null;
    });
    for (const line of log) {
      assert.equal(line.outcome, "delivered");
      assert.equal(line.status, 204);
      assert.equal(line.attempt, 1);
    }
    await remove(hook.id);
    await inbox.close();
  });

  test("a receiver that fails, then recovers, gets retries; the log shows each attempt", async () => {
    const flaky = await receiver((n) => (n <= 2 ? 500 : 200));
    const hook = await register(flaky.url, ["member.joined"]);
    const joined = await asMember("joiner", "POST", "join", { accept_rules: true });
    assert.equal(joined.status, 201, await joined.clone().text());
    await eventually("three attempts", () => flaky.requests.length >= 3);
    const ids = new Set(flaky.requests.map((r) => r.headers["quanzi-delivery"]));
    assert.equal(ids.size, 1, "one delivery, attempted three times");
    assert.equal(new Set(flaky.requests.map((r) => r.body)).size, 1, "the same body every time");
    for (const r of flaky.requests) assert.ok(verifySignature(hook.secret, r.headers["quanzi-signature"], r.body));
    assert.deepEqual(JSON.parse(flaky.requests[0].body).data, { member: "joiner", via: "open" });

    const log = await eventually("the success in the log", async () => {
      const lines = await deliveries(hook.id);
      return lines[0]?.outcome === "delivered" ? lines : null;
    });
    assert.deepEqual(
      log.map((l) => [l.attempt, l.outcome, l.status]),
      [
        [3, "delivered", 200],
        [2, "retrying", 500],
        [1, "retrying", 500],
      ],
    );
    const [, second, first] = log;
    assert.equal(first.next_retry_at - first.at, RETRY_BASE_MS, "the first retry after the base interval");
    assert.equal(second.next_retry_at - second.at, 6 * RETRY_BASE_MS, "then six times that");
    assert.ok(second.at >= first.next_retry_at && log[0].at >= second.next_retry_at, "not before its time");
    assert.equal(log[0].next_retry_at, null);
    await remove(hook.id);
    await flaky.close();
  });

  test("a receiver that is down is retried until it is up", async () => {
    const port = await freePort();
    const hook = await register(`http://127.0.0.1:${port}/quanzi`, ["thread.created"]);
    const posted = await asMember("bo", "POST", "threads", { topic: "oolong", title: "Anyone?", body: "Hi" });
    assert.equal(posted.status, 201);
    const failed = await eventually("a failed attempt", async () => (await deliveries(hook.id))[0]);
    assert.equal(failed.outcome, "retrying");
    assert.equal(failed.status, null);
    assert.ok(failed.error, "why there was no answer");
    const up = await receiver(() => 202, port);
    const log = await eventually("the delivery once it is up", async () => {
      const lines = await deliveries(hook.id);
      return lines[0]?.outcome === "delivered" ? lines : null;
    });
    assert.equal(log[0].status, 202);
    assert.ok(log.length >= 2 && log.slice(1).every((l) => l.outcome === "retrying" && l.error));
    assert.equal(up.requests.length, 1);
    assert.ok(verifySignature(hook.secret, up.requests[0].headers["quanzi-signature"], up.requests[0].body));
    await remove(hook.id);
    await up.close();
  });

  test("only the community's owner, admins and the operator manage its endpoints", async () => {
    const inbox = await receiver();
    const hook = await register(inbox.url, ["report.created"]);
    const body = JSON.stringify({ url: inbox.url, events: ["thread.created"] });
    const refusals = [
      ["another community's marketer lists", await leo.api(path("webhooks")), 403, "forbidden"],
      ["another community's marketer creates", await leo.api(path("webhooks"), { method: "POST", body }), 403, "forbidden"],
      ["another community's marketer deletes", await leo.api(path(`webhooks/${hook.id}`), { method: "DELETE" }), 403, "forbidden"],
      ["another community's marketer reads the log", await leo.api(path(`webhooks/${hook.id}/deliveries`)), 403, "forbidden"],
      ["a member lists", await asMember("ann", "GET", "webhooks"), 401, "unauthenticated"],
      ["a member creates", await asMember("ann", "POST", "webhooks", { url: inbox.url, events: ["thread.created"] }), 401, "unauthenticated"],
      ["nobody lists", await worker.api(path("webhooks")), 401, "unauthenticated"],
      ["the owner of tea, in leo's community", await mia.api(path("webhooks", "leos")), 403, "forbidden"],
    ];
    for (const [who, res, status, code] of refusals) {
      assert.equal(res.status, status, who);
      assert.equal(await codeOf(res), code, who);
    }
    const writeWithoutCsrf = await worker.api(path("webhooks"), {
      method: "POST",
      headers: { cookie: mia.cookie, "content-type": "application/json" },
      body,
    });
    assert.equal(writeWithoutCsrf.status, 403, "a session write needs the CSRF token");
    const asOperator = await op("GET", "webhooks");
    assert.equal(asOperator.status, 200);
    assert.deepEqual((await asOperator.json()).webhooks.map((w) => w.id), [hook.id], "nothing was added");
    assert.deepEqual((await (await leo.api(path("webhooks", "leos"))).json()).webhooks, [], "leo's community has none");

    const report = await asMember("ann", "POST", "moderation/reports", { target: { kind: "member", member: "bo" }, reason: "spam" });
    assert.ok([200, 201].includes(report.status), await report.clone().text());
    const [delivered] = await eventually("report.created", () => (inbox.requests.length ? inbox.requests : null));
    assert.deepEqual(JSON.parse(delivered.body).data, { target: { kind: "member", member: "bo" }, reason: "spam", reporter: "ann" });

    assert.equal((await op("DELETE", `webhooks/${hook.id}`)).status, 200);
    const gone = await mia.api(path(`webhooks/${hook.id}/deliveries`));
    assert.equal(gone.status, 404);
    assert.equal((await mia.api(path(`webhooks/${hook.id}`), { method: "DELETE" })).status, 404);
    assert.equal((await mia.api(path("webhooks/Not_An_Id"), { method: "DELETE" })).status, 404);
    await inbox.close();
  });

  test("a registration retried with its Idempotency-Key gets the first endpoint and secret", async () => {
    const body = JSON.stringify({ url: "https://hooks.brand.example/quanzi", events: ["badge.earned"] });
    const once = () => mia.api(path("webhooks"), { method: "POST", headers: { "idempotency-key": "register-1" }, body });
    const [first, again] = [await once(), await once()];
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    const [a, b] = [await first.json(), await again.json()];
    assert.deepEqual(b, a, "the same id and secret");
    const listed = (await (await mia.api(path("webhooks"))).json()).webhooks;
    assert.equal(listed.filter((w) => w.url === "https://hooks.brand.example/quanzi").length, 1);
    await remove(a.id);
  });

  test("bad addresses and bodies are refused with 400 and change nothing", async () => {
    const before = (await (await mia.api(path("webhooks"))).json()).webhooks.length;
    const cases = [
      { url: "http://hooks.brand.example/quanzi", events: ["thread.created"] },
      { url: "https://10.0.0.8/quanzi", events: ["thread.created"] },
      { url: "http://192.168.1.20:8080/quanzi", events: ["thread.created"] },
      { url: "https://169.254.169.254/latest/meta-data", events: ["thread.created"] },
      { url: "http://127.0.0.2:9000/quanzi", events: ["thread.created"] },
      { url: "https://intranet/quanzi", events: ["thread.created"] },
      { url: "https://user:pw@hooks.brand.example/", events: ["thread.created"] },
      { url: "not a url", events: ["thread.created"] },
      { url: "https://hooks.brand.example/quanzi", events: [] },
      { url: "https://hooks.brand.example/quanzi", events: ["thread.deleted"] },
      { url: "https://hooks.brand.example/quanzi", events: ["thread.created"], surprise: true },
      { events: ["thread.created"] },
    ];
    for (const body of cases) {
      const res = await mia.api(path("webhooks"), { method: "POST", body: JSON.stringify(body) });
      assert.equal(res.status, 400, JSON.stringify(body));
      const error = (await res.json()).error;
      assert.equal(error.code, "invalid_input");
      assert.ok(error.message.length > 0);
    }
    const after = (await (await mia.api(path("webhooks"))).json()).webhooks.length;
    assert.equal(after, before);
  });

  test("event reminders go out on the alarm, without anyone calling the route", async () => {
    // Starts in an hour and three seconds: the hour-before reminder falls due in three.
    const start = Date.now() + HOUR + 3_000;
    const created = await mia.api(path("events"), {
      method: "POST",
      body: JSON.stringify({ title: "Soon", venue: { kind: "offline", place: "Hangzhou" }, starts_at: start, ends_at: start + HOUR }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const { event } = await created.json();
    const signed = await asMember("early", "POST", `events/${event.id}/signup`, {});
    assert.equal(signed.status, 201);
    const reminder = await eventually("the reminder", async () => {
      const page = await (await asMember("early", "GET", "notifications")).json();
      return page.items.find((n) => n.kind === "event_reminder");
    });
    assert.equal(reminder.target.event, event.id);
    assert.ok(Date.now() >= start - HOUR, "not before its time");
  });
});
