// Takes the README's screenshots of the member's side of the widget: the profile (zh-CN),
// the events (en), light on a desktop page and dark on a phone, the ranks, the rewards and
// the bell. Run after
// `cargo xtask build`:  CHROMIUM=/usr/bin/chromium node docs/screenshots/take-member.mjs
// It starts the real worker with fresh state, seeds a community the way a brand would (the
// operator's API, members' tokens) and shoots the demo brand page from a second origin.
import { readFileSync } from "node:fs";
import { launchBrowser } from "../../tests/support/browser.mjs";
import { servePage } from "../../tests/support/page.mjs";
import { addSsoKey, signMemberToken } from "../../tests/support/sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "../../tests/support/worker.mjs";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BASE = "/api/v1/communities/demo";
const OUT = "docs/screenshots";

const worker = await startWorker();
const browser = await launchBrowser();
let shown = { lang: "zh-CN", attrs: "" };
const demo = readFileSync("widget/demo/index.html", "utf8");
const page = await servePage(() =>
  demo
    .replace('<html lang="zh-CN">', `<html lang="${shown.lang}">`)
    .replace("{{EDGE}}", worker.origin)
    .replace("<script src", `<script>window.Quanzi = { token: ${JSON.stringify(shown.token)} };</script><script src`)
    .replace('data-community="demo"', `data-community="demo" ${shown.attrs}`),
);

async function call(path, { method = "GET", body, token = OPERATOR_TOKEN } = {}) {
  const res = await worker.api(`${BASE}/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body && JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

try {
  await worker.putCommunity("demo", {
    name: "Acme 茶友会",
    slogan: "每天一杯好茶，和茶友一起打卡、交流、参加品鉴会。",
    locale: "zh-CN",
    time_zone: "Asia/Shanghai",
    allowed_origins: [page.origin],
    theme: { accent: "#b4532a", radius: 12, scheme: "auto" },
  });
  const key = await addSsoKey(worker, "demo", OPERATOR_TOKEN);
  const token = (sub, name) => signMemberToken(key, { sub, name, aud: "demo" });
  const lin = token("u_lin", "小林");
  shown.token = lin;

  const badge = (id, zh, en, rule, title = false) => ({
    id,
    names: { zh_cn: zh, en },
    award: rule ? { by: "automatic", rule } : { by: "staff" },
    title,
  });
  await call("badges", {
    method: "PUT",
    body: {
      badges: [
        badge("first-checkin", "初次签到", "First check-in", { kind: "checkin_days", days: 1 }),
        badge("streak-7", "连续签到7天", "7-day streak", { kind: "streak", days: 7 }),
        badge("event-goer", "活动新人", "Event goer", { kind: "events_attended", count: 1 }),
        badge("vip", "VIP 茶友", "VIP", null, true),
        badge("tea-master", "品鉴达人", "Tea master", null, true),
      ],
    },
  });
  const others = [
    ["u_mei", "阿梅", 420],
    ["u_wang", "老王", 360],
    ["u_tom", "Tom", 95],
    ["u_zhou", "小周", 60],
  ];
  for (const [sub, name, points] of others) {
    await call("checkins", { method: "POST", token: token(sub, name) });
    await call("points/adjustments", { method: "POST", body: { member: sub, delta: points, reason: "春季问卷" } });
  }
  await call("checkins", { method: "POST", token: lin });
  await call("points/adjustments", { method: "POST", body: { member: "u_lin", delta: 150, reason: "参与春季问卷" } });
  await call("points/adjustments", { method: "POST", body: { member: "u_lin", delta: 60, reason: "优质分享" } });
  await call("badges/vip/holders/u_lin", { method: "POST" });
  await call("me/title", { method: "PUT", token: lin, body: { badge: "vip" } });
  await call("rewards", { method: "POST", body: { id: "tote", name: "帆布袋 Tote bag", cost: 120, stock: 12 } });
  await call("rewards", { method: "POST", body: { id: "sampler", name: "春茶茶样 Tea sampler", cost: 80 } });
  await call("rewards", { method: "POST", body: { id: "cup", name: "定制茶杯 Tea cup", cost: 300, stock: 3 } });
  await call("rewards/sampler/redeem", { method: "POST", token: lin });

  const at = (days, hour) => {
    const d = new Date(Date.now() + days * DAY);
    d.setUTCHours(hour - 8, 0, 0, 0); // Shanghai time
    return d.getTime();
  };
  const tasting = await call("events", {
    method: "POST",
    body: {
      title: "Spring tea tasting 春茶品鉴会",
      description: "Five first-flush teas, tasted side by side with the people who picked them.\n\n现场品鉴五款头春新茶。",
      venue: { kind: "offline", place: "Acme Tea House, 1 Wukang Rd, Shanghai" },
      starts_at: at(3, 14),
      ends_at: at(3, 16),
      capacity: 20,
      questions: [{ id: "size", prompt: "T-shirt size", required: true, type: "single_choice", options: ["S", "M", "L"] }],
    },
  });
  await call("events", {
    method: "POST",
    body: {
      title: "Online brewing class: white tea",
      venue: { kind: "online", url: "https://live.acme.example/white-tea" },
      starts_at: at(6, 20),
      ends_at: at(6, 21),
    },
  });
  const hike = await call("events", {
    method: "POST",
    body: {
      title: "Tea hills hike 茶山徒步",
      venue: { kind: "offline", place: "Longjing village, Hangzhou" },
      starts_at: at(10, 9),
      ends_at: at(10, 16),
      capacity: 1,
    },
  });
  await call(`events/${hike.event.id}/signup`, { method: "POST", token: token("u_mei", "阿梅"), body: {} });
  await call(`events/${tasting.event.id}/signup`, { method: "POST", token: lin, body: { answers: { size: "M" } } });
  await call(`events/${hike.event.id}/signup`, { method: "POST", token: lin, body: {} });

  async function shoot(file, { width, height, dark = false, lang, attrs = "", then }) {
    shown = { ...shown, lang, attrs };
    const context = await browser.newContext({
      viewport: { width, height },
      deviceScaleFactor: 1,
      colorScheme: dark ? "dark" : "light",
    });
    const tab = await context.newPage();
    await tab.goto(page.origin);
    await tab.getByTestId("community-name").or(tab.getByTestId("events")).first().waitFor({ timeout: 20_000 });
    // Signed in, the app replaces the worker's first view once the member's parts are in.
    await tab.waitForFunction(() => !document.querySelector("quanzi-widget").shadowRoot.querySelector(".qz-skeleton"));
    await then(tab);
    // Fonts and the last frame settle before the picture.
    await tab.evaluate(() => document.fonts.ready);
    // Extra views for a look while designing (ALL=1) go to /tmp, not into the docs.
    const path = `${file.startsWith("tmp-") ? "/tmp" : OUT}/${file}`;
    await tab.screenshot({ path, fullPage: true });
    await context.close();
    console.log(path);
  }

  const profile = async (tab) => {
    await tab.getByRole("tab", { name: "我的" }).click();
    await tab.getByTestId("ledger-entry").first().waitFor();
  };
  const events = async (tab) => {
    await tab.getByRole("tab", { name: "Events" }).click();
    await tab.getByTestId("event-card").first().waitFor();
  };
  const ticket = async (tab) => {
    await tab.getByTestId("ticket").waitFor({ timeout: 20_000 });
  };
  await shoot("widget-profile-zh.png", { width: 900, height: 900, lang: "zh-CN", then: profile });
  await shoot("widget-profile-zh-dark.png", { width: 360, height: 800, dark: true, lang: "zh-CN", then: profile });
  await shoot("widget-events-en.png", { width: 900, height: 900, lang: "en", then: events });
  await shoot("widget-events-en-dark.png", {
    width: 360,
    height: 800,
    dark: true,
    lang: "en",
    attrs: `data-view="event" data-event="${tasting.event.id}"`,
    then: ticket,
  });
  const bell = async (tab) => {
    await tab.getByTestId("bell").click();
    await tab.getByTestId("notification").first().waitFor();
  };
  const tabTo = (name, ready) => async (tab) => {
    await tab.getByRole("tab", { name, exact: true }).click();
    await tab.getByTestId(ready).first().waitFor();
  };
  await shoot("widget-ranks-en-dark.png", { width: 420, height: 800, dark: true, lang: "en", then: tabTo("Ranks", "board-row") });
  await shoot("widget-rewards-zh.png", { width: 900, height: 800, lang: "zh-CN", then: tabTo("兑换", "reward") });
  await shoot("widget-bell-zh.png", { width: 900, height: 800, lang: "zh-CN", then: bell });
  if (process.env.ALL) {
    await shoot("tmp-bell-320.png", { width: 320, height: 700, lang: "zh-CN", then: bell });
    await shoot("tmp-rewards-320.png", { width: 320, height: 700, lang: "zh-CN", then: tabTo("兑换", "reward") });
    await shoot("tmp-ranks-320.png", { width: 320, height: 700, dark: true, lang: "zh-CN", then: tabTo("排行", "board-row") });
    await shoot("tmp-hike-en.png", {
      width: 420,
      height: 700,
      lang: "en",
      attrs: `data-view="event" data-event="${hike.event.id}"`,
      then: ticket,
    });
    await shoot("tmp-profile-320.png", { width: 320, height: 700, lang: "en", then: tabTo("Me", "ledger-entry") });
    shown.token = token("u_new", "小新");
    await shoot("tmp-checkin-reward.png", {
      width: 420,
      height: 700,
      lang: "zh-CN",
      then: async (tab) => {
        await tab.getByTestId("checkin-button").click();
        await tab.getByTestId("checkin-badge").waitFor();
        await tab.waitForTimeout(1200); // the reward animation ends before the picture
      },
    });
  }
} finally {
  await browser.close();
  await page.close();
  await worker.dispose();
}
