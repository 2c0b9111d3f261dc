import { createHash, randomBytes } from "node:crypto";

/** A URL-safe random secret (default 32 bytes). */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** SHA-256 hex: how secrets (invite links, API keys, runner tokens) are stored. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
