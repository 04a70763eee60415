// The real worker on workerd, one per test file, with fresh in-memory state.
import { unstable_startWorker } from "wrangler";

export const OPERATOR_TOKEN = "test-operator-token-0123456789abcdef";

/**
 * Starts the built worker (run `cargo xtask build` first; `cargo xtask test` does).
 * Options (all off by default):
 * - `persist`: a directory for KV and Durable Object state, kept across restarts (else in memory);
 * - `meter`: `QUANZI_METER=1`, so every response reports its binding calls in `x-quanzi-meter`;
 * - `writeLimits`: `{perCaller, perAddress}` writes per minute. Off (0) unless given: the
 *   other files test features with bursts and races from one address; protection.test.mjs
 *   tests the limits.
 * - `vars`: more worker variables, e.g. `{ALLOW_LOCAL_WEBHOOKS: "1", WEBHOOK_RETRY_BASE_MS: "300"}`.
 */
export async function startWorker({ persist = false, meter = false, writeLimits = { perCaller: 0, perAddress: 0 }, vars = {} } = {}) {
  const bindings = { OPERATOR_TOKEN: { type: "plain_text", value: OPERATOR_TOKEN } };
  if (meter) bindings.QUANZI_METER = { type: "plain_text", value: "1" };
  bindings.WRITES_PER_MINUTE_PER_CALLER = { type: "plain_text", value: String(writeLimits.perCaller) };
  bindings.WRITES_PER_MINUTE_PER_ADDRESS = { type: "plain_text", value: String(writeLimits.perAddress) };
  for (const [name, value] of Object.entries(vars)) bindings[name] = { type: "plain_text", value: String(value) };
  const worker = await unstable_startWorker({
    config: "wrangler.toml",
    bindings,
    dev: {
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      persist,
      watch: false,
      liveReload: false,
      logLevel: "warn",
    },
  });
  await worker.ready;
  const origin = (await worker.url).origin;
  return {
    origin,
    /** `fetch` against the worker: `api("/api/v1/...", init)`. */
    api: (path, init) => fetch(origin + path, init),
    /** Creates or replaces a community as the operator. */
    async putCommunity(slug, settings) {
      const res = await fetch(`${origin}/api/v1/admin/communities/${slug}`, {
        method: "PUT",
        headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify(settings),
      });
      if (res.status !== 200) throw new Error(`putCommunity ${slug}: ${res.status} ${await res.text()}`);
      return res.json();
    },
    dispose: () => worker.dispose(),
  };
}
