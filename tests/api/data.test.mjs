// Data portability and erasure on the real worker: a populated community exported page by
// page, imported into a fresh community, and read back the same through every read of the
// API document; a bad document or a community with content refused with nothing changed;
// only the owner exports and imports; a member's export, and their erasure leaving no trace
// of their id or name in the community's export.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { marketer } from "../support/marketer.mjs";
import { populate } from "../support/populated.mjs";
import { addSsoKey, signMemberToken } from "../support/sso.mjs";
import { apiDocument, readableState } from "../support/state.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

const SOURCE = "portsrc";
const path = (slug, rest) => `/api/v1/communities/${slug}/${rest}`;

/** Reads rest as `who`: `{status, body, headers}`. */
async function call(who, slug, rest, init = {}) {
  const res = await who.api(path(slug, rest), init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** Every page of `slug`'s export as its owner, joined as an import takes it. */
async function exportAll(owner, slug, limit) {
  let cursor = null;
  let whole = null;
  let pages = 0;
  do {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
    const { status, body, headers } = await call(owner, slug, `export?${query}`);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(headers.get("x-next-cursor"), body.next ?? null);
    assert.ok(body.entries.length <= limit);
    pages += 1;
    cursor = body.next ?? null;
    if (whole) whole.entries.push(...body.entries);
    else whole = body;
  } while (cursor);
  delete whole.next;
  return { document: whole, pages };
}

/** A new community `slug` with an owner and a sign-in key, as `populate` returns one. */
async function freshCommunity(worker, slug) {
  const owner = await marketer(worker, { email: `owner-${slug}@brand.example` });
  const created = await owner.api("/api/v1/communities", { method: "POST", body: JSON.stringify({ slug, settings: { name: `Fresh ${slug}` } }) });
  assert.equal(created.status, 201);
  const key = await addSsoKey(worker, slug, OPERATOR_TOKEN);
  return { slug, owner, key };
}

/** Reads that differ by design: secrets, the team and webhooks stay with their community. */
const COMPARED = (template) => !/\/(sso-keys|team|webhooks|export)\b/.test(template);

describe("export, import and erasure", () => {
  let worker;
  let source;
  let doc;
  before(async () => {
    worker = await startWorker();
    source = await populate(worker, SOURCE);
    doc = await apiDocument(worker);
  });
  after(async () => {
    await worker?.dispose();
  });

  test("an export imported into a fresh community reads the same through every read", async () => {
    const { document, pages } = await exportAll(source.owner, SOURCE, 40);
    assert.ok(pages > 1, `paged: ${pages}`);
    assert.equal(document.format, "quanzi-export");
    assert.equal(document.version, 1);
    const keys = document.entries.map(([k]) => k);
    assert.equal(new Set(keys).size, keys.length, "no entry twice across pages");
    assert.deepEqual(keys.filter((k) => /^(sso|staff|team|webhook|idem|idem-exp)\//.test(k)), [], "no secrets, team, webhooks or idempotency records");
    assert.ok(!JSON.stringify(document).includes(source.key.secret), "the sign-in secret never leaves");

    const target = await freshCommunity(worker, "portdst");
    const imported = await call(target.owner, target.slug, "import", { method: "POST", body: JSON.stringify(document) });
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    assert.equal(imported.body.entries, document.entries.length);

    const again = (await exportAll(target.owner, target.slug, 1000)).document;
    const expected = document.entries.map(([k, v]) => [k, k === "community" ? { ...v, slug: target.slug } : v]);
    assert.deepEqual(again.entries, expected, "every key and value, the slug rewritten");

    const as = {
      ...source,
      slug: target.slug,
      owner: target.owner,
      ids: { ...source.ids, slug: target.slug },
      token: (sub, claims = {}) => signMemberToken(target.key, { sub, name: `Member ${sub}`, aud: target.slug, ...claims }),
    };
    const before = await readableState(worker, doc, source, { only: COMPARED });
    const after = await readableState(worker, doc, as, { only: COMPARED });
    const unslugged = (state, slug) =>
      Object.fromEntries(Object.entries(state).map(([what, answer]) => [what, answer.replaceAll(`"slug":"${slug}"`, '"slug":"(slug)"')]));
    assert.ok(Object.keys(before).length > 40, `reads compared: ${Object.keys(before).length}`);
    assert.deepEqual(unslugged(after, target.slug), unslugged(before, SOURCE));
    const community = await call(worker, target.slug, "");
    assert.equal(community.body.name, `Community ${SOURCE}`, "the settings came along");
  });

  test("a bad document, or a community with content, is refused and nothing changes", async () => {
    const { document } = await exportAll(source.owner, SOURCE, 1000);
    const target = await freshCommunity(worker, "portbad");
    const state = async () => (await exportAll(target.owner, target.slug, 1000)).document.entries;
    const fresh = await state();
    const bad = [
      { ...document, format: "other" },
      { ...document, version: 2 },
      { ...document, next: "talk/" },
      { ...document, entries: [...document.entries, ["sso/keys", []]] },
      { ...document, entries: [...document.entries, [`staff/eve@evil.example`, "owner"]] },
      { ...document, entries: [...document.entries, ["surprise/key", 1]] },
      { ...document, entries: [...document.entries, document.entries[1]] },
      { ...document, entries: document.entries.filter(([k]) => k !== "community") },
      { ...document, entries: 7 },
    ];
    for (const body of bad) {
      const res = await call(target.owner, target.slug, "import", { method: "POST", body: JSON.stringify(body) });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error.code, "invalid_input");
    }
    const notJson = await call(target.owner, target.slug, "import", { method: "POST", body: "{not json" });
    assert.equal(notJson.status, 400);
    assert.deepEqual(await state(), fresh, "nothing written");

    const full = await call(source.owner, SOURCE, "import", { method: "POST", body: JSON.stringify(document) });
    assert.equal(full.status, 409);
    assert.equal(full.body.error.code, "community_not_empty");
    assert.deepEqual((await exportAll(source.owner, SOURCE, 1000)).document.entries, document.entries, "the source is unchanged");
  });

  test("only the owner exports and imports; strangers and members are refused", async () => {
    const other = await freshCommunity(worker, "portother");
    const member = { api: (p, init = {}) => worker.api(p, { ...init, headers: { authorization: `Bearer ${source.token(source.members.author)}`, ...(init.headers ?? {}) } }) };
    const body = JSON.stringify({ format: "quanzi-export", version: 1, slug: SOURCE, exported_at: 0, entries: [] });
    const routes = [
      ["export", {}],
      ["import", { method: "POST", body }],
      [`members/${source.members.author}/export`, {}],
      [`members/${source.members.replier}`, { method: "DELETE" }],
    ];
    for (const [rest, init] of routes) {
      for (const [who, status] of [
        [other.owner, 403],
        [member, 403],
        [worker, 401],
      ]) {
        const res = await call(who, SOURCE, rest, init);
        assert.equal(res.status, status, `${init.method ?? "GET"} ${rest}: ${JSON.stringify(res.body)}`);
        assert.ok(res.body.error.code, "the JSON error model");
      }
    }
    // The other community's owner, on their own community, sees only their own data.
    const own = await exportAll(other.owner, other.slug, 1000);
    assert.ok(!JSON.stringify(own.document).includes(SOURCE));
  });

  test("a member downloads their own data, and only theirs", async () => {
    const member = source.members.replier;
    const as = (token) => ({ api: (p, init = {}) => worker.api(p, { ...init, headers: { authorization: `Bearer ${token}` } }) });
    const mine = await call(as(source.token(member)), SOURCE, "me/export");
    assert.equal(mine.status, 200, JSON.stringify(mine.body));
    assert.equal(mine.body.format, "quanzi-member-export");
    assert.equal(mine.body.member, member);
    const keys = mine.body.entries.map(([k]) => k);
    assert.ok(keys.includes(`member/${member}/profile`), keys.join(" "));
    for (const key of keys) {
      const othersMember = key.startsWith("member/") && !key.startsWith(`member/${member}/`);
      assert.ok(!othersMember && !/^(mod\/report|mod\/open|mod\/audit|event-roster)\//.test(key), `${key} is somebody else's`);
    }
    // Nobody signed in: refused with the error model; a staff session is not a member.
    const anonymous = await call(worker, SOURCE, "me/export");
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error.code, "unauthenticated");
    assert.equal((await call(source.owner, SOURCE, "me/export")).status, 401);
    assert.equal((await call(as(source.token(member)), SOURCE, "me/export", { method: "POST" })).status, 405);
  });

  test("a member's data is exported, then erased: their id and name appear nowhere after", async () => {
    const member = source.members.author;
    const name = `Member ${member}`;
    const mine = await call(source.owner, SOURCE, `members/${member}/export`);
    assert.equal(mine.status, 200, JSON.stringify(mine.body));
    assert.equal(mine.body.format, "quanzi-member-export");
    const keys = mine.body.entries.map(([k]) => k);
    for (const wanted of [`member/${member}/profile`, `member/${member}/checkin`, `member/${member}/points`, `talk/thread/${source.ids.thread}`]) {
      assert.ok(keys.includes(wanted), `${wanted} in ${keys}`);
    }
    assert.ok(keys.some((k) => k.startsWith(`member/${member}/ledger/`)), "the points ledger");
    assert.ok(keys.some((k) => k.startsWith(`member/${member}/badges`)), "the badges");

    const balanceBefore = (await call(source.owner, SOURCE, `members/${member}`)).body;
    const erased = await call(source.owner, SOURCE, `members/${member}`, { method: "DELETE" });
    assert.equal(erased.status, 200, JSON.stringify(erased.body));
    const pseudonym = erased.body.pseudonym;
    assert.match(pseudonym, /^erased-\d+$/);

    const afterDoc = (await exportAll(source.owner, SOURCE, 1000)).document;
    const after = JSON.stringify(afterDoc);
    const naming = (needle) => afterDoc.entries.filter((e) => JSON.stringify(e).toLowerCase().includes(needle.toLowerCase()));
    assert.deepEqual(naming(member), [], "the member's id is gone");
    assert.deepEqual(naming(name), [], "the member's name is gone");
    assert.ok(after.includes(pseudonym));

    // The post stays readable under the pseudonym; search and leaderboards no longer find them.
    const thread = await call(source.owner, SOURCE, `threads/${source.ids.thread}`);
    assert.equal(thread.status, 200);
    assert.ok(JSON.stringify(thread.body).includes(pseudonym));
    assert.ok(!JSON.stringify(thread.body).includes(member));
    const search = await call(source.owner, SOURCE, `members?q=author`);
    assert.deepEqual(search.body.items, []);
    for (const period of ["week", "month", "all"]) {
      const board = await call(source.owner, SOURCE, `leaderboards/${period}`);
      assert.equal(board.status, 200);
      assert.ok(!JSON.stringify(board.body).includes(member) && !JSON.stringify(board.body).includes(pseudonym), period);
    }
    // The ledger keeps its amounts, under the pseudonym.
    const ledger = JSON.parse(after).entries.filter(([k]) => k.startsWith(`member/${pseudonym}/ledger/`));
    const sum = ledger.reduce((total, [, line]) => total + line.delta, 0);
    assert.ok(ledger.length > 0);
    assert.equal(sum, balanceBefore.balance.balance, "the ledger still sums to the balance");
    const account = JSON.parse(after).entries.find(([k]) => k === `member/${pseudonym}/points`);
    assert.equal(account?.[1].balance, balanceBefore.balance.balance);
    const gone = await call(source.owner, SOURCE, `members/${member}/export`);
    assert.equal(gone.status, 404);
    assert.equal((await call(source.owner, SOURCE, `members/${member}`, { method: "DELETE" })).status, 404);
  });
});
