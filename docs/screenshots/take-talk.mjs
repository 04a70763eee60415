// Takes the README's screenshots of talk in the widget: a thread (en), the feed on a phone
// (zh-CN, dark), joining with screening (zh-CN) and the comments under a page. Run after
// `cargo xtask build`:  CHROMIUM=/usr/bin/chromium node docs/screenshots/take-talk.mjs
// It starts the real worker with fresh state, seeds a community through the API (the
// operator, members' tokens) and shoots a brand page on a second origin. Reactions are
// emoji: install an emoji font (Debian: fonts-noto-color-emoji) for them to show.
import { launchBrowser } from "../../tests/support/browser.mjs";
import { servePage } from "../../tests/support/page.mjs";
import { addSsoKey, signMemberToken } from "../../tests/support/sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "../../tests/support/worker.mjs";

const out = process.argv[2] || "docs/screenshots";
const worker = await startWorker();
let visit = { token: "", lang: "en", body: "" };
const page = await servePage(() => `<!doctype html><html lang="${visit.lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{margin:0;padding:16px;background:${visit.dark ? "#0d0f12" : "#f6f3ee"};font-family:Georgia,serif}</style>
<script>window.Quanzi = { token: ${JSON.stringify(visit.token)} };</script></head><body>${visit.body}</body></html>`);
const api = async (method, path, body, token = OPERATOR_TOKEN) => {
  const res = await worker.api(`/api/v1/communities/${visit.slug || "tea"}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
};
await worker.putCommunity("tea", {
  name: "Acme Tea Circle", slogan: "A cup a day, together", allowed_origins: [page.origin],
  theme: { accent: "#b4532a", radius: 12, scheme: "light" },
});
const key = await addSsoKey(worker, "tea", OPERATOR_TOKEN);
const tok = (sub, name) => signMemberToken(key, { sub, name, aud: "tea" });
const lin = tok("lin", "Lin"), mei = tok("mei.chen", "Mei Chen"), ao = tok("ao", "Ao");
await api("POST", "/topics", { id: "oolong", name: "Oolong" });
await api("POST", "/topics", { id: "green", name: "Green tea" });
await api("POST", "/topics", { id: "teaware", name: "Teaware" });
const t1 = await api("POST", "/threads", { topic: "oolong", title: "Welcome! Read this before your first post", body: "Share what you brew, ask anything, be kind." }, mei);
await api("PUT", `/threads/${t1.id}/flags`, { pinned: true });
const q = await api("POST", "/threads", { topic: "oolong", kind: "question", title: "What water temperature for Tieguanyin?", body: "I brew at **95°C** with a 10-second rinse.\n\n- 7 g in a 110 ml gaiwan\n- first steep 20 s\n\nIs that too hot for the *greener* style?" }, lin);
const a = await api("POST", `/threads/${q.id}/replies`, { body: "For the green style try **85–90°C**; keep 95°C for roasted ones." }, mei);
await api("POST", `/threads/${q.id}/replies`, { body: "Agree, and shorten the first steep to 10 s.", in_reply_to: a.reply.id }, ao);
await api("POST", `/threads/${q.id}/replies`, { body: "Thanks both! 88°C was lovely this morning." }, lin);
await api("PUT", `/threads/${q.id}/answer`, { reply: a.reply.id }, lin);
await api("POST", `/threads/${q.id}/reactions`, { kind: "like" }, mei);
await api("POST", `/threads/${q.id}/reactions`, { kind: "like" }, ao);
await api("POST", `/threads/${q.id}/reactions`, { kind: "heart" }, ao);
await api("POST", `/threads/${q.id}/replies/${a.reply.id}/reactions`, { kind: "thanks" }, lin);
await api("POST", "/threads", { topic: "teaware", title: "My first yixing pot — seasoning tips?", body: "Just arrived!" }, ao);
await api("POST", "/threads", { topic: "green", title: "明前龙井到了，大家怎么泡？", body: "玻璃杯还是盖碗？" }, mei);

const browser = await launchBrowser();
const script = (extra = "") => `<script src="${worker.origin}/embed.js" data-community="tea" data-login-url="https://brand.example/login" ${extra} async></script>`;
async function shot(name, { width = 760, height = 900, setup, prepare, part }) {
  setup();
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 2, colorScheme: visit.dark ? "dark" : "light" });
  const tab = await context.newPage();
  tab.on("pageerror", (e) => console.error("pageerror", e));
  await tab.goto(page.origin);
  await tab.getByTestId("quanzi-widget").first().waitFor({ timeout: 20000 });
  // Signed in, the app replaces the worker's first view once the member's parts are in.
  await tab.waitForFunction(() => ![...document.querySelectorAll("quanzi-widget")].some((h) => h.shadowRoot?.querySelector(".qz-skeleton")));
  await prepare(tab);
  await tab.evaluate(() => document.fonts.ready);
  await tab.mouse.move(0, 0);
  if (part) {
    const box = await tab.getByTestId(part).boundingBox();
    const outer = await tab.locator("quanzi-widget").last().boundingBox();
    const clip = { x: outer.x, y: box.y - 4, width: outer.width, height: box.height + 24 };
    await tab.screenshot({ path: `${out}/${name}.png`, animations: "disabled", clip, fullPage: true });
  } else {
    await tab.locator("quanzi-widget").last().screenshot({ path: `${out}/${name}.png`, animations: "disabled" });
  }
  console.log(`wrote ${out}/${name}.png`);
  await context.close();
}
await shot("widget-thread-en", {
  part: "talk",
  setup: () => (visit = { token: lin, lang: "en", body: script() }),
  prepare: async (tab) => {
    await tab.getByRole("button", { name: "What water temperature for Tieguanyin?" }).click();
    await tab.getByTestId("thread-body").waitFor();
    await tab.getByTestId("reply").first().waitFor();
  },
});
await shot("widget-home-en", {
  width: 760, height: 1000,
  setup: () => (visit = { token: lin, lang: "en", body: script() }),
  prepare: async (tab) => { await tab.getByTestId("thread-card").first().waitFor(); },
});
await worker.putCommunity("tea", {
  name: "Acme 茶友会", slogan: "每天一杯好茶", allowed_origins: [page.origin],
  theme: { accent: "#c8643c", radius: 12, scheme: "auto" },
});
await shot("widget-feed-zh-dark-phone", {
  width: 320, height: 1000,
  setup: () => (visit = { token: "", lang: "zh-CN", dark: true, body: script() }),
  prepare: async (tab) => { await tab.getByTestId("thread-card").first().waitFor(); await tab.getByTestId("new-thread").click(); },
});
await api("PUT", "/join", { mode: "screening", rules: "1. 友善交流，不人身攻击。\n2. 不发广告和二维码。\n3. 分享真实的冲泡体验。", questions: ["你最喜欢哪一款茶？", "你是怎么知道 Acme 茶友会的？"], welcome: "欢迎加入 Acme 茶友会！" });
await shot("widget-join-zh", {
  part: "talk",
  setup: () => (visit = { token: tok("new", "小林"), lang: "zh-CN", body: script() }),
  prepare: async (tab) => { await tab.getByTestId("join-open").click(); },
});
await api("PUT", "/join", { mode: "open" });
await api("POST", "/pages/comments?url=" + encodeURIComponent(page.origin + "/"), { body: "这篇冲泡指南太实用了，**盖碗**新手收藏了。" }, mei);
await shot("widget-comments-zh", {
  width: 560, height: 900,
  setup: () => (visit = { token: lin, lang: "zh-CN", body: `<h2 style="font-weight:normal">春茶冲泡指南</h2><p>……正文……</p>${script('data-page=""')}` }),
  prepare: async (tab) => { await tab.getByTestId("reply").first().waitFor(); },
});
await browser.close();
await page.close();
await worker.dispose();
