// Member moderators and staff moderators in a real browser: an owner makes a member a
// member moderator from the member panel (the list row and the panel show the role, and the
// member's token now opens the moderation queue), then takes the role away after a
// confirmation; a role changed elsewhere is explained and the panel catches up. A staff
// moderator sees the member's role without the control, and the gamification tabs read-only:
// fields disabled, no save button, a note saying only owners and admins change them.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { screenshot, signInToDashboard } from "../support/dashboard.mjs";
import { marketer } from "../support/marketer.mjs";
import { signMemberToken } from "../support/sso.mjs";
import { startWorker } from "../support/worker.mjs";

const SLUG = "mods-tea";
const OWNER = { email: "own@brand.example", password: "correct horse battery" };
const MO = { email: "mo@brand.example", name: "Mo", password: "another horse battery" };
const BASE = `/api/v1/communities/${SLUG}`;

describe("dashboard moderators", () => {
  let worker, browser, owner, key;

  const json = async (res, status) => {
    assert.equal(res.status, status, await res.clone().text());
    return res.json();
  };
  const asMember = (sub, path) =>
    worker.api(`${BASE}${path}`, {
      headers: { authorization: `Bearer ${signMemberToken(key, { sub, name: `Member ${sub}`, aud: SLUG })}` },
    });
  const roleOf = async (member) => (await json(await owner.api(`${BASE}/members/${member}`), 200)).role;
  const setRole = (member, role) =>
    owner.api(`${BASE}/members/${member}/role`, { method: "PUT", body: JSON.stringify({ role }) });
  const openPanel = async (tab, name) => {
    await tab.getByRole("button", { name: `Open ${name}` }).click();
    const panel = tab.getByTestId("member-panel");
    await panel.getByTestId("member-name").filter({ hasText: name }).waitFor();
    return panel;
  };

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    owner = await marketer(worker, { email: OWNER.email, password: OWNER.password, name: "Own" });
    await json(
      await owner.api("/api/v1/communities", {
        method: "POST",
        body: JSON.stringify({ slug: SLUG, settings: { name: "Mods Tea", locale: "en" } }),
      }),
      201,
    );
    key = await json(await owner.api(`${BASE}/sso-keys`, { method: "POST" }), 201);
    for (const [sub, name] of [
      ["u1", "Lin Wei"],
      ["u2", "Mia Chen"],
    ]) {
      const res = await worker.api(`${BASE}/checkins`, {
        method: "POST",
        headers: { authorization: `Bearer ${signMemberToken(key, { sub, name, aud: SLUG })}` },
      });
      assert.equal(res.status, 200, await res.clone().text());
    }
    // A teammate with the moderator role, invited and accepted through the team API.
    const invited = await json(
      await owner.api(`${BASE}/team/invites`, { method: "POST", body: JSON.stringify({ email: MO.email, role: "moderator" }) }),
      201,
    );
    const mo = await marketer(worker, { email: MO.email, name: MO.name, password: MO.password });
    await json(await mo.api(`${BASE}/team/accept`, { method: "POST", body: JSON.stringify({ token: invited.token }) }), 200);
  });

  after(async () => {
    await browser?.close();
    await worker?.dispose();
  });

  test("an owner makes a member a member moderator and takes the role away", async (t) => {
    assert.equal((await asMember("u2", "/moderation/queue")).status, 403, "a plain member has no queue");
    await withPage(browser, t, async (tab, errors) => {
      await tab.setViewportSize({ width: 1280, height: 900 });
      await signInToDashboard(tab, worker.origin, OWNER, `#/c/${SLUG}/members`);
      const row = tab.locator('[data-testid="member-row"][data-member="u2"]');
      await row.waitFor();
      assert.equal(await row.getByTestId("member-role-chip").count(), 0, "a plain member has no chip");
      const panel = await openPanel(tab, "Mia Chen");
      await panel.locator('[data-testid="member-role"][data-role="member"]').filter({ hasText: "Member" }).waitFor();

      // From the keyboard.
      const make = panel.getByRole("button", { name: "Make member moderator" });
      await make.focus();
      await tab.keyboard.press("Enter");
      await panel.getByText("Now a member moderator.").waitFor();
      await panel.locator('[data-testid="member-role"][data-role="member_moderator"]').filter({ hasText: "Member moderator" }).waitFor();
      await row.getByTestId("member-role-chip").filter({ hasText: "Member moderator" }).waitFor();
      await screenshot(tab, "member-moderator-en");
      assert.equal(await roleOf("u2"), "member_moderator");
      const queue = await asMember("u2", "/moderation/queue");
      assert.equal(queue.status, 200, "the role is effective: the member opens the queue");

      // Removing asks first; keeping it changes nothing.
      const remove = panel.getByRole("button", { name: "Remove moderator role" });
      await remove.click();
      const confirm = tab.getByRole("alertdialog");
      await confirm.getByText("They will no longer hide posts or handle reports.").waitFor();
      await confirm.getByRole("button", { name: "Keep" }).click();
      await confirm.waitFor({ state: "detached" });
      assert.equal(await roleOf("u2"), "member_moderator");

      // Confirmed from the keyboard: "Keep" takes the focus (a held Enter cannot run into
      // the removal); the removal is a Shift+Tab away.
      await remove.click();
      const yes = confirm.getByRole("button", { name: "Remove moderator role" });
      await tab.waitForFunction(() => document.activeElement?.closest('[data-testid="member-role-confirm"]') !== null);
      assert.equal(await confirm.getByRole("button", { name: "Keep" }).evaluate((b) => b === document.activeElement), true);
      await tab.keyboard.press("Shift+Tab");
      assert.equal(await yes.evaluate((b) => b === document.activeElement), true);
      await tab.keyboard.press("Enter");
      await panel.getByText("No longer a member moderator.").waitFor();
      await panel.locator('[data-testid="member-role"][data-role="member"]').waitFor();
      await row.getByTestId("member-role-chip").waitFor({ state: "detached" });
      assert.deepEqual(errors, []);
    });
    assert.equal(await roleOf("u2"), "member");
    assert.equal((await asMember("u2", "/moderation/queue")).status, 403, "the role is gone");
  });

  test("a role changed elsewhere is explained and the panel catches up", async (t) => {
    await withPage(browser, t, async (tab) => {
      await tab.setViewportSize({ width: 1280, height: 900 });
      await signInToDashboard(tab, worker.origin, OWNER, `#/c/${SLUG}/members`);
      const panel = await openPanel(tab, "Lin Wei");
      const make = panel.getByRole("button", { name: "Make member moderator" });
      await make.waitFor();
      // Someone else appoints them while the panel is open.
      await json(await setRole("u1", "member_moderator"), 200);
      await make.click();
      await tab.getByTestId("member-error").filter({ hasText: "They already have this role; the panel is up to date now." }).waitFor();
      await panel.locator('[data-testid="member-role"][data-role="member_moderator"]').waitFor();
      await panel.getByRole("button", { name: "Remove moderator role" }).waitFor();
    });
    assert.equal(await roleOf("u1"), "member_moderator");
  });

  test("a staff moderator sees roles without the control and gamification read-only", async (t) => {
    // u1 is a member moderator (the test before made them one; alone, this test does).
    const made = await setRole("u1", "member_moderator");
    assert.ok([200, 409].includes(made.status), await made.clone().text());
    await withPage(browser, t, async (tab, errors) => {
      await tab.setViewportSize({ width: 1280, height: 900 });
      await signInToDashboard(tab, worker.origin, MO, `#/c/${SLUG}/members`);
      const row = tab.locator('[data-testid="member-row"][data-member="u1"]');
      await row.getByTestId("member-role-chip").filter({ hasText: "Member moderator" }).waitFor();
      const panel = await openPanel(tab, "Lin Wei");
      await panel.locator('[data-testid="member-role"][data-role="member_moderator"]').waitFor();
      assert.equal(await panel.getByRole("button", { name: "Remove moderator role" }).count(), 0);
      assert.equal(await panel.getByRole("button", { name: "Make member moderator" }).count(), 0);

      // Points: loaded, disabled, nothing to save.
      await tab.getByRole("navigation", { name: /sections/i }).getByRole("link", { name: "Gamification" }).click();
      const note = tab.getByTestId("game-read-only");
      await note.filter({ hasText: "only owners and admins change point rules" }).waitFor();
      const points = tab.getByLabel("Daily check-in: Points", { exact: true });
      await points.waitFor();
      assert.equal(await points.inputValue(), "5", "the saved rule is shown");
      assert.equal(await points.isDisabled(), true);
      const form = tab.getByTestId("points-form");
      const fields = await form.getByRole("spinbutton").all();
      assert.ok(fields.length > 0);
      for (const field of fields) assert.equal(await field.isDisabled(), true);
      assert.equal(await form.getByRole("button", { name: "Save changes" }).count(), 0);
      await screenshot(tab, "gamification-moderator-en");

      // Levels and badges likewise; the stored rewards catalogue is for owners and admins.
      await tab.getByRole("link", { name: "Levels" }).click();
      const threshold = tab.getByLabel("Level 1: Threshold (points earned)");
      await threshold.waitFor();
      assert.equal(await threshold.isDisabled(), true);
      assert.equal(await tab.getByRole("button", { name: "Add a level" }).isDisabled(), true);
      assert.equal(await tab.getByRole("button", { name: "Save changes" }).count(), 0);
      await tab.getByRole("link", { name: "Badges" }).click();
      await tab.getByTestId("badges-form").waitFor();
      for (const field of await tab.getByTestId("badges-form").getByRole("textbox").all()) {
        assert.equal(await field.isDisabled(), true);
      }
      assert.equal(await tab.getByRole("button", { name: "Save changes" }).count(), 0);
      await tab.getByRole("link", { name: "Rewards" }).click();
      await tab.getByTestId("rewards-owners-only").waitFor();
      assert.equal(await tab.getByTestId("reward-form").count(), 0);
      await note.waitFor();
      assert.deepEqual(errors, []);
    });
  });

  test("an owner sees the gamification forms editable, without the note", async (t) => {
    await withPage(browser, t, async (tab) => {
      await tab.setViewportSize({ width: 1280, height: 900 });
      await signInToDashboard(tab, worker.origin, OWNER, `#/c/${SLUG}/gamification/points`);
      const points = tab.getByLabel("Daily check-in: Points", { exact: true });
      await points.waitFor();
      assert.equal(await points.isDisabled(), false);
      await tab.getByRole("button", { name: "Save changes" }).waitFor();
      assert.equal(await tab.getByTestId("game-read-only").count(), 0);
    });
  });
});
