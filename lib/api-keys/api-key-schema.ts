import { z } from "zod";

export const apiKeyScopes = ["READ", "WRITE", "ADMIN"] as const;
export type ApiKeyScopeName = (typeof apiKeyScopes)[number];

/** Days until a new key expires; 0 means it never does. */
export const apiKeyLifetimes = [0, 30, 90, 365] as const;

export const createApiKeySchema = z.object({
  name: z
    .string({ error: "Name the key" })
    .trim()
    .min(1, "Name the key")
    .max(80, "A name must be at most 80 characters"),
  scope: z.enum(apiKeyScopes, { error: "Scope must be read, write or admin" }),
  expiresInDays: z.coerce
    .number()
    .int()
    .refine((n) => (apiKeyLifetimes as readonly number[]).includes(n), {
      error: "Expiry must be never, 30, 90 or 365 days",
    })
    .default(0),
});
export type CreateApiKeyInput = z.input<typeof createApiKeySchema>;

export const revokeApiKeySchema = z.object({ apiKeyId: z.string().min(1) });
export type RevokeApiKeyInput = z.input<typeof revokeApiKeySchema>;
