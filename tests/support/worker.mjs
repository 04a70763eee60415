// The real worker on workerd, one per test file, with fresh in-memory state.
import { unstable_startWorker } from "wrangler";

export const OPERATOR_TOKEN = "test-operator-token-0123456789abcdef";

/** Starts the built worker (run `cargo xtask build` first; `cargo xtask test` does). */
export async function startWorker() {
  const worker = await unstable_startWorker({
    config: "wrangler.toml",
    bindings: { OPERATOR_TOKEN: { type: "plain_text", value: OPERATOR_TOKEN } },
    dev: {
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      persist: false,
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
