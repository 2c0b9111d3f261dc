// Standard Webhooks signatures (https://www.standardwebhooks.com): the receiver recomputes
// base64(HMAC-SHA256(secret, `${id}.${timestamp}.${body}`)) and compares it with the
// `webhook-signature` header (`v1,<signature>`). Secrets look like `whsec_<base64>`.
import { createHmac, randomBytes } from "node:crypto";

const SECRET_PREFIX = "whsec_";

export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString("base64")}`;
}

/** The HMAC key: the base64 part of a `whsec_` secret, decoded. */
function keyOf(secret: string): Buffer {
  return Buffer.from(
    secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret,
    "base64",
  );
}

/** The three headers of a signed delivery. */
export function webhookHeaders(options: {
  secret: string;
  id: string;
  timestampSeconds: number;
  body: string;
}): Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string> {
  const { id, timestampSeconds, body } = options;
  const signature = createHmac("sha256", keyOf(options.secret))
    .update(`${id}.${timestampSeconds}.${body}`)
    .digest("base64");
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": `v1,${signature}`,
  };
}
