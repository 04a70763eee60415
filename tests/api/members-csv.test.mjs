// The members directory as a spreadsheet (`GET …/members.csv`) against the real worker: the
// same rows and conditions as the JSON directory, a file bounded by `limit` with
// `x-next-cursor` for the rest, member text that cannot become a formula, bad input refused
// with the JSON error model, and staff of this community only.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { marketer } from "../support/marketer.mjs";
import { addSsoKeys, codeOf } from "../support/community.mjs";
import { signMemberToken } from "../support/sso.mjs";
import { startWorker } from "../support/worker.mjs";

const BASE = "/api/v1/communities/tea";

describe("members.csv", () => {
  let worker, mia, leo, key, today;
  before(async () => {
    worker = await startWorker();
    mia = await marketer(worker, { email: "mia@brand.example", name: "Mia" });
    leo = await marketer(worker, { email: "leo@brand.example", name: "Leo" });
    for (const [who, slug] of [
      [mia, "tea"],
      [leo, "other"],
    ]) {
      const res = await who.api("/api/v1/communities", {
        method: "POST",
        body: JSON.stringify({ slug, settings: { name: slug } }),
      });
      assert.equal(res.status, 201, await res.text());
    }
    [key] = await addSsoKeys(worker, "tea");
    for (const [sub, name, tags] of [
      // They check in without joining first: no join day.
      ["u1", "Lin Wei", ["vip", "茶友"]],
      ["u2", "=HYPERLINK(\"x\")", []],
      ["u3", "Bo, the runner", ["runner"]],
    ]) {
      const res = await worker.api(`${BASE}/checkins`, {
        method: "POST",
        headers: { authorization: `Bearer ${signMemberToken(key, { sub, name, aud: "tea", tags })}` },
      });
      assert.equal(res.status, 200, await res.clone().text());
      today = (await res.json()).status.today;
    }
  });
  after(() => worker?.dispose());

  /** The file's text after checking its headers and byte-order mark. */
  const file = async (res) => {
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    assert.equal(res.status, 200, text);
    assert.equal(res.headers.get("content-type"), "text/csv; charset=utf-8");
    assert.equal(res.headers.get("content-disposition"), 'attachment; filename="tea-members.csv"');
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], "a byte-order mark, for spreadsheets");
    return text;
  };
  const rows = (text) => text.split("\r\n").filter(Boolean);

  test("one row per member, as the directory has them", async () => {
    const text = await file(await mia.api(`${BASE}/members.csv`));
    const directory = (await (await mia.api(`${BASE}/members`)).json()).items;
    const points = Object.fromEntries(directory.map((m) => [m.member, [m.points, m.balance, m.level]]));
    assert.deepEqual(rows(text), [
      "member,name,brand_tags,staff_tags,joined,last_active,points,balance,level",
      `u1,Lin Wei,vip; 茶友,,,${today},${points.u1.join(",")}`,
      `u2,"'=HYPERLINK(""x"")",,,,${today},${points.u2.join(",")}`,
      `u3,"Bo, the runner",runner,,,${today},${points.u3.join(",")}`,
    ]);
    assert.ok(points.u1[0] > 0, "check-ins earned points");
    assert.equal(text.endsWith("\r\n"), true);
  });

  test("the directory's conditions narrow the file", async () => {
    assert.deepEqual(rows(await file(await mia.api(`${BASE}/members.csv?tag=vip`))).map((r) => r.split(",")[0]), ["member", "u1"]);
    assert.deepEqual(rows(await file(await mia.api(`${BASE}/members.csv?q=bo`))).map((r) => r.split(",")[0]), ["member", "u3"]);
    assert.deepEqual(rows(await file(await mia.api(`${BASE}/members.csv?inactive_days=1`))), [
      "member,name,brand_tags,staff_tags,joined,last_active,points,balance,level",
    ]);
  });

  test("limit bounds a file and x-next-cursor continues it", async () => {
    const first = await mia.api(`${BASE}/members.csv?limit=2`);
    const next = first.headers.get("x-next-cursor");
    assert.deepEqual(rows(await file(first)).slice(1).map((r) => r.split(",")[0]), ["u1", "u2"]);
    assert.ok(next, "more members follow");
    const second = await mia.api(`${BASE}/members.csv?limit=2&cursor=${encodeURIComponent(next)}`);
    assert.equal(second.headers.get("x-next-cursor"), null);
    assert.deepEqual(rows(await file(second)).slice(1).map((r) => r.split(",")[0]), ["u3"]);
  });

  test("bad input is refused with the JSON error model", async () => {
    for (const query of ["limit=0", "limit=2001", "limit=ten", "colour=red", "level=0", "cursor=%%%"]) {
      const res = await mia.api(`${BASE}/members.csv?${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(await codeOf(res), "invalid_input", query);
    }
    const posted = await mia.api(`${BASE}/members.csv`, { method: "POST", body: "{}" });
    assert.equal(posted.status, 405);
    assert.match(posted.headers.get("allow"), /^GET\b/);
  });

  test("only this community's staff may download it", async () => {
    const anonymous = await worker.api(`${BASE}/members.csv`);
    assert.equal(anonymous.status, 401);
    assert.equal(await codeOf(anonymous), "unauthenticated");
    const member = await worker.api(`${BASE}/members.csv`, {
      headers: { authorization: `Bearer ${signMemberToken(key, { sub: "u1", name: "Lin Wei", aud: "tea" })}` },
    });
    assert.equal(member.status, 403);
    assert.equal(await codeOf(member), "forbidden");
    const outsider = await leo.api(`${BASE}/members.csv`);
    assert.equal(outsider.status, 403);
    assert.equal(await codeOf(outsider), "forbidden");
    const own = await leo.api("/api/v1/communities/other/members.csv");
    assert.deepEqual(rows(new TextDecoder().decode(await own.arrayBuffer())), [
      "member,name,brand_tags,staff_tags,joined,last_active,points,balance,level",
    ]);
  });
});
