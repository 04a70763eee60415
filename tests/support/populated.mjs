// A community with one of everything, made through the API as its owner and members would:
// a topic, a thread with a reply and a reaction, an event with a sign-up, a reward, a badge
// given, a staff tag, a segment, a member moderator, a report, a ban, an application
// waiting, a teammate invited, an automation and (last, so nothing before it is delivered)
// a webhook. Used by the tests that call every route: each route's `{parameter}` gets a
// real id of the community.
import { marketer } from "./marketer.mjs";
import { addSsoKey, signMemberToken } from "./sso.mjs";
import { OPERATOR_TOKEN } from "./worker.mjs";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * Creates the community `slug` owned by a new marketer `owner-{slug}@brand.example` and
 * fills it. Returns `{slug, owner, key, token(sub), ids, query, members, inviteToken}`:
 * `owner` is the session helper of `marketer.mjs`; `token(sub)` a member token of this
 * community (signed with `key`, which a test may replace); `ids` a value for every path
 * parameter of the API (`thread`, `reply`, `event`, `member`, `invite`, `email`, …) naming a
 * real thing of this community; `query` the query parameters some reads need (`url`,
 * `kind`); `members` the subs by part (`author`, `replier`, …); `inviteToken` the secret of
 * the pending invite.
 */
export async function populate(worker, slug) {
  const owner = await marketer(worker, { email: `owner-${slug}@brand.example`, name: `Owner ${slug}` });
  await expect(owner.api("/api/v1/communities", { method: "POST", body: JSON.stringify({ slug, settings: { name: `Community ${slug}` } }) }), 201);
  const community = { slug, owner, key: await addSsoKey(worker, slug, OPERATOR_TOKEN) };
  // Signs with the community's `key` of the moment (a test that rotates keys sets it).
  const token = (sub, claims = {}) => signMemberToken(community.key, { sub, name: `Member ${sub}`, aud: slug, ...claims });
  const path = (rest) => `/api/v1/communities/${slug}/${rest}`;
  const staff = (method, rest, body) => expect(owner.api(path(rest), { method, body: body === undefined ? undefined : JSON.stringify(body) }));
  const as = (sub, method, rest, body) =>
    expect(
      worker.api(path(rest), {
        method,
        headers: { authorization: `Bearer ${token(sub)}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );

  const members = {
    author: `${slug}-author`,
    replier: `${slug}-replier`,
    moderator: `${slug}-moderator`,
    banned: `${slug}-banned`,
    applicant: `${slug}-applicant`,
  };
  for (const sub of [members.author, members.replier, members.moderator, members.banned]) {
    await as(sub, "POST", "join", { accept_rules: true });
  }
  await as(members.author, "POST", "checkins");
  await staff("PUT", `members/${members.moderator}/role`, { role: "member_moderator", reason: "helps out" });

  const topic = `${slug}-topic`;
  await staff("POST", "topics", { id: topic, name: `Topic of ${slug}` });
  await as(members.author, "POST", `topics/${topic}/membership`);
  const thread = (await as(members.author, "POST", "threads", { topic, title: `Hello from ${slug}`, body: "First **post**" })).id;
  const reply = (await as(members.replier, "POST", `threads/${thread}/replies`, { body: "A reply" })).reply.id;
  await as(members.replier, "POST", `threads/${thread}/reactions`, { kind: "like" });
  await as(members.author, "POST", `threads/${thread}/replies/${reply}/reactions`, { kind: "thanks" });
  await as(members.replier, "POST", "moderation/reports", { target: { kind: "post", thread }, reason: "spam", note: "looks like an ad" });
  const url = `https://${slug}.example/blog/1`;
  await as(members.author, "POST", `pages/comments?url=${encodeURIComponent(url)}`, { body: "A page comment" });

  const draft = {
    title: `Meet-up of ${slug}`,
    venue: { kind: "offline", place: "Shanghai" },
    starts_at: Date.now() + 3 * DAY,
    ends_at: Date.now() + 3 * DAY + 2 * HOUR,
    capacity: 10,
  };
  const event = (await staff("POST", "events", draft)).event.id;
  await as(members.replier, "POST", `events/${event}/signup`, {});

  const reward = `${slug}-reward`;
  await staff("POST", "rewards", { id: reward, name: "Tote bag", cost: 10, stock: 5 });
  await staff("POST", "points/adjustments", { member: members.author, delta: 50, reason: "welcome" });
  const badges = (await staff("GET", "badges")).badges;
  const badge = badges.find((b) => b.award.by === "staff")?.id;
  if (!badge) throw new Error(`${slug}: no badge that staff give in ${JSON.stringify(badges)}`);
  await staff("POST", `badges/${badge}/holders/${members.author}`);
  const tag = `${slug}-vip`;
  await staff("PUT", `members/${members.author}/tags/${tag}`);
  const segment = (await staff("POST", "segments", { name: `VIPs of ${slug}`, filter: { tag } })).segment.id;
  await staff("PUT", `members/${members.banned}/ban`, { days: 7, reason: "spam" });

  // Screening from now on: the applicant waits for review.
  const policy = await staff("GET", "join");
  await staff("PUT", "join", { ...policy, mode: "screening", questions: ["Why do you join?"] });
  await as(members.applicant, "POST", "join", { accept_rules: true, answers: ["Because"] });

  // A teammate invited, not yet joined; an automation that greets new members.
  const invited = await staff("POST", "team/invites", { email: `invited-${slug}@brand.example`, role: "moderator" });
  const automation = (
    await staff("POST", "automations", { name: `Welcome to ${slug}`, trigger: { kind: "member_joined" }, segment: { tag }, action: { kind: "notify", message: "Welcome" } })
  ).id;

  const webhook = (await staff("POST", "webhooks", { url: `https://hooks.${slug}.example/quanzi`, events: ["thread.created"] })).id;

  const ids = { slug, thread, reply, event, member: members.author, reward, topic, badge, tag, segment, webhook, period: "week" };
  Object.assign(ids, { invite: invited.invite.id, email: owner.me.email, automation });
  return Object.assign(community, { token, ids, query: { url, kind: "thread" }, members, inviteToken: invited.token });
}

/** Awaits `res`, checks it succeeded (with `status` if given); returns its JSON (or null). */
async function expect(pending, status) {
  const res = await pending;
  const text = await res.text();
  if (status ? res.status !== status : res.status >= 300) throw new Error(`${res.url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
