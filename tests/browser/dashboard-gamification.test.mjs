// Gamification, topics, webhooks and the posting rule from the dashboard, checked against
// the member API: a new check-in reward and level threshold apply to the next check-in; a
// reward with stock 1 is offered; a topic is created and a thread pinned; a webhook's secret
// is shown once and the webhook deleted; posting is switched to verified phones only.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { codeOf } from "../support/community.mjs";
import { screenshot, signInToDashboard } from "../support/dashboard.mjs";
import { marketer } from "../support/marketer.mjs";
import { signMemberToken } from "../support/sso.mjs";
import { startWorker } from "../support/worker.mjs";

const SLUG = "game-tea";
const MIA = { email: "mia@brand.example", password: "correct horse battery" };

describe("dashboard gamification, topics and webhooks", () => {
  let worker, browser, staff, key;

  const token = (sub, claims = {}) => signMemberToken(key, { sub, name: `Member ${sub}`, aud: SLUG, ...claims });
  const api = (method, path, { sub, claims, body } = {}) =>
    worker.api(`/api/v1/communities/${SLUG}${path}`, {
      method,
      headers: {
        ...(sub ? { authorization: `Bearer ${token(sub, claims)}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const json = async (res, status) => {
    assert.equal(res.status, status, await res.clone().text());
    return res.json();
  };
  const open = async (tab, hash) => {
    await tab.setViewportSize({ width: 1280, height: 900 });
    await signInToDashboard(tab, worker.origin, MIA, hash);
  };

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    staff = await marketer(worker, { email: MIA.email, password: MIA.password });
    await json(
      await staff.api("/api/v1/communities", {
        method: "POST",
        body: JSON.stringify({ slug: SLUG, settings: { name: "Game Tea", locale: "en" } }),
      }),
      201,
    );
    key = await json(await staff.api(`/api/v1/communities/${SLUG}/sso-keys`, { method: "POST" }), 201);
    await json(
      await staff.api(`/api/v1/communities/${SLUG}/topics`, {
        method: "POST",
        body: JSON.stringify({ id: "general", name: "General" }),
      }),
      201,
    );
  });

  after(async () => {
    await browser?.close();
    await worker?.dispose();
  });

  test("a new check-in reward and level threshold apply to the member's next check-in", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      await open(tab, `#/c/${SLUG}/gamification/points`);
      const points = tab.getByLabel("Daily check-in: Points", { exact: true });
      await points.waitFor();
      assert.equal(await points.inputValue(), "5", "the saved rule is loaded");
      // A bad cap is refused before anything is sent, naming the row.
      await tab.getByLabel("Posting a thread: Daily cap").fill("0");
      await tab.getByRole("button", { name: "Save changes" }).click();
      await tab.getByText("Posting a thread: A daily cap is a whole number from 1 to 1,000,000, or empty.").waitFor();
      await tab.getByLabel("Posting a thread: Daily cap").fill("50");
      await points.fill("40");
      await tab.getByRole("button", { name: "Save changes" }).click();
      await tab.getByText("Points and check-in rules saved; they apply from now on.").waitFor();
      await screenshot(tab, "gamification-points-en");

      await tab.getByRole("link", { name: "Levels" }).click();
      const threshold = tab.getByLabel("Level 2: Threshold (points earned)");
      await threshold.waitFor();
      await threshold.fill("0");
      await tab.getByRole("button", { name: "Save changes" }).click();
      await tab.getByText("Level 2: Each level needs more points than the one before.").waitFor();
      await threshold.fill("30");
      await tab.getByLabel("Level 2: Perks (one per line)").fill("A tasting cup\nEarly sign-up");
      await tab.getByRole("button", { name: "Save changes" }).click();
      await tab.getByText("Levels saved.").waitFor();
      // The same screen in Chinese.
      await tab.getByRole("button", { name: "中文" }).click();
      await tab.getByRole("link", { name: "积分兑换" }).waitFor();
      await tab.getByLabel("等级 2：门槛（累计积分）").waitFor();
      await screenshot(tab, "gamification-levels-zh");
      await tab.getByRole("button", { name: "EN" }).click();
      assert.deepEqual(errors, []);
    });

    const rules = await json(await api("GET", "/points/rules"), 200);
    assert.equal(rules.points.check_in.points, 40);
    assert.equal(rules.points.post.daily_cap, 50, "the cap as corrected");
    assert.equal(rules.points.reply.daily_cap, 50, "untouched rows stay as saved");
    const checkin = await json(await api("POST", "/checkins", { sub: "ann" }), 200);
    assert.deepEqual(
      checkin.awarded.map((e) => e.delta),
      [40],
    );
    const mine = await json(await api("GET", "/me/points", { sub: "ann" }), 200);
    assert.equal(mine.balance.balance, 40);
    assert.equal(mine.level.level, 2);
    assert.equal(mine.level.threshold, 30);
    assert.deepEqual(mine.level.perks, ["A tasting cup", "Early sign-up"]);
  });

  test("a reward with stock 1 is created and offered to members", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      await open(tab, `#/c/${SLUG}/gamification/rewards`);
      await tab.getByTestId("no-rewards").waitFor();
      await tab.getByLabel("Reward id").fill("Tea Tin");
      await tab.getByLabel("Name").fill("Tea tin");
      await tab.getByLabel("Cost (points)").fill("25");
      await tab.getByLabel("Stock").fill("1");
      await tab.getByRole("button", { name: "Create reward" }).click();
      await tab.getByText("A reward id is 1–40 lowercase letters, digits, - or _.").waitFor();
      await tab.getByLabel("Reward id").fill("tea-tin");
      await tab.getByRole("button", { name: "Create reward" }).click();
      await tab.getByText("Reward created; members can redeem it now.").waitFor();
      const row = tab.getByTestId("reward-row").filter({ hasText: "Tea tin" });
      await row.waitFor();
      assert.match(await row.textContent(), /25.*1.*Offered/);
      // The same id again: the API's conflict, said in words.
      await tab.getByLabel("Reward id").fill("tea-tin");
      await tab.getByLabel("Name").fill("Another tin");
      await tab.getByLabel("Cost (points)").fill("5");
      await tab.getByRole("button", { name: "Create reward" }).click();
      await tab.getByText(/That clashes with what is there: there is already a reward `tea-tin`/).waitFor();
      assert.deepEqual(errors, []);
    });

    const offered = await json(await api("GET", "/rewards", { sub: "bob" }), 200);
    const tin = offered.rewards.find((r) => r.id === "tea-tin");
    assert.ok(tin, JSON.stringify(offered));
    assert.equal(tin.name, "Tea tin");
    assert.equal(tin.cost, 25);
    assert.equal(tin.stock, 1);
    assert.equal(tin.available, true);
  });

  test("a topic is created and edited, and a thread pinned from the list", async (t) => {
    const thread = await json(
      await api("POST", "/threads", { sub: "cat", claims: { phone_verified: true }, body: { topic: "general", title: "Best oolong this spring?", body: "Tell me" } }),
      201,
    );
    await withPage(browser, t, async (tab, errors) => {
      await open(tab, `#/c/${SLUG}/topics`);
      await tab.getByLabel("Topic id (optional)").fill("oolong");
      await tab.getByLabel("Name").fill("Oolong lovers");
      await tab.getByLabel("Brand tags that join members automatically (comma-separated)").fill("gold, vip");
      await tab.getByRole("button", { name: "Create topic" }).click();
      await tab.getByText("Topic created.").waitFor();
      await tab.getByTestId("topic-row").filter({ hasText: "Oolong lovers" }).waitFor();

      await tab.getByRole("button", { name: "Edit Oolong lovers" }).click();
      assert.equal(await tab.getByLabel("Brand tags that join members automatically (comma-separated)").inputValue(), "gold, vip");
      await tab.getByLabel("Name").fill("Oolong club");
      await tab.getByRole("button", { name: "Save changes" }).click();
      await tab.getByText("Topic saved.").waitFor();
      await tab.getByTestId("topic-row").filter({ hasText: "Oolong club" }).waitFor();

      const row = tab.getByTestId("thread-row").filter({ hasText: "Best oolong this spring?" });
      await row.waitFor();
      assert.equal(await row.getAttribute("data-pinned"), "false");
      await tab.getByRole("button", { name: "Pin: Best oolong this spring?" }).click();
      await tab.locator('[data-testid="thread-row"][data-pinned="true"]').waitFor();
      await tab.getByRole("button", { name: "Feature: Best oolong this spring?" }).click();
      await tab.locator('[data-testid="thread-row"][data-featured="true"]').waitFor();
      await screenshot(tab, "topics-en");
      assert.deepEqual(errors, []);
    });

    const topics = await json(await api("GET", "/topics"), 200);
    const oolong = topics.topics.find((x) => x.id === "oolong");
    assert.equal(oolong.name, "Oolong club");
    assert.deepEqual(oolong.auto_join_tags, ["gold", "vip"], "editing kept the tags");
    const feed = await json(await api("GET", "/threads"), 200);
    const card = feed.threads.find((x) => x.id === thread.id);
    assert.equal(card.pinned, true);
    assert.equal(card.featured, true);
    const featured = await json(await api("GET", "/threads?feed=featured"), 200);
    assert.deepEqual(featured.threads.map((x) => x.id), [thread.id]);
  });

  test("a webhook's secret is shown once, its log is empty, and it is deleted after a confirmation", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      await open(tab, `#/c/${SLUG}/webhooks`);
      await tab.getByTestId("no-webhooks").waitFor();
      const url = tab.getByLabel("Receiver URL");
      await url.fill("ftp://hooks.brand.example");
      await tab.getByRole("button", { name: "Add a webhook" }).click();
      await tab.getByText("Enter an address starting with https://.").waitFor();
      // The API's own refusal (a private host), in words.
      await url.fill("https://10.0.0.8/quanzi");
      await tab.getByRole("button", { name: "Add a webhook" }).click();
      await tab.getByText(/Something in the form is not right: .*private or reserved address/).waitFor();
      await url.fill("https://hooks.brand.example/quanzi");
      await tab.getByLabel("member.level_up").uncheck();
      await tab.getByRole("button", { name: "Add a webhook" }).click();
      const secret = tab.getByTestId("webhook-secret-value");
      await secret.waitFor();
      const shown = (await secret.textContent()).trim();
      assert.match(shown, /^[0-9a-f]{64}$/);
      await tab.getByTestId("copy-webhook-secret").waitFor();
      await tab.getByTestId("webhook-row").filter({ hasText: "https://hooks.brand.example/quanzi" }).waitFor();

      // Once: hidden when dismissed, and nowhere after a reload.
      await tab.getByRole("button", { name: "I saved it: hide the secret" }).click();
      await secret.waitFor({ state: "detached" });
      await tab.reload();
      const row = tab.getByTestId("webhook-row").filter({ hasText: "https://hooks.brand.example/quanzi" });
      await row.waitFor();
      assert.ok(!(await tab.content()).includes(shown), "the secret is not shown again");
      assert.doesNotMatch(await row.textContent(), /member\.level_up/);

      await row.getByRole("button", { name: "Delivery log of https://hooks.brand.example/quanzi" }).click();
      await row.getByTestId("webhook-log-empty").waitFor();

      await row.getByRole("button", { name: "Delete the webhook to https://hooks.brand.example/quanzi" }).click();
      await row.getByText("Delete this webhook? Its delivery log and queued events go with it.").waitFor();
      await row.getByRole("button", { name: "Keep it" }).click();
      await row.getByTestId("webhook-confirm").waitFor({ state: "detached" });
      await row.getByRole("button", { name: "Delete the webhook to https://hooks.brand.example/quanzi" }).click();
      await row.getByTestId("webhook-confirm").getByRole("button", { name: "Delete" }).click();
      await tab.getByText("Webhook deleted.").waitFor();
      await tab.getByTestId("no-webhooks").waitFor();
      assert.deepEqual(errors, []);
    });

    const list = await json(await staff.api(`/api/v1/communities/${SLUG}/webhooks`), 200);
    assert.deepEqual(list.webhooks, []);
  });

  test("posting is switched to verified phones only in the joining step", async (t) => {
    await withPage(browser, t, async (tab, errors) => {
      await open(tab, `#/c/${SLUG}/setup/joining`);
      const rule = tab.getByLabel(/Posting needs a verified phone/);
      await rule.waitFor();
      assert.equal(await rule.isChecked(), false);
      await rule.check();
      await tab.getByRole("button", { name: "Save and continue" }).click();
      await tab.waitForURL(/#\/c\/game-tea\/setup\/origins$/);
      assert.deepEqual(errors, []);
    });

    const view = await json(await api("GET", ""), 200);
    assert.equal(view.posting_requires_phone_verified, true);
    const refused = await api("POST", "/threads", { sub: "dan", body: { topic: "general", title: "Hi", body: "Hello" } });
    assert.equal(refused.status, 403, await refused.clone().text());
    assert.equal(await codeOf(refused), "phone_verification_required");
    const verified = await api("POST", "/threads", {
      sub: "dan",
      claims: { phone_verified: true },
      body: { topic: "general", title: "Hi", body: "Hello" },
    });
    assert.equal(verified.status, 201, await verified.clone().text());
  });
});
