// The team against the real worker: an owner invites by link (shown once; only its digest is
// kept), the invited marketer accepts and the community appears in their dashboard; who may
// invite which role; used, revoked, wrong and expired links refused with clear codes; the
// last owner stays; one community's admin never reads or changes another's team; every
// change is in the audit log.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { codeOf, memberToken } from "../support/community.mjs";
import { marketer } from "../support/marketer.mjs";
import { addSsoKey } from "../support/sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

const BASE = "/api/v1/communities";

const createCommunity = async (who, slug) => {
  const res = await who.api(BASE, { method: "POST", body: JSON.stringify({ slug, settings: { name: slug } }) });
  assert.equal(res.status, 201, await res.clone().text());
};

const invite = (who, slug, email, role) =>
  who.api(`${BASE}/${slug}/team/invites`, { method: "POST", body: JSON.stringify({ email, role }) });

const accept = (who, slug, token) =>
  who.api(`${BASE}/${slug}/team/accept`, { method: "POST", body: JSON.stringify({ token }) });

const team = async (who, slug) => {
  const res = await who.api(`${BASE}/${slug}/team`);
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
};

const roles = (t) => Object.fromEntries(t.teammates.map((m) => [m.email, m.role]));

/** Invites `email` as `role` and returns the token from the answer's link. */
const invited = async (who, slug, email, role) => {
  const res = await invite(who, slug, email, role);
  assert.equal(res.status, 201, await res.clone().text());
  const body = await res.json();
  assert.equal(body.path, `/dashboard/#/invite/${slug}/${body.token}`);
  return body;
};

describe("team", () => {
  let worker, owner, ada, mo, bea, zed;

  before(async () => {
    worker = await startWorker();
    owner = await marketer(worker, { email: "own@brand.example", name: "Own" });
    ada = await marketer(worker, { email: "ada@brand.example", name: "Ada" });
    mo = await marketer(worker, { email: "mo@brand.example", name: "Mo" });
    bea = await marketer(worker, { email: "bea@other.example", name: "Bea" });
    zed = await marketer(worker, { email: "zed@brand.example", name: "Zed" });
    await createCommunity(owner, "club");
    await createCommunity(bea, "rival");
  });
  after(() => worker?.dispose());

  test("an invite link brings a marketer in once, with its role", async () => {
    const created = await invited(owner, "club", " Ada@Brand.Example ", "admin");
    assert.equal(created.invite.email, "ada@brand.example");
    assert.equal(created.invite.role, "admin");
    assert.match(created.token, /^[0-9a-f]{64}$/);
    const days = (created.invite.expires_at - created.invite.created_at) / 86_400_000;
    assert.equal(days, 7);

    // Listed as pending, never with its token.
    const pending = await team(owner, "club");
    assert.equal(pending.you, "owner");
    assert.equal(pending.can_manage, true);
    assert.deepEqual(pending.invites.map((i) => i.email), ["ada@brand.example"]);
    assert.ok(!JSON.stringify(pending).includes(created.token));

    // Another account cannot use it.
    const other = await accept(mo, "club", created.token);
    assert.equal(other.status, 403);
    assert.equal(await codeOf(other), "forbidden");

    const joined = await accept(ada, "club", created.token);
    assert.equal(joined.status, 200, await joined.clone().text());
    assert.deepEqual(await joined.json(), { slug: "club", role: "admin" });
    // Her dashboard now lists the community.
    const me = await (await ada.api("/api/v1/auth/me")).json();
    assert.deepEqual(me.communities, [{ slug: "club", role: "admin" }]);
    // The same link again: used.
    const again = await accept(ada, "club", created.token);
    assert.equal(again.status, 409);
    const body = await again.json();
    assert.equal(body.error.code, "conflict");
    assert.match(body.error.message, /already used/);

    const after = await team(owner, "club");
    assert.deepEqual(roles(after), { "own@brand.example": "owner", "ada@brand.example": "admin" });
    assert.deepEqual(after.invites, []);
  });

  test("who may invite which role; moderators read the team without invites", async () => {
    // An admin invites admins and moderators, never owners.
    const refused = await invite(ada, "club", "boss@brand.example", "owner");
    assert.equal(refused.status, 403);
    assert.equal(await codeOf(refused), "forbidden");
    const { token } = await invited(ada, "club", "mo@brand.example", "moderator");
    assert.equal((await accept(mo, "club", token)).status, 200);

    const theirs = await team(mo, "club");
    assert.equal(theirs.you, "moderator");
    assert.equal(theirs.can_manage, false);
    assert.deepEqual(theirs.invites, []);
    assert.equal(roles(theirs)["mo@brand.example"], "moderator");
    // Moderators cannot invite, change roles or remove.
    const modInvite = await invite(mo, "club", "x@brand.example", "moderator");
    assert.equal(modInvite.status, 403);
    const modChange = await mo.api(`${BASE}/club/team/members/ada@brand.example`, {
      method: "PUT",
      body: JSON.stringify({ role: "moderator" }),
    });
    assert.equal(modChange.status, 403);
    // …nor open owner-only settings.
    assert.equal((await mo.api(`${BASE}/club/settings`)).status, 403);
    // A marketer on no team, a member's token and no credentials at all are refused.
    assert.equal((await zed.api(`${BASE}/club/team`)).status, 403);
    const key = await addSsoKey(worker, "club", OPERATOR_TOKEN);
    const asMember = await worker.api(`${BASE}/club/team`, {
      headers: { authorization: `Bearer ${memberToken(key, "u1", "club")}` },
    });
    assert.equal(asMember.status, 403);
    const anonymous = await worker.api(`${BASE}/club/team`);
    assert.equal(anonymous.status, 401);
    assert.equal(await codeOf(anonymous), "unauthenticated");
    // Writes need the CSRF token.
    const noCsrf = await worker.api(`${BASE}/club/team/invites`, {
      method: "POST",
      headers: { cookie: owner.cookie, "content-type": "application/json" },
      body: JSON.stringify({ email: "x@brand.example", role: "moderator" }),
    });
    assert.equal(noCsrf.status, 403);
  });

  test("revoked, wrong and malformed links are refused and change nothing", async () => {
    const created = await invited(owner, "club", "zed@brand.example", "moderator");
    const dup = await invite(owner, "club", "zed@brand.example", "admin");
    assert.equal(dup.status, 409);
    const revoked = await owner.api(`${BASE}/club/team/invites/${created.invite.id}`, { method: "DELETE" });
    assert.equal(revoked.status, 200, await revoked.clone().text());
    assert.equal((await revoked.json()).email, "zed@brand.example");
    const late = await accept(zed, "club", created.token);
    assert.equal(late.status, 409);
    assert.match((await late.json()).error.message, /revoked/);
    const wrong = await accept(zed, "club", "ab".repeat(32));
    assert.equal(wrong.status, 404);
    assert.equal(await codeOf(wrong), "not_found");
    const malformed = await accept(zed, "club", "not-a-token");
    assert.equal(malformed.status, 400);
    assert.equal(await codeOf(malformed), "invalid_input");
    const unknownInvite = await owner.api(`${BASE}/club/team/invites/0123456789abcdef`, { method: "DELETE" });
    assert.equal(unknownInvite.status, 404);
    const badRole = await invite(owner, "club", "x@brand.example", "emperor");
    assert.equal(badRole.status, 400);
    const badEmail = await invite(owner, "club", "not an email", "admin");
    assert.equal(badEmail.status, 400);
    const signedOut = await worker.api(`${BASE}/club/team/accept`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: created.token }),
    });
    assert.equal(signedOut.status, 401);
    assert.equal(roles(await team(owner, "club"))["zed@brand.example"], undefined);
    const me = await (await zed.api("/api/v1/auth/me")).json();
    assert.deepEqual(me.communities, []);
  });

  test("the last owner can never be removed or demoted; admins never touch owners", async () => {
    const selfDemote = await owner.api(`${BASE}/club/team/members/own@brand.example`, {
      method: "PUT",
      body: JSON.stringify({ role: "admin" }),
    });
    assert.equal(selfDemote.status, 409);
    assert.match((await selfDemote.json()).error.message, /last owner/);
    const selfRemove = await owner.api(`${BASE}/club/team/members/own@brand.example`, { method: "DELETE" });
    assert.equal(selfRemove.status, 409);
    const operatorRemove = await worker.api(`${BASE}/club/team/members/own@brand.example`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
    });
    assert.equal(operatorRemove.status, 409);
    const adminRemove = await ada.api(`${BASE}/club/team/members/own@brand.example`, { method: "DELETE" });
    assert.equal(adminRemove.status, 403);
    assert.equal(roles(await team(owner, "club"))["own@brand.example"], "owner");

    // The owner promotes the moderator, then demotes and removes them; the index follows.
    const promoted = await owner.api(`${BASE}/club/team/members/mo%40brand.example`, {
      method: "PUT",
      body: JSON.stringify({ role: "admin" }),
    });
    assert.equal(promoted.status, 200, await promoted.clone().text());
    assert.deepEqual(await promoted.json(), { email: "mo@brand.example", role: "admin" });
    let me = await (await mo.api("/api/v1/auth/me")).json();
    assert.deepEqual(me.communities, [{ slug: "club", role: "admin" }]);
    const removed = await ada.api(`${BASE}/club/team/members/mo@brand.example`, { method: "DELETE" });
    assert.equal(removed.status, 200, await removed.clone().text());
    me = await (await mo.api("/api/v1/auth/me")).json();
    assert.deepEqual(me.communities, []);
    assert.equal((await mo.api(`${BASE}/club/team`)).status, 403);
    const gone = await ada.api(`${BASE}/club/team/members/mo@brand.example`, { method: "DELETE" });
    assert.equal(gone.status, 404);
  });

  test("community A's admin cannot read or change community B's team", async () => {
    // Ada is an admin of club, not of rival.
    assert.equal((await ada.api(`${BASE}/rival/team`)).status, 403);
    const crossInvite = await invite(ada, "rival", "spy@brand.example", "admin");
    assert.equal(crossInvite.status, 403);
    const crossRemove = await ada.api(`${BASE}/rival/team/members/bea@other.example`, { method: "DELETE" });
    assert.equal(crossRemove.status, 403);
    // A club invite does not open rival.
    const { token } = await invited(bea, "rival", "zed@brand.example", "moderator");
    const wrongCommunity = await accept(zed, "club", token);
    assert.equal(wrongCommunity.status, 404);
    assert.deepEqual(roles(await team(bea, "rival")), { "bea@other.example": "owner" });
    const rivalInvites = (await team(bea, "rival")).invites.map((i) => i.email);
    assert.deepEqual(rivalInvites, ["zed@brand.example"]);
  });

  test("every team change is in the audit log", async () => {
    const res = await owner.api(`${BASE}/club/moderation/audit`);
    assert.equal(res.status, 200);
    const log = (await res.json()).items.map((r) => [r.action.type, r.target.email ?? r.target.member]);
    for (const line of [
      ["invite_staff", "ada@brand.example"],
      ["accept_invite", "ada@brand.example"],
      ["invite_staff", "mo@brand.example"],
      ["accept_invite", "mo@brand.example"],
      ["revoke_invite", "zed@brand.example"],
      ["change_staff_role", "mo@brand.example"],
    ]) {
      assert.ok(log.some((l) => l[0] === line[0] && l[1] === line[1]), `${line} in ${JSON.stringify(log)}`);
    }
  });

  test("staff point adjustments and badge grants and revokes are audited", async () => {
    const key = await addSsoKey(worker, "club", OPERATOR_TOKEN);
    const checkIn = await worker.api(`${BASE}/club/checkins`, {
      method: "POST",
      headers: { authorization: `Bearer ${memberToken(key, "u9", "club")}` },
    });
    assert.equal(checkIn.status, 200, await checkIn.clone().text());
    const adjusted = await ada.api(`${BASE}/club/points/adjustments`, {
      method: "POST",
      body: JSON.stringify({ member: "u9", delta: 25, reason: "helped at the meetup" }),
    });
    assert.equal(adjusted.status, 201, await adjusted.clone().text());
    // `vip` is in the default catalogue, given by staff.
    const granted = await owner.api(`${BASE}/club/badges/vip/holders/u9`, { method: "POST" });
    assert.equal(granted.status, 201, await granted.clone().text());
    const revoked = await owner.api(`${BASE}/club/badges/vip/holders/u9`, { method: "DELETE" });
    assert.equal(revoked.status, 200, await revoked.clone().text());
    const log = (await (await owner.api(`${BASE}/club/moderation/audit`)).json()).items;
    const points = log.find((e) => e.action.type === "adjust_points");
    assert.deepEqual(points.action, { type: "adjust_points", delta: 25 });
    assert.equal(points.reason, "helped at the meetup");
    assert.deepEqual(points.actor, { kind: "staff", email: "ada@brand.example" });
    assert.equal(points.role, "admin");
    assert.deepEqual(points.target, { kind: "member", member: "u9" });
    assert.ok(log.some((e) => e.action.type === "grant_badge" && e.action.badge === "vip"));
    assert.ok(log.some((e) => e.action.type === "revoke_badge" && e.action.badge === "vip"));
  });
});

describe("expired invites", () => {
  let worker, owner, late;

  before(async () => {
    // Links that last 1 ms: any later use is after expiry.
    worker = await startWorker({ vars: { INVITE_LIFETIME_MS: "1" } });
    owner = await marketer(worker, { email: "own@brand.example", name: "Own" });
    late = await marketer(worker, { email: "late@brand.example", name: "Late" });
    await createCommunity(owner, "club");
  });
  after(() => worker?.dispose());

  test("an expired link is refused and changes nothing", async () => {
    const created = await invited(owner, "club", "late@brand.example", "moderator");
    assert.equal(created.invite.expires_at - created.invite.created_at, 1);
    const res = await accept(late, "club", created.token);
    assert.equal(res.status, 409);
    const body = await res.json();
    assert.equal(body.error.code, "conflict");
    assert.match(body.error.message, /expired/);
    assert.deepEqual(roles(await team(owner, "club")), { "own@brand.example": "owner" });
    // No longer pending: the owner may invite the same email again.
    assert.deepEqual((await team(owner, "club")).invites, []);
    await invited(owner, "club", "late@brand.example", "moderator");
  });
});
