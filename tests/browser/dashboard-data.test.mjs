// The community's data in the dashboard: the owner exports a whole community as one JSON
// file (read page by page, with progress), imports that file into a freshly created
// community (which then shows the same threads and balances), and is told why a second
// import is refused; from a member's panel the owner downloads the member's data and erases
// them after a confirmation, after which their post reads under a pseudonym.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { screenshot, signInToDashboard } from "../support/dashboard.mjs";
import { marketer } from "../support/marketer.mjs";
import { signMemberToken } from "../support/sso.mjs";
import { startWorker } from "../support/worker.mjs";

const SRC = "data-src";
const DST = "data-dst";
const OWNER = { email: "own@brand.example", password: "correct horse battery" };

describe("dashboard data", () => {
  let worker, browser, owner, key, exported;

  const json = async (res, status) => {
    assert.equal(res.status, status, await res.clone().text());
    return res.json();
  };
  const member = (sub, name) => signMemberToken(key, { sub, name, aud: SRC });
  const asMember = (token, path, method = "GET", body) =>
    worker.api(`/api/v1/communities/${SRC}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body && JSON.stringify(body),
    });

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    owner = await marketer(worker, { email: OWNER.email, password: OWNER.password, name: "Own" });
    for (const [slug, name] of [
      [SRC, "Data Tea"],
      [DST, "Data Tea (copy)"],
    ]) {
      await json(
        await owner.api("/api/v1/communities", { method: "POST", body: JSON.stringify({ slug, settings: { name, locale: "en" } }) }),
        201,
      );
    }
    key = await json(await owner.api(`/api/v1/communities/${SRC}/sso-keys`, { method: "POST" }), 201);
    await json(await owner.api(`/api/v1/communities/${SRC}/topics`, { method: "POST", body: JSON.stringify({ id: "oolong", name: "Oolong" }) }), 201);
    const lin = member("u_lin", "Lin Wei");
    const mia = member("u_mia", "Mia Chen");
    for (const token of [lin, mia]) await json(await asMember(token, "/checkins", "POST"), 200);
    await json(
      await asMember(lin, "/threads", "POST", { topic: "oolong", kind: "discussion", title: "Water for oolong", body: "95°C, rinse first." }),
      201,
    );
  });

  after(async () => {
    await browser?.close();
    await worker?.dispose();
  });

  test("the owner exports the community as one file and imports it into a fresh one", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      await tab.setViewportSize({ width: 1280, height: 900 });
      await signInToDashboard(tab, worker.origin, OWNER, `#/c/${SRC}/data`);
      await tab.getByRole("link", { name: "Data" }).and(tab.locator('[aria-current="page"]')).waitFor();
      const download = tab.waitForEvent("download");
      await tab.getByTestId("data-export").click();
      const file = await download;
      assert.match(file.suggestedFilename(), /^quanzi-data-src-\d+\.json$/);
      await tab.getByTestId("data-export-progress").filter({ hasText: /^Exported \d+ entries; the file is saved\.$/ }).waitFor();
      await screenshot(tab, "data-en");
      exported = await file.path();
      const document = JSON.parse(await readFile(exported, "utf8"));
      assert.equal(document.format, "quanzi-export");
      assert.equal(document.next, undefined, "one whole document, every page together");
      const keys = document.entries.map(([k]) => k);
      assert.ok(keys.includes("member/u_lin/points"), keys.join(" "));
      assert.ok(!keys.some((k) => k.startsWith("sso/") || k.startsWith("staff/")), "no secrets, no team");

      // Into the fresh community.
      await tab.goto(`${worker.origin}/dashboard/#/c/${DST}/data`);
      await tab.getByTestId("data-import-file").setInputFiles(exported);
      await tab.getByTestId("data-import").click();
      await tab.getByText(`Imported ${document.entries.length} entries.`).waitFor();
      const threads = await json(await owner.api(`/api/v1/communities/${DST}/threads`), 200);
      assert.deepEqual(threads.threads.map((th) => th.title), ["Water for oolong"]);
      const balance = async (slug) => (await json(await owner.api(`/api/v1/communities/${slug}/members/u_lin`), 200)).balance;
      assert.deepEqual(await balance(DST), await balance(SRC));
      assert.ok((await balance(DST)).balance > 0);

      // Again: the community has content now, and the owner is told so; nothing changes.
      await tab.getByTestId("data-import-file").setInputFiles(exported);
      await tab.getByTestId("data-import").click();
      await tab.getByTestId("data-import-error").filter({ hasText: "already has content" }).waitFor();
      // A file that is not an export is refused before anything is sent.
      await tab.getByTestId("data-import-file").setInputFiles({ name: "notes.json", mimeType: "application/json", buffer: Buffer.from('{"hello": 1}') });
      await tab.getByTestId("data-import").click();
      await tab.getByTestId("data-import-error").filter({ hasText: "This is not a Quanzi export file." }).waitFor();
      assert.deepEqual(errors.filter((e) => !/409|400/.test(e)), []);
    });
  });

  test("the owner downloads a member's data and erases them after a confirmation", async (t) => {
    await withPage(browser, t, async (tab) => {
      await tab.setViewportSize({ width: 1280, height: 900 });
      await signInToDashboard(tab, worker.origin, OWNER, `#/c/${SRC}/members`);
      await tab.getByRole("button", { name: "Open Lin Wei" }).click();
      const panel = tab.getByTestId("member-panel");
      await panel.getByTestId("member-name").filter({ hasText: "Lin Wei" }).waitFor();

      const download = tab.waitForEvent("download");
      await panel.getByTestId("member-export").click();
      const file = await download;
      assert.equal(file.suggestedFilename(), "quanzi-data-src-member-u_lin.json");
      const mine = JSON.parse(await readFile(await file.path(), "utf8"));
      assert.equal(mine.format, "quanzi-member-export");
      assert.ok(mine.entries.some(([k]) => k === "member/u_lin/profile"));

      // Keeping it changes nothing; erasing asks first, with the action focused.
      await panel.getByTestId("member-erase").click();
      const confirm = panel.getByTestId("member-erase-confirm");
      await confirm.getByText("Erase Lin Wei?", { exact: false }).waitFor();
      await confirm.getByRole("button", { name: "Keep" }).click();
      await confirm.waitFor({ state: "detached" });
      assert.equal((await owner.api(`/api/v1/communities/${SRC}/members/u_lin`)).status, 200);

      await panel.getByTestId("member-erase").click();
      await tab.waitForFunction(() => document.activeElement?.closest('[data-testid="member-erase-confirm"]') !== null);
      assert.equal(await confirm.getByRole("button", { name: "Keep" }).evaluate((b) => b === document.activeElement), true, "Keep has the focus");
      await screenshot(tab, "member-erase-en");
      await confirm.getByRole("button", { name: "Erase this member" }).click();
      await panel.getByTestId("member-erased").filter({ hasText: "Erased. Their posts now show as erased-1." }).waitFor();
      assert.equal((await owner.api(`/api/v1/communities/${SRC}/members/u_lin`)).status, 404);
      await tab.locator('[data-testid="member-row"][data-member="u_lin"]').waitFor({ state: "detached" });
      const feed = await json(await owner.api(`/api/v1/communities/${SRC}/threads`), 200);
      assert.equal(feed.threads[0].title, "Water for oolong");
      assert.equal(feed.threads[0].author, "erased-1");
    });
  });
});
