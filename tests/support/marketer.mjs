// A marketer's session against the worker's API, as the dashboard holds it: the session
// cookie and the CSRF token.

/** Signs up (or, with `login: true`, signs in) and returns a session helper. */
export async function marketer(worker, { email, name = "Mia", password = "correct horse battery", login = false }) {
  const path = login ? "/api/v1/auth/login" : "/api/v1/auth/signup";
  const body = login ? { email, password } : { email, name, password };
  const res = await worker.api(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== (login ? 200 : 201)) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get("set-cookie").split(";")[0];
  const me = await res.json();
  return {
    me,
    cookie,
    /** A request with the session cookie and, for writes, the CSRF token. */
    api(path, init = {}) {
      const headers = { cookie, "x-csrf-token": me.csrf, ...(init.headers || {}) };
      if (init.body && !headers["content-type"]) headers["content-type"] = "application/json";
      return worker.api(path, { ...init, headers });
    },
  };
}
