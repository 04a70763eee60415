// Set-up shared by the API tests: communities with sign-in keys, member tokens, error codes.
import { addSsoKey, signMemberToken } from "./sso.mjs";
import { OPERATOR_TOKEN, startWorker } from "./worker.mjs";

/** Creates a sign-in key for each slug in turn, as the operator; returns them in order. */
export async function addSsoKeys(worker, ...slugs) {
  const keys = [];
  for (const slug of slugs) keys.push(await addSsoKey(worker, slug, OPERATOR_TOKEN));
  return keys;
}

/**
 * Starts the worker with the communities `tea` (`teaSettings`) and `other`, both created
 * by the operator, and a sign-in key for each: `{worker, key, otherKey}`.
 */
export async function startWithTwoCommunities(teaSettings = { name: "Tea" }) {
  const worker = await startWorker();
  await worker.putCommunity("tea", teaSettings);
  await worker.putCommunity("other", { name: "Other" });
  const [key, otherKey] = await addSsoKeys(worker, "tea", "other");
  return { worker, key, otherKey };
}

/** A token for the member `sub`, named `Member {sub}`, of the community `aud`. */
export const memberToken = (key, sub, aud = "tea") => signMemberToken(key, { sub, name: `Member ${sub}`, aud });

/** The `error.code` of an error response. */
export const codeOf = async (res) => (await res.json()).error.code;
