// The dashboard's team page in a real browser: the owner invites a moderator and copies the
// link shown once; a second marketer opens the link, is asked to sign in or up first, signs
// up, accepts, lands on the community and cannot open the owner-only settings; the owner
// sees the new teammate and the audit log says who joined.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { screenshot, signInToDashboard } from "../support/dashboard.mjs";
import { marketer } from "../support/marketer.mjs";
import { startWorker } from "../support/worker.mjs";

const SLUG = "team-tea";
const OWNER = { email: "own@brand.example", password: "correct horse battery" };
const MO = { email: "mo@brand.example", name: "Mo", password: "another horse battery" };
const BASE = `/api/v1/communities/${SLUG}`;

describe("dashboard team", () => {
  let worker, browser, owner;

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    owner = await marketer(worker, { email: OWNER.email, password: OWNER.password, name: "Own" });
    const created = await owner.api("/api/v1/communities", {
      method: "POST",
      body: JSON.stringify({ slug: SLUG, settings: { name: "Team Tea", locale: "en" } }),
    });
    assert.equal(created.status, 201, await created.clone().text());
  });

  after(async () => {
    await browser?.close();
    await worker?.dispose();
  });

  test("an owner invites a moderator who signs up, accepts and sees the community", async (t) => {
    let link;
    await withPage(
      browser,
      t,
      async (tab) => {
        await tab.setViewportSize({ width: 1280, height: 900 });
        await signInToDashboard(tab, worker.origin, OWNER, `#/c/${SLUG}/team`);
        const ownerRow = tab.locator(`[data-testid="teammate"][data-email="${OWNER.email}"]`);
        await ownerRow.getByTestId("teammate-role-text").filter({ hasText: "Owner" }).waitFor();
        // The last owner stays: nothing offers to demote or remove them.
        assert.equal(await ownerRow.getByRole("button", { name: /Remove/ }).count(), 0);
        await tab.getByTestId("no-invites").waitFor();

        // A bad email is explained before anything is sent.
        const form = tab.getByTestId("invite-form");
        await form.getByLabel("Email").fill("not an email");
        await form.getByRole("button", { name: "Create invite link" }).click();
        await tab.getByTestId("invite-form-error").waitFor();

        await form.getByLabel("Email").fill(MO.email);
        await form.getByLabel("Role").selectOption("moderator");
        await form.getByRole("button", { name: "Create invite link" }).click();
        const shown = tab.getByTestId("invite-link");
        await shown.waitFor();
        assert.match(await shown.textContent(), /Send this link to mo@brand\.example/);
        link = (await tab.getByTestId("invite-link-value").textContent()).trim();
        assert.match(link, new RegExp(`^${worker.origin}/dashboard/#/invite/${SLUG}/[0-9a-f]{64}$`));
        await tab.getByTestId("copy-invite-link").click();
        await tab.waitForFunction(() => document.querySelector('[data-testid="copy-invite-link"]')?.dataset.copied === "true");
        assert.equal(await tab.evaluate(() => navigator.clipboard.readText()), link);
        // Pending, with its role.
        const pending = tab.getByTestId("invite").filter({ hasText: MO.email });
        await pending.getByText("Moderator").waitFor();
        await screenshot(tab, "team-invite-en");
        // The link is shown once: hidden, it is gone from the page.
        await tab.getByRole("button", { name: "I sent it: hide the link" }).click();
        await shown.waitFor({ state: "detached" });
      },
      { permissions: ["clipboard-read", "clipboard-write"] },
    );

    await withPage(browser, t, async (tab) => {
      await tab.setViewportSize({ width: 1280, height: 900 });
      await tab.goto(link);
      // Signed out: what the link is for, then the form.
      const note = tab.getByTestId("invite-note");
      await note.getByText("Team Tea").waitFor();
      await tab.getByRole("button", { name: "Create an account" }).click();
      await tab.getByLabel("Email").fill(MO.email);
      await tab.getByLabel("Your name").fill(MO.name);
      await tab.getByLabel("Password").fill(MO.password);
      await tab.getByRole("button", { name: "Create account" }).click();
      await tab.getByTestId("invite-page").waitFor();
      await tab.getByTestId("accept-invite").click();

      // Lands on the community as its moderator.
      await tab.getByTestId("community-title").filter({ hasText: "Team Tea" }).waitFor();
      await tab.waitForFunction((slug) => location.hash === `#/c/${slug}/moderation/queue`, SLUG);
      // The owner-only settings stay closed.
      await tab.getByRole("navigation", { name: /sections/i }).getByRole("link", { name: "Setup" }).click();
      await tab.getByTestId("setup-not-allowed").waitFor();
      // The team is readable, not changeable.
      await tab.getByRole("navigation", { name: /sections/i }).getByRole("link", { name: "Team" }).click();
      await tab.getByTestId("team-read-only").waitFor();
      const mine = tab.locator(`[data-testid="teammate"][data-email="${MO.email}"]`);
      await mine.getByTestId("teammate-role-text").filter({ hasText: "Moderator" }).waitFor();
      assert.equal(await tab.getByTestId("invite-form").count(), 0);
      assert.equal(await tab.getByTestId("teammate-role").count(), 0);
      // The link works once.
      await tab.goto(link);
      await tab.getByTestId("accept-invite").click();
      await tab.getByTestId("invite-error").filter({ hasText: /already used/ }).waitFor();
    });

    // The owner sees the moderator, changes nothing by mistake, and the log says who joined.
    await withPage(browser, t, async (tab) => {
      await tab.setViewportSize({ width: 1280, height: 900 });
      await signInToDashboard(tab, worker.origin, OWNER, `#/c/${SLUG}/team`);
      const row = tab.locator(`[data-testid="teammate"][data-email="${MO.email}"]`);
      await row.waitFor();
      assert.equal(await row.getByTestId("teammate-role").inputValue(), "moderator");
      await tab.getByTestId("no-invites").waitFor();
      // Removing asks first; keeping it changes nothing.
      await row.getByRole("button", { name: `Remove ${MO.email} from the team` }).click();
      await row.getByTestId("teammate-confirm").waitFor();
      await row.getByRole("button", { name: "Keep" }).click();
      await row.getByTestId("teammate-confirm").waitFor({ state: "detached" });
      await tab.goto(`${worker.origin}/dashboard/#/c/${SLUG}/moderation/audit`);
      const audit = tab.getByTestId("audit");
      await audit.getByText("Joined the team as Moderator").waitFor();
      await audit.getByText("Invited to the team as Moderator").waitFor();
    });
    const team = await (await owner.api(`${BASE}/team`)).json();
    assert.deepEqual(
      team.teammates.map((m) => [m.email, m.role]),
      [
        [OWNER.email, "owner"],
        [MO.email, "moderator"],
      ],
    );
  });
});
