// Driving the dashboard in a real browser: signing in through its own forms, reading the
// widget's theme from its shadow root, and the README's screenshots.
import { mkdirSync } from "node:fs";

/** Opens the dashboard and creates an account through its form (English UI). */
export async function signUpInDashboard(tab, origin, { email, name, password }) {
  await tab.goto(`${origin}/dashboard/`);
  await tab.getByRole("button", { name: "Create an account" }).click();
  await tab.getByLabel("Email").fill(email);
  await tab.getByLabel("Your name").fill(name);
  await tab.getByLabel("Password").fill(password);
  await tab.getByRole("button", { name: "Create account" }).click();
  // Attached, not visible: a phone-sized window hides the address.
  await tab.getByTestId("signed-in-as").waitFor({ state: "attached" });
}

/** Opens the dashboard (at `hash`, if given) and signs in through its form. */
export async function signInToDashboard(tab, origin, { email, password }, hash = "") {
  await tab.goto(`${origin}/dashboard/${hash}`);
  await tab.getByLabel("Email").fill(email);
  await tab.getByLabel("Password").fill(password);
  await tab.getByRole("button", { name: "Sign in", exact: true }).click();
  // Attached, not visible: a phone-sized window hides the address.
  await tab.getByTestId("signed-in-as").waitFor({ state: "attached" });
}

/**
 * Waits until the widget in `frame` (a page or frame) is drawn with `theme`: the custom
 * properties on its root inside the shadow root, and its colour scheme.
 */
export async function waitForWidgetTheme(frame, { accent, radius, scheme }) {
  await frame.waitForFunction(
    ({ accent, radius, scheme }) => {
      const root = document.querySelector("quanzi-widget")?.shadowRoot?.querySelector('[data-testid="quanzi-widget"]');
      if (!root) return false;
      const style = getComputedStyle(root);
      return (
        style.getPropertyValue("--qz-accent").trim() === accent &&
        style.getPropertyValue("--qz-radius").trim() === `${radius}px` &&
        root.dataset.scheme === scheme
      );
    },
    { accent, radius, scheme },
    { timeout: 20_000 },
  );
}

/**
 * Saves `docs/screenshots/dashboard-{name}.png` when QUANZI_SCREENSHOTS is set (how the
 * README's pictures are made); otherwise nothing.
 */
export async function screenshot(tab, name) {
  if (!process.env.QUANZI_SCREENSHOTS) return;
  mkdirSync("docs/screenshots", { recursive: true });
  // The whole page in one window (a full-page capture would draw the sticky header and
  // sidebar where the window happened to be).
  const viewport = tab.viewportSize();
  const height = await tab.evaluate(() => document.documentElement.scrollHeight);
  await tab.setViewportSize({ width: viewport.width, height: Math.max(height, viewport.height) });
  await tab.screenshot({ path: `docs/screenshots/dashboard-${name}.png` });
  await tab.setViewportSize(viewport);
}

/** Whether the page is wider than the window (a layout that breaks on a phone). */
export async function overflowsSideways(tab) {
  return tab.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}
