// Debian's Chromium driven by playwright-core. `cargo xtask test` sets CHROMIUM.
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM;
  if (!executablePath) throw new Error("CHROMIUM is not set: run the browser tests through `cargo xtask test`");
  return chromium.launch({
    executablePath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Runs `body(page)` in a fresh page; on failure saves a screenshot under
 * tests/artifacts/ (named after the test) before rethrowing. `options` go to the new
 * browser context (e.g. `{ permissions: ["clipboard-read", "clipboard-write"] }`).
 * A failure also prints the page's uncaught errors and console errors.
 */
export async function withPage(browser, t, body, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = [];
  const consoleErrors = [];
  page.on("pageerror", (e) => errors.push(e));
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("response", (r) => r.status() >= 400 && consoleErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`));
  try {
    await body(page, errors);
  } catch (e) {
    mkdirSync("tests/artifacts", { recursive: true });
    const file = `tests/artifacts/${t.name.replace(/[^a-z0-9]+/gi, "-")}.png`;
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    console.error(`screenshot: ${file}`);
    for (const line of [...errors.map(String), ...consoleErrors]) console.error(`page: ${line}`);
    throw e;
  } finally {
    await context.close();
  }
}
