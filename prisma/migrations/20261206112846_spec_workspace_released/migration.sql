-- When the worker gave the repository back after a spec's execution ended (its worktrees removed,
-- merged task branches deleted, the integration branch kept): lib/execution/release-spec-workspace.ts.
-- Specs that ended before this migration are released by the worker's next sweeps.

-- AlterTable
ALTER TABLE "Spec" ADD COLUMN     "workspaceReleasedAt" TIMESTAMPTZ(3);

-- The sweep's question, "which ended specs still hold worktrees?", read from this index: it holds
-- only those, so the worker's look every few seconds costs nothing once they are released.
-- Partial indexes are beyond schema.prisma; Prisma's diff leaves them alone.
CREATE INDEX "Spec_workspace_unreleased_idx" ON "Spec"("updatedAt")
  WHERE "workspaceReleasedAt" IS NULL AND "integrationBranch" IS NOT NULL
    AND state IN ('DONE', 'FAILED', 'CANCELLED');
