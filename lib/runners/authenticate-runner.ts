import "server-only";
import { AppError } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import { hashRunnerToken, RUNNER_TOKEN_PREFIX } from "./runner-token";

export interface AuthenticatedRunner {
  id: string;
  orgId: string;
  name: string;
  labels: string[];
}

/**
 * The runner a request's `Authorization: Bearer trr_…` belongs to; UNAUTHENTICATED for a
 * missing, malformed, unknown or revoked token. Marks the runner as seen.
 */
export async function authenticateRunner(
  db: Db,
  authorization: string | null,
): Promise<AuthenticatedRunner> {
  const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token?.startsWith(RUNNER_TOKEN_PREFIX)) {
    throw new AppError(
      "UNAUTHENTICATED",
      "A runner token is required (Authorization: Bearer trr_…).",
    );
  }
  const runner = await db.runner.findUnique({
    where: { tokenHash: hashRunnerToken(token) },
    select: { id: true, orgId: true, name: true, labels: true, revokedAt: true },
  });
  if (!runner || runner.revokedAt) {
    throw new AppError("UNAUTHENTICATED", "The runner token is not valid or was revoked.");
  }
  await db.runner.update({ where: { id: runner.id }, data: { lastHeartbeatAt: new Date() } });
  return { id: runner.id, orgId: runner.orgId, name: runner.name, labels: runner.labels };
}
