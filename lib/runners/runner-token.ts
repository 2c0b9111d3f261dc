import { createHash, randomBytes } from "node:crypto";

/** Runner tokens: "trr_" and 40 base62 characters; only their SHA-256 is stored. */
export const RUNNER_TOKEN_PREFIX = "trr_";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function generateRunnerToken(): { token: string; prefix: string; hash: string } {
  const bytes = randomBytes(40);
  let body = "";
  // 256 % 62 leaves a small bias; irrelevant at 40 characters (~238 bits).
  for (const byte of bytes) body += ALPHABET[byte % ALPHABET.length];
  const token = `${RUNNER_TOKEN_PREFIX}${body}`;
  return { token, prefix: token.slice(0, 12), hash: hashRunnerToken(token) };
}

export function hashRunnerToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The lease owner a runner's claims are recorded under. */
export function runnerWorkerId(runnerId: string): string {
  return `runner:${runnerId}`;
}
