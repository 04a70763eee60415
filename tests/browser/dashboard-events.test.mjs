// Running an event from the dashboard: publish it with a sign-up question, members join it
// through the member API (seats, then the waitlist), the organiser sees them with their
// answers, marks one present, exports the list, edits it (more seats promote the waitlist)
// and cancels it.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { codeOf } from "../support/community.mjs";
import { screenshot, signInToDashboard } from "../support/dashboard.mjs";
import { marketer } from "../support/marketer.mjs";
import { signMemberToken } from "../support/sso.mjs";
import { startWorker } from "../support/worker.mjs";

const SLUG = "event-tea";
const MINUTE = 60_000;

/** `instant` as a `datetime-local` value on Shanghai's clock (the community's zone). */
const shanghai = (instant) =>
  new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai", dateStyle: "short", timeStyle: "short" })
    .format(instant)
    .replace(" ", "T");
const MIA = { email: "mia@brand.example", password: "correct horse battery" };

describe("dashboard events", () => {
  let worker, browser, key;

  const token = (sub) => signMemberToken(key, { sub, name: `小${sub}`, aud: SLUG });
  const api = (method, path, { sub, body } = {}) =>
    worker.api(`/api/v1/communities/${SLUG}${path}`, {
      method,
      headers: {
        ...(sub ? { authorization: `Bearer ${token(sub)}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    const staff = await marketer(worker, { email: MIA.email, password: MIA.password });
    const created = await staff.api("/api/v1/communities", {
      method: "POST",
      body: JSON.stringify({ slug: SLUG, settings: { name: "Event Tea", time_zone: "Asia/Shanghai" } }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const keyRes = await staff.api(`/api/v1/communities/${SLUG}/sso-keys`, { method: "POST" });
    key = await keyRes.json();
  });

  after(async () => {
    await browser?.close();
    await worker?.dispose();
  });

  test("an event published in the dashboard is joined through the member API and run from the dashboard", async (t) => {
    await withPage(
      browser,
      t,
      async (tab, errors) => {
        await tab.setViewportSize({ width: 1280, height: 900 });
        await signInToDashboard(tab, worker.origin, MIA, `#/c/${SLUG}/events`);
        await tab.getByTestId("no-events").waitFor();
        await tab.getByRole("link", { name: "New event" }).click();

        await tab.getByLabel("Title").fill("新手品鉴会");
        await tab.getByLabel("Description").fill("Three teas, one evening.");
        // Half an hour from now (check-in opens an hour before the start), to the minute.
        const starts = Math.floor((Date.now() + 30 * MINUTE) / MINUTE) * MINUTE;
        await tab.getByLabel("Starts", { exact: true }).fill(shanghai(starts));
        await tab.getByLabel("Ends", { exact: true }).fill(shanghai(starts - 60 * MINUTE));
        await tab.getByLabel("Place").fill("Acme Tea Room, 1 Main Street");
        await tab.getByLabel("Capacity").fill("2");
        await tab.getByRole("button", { name: "Add a question" }).click();
        const question = tab.getByTestId("question-editor");
        await question.getByLabel("Question").fill("T-shirt size");
        await question.getByLabel("Answer").selectOption("one");
        await question.getByLabel("Options").fill("S, M, L");
        await question.getByLabel("Required").check();
        await tab.getByRole("button", { name: "Publish event" }).click();
        assert.equal(await tab.getByTestId("event-error").textContent(), "The event must end after it starts.");
        await tab.getByLabel("Ends", { exact: true }).fill(shanghai(starts + 120 * MINUTE));
        await tab.getByRole("button", { name: "Publish event" }).click();

        await tab.getByTestId("event-title").waitFor();
        assert.equal(await tab.getByTestId("event-title").textContent(), "新手品鉴会");
        await tab.getByTestId("no-attendees").waitFor();
        assert.match(await tab.getByTestId("attendance-code").textContent(), /^\S{4,}$/);
        const id = tab.url().match(/events\/([a-z0-9-]+)$/)[1];

        // Members find it and sign up through the member API: two seats, then the waitlist.
        const list = await (await api("GET", "/events")).json();
        const event = list.events.find((e) => e.id === id);
        assert.equal(event.title, "新手品鉴会");
        assert.equal(event.starts_at, starts, "read on Shanghai's clock");
        assert.deepEqual(event.questions.map((q) => q.prompt), ["T-shirt size"]);
        const missing = await api("POST", `/events/${id}/signup`, { sub: "lin", body: { answers: {} } });
        assert.equal(missing.status, 400, "the required question");
        const q = event.questions[0].id;
        for (const [sub, size] of [["lin", "M"], ["mei", "S"], ["tao", "L"]]) {
          const res = await api("POST", `/events/${id}/signup`, { sub, body: { answers: { [q]: size } } });
          assert.equal(res.status, 201, await res.clone().text());
        }

        await tab.reload();
        const rows = tab.getByTestId("attendee-row");
        await rows.nth(2).waitFor();
        assert.equal(await rows.count(), 3);
        assert.match(await rows.nth(0).textContent(), /小lin.*Confirmed.*M/);
        assert.match(await rows.nth(2).textContent(), /小tao.*Waitlist #1.*L/);
        assert.match(await tab.getByTestId("event-seats").textContent(), /2\/2 signed up, 1 waiting/);
        await screenshot(tab, "event-en");
        await tab.getByRole("button", { name: "中文" }).click();
        await tab.getByRole("heading", { name: "报名名单" }).waitFor();
        await screenshot(tab, "event-zh");
        await tab.getByRole("button", { name: "EN" }).click();

        await rows.nth(0).getByRole("button", { name: "Mark 小lin present" }).click();
        await tab.getByText("lin is marked present.").waitFor();
        await rows.nth(0).getByText("Checked in").waitFor();

        // The export is the list as a spreadsheet.
        const download = tab.waitForEvent("download");
        await tab.getByTestId("export-csv").click();
        const file = await download;
        assert.equal(file.suggestedFilename(), `event-${id}-attendees.csv`);
        const csv = await readFile(await file.path(), "utf8");
        const lines = csv.replace(/^\ufeff/, "").trim().split(/\r?\n/);
        assert.match(lines[0], /^member,name,status,waitlist_position,attended,.*T-shirt size$/);
        assert.match(lines[1], /^lin,小lin,confirmed,,yes,.*,M$/);
        assert.match(lines[3], /^tao,小tao,waitlisted,1,no,.*,L$/);

        // More seats promote the waitlist; the new title shows.
        await tab.getByRole("link", { name: "Edit" }).click();
        await tab.getByLabel("Title").fill("新手品鉴会（加场）");
        await tab.getByLabel("Capacity").fill("3");
        await tab.getByRole("button", { name: "Save changes" }).click();
        await tab.getByTestId("event-title").filter({ hasText: "加场" }).waitFor();
        assert.match(await tab.getByTestId("event-seats").textContent(), /3\/3 signed up/);
        const tao = await (await api("GET", `/events/${id}`, { sub: "tao" })).json();
        assert.deepEqual(tao.my_ticket, { status: "confirmed", attended: false });

        // Cancelling tells members and closes sign-up.
        await tab.getByRole("button", { name: "Cancel event" }).click();
        await tab.getByTestId("cancel-form").getByLabel(/Reason/).fill("The room is flooded");
        await tab.getByTestId("cancel-form").getByRole("button", { name: "Cancel event" }).click();
        await tab.getByText("The event is cancelled; everyone signed up was told.").waitFor();
        const closed = await api("POST", `/events/${id}/signup`, { sub: "wu", body: { answers: { [q]: "S" } } });
        assert.equal(closed.status, 409);
        assert.equal(await codeOf(closed), "event_closed");

        await tab.getByRole("link", { name: "Events" }).first().click();
        const row = tab.getByTestId("event-row").filter({ hasText: "加场" });
        await row.waitFor();
        assert.match(await row.textContent(), /Cancelled/);
        assert.deepEqual(errors, []);
      },
      { acceptDownloads: true },
    );
  });
});
