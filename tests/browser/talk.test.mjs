// Talk in the widget on a brand's page (a second origin with hostile CSS), against the real
// worker: joining a screened community, threads, replies, reactions, answers, reports, the
// sign-in invitation for visitors, and page comments beside a check-in widget.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, withPage } from "../support/browser.mjs";
import { hostilePage, servePage } from "../support/page.mjs";
import { addSsoKey, signMemberToken } from "../support/sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "../support/worker.mjs";

const LOGIN_URL = "https://brand.example/login?next=community";
const WELCOME = "Welcome to the tea circle, pour yourself a cup!";
const QUESTION = "Which tea got you started?";

describe("talk in the widget", () => {
  let worker, browser, page, key;
  // What the brand's page holds for the next visit.
  let visit = { token: "", lang: "en", widgets: "" };

  const api = (method, path, { token = OPERATOR_TOKEN, body } = {}) =>
    worker.api(`/api/v1/communities/tea${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const ok = async (res, status = 200) => {
    assert.equal(res.status, status, await res.clone().text());
    return res.json();
  };
  // Talk reads as an anonymous visitor: a bearer there must be a member's token.
  const read = (path) => api("GET", path, { token: null });
  const member = (sub, name) => signMemberToken(key, { sub, name, aud: "tea" });

  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    page = await servePage(() => {
      const html = hostilePage({ edge: worker.origin, community: "tea", lang: visit.lang });
      const script = visit.widgets || `<script src="${worker.origin}/embed.js" data-community="tea" data-login-url="${LOGIN_URL}" async></script>`;
      return html
        .replace(/<script src=.*<\/script>/, script)
        .replace("<h1>", `<script>window.Quanzi = { token: ${JSON.stringify(visit.token)} };</script><h1>`);
    });
    await worker.putCommunity("tea", { name: "Tea", allowed_origins: [page.origin] });
    key = await addSsoKey(worker, "tea", OPERATOR_TOKEN);
    await ok(await api("POST", "/topics", { body: { id: "oolong", name: "Oolong", description: "Rolled leaves" } }), 201);
    await ok(await api("POST", "/topics", { body: { id: "green", name: "Green tea" } }), 201);
    await ok(
      await api("PUT", "/join", {
        body: { mode: "screening", rules: "Be kind.\nNo selling.", questions: [QUESTION], welcome: WELCOME },
      }),
    );
  });

  after(async () => {
    await browser?.close();
    await page?.close();
    await worker?.dispose();
  });

  test("a member joins a screened community, posts, reacts and replies", async (t) => {
    visit = { token: member("u_lin", "Lin"), lang: "en", widgets: "" };
    await withPage(browser, t, async (tab, errors) => {
      await tab.goto(page.origin);
      // Screening: the rules, the question, then a wait for review.
      await tab.getByTestId("join-panel").waitFor({ timeout: 20_000 });
      await tab.getByTestId("join-open").click();
      await tab.getByTestId("join-submit").click();
      await tab.getByText("Please accept the rules first.").waitFor();
      await tab.getByLabel("I have read and accept the rules").check();
      await tab.getByLabel(QUESTION).fill("A cup of Tieguanyin in Anxi");
      await tab.getByTestId("join-submit").click();
      await tab.getByTestId("join-pending").waitFor();
      assert.equal(await tab.getByTestId("thread-composer").count(), 0, "no composer while pending");

      const queue = await ok(await api("GET", "/applications"));
      assert.equal(queue.items[0].answers[0].answer, "A cup of Tieguanyin in Anxi");
      await ok(await api("POST", "/applications/u_lin/approve"));
      await tab.getByTestId("join-check-again").click();
      const welcome = tab.getByTestId("join-welcome");
      await welcome.waitFor();
      assert.match(await welcome.textContent(), /Welcome to the tea circle/);

      // A thread, previewed, then posted: it shows in the feed at once.
      await tab.getByTestId("feed-empty").waitFor();
      const composer = tab.getByTestId("thread-composer");
      await composer.getByLabel("Topic").selectOption("oolong");
      await composer.getByLabel("Title").fill("Best water temperature for oolong?");
      await composer.getByLabel("Body").fill("I brew at **95°C**. Too hot?\n\n- rinse first\n- short steeps");
      await composer.getByRole("button", { name: "Preview" }).click();
      assert.equal(await composer.getByTestId("preview").locator("strong").textContent(), "95°C");
      await composer.getByRole("button", { name: "Post" }).click();
      const card = tab.getByTestId("thread-card").filter({ hasText: "Best water temperature for oolong?" });
      await card.and(tab.locator('[aria-busy="false"]')).waitFor();
      await tab.getByTestId("talk-status").filter({ hasText: "Posted." }).waitFor();
      const feed = await ok(await read("/threads"));
      assert.deepEqual(feed.threads.map((th) => th.title), ["Best water temperature for oolong?"]);

      // Open it: the worker's sanitised HTML, a reaction, a reply.
      await tab.getByRole("button", { name: "Best water temperature for oolong?" }).click();
      const body = tab.getByTestId("thread-body");
      await body.waitFor();
      assert.equal(await body.locator("strong").textContent(), "95°C");
      assert.equal(await body.locator("li").count(), 2);
      await tab.getByRole("button", { name: "Like (0)" }).click();
      await tab.getByRole("button", { name: "Like (1)" }).and(tab.locator('[aria-pressed="true"][aria-busy="false"]')).waitFor();
      const id = feed.threads[0].id;
      assert.equal((await ok(await read(`/threads/${id}`))).thread.reactions.like, 1);

      await tab.getByLabel("Your reply").fill("95 is right for *rolled* leaves.");
      await tab.getByTestId("reply-submit").click();
      const reply = tab.getByTestId("reply").filter({ hasText: "95 is right for rolled leaves." });
      await reply.and(tab.locator('[aria-busy="false"]')).waitFor();
      assert.equal(await reply.locator("em").textContent(), "rolled");
      assert.equal(await tab.getByTestId("reply-count").textContent(), "1");
      const replies = await ok(await read(`/threads/${id}/replies`));
      assert.equal(replies.replies.length, 1);

      // Back in the feed the card counts the reply; a reload shows the same from the worker.
      await tab.getByTestId("thread-back").click();
      await card.filter({ hasText: "1 reply" }).waitFor();
      await tab.reload();
      await tab.getByTestId("thread-card").filter({ hasText: "1 reply" }).waitFor({ timeout: 20_000 });
      assert.equal(await tab.getByTestId("join-panel").count(), 0, "a member is not asked to join again");
      assert.deepEqual(errors, []);
    });
  });

  test("the asker accepts an answer and reports another reply", async (t) => {
    const lin = member("u_lin", "Lin");
    const mei = member("u_mei", "Mei");
    const question = await ok(
      await api("POST", "/threads", { token: lin, body: { topic: "green", kind: "question", title: "Is matcha green tea?", body: "Asking for a friend." } }),
      201,
    );
    const answer = await ok(await api("POST", `/threads/${question.id}/replies`, { token: mei, body: { body: "Yes, shade-grown and ground." } }), 201);
    await ok(await api("POST", `/threads/${question.id}/replies`, { token: mei, body: { body: "Buy my matcha at a discount!" } }), 201);
    visit = { token: lin, lang: "en", widgets: "" };
    await withPage(browser, t, async (tab, errors) => {
      await tab.goto(page.origin);
      await tab.getByTestId("tab-green").click();
      const card = tab.getByTestId("thread-card").filter({ hasText: "Is matcha green tea?" });
      await card.waitFor({ timeout: 20_000 });
      assert.match(await card.textContent(), /Question/);
      await tab.getByRole("button", { name: "Is matcha green tea?" }).click();

      const good = tab.getByTestId("reply").filter({ hasText: "shade-grown" });
      await good.getByTestId("accept-answer").click();
      await good.getByTestId("accepted-mark").waitFor();
      // Shown at once; wait until the worker has confirmed it before reading it back.
      await good.getByTestId("accept-answer").and(tab.locator('[aria-busy="false"][aria-pressed="true"]')).waitFor();
      assert.equal((await ok(await read(`/threads/${question.id}`))).thread.accepted_answer, answer.reply.id);

      const spam = tab.getByTestId("reply").filter({ hasText: "Buy my matcha" });
      await spam.getByTestId("report-button").click();
      await spam.getByLabel("Spam").check();
      await spam.getByTestId("report-submit").click();
      await spam.getByRole("button", { name: "Reported" }).waitFor();
      const queue = await ok(await api("GET", "/moderation/queue"));
      assert.equal(queue.items.length, 1, JSON.stringify(queue));
      assert.equal(queue.items[0].target.kind, "reply");
      assert.equal(queue.items[0].reasons.spam, 1);

      await tab.getByTestId("thread-back").click();
      await card.filter({ hasText: "Answered" }).waitFor();
      assert.deepEqual(errors, []);
    });
  });

  test("a member joins a topic from its tab, sees it joined after a reload, and leaves", async (t) => {
    const lin = member("u_lin", "Lin");
    const oolong = async () => (await ok(await api("GET", "/topics", { token: lin }))).topics.find((tp) => tp.id === "oolong");
    assert.equal((await oolong()).joined, false);
    visit = { token: lin, lang: "en", widgets: "" };
    await withPage(browser, t, async (tab, errors) => {
      await tab.goto(page.origin);
      await tab.getByTestId("tab-all").waitFor({ timeout: 20_000 });
      assert.equal(await tab.getByTestId("topic-bar").count(), 0, "no topic bar on the whole feed");
      await tab.getByTestId("tab-oolong").click();
      const bar = tab.getByTestId("topic-bar");
      const join = bar.getByTestId("topic-join");
      await join.and(tab.locator('[aria-pressed="false"]')).waitFor();
      assert.equal(await join.textContent(), "Join");
      assert.equal(await bar.getByTestId("topic-description").textContent(), "Rolled leaves");
      const before = (await oolong()).member_count;
      assert.equal(await bar.getByTestId("topic-members").textContent(), `${before} member${before === 1 ? "" : "s"}`);

      await join.click();
      // Shown at once, then confirmed by the worker.
      await join.and(tab.locator('[aria-pressed="true"][aria-busy="false"]')).waitFor();
      assert.equal(await join.textContent(), "Joined");
      const after = before + 1;
      assert.equal(await bar.getByTestId("topic-members").textContent(), `${after} member${after === 1 ? "" : "s"}`);
      assert.deepEqual(await oolong().then((tp) => [tp.joined, tp.member_count]), [true, after]);

      await tab.reload();
      await tab.getByTestId("tab-oolong").click({ timeout: 20_000 });
      await join.and(tab.locator('[aria-pressed="true"]')).waitFor();
      assert.equal(await join.textContent(), "Joined");
      // Another topic's tab shows its own state.
      await tab.getByTestId("tab-green").click();
      await join.and(tab.locator('[aria-pressed="false"]')).waitFor();
      await tab.getByTestId("tab-oolong").click();

      await join.and(tab.locator('[aria-pressed="true"]')).click();
      await join.and(tab.locator('[aria-pressed="false"][aria-busy="false"]')).waitFor();
      assert.deepEqual(await oolong().then((tp) => [tp.joined, tp.member_count]), [false, before]);
      assert.equal(await bar.getByTestId("topic-error").textContent(), "");
      assert.deepEqual(errors, []);
    });
  });

  test("visitors read everything and are offered the brand's sign-in", async (t) => {
    visit = { token: "", lang: "en", widgets: "" };
    await withPage(browser, t, async (tab, errors) => {
      await tab.goto(page.origin);
      const card = tab.getByTestId("thread-card").filter({ hasText: "Best water temperature for oolong?" });
      await card.waitFor({ timeout: 20_000 });
      assert.equal(await tab.getByTestId("join-panel").count(), 0);
      await tab.getByTestId("new-thread").click();
      const link = tab.getByTestId("talk-sign-in");
      assert.equal(await link.getAttribute("href"), LOGIN_URL);
      assert.equal(await tab.getByTestId("thread-composer").count(), 0);

      await tab.getByRole("button", { name: "Best water temperature for oolong?" }).click();
      await tab.getByTestId("thread-body").waitFor();
      assert.equal(await tab.getByTestId("reply").count(), 1, "replies are readable");
      assert.equal(await tab.getByTestId("reply-composer").count(), 0);
      assert.equal(await tab.getByTestId("talk-sign-in").getAttribute("href"), LOGIN_URL);
      assert.equal(await tab.getByTestId("report-button").count(), 0);

      // A topic's tab offers the sign-in instead of a Join button.
      await tab.getByTestId("thread-back").click();
      await tab.getByTestId("tab-oolong").click();
      assert.equal(await tab.getByTestId("topic-sign-in").getAttribute("href"), LOGIN_URL);
      assert.equal(await tab.getByTestId("topic-join").count(), 0);
      assert.deepEqual(errors, []);
    });
  });

  test("comments under a page work beside a check-in widget on the same page", async (t) => {
    const lin = member("u_lin", "林");
    const script = (extra) => `<script src="${worker.origin}/embed.js" data-community="tea" ${extra} async></script>`;
    visit = {
      token: lin,
      lang: "zh-CN",
      widgets: `${script('data-view="checkin"')}<article>春茶上市</article>${script('data-page="/articles/spring-tea?utm_source=wx"')}`,
    };
    await withPage(browser, t, async (tab, errors) => {
      await tab.goto(page.origin);
      const comments = tab.getByTestId("page-comments");
      await comments.getByTestId("replies-empty").waitFor({ timeout: 20_000 });
      assert.match(await comments.textContent(), /还没有评论/);
      assert.equal(await tab.locator("quanzi-widget").count(), 2);

      await comments.getByLabel("写下你的回复").fill("今年的**明前**龙井很香");
      await comments.getByTestId("reply-submit").click();
      const posted = comments.getByTestId("reply").filter({ hasText: "今年的明前龙井很香" });
      await posted.and(tab.locator('[aria-busy="false"]')).waitFor();
      assert.equal(await posted.locator("strong").textContent(), "明前");

      // The check-in widget beside it works on its own.
      await tab.getByTestId("checkin-button").click();
      await tab.getByTestId("checkin-result").filter({ hasText: "+5 积分" }).waitFor();

      const url = `${page.origin}/articles/spring-tea`;
      const stored = await ok(await worker.api(`/api/v1/communities/tea/pages/comments?url=${encodeURIComponent(url)}`));
      assert.equal(stored.replies.length, 1);
      assert.match(stored.replies[0].body_html, /<strong>明前<\/strong>/);

      // A reload reads the page's thread back.
      await tab.reload();
      await tab.getByTestId("page-comments").getByTestId("reply").filter({ hasText: "今年的明前龙井很香" }).waitFor({ timeout: 20_000 });
      assert.equal(await tab.getByTestId("page-comments").getByTestId("reply-count").textContent(), "1");
      assert.deepEqual(errors, []);
    });
  });
});
