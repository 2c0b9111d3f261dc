import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumeRateLimit } from "@/lib/api/rate-limit";
import { callApi } from "@/lib/api/v1/testing/api-client";
import { createDb } from "@/lib/db/client";
import { createTestDatabase, type TestDatabase } from "@/lib/db/test-database";
import { resetEnvForTests } from "@/lib/env";
import { hashSecret } from "@/lib/utils/secret-token";
import { addMember, createUserWithOrg } from "@/prisma/factories";
import { authenticateApiKey } from "./authenticate-api-key";
import { createApiKey } from "./create-api-key";
import { listApiKeys } from "./list-api-keys";
import { revokeApiKey } from "./revoke-api-key";

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    return (error as { code?: string }).code ?? "THROWN";
  }
}

describe("API keys", () => {
  let database: TestDatabase;
  let owner: Awaited<ReturnType<typeof createUserWithOrg>>;
  const globalForDb = globalThis as { trellisDb?: TestDatabase["db"] };

  beforeAll(async () => {
    database = await createTestDatabase();
    globalForDb.trellisDb = database.db;
    owner = await createUserWithOrg(database.db, "Ada");
  });
  afterAll(async () => {
    delete process.env.API_RATE_LIMIT_PER_MINUTE;
    resetEnvForTests();
    globalForDb.trellisDb = undefined;
    await database?.drop();
  });

  it("shows a new key once and keeps only its SHA-256", async () => {
    const created = await createApiKey(database.db, {
      actor: owner.actor,
      input: { name: "CI", scope: "WRITE", expiresInDays: 30 },
    });
    expect(created.key.startsWith(created.prefix)).toBe(true);
    const row = await database.db.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.hash).toBe(hashSecret(created.key));
    expect(JSON.stringify(row)).not.toContain(created.key.slice(12));
    expect(row.scopes).toEqual(["WRITE"]);
    expect(row.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const listed = await listApiKeys(database.db, { actor: owner.actor });
    expect(listed.find((k) => k.id === created.id)).not.toHaveProperty("hash");
    expect(JSON.stringify(listed)).not.toContain(created.key);
  });

  it("lets only admins and owners create and revoke keys", async () => {
    const member = (await addMember(database.db, owner.org.id, "MEMBER")).actor;
    expect(
      await codeOf(
        createApiKey(database.db, { actor: member, input: { name: "x", scope: "READ" } }),
      ),
    ).toBe("FORBIDDEN");
    const created = await createApiKey(database.db, {
      actor: owner.actor,
      input: { name: "x", scope: "READ" },
    });
    expect(
      await codeOf(revokeApiKey(database.db, { actor: member, input: { apiKeyId: created.id } })),
    ).toBe("FORBIDDEN");
  });

  it("acts with the role its scope gives, for its creator, and notes its use at most once a minute", async () => {
    const created = await createApiKey(database.db, {
      actor: owner.actor,
      input: { name: "Reader", scope: "READ" },
    });
    const t0 = new Date();
    const { actor } = await authenticateApiKey(database.db, {
      authorization: `Bearer ${created.key}`,
      now: t0,
    });
    expect(actor).toEqual({
      userId: owner.user.id,
      orgId: owner.org.id,
      role: "VIEWER",
      apiKeyId: created.id,
    });
    const lastUsed = async () =>
      (
        await database.db.apiKey.findUniqueOrThrow({ where: { id: created.id } })
      ).lastUsedAt?.getTime();
    expect(await lastUsed()).toBe(t0.getTime());
    await authenticateApiKey(database.db, {
      authorization: `Bearer ${created.key}`,
      now: new Date(t0.getTime() + 30_000),
    });
    expect(await lastUsed()).toBe(t0.getTime());
    const later = new Date(t0.getTime() + 61_000);
    await authenticateApiKey(database.db, { authorization: `Bearer ${created.key}`, now: later });
    expect(await lastUsed()).toBe(later.getTime());
  });

  it("refuses expired and revoked keys with 401", async () => {
    const created = await createApiKey(database.db, {
      actor: owner.actor,
      input: { name: "Short", scope: "ADMIN", expiresInDays: 30 },
    });
    const auth = (now: Date) =>
      authenticateApiKey(database.db, { authorization: `Bearer ${created.key}`, now });
    expect(await codeOf(auth(new Date()))).toBe("OK");
    expect(await codeOf(auth(new Date(Date.now() + 31 * 86_400_000)))).toBe("UNAUTHENTICATED");
    await revokeApiKey(database.db, { actor: owner.actor, input: { apiKeyId: created.id } });
    const response = await callApi("GET", "/projects", { key: created.key });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: "UNAUTHENTICATED", message: "This API key was revoked." },
    });
  });

  it("limits each key's requests per minute with 429 and Retry-After, counting across processes", async () => {
    process.env.API_RATE_LIMIT_PER_MINUTE = "3";
    resetEnvForTests();
    const { key } = await createApiKey(database.db, {
      actor: owner.actor,
      input: { name: "Busy", scope: "READ" },
    });
    const { key: other } = await createApiKey(database.db, {
      actor: owner.actor,
      input: { name: "Calm", scope: "READ" },
    });
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 4; i++) {
      const response = await callApi("GET", "/projects", { key });
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited?.json()).toMatchObject({
      error: { code: "RATE_LIMITED", details: { retryAfterSeconds: expect.any(Number) } },
    });
    // Another key has its own budget.
    expect((await callApi("GET", "/projects", { key: other })).status).toBe(200);

    // Two database clients stand for two web processes: they share one count.
    const second = createDb(database.url);
    try {
      const now = new Date(Date.UTC(2030, 0, 1, 0, 0, 0));
      const first = await consumeRateLimit(database.db, { bucket: "shared", limit: 2, now });
      const again = await consumeRateLimit(second, { bucket: "shared", limit: 2, now });
      const third = await consumeRateLimit(database.db, { bucket: "shared", limit: 2, now });
      expect([first.allowed, again.allowed, third.allowed]).toEqual([true, true, false]);
      // Two windows later the old counts are gone from the table.
      await consumeRateLimit(second, {
        bucket: "shared",
        limit: 2,
        now: new Date(now.getTime() + 120_000),
      });
      expect(await database.db.apiRateLimit.count({ where: { bucket: "shared" } })).toBe(1);
    } finally {
      await second.$disconnect();
    }
  });
});
