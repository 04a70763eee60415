// The dashboard's automations section in a real browser over the real worker: the empty
// state explains what automations are for; the owner writes "welcome" (when a member joins,
// a message and 10 points) in the form, the form explains a rule before sending anything,
// each new automation is saved off and previewed (how many members, and who) before it is
// switched on; a member then joins through the API and both fire once: in the run log, the
// member's inbox and their points. Deleting asks first; a moderator gets an explanation,
// not the list; a failed load offers a retry; the section fits a 360 px phone.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { overflowsSideways, screenshot, signInToDashboard } from "../support/dashboard.mjs";
import { marketer } from "../support/marketer.mjs";
import { signMemberToken } from "../support/sso.mjs";
import { startWorker } from "../support/worker.mjs";

const SLUG = "auto-tea";
const MIA = { email: "mia@brand.example", password: "correct horse battery" };
const MO = { email: "mo@brand.example", password: "another horse battery" };
const BASE = `/api/v1/communities/${SLUG}`;

describe("dashboard automations", () => {
  let worker, browser, staff, key;

  const member = (sub, name) => ({
    authorization: `Bearer ${signMemberToken(key, { sub, name, aud: SLUG })}`,
    "content-type": "application/json",
  });
  const asMember = async (sub, name, method, rest, body) => {
    const res = await worker.api(`${BASE}/${rest}`, {
      method,
      headers: member(sub, name),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    assert.ok(res.status < 300, `${method} ${rest}: ${res.status} ${text}`);
    return JSON.parse(text);
  };

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    staff = await marketer(worker, { email: MIA.email, password: MIA.password });
    const created = await staff.api("/api/v1/communities", {
      method: "POST",
      body: JSON.stringify({ slug: SLUG, settings: { name: "Auto Tea", locale: "en" } }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const keyRes = await staff.api(`${BASE}/sso-keys`, { method: "POST" });
    assert.equal(keyRes.status, 201, await keyRes.clone().text());
    key = await keyRes.json();
    // A member from before the automations: the preview names her.
    await asMember("u_lin", "Lin Wei", "POST", "join", { accept_rules: true });
    // A moderator on the team.
    const mo = await marketer(worker, { email: MO.email, name: "Mo", password: MO.password });
    const invite = await staff.api(`${BASE}/team/invites`, {
      method: "POST",
      body: JSON.stringify({ email: MO.email, role: "moderator" }),
    });
    assert.equal(invite.status, 201, await invite.clone().text());
    const { token } = await invite.json();
    const accepted = await mo.api(`${BASE}/team/accept`, { method: "POST", body: JSON.stringify({ token }) });
    assert.equal(accepted.status, 200, await accepted.clone().text());
  });

  after(async () => {
    await browser?.close();
    await worker?.dispose();
  });

  const row = (tab, name) => tab.getByTestId("automation-row").filter({ has: tab.getByText(name, { exact: true }) });

  /** Fills the form's name and message, picks the action, saves; the new row previews. */
  const save = async (tab, { name, action, fill }) => {
    const form = tab.getByTestId("automation-form");
    await form.getByLabel("Name", { exact: true }).fill(name);
    await form.getByLabel("Trigger").selectOption("member_joined");
    await form.getByLabel("Action").selectOption(action);
    await fill(form);
    await form.getByRole("button", { name: "Save" }).click();
    await tab.getByText("Automation saved (off). Preview whom it reaches, then switch it on.").waitFor();
    const saved = row(tab, name);
    await saved.getByTestId("automation-state").filter({ hasText: "Off" }).waitFor();
    return saved;
  };

  /** The preview of `saved`: one member (Lin) in its segment; then it is switched on. */
  const previewAndSwitchOn = async (saved) => {
    const result = saved.getByTestId("automation-preview-result");
    await result.waitFor();
    assert.equal(await result.getByTestId("automation-reach").getAttribute("data-count"), "1");
    assert.match(await result.getByTestId("automation-reach").textContent(), /^1 member is in its segment now/);
    assert.deepEqual(await result.getByTestId("automation-reach-member").allTextContents(), ["Lin Wei"]);
    await result.getByRole("button", { name: "Switch on" }).click();
    await saved.getByTestId("automation-state").filter({ hasText: "On" }).waitFor();
    assert.equal(await saved.getByRole("switch").getAttribute("aria-checked"), "true");
  };

  test("welcome: written, previewed, switched on; a join fires it once", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      await tab.setViewportSize({ width: 1280, height: 900 });
      await signInToDashboard(tab, worker.origin, MIA, `#/c/${SLUG}/automations`);
      assert.equal(await tab.getByRole("link", { name: "Automations" }).getAttribute("aria-current"), "page");
      const empty = tab.getByTestId("automations-empty");
      await empty.getByText(/recall members quiet for 14 days/).waitFor();
      await empty.getByRole("button", { name: "New automation" }).click();

      // A rule the form checks before sending: a message is needed.
      const form = tab.getByTestId("automation-form");
      await form.getByLabel("Name", { exact: true }).fill("Welcome message");
      await form.getByRole("button", { name: "Save" }).click();
      await form.getByTestId("automation-error").filter({ hasText: "Write a message of 1–280 characters." }).waitFor();

      const message = await save(tab, {
        name: "Welcome message",
        action: "notify",
        fill: (form) => form.getByLabel("Message", { exact: true }).fill("Welcome!"),
      });
      assert.match(await message.textContent(), /When a member joins → send the message “Welcome!”/);
      await previewAndSwitchOn(message);

      await tab.getByRole("button", { name: "New automation" }).click();
      const points = await save(tab, {
        name: "Welcome points",
        action: "grant_points",
        fill: (form) => form.getByLabel("Points", { exact: true }).fill("10"),
      });
      // The switch previews first too: the automation stays off until confirmed.
      await points.getByRole("button", { name: "Close preview" }).click();
      await points.getByRole("switch", { name: "Welcome points on" }).click();
      assert.equal(await points.getByRole("switch").getAttribute("aria-checked"), "false");
      await previewAndSwitchOn(points);
      await screenshot(tab, "automations-en");

      // A member joins: each automation fires once for her.
      await asMember("u_new", "Ana New", "POST", "join", { accept_rules: true });
      for (const saved of [message, points]) {
        await saved.getByRole("button", { name: /^Run log of / }).click();
        const log = saved.getByTestId("automation-log");
        await log.getByTestId("automation-log-summary").filter({ hasText: "Fired 1 time, 1 done." }).waitFor();
        const runs = log.getByTestId("automation-run");
        assert.equal(await runs.count(), 1);
        assert.match(await runs.first().textContent(), /u_new\s*joined\s*Done/);
        await saved.getByTestId("automation-last").filter({ hasText: /^Last fired .* \(1 in the log\)$/ }).waitFor();
      }
      const inbox = await asMember("u_new", "Ana New", "GET", "notifications");
      assert.equal(inbox.items.filter((n) => n.target.message === "Welcome!").length, 1, JSON.stringify(inbox));
      const ledger = await asMember("u_new", "Ana New", "GET", "me/points/ledger");
      const lines = ledger.entries.filter((e) => e.cause?.startsWith("auto:"));
      assert.deepEqual(lines.map((e) => e.delta), [10], JSON.stringify(ledger));
      const lin = await asMember("u_lin", "Lin Wei", "GET", "notifications");
      assert.equal(lin.items.filter((n) => n.target.message === "Welcome!").length, 0, "joined before: not reached");

      // Editing keeps it on and changes what it says.
      await message.getByRole("button", { name: "Edit Welcome message" }).click();
      await tab.getByTestId("automation-form").getByLabel("Message", { exact: true }).fill("Welcome to Auto Tea!");
      await tab.getByTestId("automation-form").getByRole("button", { name: "Save" }).click();
      await row(tab, "Welcome message").getByText(/send the message “Welcome to Auto Tea!”/).waitFor();
      await row(tab, "Welcome message").getByTestId("automation-state").filter({ hasText: "On" }).waitFor();

      // 中文.
      await tab.getByRole("button", { name: "中文" }).click();
      await tab.getByRole("heading", { name: "自动化", exact: true }).first().waitFor();
      await row(tab, "Welcome points").getByText(/成员加入时.*送 10 积分/).waitFor();
      await tab.getByRole("button", { name: "EN" }).click();
      assert.deepEqual(errors, []);
    });
  });

  test("deleting asks first", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      await tab.setViewportSize({ width: 1280, height: 900 });
      await signInToDashboard(tab, worker.origin, MIA, `#/c/${SLUG}/automations`);
      const points = row(tab, "Welcome points");
      await points.waitFor();
      await points.getByRole("button", { name: "Delete Welcome points" }).click();
      const confirm = points.getByRole("alertdialog");
      await confirm.getByRole("button", { name: "Keep it" }).click();
      assert.equal(await points.getByRole("alertdialog").count(), 0);
      await points.getByRole("button", { name: "Delete Welcome points" }).click();
      await points.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
      await tab.getByText("Automation deleted.").waitFor();
      await tab.getByTestId("automation-row").filter({ hasText: "Welcome message" }).waitFor();
      assert.equal(await tab.getByTestId("automation-row").count(), 1);
      const list = await (await staff.api(`${BASE}/automations`)).json();
      assert.deepEqual(list.items.map((a) => a.name), ["Welcome message"]);
      assert.deepEqual(errors, []);
    });
  });

  test("a moderator is told automations are for owners and admins", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      await tab.setViewportSize({ width: 1280, height: 900 });
      await signInToDashboard(tab, worker.origin, MO, `#/c/${SLUG}/automations`);
      await tab.getByTestId("automations-read-only").getByText("Only the community's owners and admins see and manage automations.").waitFor();
      assert.equal(await tab.getByRole("button", { name: "New automation" }).count(), 0);
      assert.deepEqual(errors, []);
    });
  });

  test("a failed load says so and retries", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      await tab.setViewportSize({ width: 1280, height: 900 });
      let failures = 0;
      await tab.route(
        (url) => url.pathname === `${BASE}/automations`,
        async (route) => {
          if (failures++ === 0) {
            await route.fulfill({
              status: 503,
              contentType: "application/json",
              body: JSON.stringify({ error: { code: "unavailable", message: "try again" } }),
            });
          } else {
            await route.continue();
          }
        },
      );
      await signInToDashboard(tab, worker.origin, MIA, `#/c/${SLUG}/automations`);
      await tab.getByTestId("automations-load-error").waitFor();
      await tab.getByRole("button", { name: "Retry" }).click();
      await row(tab, "Welcome message").waitFor();
      assert.equal(failures, 2);
      assert.deepEqual(errors, []);
    });
  });

  test("the section and its form fit a 360 px phone", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      await tab.setViewportSize({ width: 360, height: 740 });
      await signInToDashboard(tab, worker.origin, MIA, `#/c/${SLUG}/automations`);
      await row(tab, "Welcome message").getByRole("button", { name: /^Run log of / }).click();
      await row(tab, "Welcome message").getByTestId("automation-run").first().waitFor();
      assert.equal(await overflowsSideways(tab), false, "the list fits");
      await tab.getByRole("button", { name: "New automation" }).click();
      await tab.getByTestId("automation-form").getByLabel("Trigger").selectOption("inactive");
      await tab.getByTestId("automation-form").getByLabel("Days without activity").waitFor();
      assert.equal(await overflowsSideways(tab), false, "the form fits");
      assert.deepEqual(errors, []);
    });
  });
});
