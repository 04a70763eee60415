// The widget on a 320 px wide phone: every view fits the width, nothing spills sideways
// out of the shadow root or makes the brand's page scroll sideways.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { hostilePage, servePage } from "../support/page.mjs";
import { addSsoKey, signMemberToken } from "../support/sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

const MINUTE = 60_000;
const LONG_TITLE = "Which oolong should a beginner start with, Tieguanyin, Da Hong Pao or Dong Ding?";
// One word with no place to break (a link would hold a new member's post for review).
const LONG_WORD = "Tieguanyin".repeat(9);

/**
 * What inside the widget's shadow root reaches past the widget's sides (except inside a
 * scrolling or clipping box, such as the tab strip), and whether the page scrolls sideways.
 */
const spills = () => {
  const host = document.querySelector("quanzi-widget");
  const box = host.getBoundingClientRect();
  const clipped = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") return true;
    }
    return false;
  };
  const out = [];
  for (const el of host.shadowRoot.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if ((r.right > box.right + 1 || r.left < box.left - 1) && !clipped(el)) {
      out.push(`${el.localName}.${el.className} [${Math.round(r.left)}, ${Math.round(r.right)}] in [${Math.round(box.left)}, ${Math.round(box.right)}]`);
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) {
    out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
  }
  return out;
};

describe("the widget at 320 px", () => {
  let worker, browser, page, lin;

  const as = (token, path, method = "GET", body) =>
    worker.api(`/api/v1/communities/tea/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body && JSON.stringify(body),
    });
  const ok = async (res, status) => {
    assert.equal(res.status, status, await res.clone().text());
    return res.json();
  };

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    page = await servePage(() => {
      const html = hostilePage({ edge: worker.origin, community: "tea" });
      return html.replace("<script src", `<script>window.Quanzi = { token: ${JSON.stringify(lin)} };</script><script src`);
    });
    await worker.putCommunity("tea", { name: "Tea lovers of the Yangtze delta 长三角茶友会", time_zone: "Asia/Shanghai", allowed_origins: [page.origin] });
    const key = await addSsoKey(worker, "tea", OPERATOR_TOKEN);
    lin = signMemberToken(key, { sub: "u_lin_with_a_rather_long_member_id", name: "Lin", aud: "tea" });
    await ok(await as(OPERATOR_TOKEN, "topics", "POST", { id: "oolong", name: "Oolong and other rolled teas" }), 201);
    await ok(await as(OPERATOR_TOKEN, "topics", "POST", { id: "green", name: "Green tea" }), 201);
    await ok(
      await as(lin, "threads", "POST", {
        topic: "oolong",
        kind: "question",
        title: LONG_TITLE,
        body: `See ${LONG_WORD}\n\n\`${"x".repeat(80)}\`\n\n> a quote with ${LONG_WORD}`,
      }),
      201,
    );
    await ok(await as(lin, "checkins", "POST"), 200);
    await ok(
      await as(OPERATOR_TOKEN, "events", "POST", {
        title: "Spring tea tasting with the masters of Wuyi mountain 武夷山春茶品鉴会",
        description: `Five first-flush teas. ${LONG_WORD} https://brand.example/a/very/long/link/that/never/breaks/by/itself`,
        venue: { kind: "offline", place: "Shanghai, Wukang Road 1, the tea house on the second floor" },
        starts_at: Date.now() + 30 * MINUTE,
        ends_at: Date.now() + 150 * MINUTE,
        capacity: 12,
      }),
      201,
    );
    await ok(await as(OPERATOR_TOKEN, "rewards", "POST", { id: "tea-sample", name: "Tea sample box with six first-flush teas 茶样礼盒", cost: 5, stock: 3 }), 201);
  });

  after(async () => {
    await browser?.close();
    await page?.close();
    await worker?.dispose();
  });

  test("home, a thread, events, an event, ranks, rewards and the profile fit the width", async (t) => {
    await withPage(
      browser,
      t,
      async (tab, errors) => {
        await tab.goto(page.origin);
        const fits = async (where) => assert.deepEqual(await tab.evaluate(spills), [], `${where} spills sideways`);

        await tab.getByTestId("thread-card").filter({ hasText: LONG_TITLE }).waitFor({ timeout: 20_000 });
        await tab.getByTestId("checkin-card").waitFor();
        await fits("home");
        await tab.getByTestId("tab-oolong").click();
        await tab.getByTestId("topic-bar").waitFor();
        await fits("a topic");

        await tab.getByRole("button", { name: LONG_TITLE }).click();
        await tab.getByTestId("thread-body").waitFor();
        await tab.getByTestId("replies-empty").or(tab.getByTestId("reply-composer")).first().waitFor();
        await fits("a thread");
        await tab.getByTestId("thread-back").click();

        await tab.getByRole("tab", { name: "Events", exact: true }).click();
        await tab.getByTestId("event-card").first().waitFor();
        await fits("events");
        await tab.getByTestId("event-card").first().getByRole("button").click();
        await tab.getByTestId("event-title").waitFor();
        await fits("an event");

        await tab.getByRole("tab", { name: "Ranks", exact: true }).click();
        await tab.getByTestId("board-row").first().waitFor();
        await fits("ranks");

        await tab.getByRole("tab", { name: "Rewards", exact: true }).click();
        await tab.getByTestId("reward").first().waitFor();
        await fits("rewards");
        await tab.getByTestId("reward").first().getByRole("button", { name: "Redeem" }).click();
        await tab.getByTestId("redeem-confirm").waitFor();
        await fits("a redemption being confirmed");

        await tab.getByRole("tab", { name: "Me", exact: true }).click();
        await tab.getByTestId("points-balance").waitFor();
        await tab.getByTestId("ledger-entry").first().waitFor();
        await fits("the profile");

        await tab.getByTestId("bell").click();
        await tab.getByTestId("notifications").waitFor();
        await fits("the notifications");
        assert.deepEqual(errors, []);
      },
      { viewport: { width: 320, height: 640 } },
    );
  });

  test("the check finds a box that spills", async (t) => {
    // The same check must fail on a widget that is too wide, or it proves nothing.
    await withPage(
      browser,
      t,
      async (tab) => {
        await tab.goto(page.origin);
        // The member's own card: the app has taken over from the first view.
        await tab.getByTestId("checkin-button").waitFor({ timeout: 20_000 });
        await tab.evaluate(() => {
          const card = document.querySelector("quanzi-widget").shadowRoot.querySelector('[data-testid="checkin-card"]');
          card.style.minWidth = "400px";
        });
        assert.notDeepEqual(await tab.evaluate(spills), []);
      },
      { viewport: { width: 320, height: 640 } },
    );
  });
});
