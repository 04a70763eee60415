// What a brand's server does to sign a member in: an HS256 JWT with the community's secret.
import { createHmac } from "node:crypto";

const b64url = (data) => Buffer.from(data).toString("base64url");

/** Signs `claims` with `{kid, secret}`; `iat`/`exp` default to now and now + 1 h. */
export function signMemberToken({ kid, secret }, claims) {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT", kid }));
  const payload = b64url(JSON.stringify({ iat: now, exp: now + 3600, ...claims }));
  const signature = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

/** Creates a sign-in key for `slug` as the operator; returns `{kid, secret}`. */
export async function addSsoKey(worker, slug, operatorToken) {
  const res = await worker.api(`/api/v1/communities/${slug}/sso-keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${operatorToken}` },
  });
  if (res.status !== 201) throw new Error(`sso-keys: ${res.status} ${await res.text()}`);
  return res.json();
}
