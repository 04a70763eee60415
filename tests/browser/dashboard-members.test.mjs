// The dashboard's members section in a real browser: a marketer finds a member by search,
// adjusts their points with a reason and sees the ledger line in the timeline, grants a
// badge, tags and untags them; the form explains bad filters; it fits a 360 px phone.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { overflowsSideways, screenshot, signInToDashboard } from "../support/dashboard.mjs";
import { marketer } from "../support/marketer.mjs";
import { signMemberToken } from "../support/sso.mjs";
import { startWorker } from "../support/worker.mjs";

const SLUG = "members-tea";
const MIA = { email: "mia@brand.example", password: "correct horse battery" };
const BASE = `/api/v1/communities/${SLUG}`;

describe("dashboard members", () => {
  let worker, browser, staff, key;

  const directory = async (query = "") => {
    const res = await staff.api(`${BASE}/members${query}`);
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()).items.map((m) => m.member);
  };
  const rowCount = (tab, n) =>
    tab.waitForFunction((n) => document.querySelectorAll('[data-testid="member-row"]').length === n, n);

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    staff = await marketer(worker, { email: MIA.email, password: MIA.password });
    const created = await staff.api("/api/v1/communities", {
      method: "POST",
      body: JSON.stringify({ slug: SLUG, settings: { name: "Members Tea", locale: "en" } }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const keyRes = await staff.api(`${BASE}/sso-keys`, { method: "POST" });
    assert.equal(keyRes.status, 201, await keyRes.clone().text());
    key = await keyRes.json();
    for (const [sub, name, tags] of [
      ["u1", "Lin Wei", ["vip"]],
      ["u2", "Mia Chen", []],
      ["u3", "Bo", ["runner"]],
    ]) {
      const res = await worker.api(`${BASE}/checkins`, {
        method: "POST",
        headers: { authorization: `Bearer ${signMemberToken(key, { sub, name, aud: SLUG, tags })}` },
      });
      assert.equal(res.status, 200, await res.clone().text());
    }
  });

  after(async () => {
    await browser?.close();
    await worker?.dispose();
  });

  test("a marketer finds a member, adjusts points with a reason, grants a badge, tags and untags", async (t) => {
    const before = (await (await staff.api(`${BASE}/members/u2`)).json()).balance.balance;
    await withPage(browser, t, async (tab, errors) => {
      await tab.setViewportSize({ width: 1280, height: 900 });
      await signInToDashboard(tab, worker.origin, MIA, `#/c/${SLUG}/members`);
      await rowCount(tab, 3);

      // Search from the keyboard.
      await tab.getByLabel("Name or member id").fill("chen");
      await tab.getByLabel("Name or member id").press("Enter");
      await rowCount(tab, 1);
      const open = tab.getByRole("button", { name: "Open Mia Chen" });
      await open.focus();
      await tab.keyboard.press("Enter");
      const panel = tab.getByTestId("member-panel");
      await panel.getByTestId("member-name").filter({ hasText: "Mia Chen" }).waitFor();
      assert.equal(
        await tab.evaluate(() => document.activeElement?.dataset?.testid),
        "member-name",
        "the panel takes the focus",
      );

      // Points with a reason: the ledger line leads the timeline.
      await panel.getByLabel("Points to add (negative takes away)").fill("25");
      await panel.getByLabel("Reason (shown in the ledger)").fill("helped at the tasting");
      await panel.getByRole("button", { name: "Adjust", exact: true }).click();
      await panel.getByText(`Points adjusted by +25; the balance is ${before + 25}.`).waitFor();
      const newest = panel.getByTestId("timeline").locator("li").first();
      await newest.filter({ hasText: "helped at the tasting" }).waitFor();
      assert.match(await newest.textContent(), /\+25/);
      assert.equal(await panel.getByTestId("member-balance").textContent(), String(before + 25));

      // A badge from the catalogue.
      await panel.getByLabel("Badge to grant").selectOption("vip");
      await panel.getByRole("button", { name: "Grant", exact: true }).click();
      await panel.getByTestId("member-badges").getByText("VIP").waitFor();
      await panel.getByTestId("timeline").getByText("Was granted the badge VIP").waitFor();

      // A staff tag, seen by the directory, then taken off.
      await panel.getByLabel("New tag").fill("Ambassador");
      await panel.getByRole("button", { name: "Add tag" }).click();
      await panel.getByTestId("staff-tags").getByText("ambassador").waitFor();
      assert.deepEqual(await directory("?tag=ambassador"), ["u2"]);
      await tab.getByTestId("member-row").filter({ hasText: "ambassador" }).waitFor();
      await screenshot(tab, "members-en");
      await panel.getByRole("button", { name: "Remove tag ambassador" }).click();
      await panel.getByText("Took the tag ambassador off.").waitFor();
      // The panel reloads after the change: wait for the chip to go.
      await tab.waitForFunction(() => document.querySelectorAll('[data-testid="staff-tags"] li').length === 0);
      assert.deepEqual(await directory("?tag=ambassador"), []);
      assert.deepEqual(errors, []);
    });

    const page = await (await staff.api(`${BASE}/members/u2`)).json();
    assert.equal(page.balance.balance, before + 25);
    assert.deepEqual(page.badges.map((b) => b.id), ["vip"]);
    assert.deepEqual(page.summary.staff_tags, []);
  });

  test("filters narrow the list, and a bad filter is explained without a request", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      await tab.setViewportSize({ width: 1280, height: 900 });
      await signInToDashboard(tab, worker.origin, MIA, `#/c/${SLUG}/members`);
      await rowCount(tab, 3);
      await tab.getByLabel("Tag", { exact: true }).fill("runner");
      await tab.getByRole("button", { name: "Search", exact: true }).click();
      await rowCount(tab, 1);
      await tab.getByRole("button", { name: "Open Bo" }).waitFor();

      let requests = 0;
      tab.on("request", (r) => {
        if (r.url().includes("/members?")) requests += 1;
      });
      await tab.getByLabel("Earned at least").fill("10");
      await tab.getByLabel("Earned at most").fill("5");
      await tab.getByRole("button", { name: "Search", exact: true }).click();
      await tab.getByTestId("members-form-error").filter({ hasText: "“At least” must not be above “at most”." }).waitFor();
      assert.equal(requests, 0, "the form refuses before asking");

      await tab.getByRole("button", { name: "Clear filters" }).click();
      await rowCount(tab, 3);
      await tab.getByLabel("Name or member id").fill("nobody");
      await tab.getByLabel("Name or member id").press("Enter");
      await tab.getByTestId("no-members").waitFor();
      assert.deepEqual(errors, []);
    });
  });

  test("the section fits a 360 px phone", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      await tab.setViewportSize({ width: 360, height: 740 });
      await signInToDashboard(tab, worker.origin, MIA, `#/c/${SLUG}/members`);
      await rowCount(tab, 3);
      await tab.getByRole("button", { name: "Open Lin Wei" }).click();
      await tab.getByTestId("member-panel").getByTestId("member-name").filter({ hasText: "Lin Wei" }).waitFor();
      await tab.getByTestId("member-panel").getByTestId("timeline").waitFor();
      assert.equal(await overflowsSideways(tab), false, "nothing sticks out at 360 px");
      assert.deepEqual(errors, []);
    });
  });
});
