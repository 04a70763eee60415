// Faults: the local runtime killed (SIGKILL, no shutdown) in the middle of a burst of
// writes, then started again on the same persist directory. Every write the worker
// acknowledged is there; nothing is half-applied (a reply without its count or its points, a
// check-in without its ledger line, a seat without its place in the roster, a webhook event
// for a write that is not there or a write whose event never goes out); and retrying the
// writes with their Idempotency-Keys completes the burst with no duplicates. The
// assertions hold wherever the stop lands: they speak of what was acknowledged and of what
// is present, never of how far the burst got.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { killRuntime } from "../support/runtime.mjs";
import { addSsoKey, signMemberToken } from "../support/sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

const SLUG = "tea";
const BASE = `/api/v1/communities/${SLUG}`;
const HOUR = 3600_000;
const CAPACITY = 20;
const AUTHOR = "author";
const MEMBERS = Array.from({ length: 80 }, (_, i) => `m${String(i).padStart(2, "0")}`);
/** Requests in flight at once during the burst. */
const IN_FLIGHT = 40;
/** The runtime is killed when this many writes have been acknowledged. */
const STOP_AFTER = 90;

/** A small seeded generator (mulberry32), so the burst's order is the same every run. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled(items, random) {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A webhook receiver on 127.0.0.1 that keeps every event it is sent (answering 204). */
async function receiver() {
  const events = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      events.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}/quanzi`;
  return { url, events, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Polls `check` until it returns true, or fails naming `what` after `ms`. */
async function eventually(what, check, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs `fn` over `items` with at most `n` at once; the results in order. */
async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: n }, lane));
  return out;
}

describe("faults", () => {
  let dir, inbox;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "quanzi-faults-"));
    inbox = await receiver();
  });
  after(async () => {
    await inbox.close();
    await rm(dir, { recursive: true, force: true });
  });
  // The receiver is on 127.0.0.1.
  const start = () => startWorker({ persist: dir, vars: { ALLOW_LOCAL_WEBHOOKS: "1" } });

  const tokenOf = (key, sub) => signMemberToken(key, { sub, name: `Member ${sub}`, aud: SLUG });

  /** `fetch` of a community path as `auth` (a bearer token); `{status, body}` (JSON or null). */
  const call = async (worker, method, path, { auth, body, key, signal } = {}) => {
    const res = await worker.api(BASE + path, {
      method,
      headers: {
        ...(auth ? { authorization: `Bearer ${auth}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(key ? { "idempotency-key": key } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const ok = async (pending, status = 200) => {
    const res = await pending;
    assert.equal(res.status, status, JSON.stringify(res.body));
    return res.body;
  };

  /**
   * The community, its key, a webhook for new replies and sign-ups, a topic and thread by
   * AUTHOR, an event with CAPACITY seats.
   */
  async function prepare(worker) {
    await worker.putCommunity(SLUG, { name: "Tea" });
    const key = await addSsoKey(worker, SLUG, OPERATOR_TOKEN);
    const operator = (method, path, body, status) => ok(call(worker, method, path, { auth: OPERATOR_TOKEN, body }), status);
    await operator("POST", "/webhooks", { url: inbox.url, events: ["reply.created", "event.signup"] }, 201);
    const topic = await operator("POST", "/topics", { id: "oolong", name: "Oolong" }, 201);
    const thread = await ok(
      call(worker, "POST", "/threads", { auth: tokenOf(key, AUTHOR), body: { topic: topic.id, title: "Burst", body: "Replies follow." } }),
      201,
    );
    const { event } = await operator(
      "POST",
      "/events",
      {
        title: "Tasting",
        venue: { kind: "offline", place: "Hangzhou" },
        starts_at: Date.now() + 48 * HOUR,
        ends_at: Date.now() + 50 * HOUR,
        capacity: CAPACITY,
      },
      201,
    );
    return { key, topic: topic.id, thread: thread.id, event: event.id };
  }

  /**
   * The burst, in a fixed shuffled order: a check-in by each of the 80 members; sign-ups by
   * 60 of them for 20 seats; 60 replies (two each by m00–m19, one each by m20–m39: 5 points
   * each, under the daily cap); 15 reactions to AUTHOR's thread (a point each for AUTHOR,
   * under the cap); 20 staff adjustments. Each with its own Idempotency-Key, but for half
   * the check-ins and sign-ups.
   */
  function plan({ thread, event }) {
    const jobs = [];
    // Every other check-in and sign-up goes without a key, as the widget's check-in card
    // sends it: the path that commits without the idempotency record.
    MEMBERS.forEach((sub, i) => jobs.push({ kind: "checkin", sub, keyless: i % 2 === 1, method: "POST", path: "/checkins" }));
    MEMBERS.slice(20).forEach((sub, i) => {
      jobs.push({ kind: "signup", sub, keyless: i % 2 === 1, method: "POST", path: `/events/${event}/signup`, body: {} });
    });
    MEMBERS.slice(0, 40).forEach((sub, i) => {
      const replies = i < 20 ? 2 : 1;
      for (let n = 0; n < replies; n++) {
        const tag = `burst-reply-${sub}-${n}`;
        jobs.push({ kind: "reply", sub, tag, method: "POST", path: `/threads/${thread}/replies`, body: { body: `Reply ${tag} here.` } });
      }
    });
    for (const sub of MEMBERS.slice(60, 75)) {
      jobs.push({ kind: "reaction", sub, method: "POST", path: `/threads/${thread}/reactions`, body: { kind: "like" } });
    }
    MEMBERS.slice(40, 60).forEach((sub, i) => {
      const note = `burst-adjustment-${i}`;
      jobs.push({ kind: "adjustment", sub, note, operator: true, method: "POST", path: "/points/adjustments", body: { member: sub, delta: 3, reason: note } });
    });
    return shuffled(jobs, seeded(20260323)).map((job, i) => ({
      ...job,
      name: `${job.kind} #${i} by ${job.operator ? "staff for " : ""}${job.sub}${job.keyless ? " (no key)" : ""}`,
      key: job.keyless ? null : `faults-${job.kind}-${i}`,
    }));
  }

  const send = (worker, key, job, signal) =>
    call(worker, job.method, job.path, { auth: job.operator ? OPERATOR_TOKEN : tokenOf(key, job.sub), body: job.body, key: job.key, signal });

  /**
   * Sends `jobs` with IN_FLIGHT at a time; when STOP_AFTER are acknowledged, kills the
   * runtime on `dir` and starts nothing more. Returns, per job, its answer
   * (`{status, body}`), `{error}`, or undefined if it was never sent; and which were in
   * flight when the runtime died.
   */
  async function burst(worker, key, jobs, dir) {
    const answers = new Array(jobs.length);
    let next = 0;
    let acknowledged = 0;
    let killed = null;
    const inFlight = new Set();
    const lane = async () => {
      while (killed === null && next < jobs.length) {
        const i = next++;
        inFlight.add(i);
        try {
          // A hang would be a failure too; none is expected (the proxy in front answers 503).
          answers[i] = await send(worker, key, jobs[i], AbortSignal.timeout(15_000));
        } catch (error) {
          answers[i] = { error: String(error.cause ?? error) };
        }
        inFlight.delete(i);
        if (answers[i].status >= 200 && answers[i].status < 300 && answers[i].body) acknowledged += 1;
        if (killed === null && acknowledged >= STOP_AFTER) {
          killed = { pid: killRuntime(dir), inFlight: [...inFlight] };
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
    return { answers, killed };
  }

  /** Every page of `path` (`{[field]: [...], next}`), read as `auth`. */
  async function all(worker, path, field, auth) {
    const items = [];
    let cursor = null;
    do {
      const sep = path.includes("?") ? "&" : "?";
      const page = await ok(call(worker, "GET", `${path}${sep}limit=50${cursor ? `&cursor=${cursor}` : ""}`, { auth }));
      items.push(...page[field]);
      cursor = page.next;
    } while (cursor);
    return items;
  }

  /** What the community holds, read through the object (member and operator reads). */
  async function readState(worker, { key, topic, thread, event }) {
    const author = tokenOf(key, AUTHOR);
    const view = await ok(call(worker, "GET", `/threads/${thread}`, { auth: author }));
    const replies = await all(worker, `/threads/${thread}/replies`, "replies", author);
    const feed = await all(worker, `/topics/${topic}/threads`, "threads", author);
    const roster = await ok(call(worker, "GET", `/events/${event}/attendees`, { auth: OPERATOR_TOKEN }));
    const members = new Map(
      await pool([AUTHOR, ...MEMBERS], 16, async (sub) => {
        const auth = tokenOf(key, sub);
        const points = await ok(call(worker, "GET", "/me/points", { auth }));
        const ledger = await all(worker, "/me/points/ledger", "entries", auth);
        const checkin = await ok(call(worker, "GET", "/checkins/me", { auth }));
        const mine = await ok(call(worker, "GET", `/events/${event}`, { auth }));
        // A member the community has not seen write anything is in no directory (404).
        const page = await call(worker, "GET", `/members/${sub}`, { auth: OPERATOR_TOKEN });
        assert.ok(page.status === 200 || page.status === 404, JSON.stringify(page));
        const detail = page.status === 200 ? page.body : null;
        return [sub, { balance: points.balance, ledger, checkin: checkin.status, ticket: mine.my_ticket, detail }];
      }),
    );
    const overview = await ok(call(worker, "GET", "/insight/overview", { auth: OPERATOR_TOKEN }));
    return { thread: view.thread, replies, card: feed.find((t) => t.id === thread), roster, members, overview };
  }

  const tagOf = (reply) => /burst-reply-m\d\d-\d/.exec(reply.body_markdown ?? reply.body_html ?? "")?.[0];

  /**
   * The invariants that hold whatever was acknowledged: counts equal what is present, each
   * balance is its ledger's sum, each present write has all its parts, and every
   * acknowledged write (`acked`: job index → answer) is present as it was acknowledged.
   */
  function assertConsistent(state, setup, jobs, acked) {
    const { thread, replies, card, roster, members } = state;

    // Replies: the count is what is there; each present once, with its points.
    assert.equal(thread.reply_count, replies.length, "reply_count is the number of replies present");
    assert.ok(card, "the thread is in its topic's feed");
    assert.equal(card.reply_count, replies.length, "the feed's card counts the same replies");
    const tags = replies.map(tagOf);
    assert.ok(tags.every(Boolean), `every reply is one of the burst's: ${JSON.stringify(tags)}`);
    assert.equal(new Set(tags).size, tags.length, "no reply twice");
    const replyIds = new Set(replies.map((r) => r.id));
    for (const reply of replies) {
      const ledger = members.get(reply.author).ledger;
      const lines = ledger.filter((e) => e.cause === `reply:${setup.thread}:${reply.id}`);
      assert.equal(lines.length, 1, `reply ${tagOf(reply)} has its one ledger line`);
      assert.equal(lines[0].delta, 5);
    }
    for (const [sub, m] of members) {
      for (const e of m.ledger.filter((e) => e.cause.startsWith("reply:"))) {
        assert.ok(replyIds.has(e.cause.split(":")[2]), `${sub}'s points for ${e.cause} belong to a reply that is there`);
      }
    }

    // Reactions: the thread's count and AUTHOR's points agree, one line per reactor.
    const reactionLines = members.get(AUTHOR).ledger.filter((e) => e.cause.startsWith(`react-t:${setup.thread}:`));
    assert.equal(thread.reactions.like, reactionLines.length, "each like on the thread earned its author one point");
    assert.equal(new Set(reactionLines.map((e) => e.cause)).size, reactionLines.length);

    // Points: every balance is its ledger's sum, the ledger numbered without gaps.
    for (const [sub, m] of members) {
      const oldestFirst = [...m.ledger].reverse();
      assert.deepEqual(
        oldestFirst.map((e) => e.seq),
        oldestFirst.map((_, i) => i),
        `${sub}'s ledger is numbered 0, 1, … without gaps`,
      );
      let running = 0;
      for (const e of oldestFirst) {
        running += e.delta;
        assert.equal(e.balance_after, running, `${sub}'s line ${e.seq} carries the running balance`);
      }
      assert.equal(m.balance.balance, running, `${sub}'s balance is the sum of their ledger`);
      assert.equal(m.balance.entries, m.ledger.length, `${sub}'s entry count`);
      assert.equal(m.balance.earned, running, `${sub} earned what the ledger adds up to (nothing was spent)`);
      if (m.detail) {
        assert.deepEqual(m.detail.balance, m.balance, `${sub}'s page in the members directory shows the same balance`);
        assert.equal(m.detail.summary.points, m.balance.earned, `${sub}'s counters hold the points the ledger holds`);
      } else {
        // Staff may give points to a member id before its first visit; anything the member
        // did themselves makes them a member of the directory.
        assert.ok(m.ledger.every((e) => e.cause.startsWith("adjust:")), `${sub}, who earned points, is in the members directory`);
        assert.equal(m.ticket, null, `${sub}, with a ticket, is in the members directory`);
      }
      assert.equal(new Set(m.ledger.map((e) => e.cause)).size, m.ledger.length, `${sub}: no cause twice`);
    }

    // Check-ins: present exactly when the ledger has its line.
    for (const sub of MEMBERS) {
      const m = members.get(sub);
      const lines = m.ledger.filter((e) => e.cause.startsWith("checkin:"));
      assert.ok(m.checkin.total_days <= 1, `${sub} checked in at most once`);
      assert.equal(lines.length, m.checkin.total_days, `${sub}: a check-in is there with its points, or neither`);
    }

    // Adjustments: each at most once.
    for (const job of jobs.filter((j) => j.kind === "adjustment")) {
      const lines = members.get(job.sub).ledger.filter((e) => JSON.stringify(e.reason).includes(job.note));
      assert.ok(lines.length <= 1, `${job.note} at most once`);
    }

    // The event: seats never oversold, the waitlist numbered 1..n, no seat free while
    // someone waits, the counts are the roster, and each member's ticket is their line.
    const confirmed = roster.attendees.filter((a) => a.ticket.status === "confirmed");
    const waiting = roster.attendees.filter((a) => a.ticket.status === "waitlisted");
    assert.equal(confirmed.length + waiting.length, roster.attendees.length, "every line is a seat or a place");
    assert.ok(confirmed.length <= CAPACITY, `${confirmed.length} confirmed for ${CAPACITY} seats`);
    if (waiting.length > 0) assert.equal(confirmed.length, CAPACITY, "nobody waits while a seat is free");
    assert.deepEqual(
      waiting.map((a) => a.ticket.position).sort((a, b) => a - b),
      waiting.map((_, i) => i + 1),
      "waitlist positions are 1..n, each once",
    );
    assert.equal(roster.event.confirmed, confirmed.length, "the event's confirmed count is the roster's");
    assert.equal(roster.event.waiting, waiting.length, "the event's waiting count is the roster's");
    const listed = new Map(roster.attendees.map((a) => [a.member, a.ticket]));
    assert.equal(listed.size, roster.attendees.length, "nobody listed twice");
    const signups = new Set(jobs.filter((j) => j.kind === "signup").map((j) => j.sub));
    for (const sub of MEMBERS) {
      const ticket = members.get(sub).ticket ?? undefined;
      assert.deepEqual(ticket, listed.get(sub), `${sub}'s own ticket is their line in the roster`);
      if (!signups.has(sub)) assert.equal(listed.get(sub), undefined, `${sub} never signed up`);
    }

    // The dashboard's rollups, written in each write's batch, count what is there.
    const days = state.overview.days;
    const total = (field) => days.reduce((n, d) => n + d[field], 0);
    assert.equal(total("checkins"), MEMBERS.filter((sub) => members.get(sub).checkin.total_days > 0).length, "the rollups count the check-ins present");
    assert.equal(total("replies"), replies.length, "the rollups count the replies present");
    assert.equal(total("reactions"), thread.reactions.like, "the rollups count the likes present");
    assert.equal(total("signups"), roster.attendees.length, "the rollups count the sign-ups present");

    // Every acknowledged write is there, as acknowledged.
    for (const [i, answer] of acked) {
      const job = jobs[i];
      assert.ok(isPresent(state, setup, job), `acknowledged ${job.name} is there`);
      switch (job.kind) {
        case "checkin":
          assert.ok(
            members.get(job.sub).ledger.some((e) => e.cause === `checkin:${answer.body.status.today}`),
            `${job.sub}'s check-in on the day acknowledged, with its points`,
          );
          break;
        case "reply":
          assert.equal(tagOf(replies.find((r) => r.id === answer.body.reply.id) ?? {}), job.tag, `reply ${job.tag} under its acknowledged id`);
          break;
        case "signup": {
          const now = listed.get(job.sub);
          const then = answer.body.ticket;
          if (then.status === "confirmed") assert.equal(now.status, "confirmed", `${job.sub} keeps the seat acknowledged`);
          else if (now.status === "waitlisted") assert.ok(now.position <= then.position, `${job.sub} never moves back in line`);
          break;
        }
        case "reaction":
          break;
        case "adjustment":
          assert.deepEqual(
            members.get(job.sub).ledger.find((e) => e.seq === answer.body.entry.seq),
            answer.body.entry,
            `acknowledged ${job.note} is the ledger line it was answered with`,
          );
          break;
        default:
          assert.fail(job.kind);
      }
    }
  }

  /** Whether `job`'s write is in `state` (whole: the invariants above say it is not in part). */
  function isPresent(state, setup, job) {
    const m = state.members.get(job.sub);
    switch (job.kind) {
      case "checkin":
        return m.checkin.total_days > 0;
      case "reply":
        return state.replies.some((r) => tagOf(r) === job.tag);
      case "signup":
        return state.roster.attendees.some((a) => a.member === job.sub);
      case "reaction":
        return state.members.get(AUTHOR).ledger.some((e) => e.cause === `react-t:${setup.thread}:${job.sub}`);
      case "adjustment":
        return m.ledger.some((e) => JSON.stringify(e.reason).includes(job.note));
      default:
        throw new Error(job.kind);
    }
  }

  /**
   * Whether the receiver has an event for each reply and sign-up in `state`; fails on an
   * event for one not there. With `once`, also that each write has one event id (a
   * delivery may be sent again, after a stop, under the same id).
   */
  function delivered(state, once) {
    const replies = new Set(state.replies.map((r) => r.id));
    const signups = new Set(state.roster.attendees.map((a) => a.member));
    const ids = new Map();
    for (const e of inbox.events) {
      const what = e.type === "reply.created" ? `reply ${e.data.reply}` : `sign-up by ${e.data.member}`;
      const there = e.type === "reply.created" ? replies.has(e.data.reply) : signups.has(e.data.member);
      assert.ok(there, `an event for a write that is there: ${what}`);
      ids.set(what, new Set([...(ids.get(what) ?? []), e.id]));
    }
    if (once) for (const [what, set] of ids) assert.equal(set.size, 1, `${what}: one event, not ${[...set]}`);
    return ids.size === replies.size + signups.size;
  }

  /** After the retries: everything there exactly once. */
  function assertComplete(state, jobs) {
    const count = (kind) => jobs.filter((j) => j.kind === kind).length;
    assert.equal(state.replies.length, count("reply"), "every reply exactly once");
    assert.equal(state.thread.reactions.like, count("reaction"), "every like exactly once");
    assert.equal(state.roster.attendees.length, count("signup"), "every sign-up exactly once");
    assert.equal(state.roster.event.confirmed, CAPACITY);
    for (const sub of MEMBERS) assert.equal(state.members.get(sub).checkin.total_days, 1, `${sub} checked in once`);
    for (const job of jobs.filter((j) => j.kind === "adjustment")) {
      const lines = state.members.get(job.sub).ledger.filter((e) => JSON.stringify(e.reason).includes(job.note));
      assert.equal(lines.length, 1, `${job.note} exactly once`);
    }
  }

  test("killed mid-burst and restarted: every acknowledged write is there, none half-applied; retries add no duplicates", { timeout: 60_000 }, async (t) => {
    let worker = await start();
    let setup, jobs, run;
    try {
      setup = await prepare(worker);
      jobs = plan(setup);
      run = await burst(worker, setup.key, jobs, dir);
    } finally {
      await worker.dispose();
    }

    // Acknowledged: a 2xx with its body. Cut: a 2xx whose body the stop cut off (the worker
    // answers only after the object committed, so the write is in). The rest: the proxy in
    // front said the worker went (503), the connection broke, or never sent.
    const acked = new Map();
    const cut = [];
    const unacked = [];
    jobs.forEach((_, i) => {
      const a = run.answers[i];
      if (a && a.status >= 200 && a.status < 300) (a.body ? acked.set(i, a) : cut.push(i));
      else unacked.push(i);
    });
    assert.ok(run.killed, "the runtime was killed during the burst");
    assert.ok(acked.size >= STOP_AFTER, `${acked.size} acknowledged`);
    assert.ok(run.killed.inFlight.length > 0 && unacked.length + cut.length > 0, "writes were in flight when it died");
    for (const i of unacked) {
      const a = run.answers[i];
      if (a === undefined || a.error) continue;
      assert.equal(a.status, 503, `${jobs[i].name} unacknowledged with ${JSON.stringify(a)}`);
    }

    worker = await start();
    try {
      const first = await readState(worker, setup);
      assertConsistent(first, setup, jobs, acked);
      for (const i of cut) assert.ok(isPresent(first, setup, jobs[i]), `${jobs[i].name}, answered 2xx before its body was cut, is there`);
      // With no write since the restart, the events of every write there go out (the outbox
      // and the alarm came back with them), and none for a write that is not there.
      await eventually("the webhook events of the writes there", () => delivered(first, false));
      const landed = unacked.filter((i) => isPresent(first, setup, jobs[i])).length;
      t.diagnostic(`${jobs.length} writes: ${acked.size} acknowledged, ${cut.length} cut off after a 2xx, ${unacked.length} not (${landed} of them landed); ${run.killed.inFlight.length} were in flight at the stop`);

      // The same requests again, with the same keys: the acknowledged ones answered again
      // from their records, the rest finished once whether or not they had landed. Without a
      // key, a check-in or sign-up that landed is refused as done already, and only then.
      const retried = await pool(jobs, 20, (job) => send(worker, setup.key, job));
      const answered = new Map();
      retried.forEach((answer, i) => {
        const job = jobs[i];
        const what = `${job.name}: ${JSON.stringify(answer)}`;
        if (job.keyless && isPresent(first, setup, job)) {
          assert.equal(answer.status, 409, what);
          assert.equal(answer.body.error.code, job.kind === "checkin" ? "already_checked_in" : "already_signed_up", what);
          if (acked.has(i)) answered.set(i, acked.get(i));
          return;
        }
        assert.ok(answer.status >= 200 && answer.status < 300 && answer.body, what);
        if (acked.has(i)) assert.deepEqual(answer, acked.get(i), `${what} is replayed as first answered`);
        answered.set(i, answer);
      });
      const second = await readState(worker, setup);
      assertConsistent(second, setup, jobs, answered);
      assertComplete(second, jobs);
      await eventually("the webhook events of every write", () => delivered(second, false));
      assert.ok(delivered(second, true), "one event per write, however often it was sent");
    } finally {
      await worker.dispose();
    }
  });
});
