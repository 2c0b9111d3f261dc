-- CreateTable
CREATE TABLE "RunTraceEvent" (
    "id" BIGSERIAL NOT NULL,
    "orgId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "durationMs" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RunTraceEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RunTraceEvent_orgId_idx" ON "RunTraceEvent"("orgId");

-- CreateIndex
CREATE UNIQUE INDEX "RunTraceEvent_runId_seq_key" ON "RunTraceEvent"("runId", "seq");

-- AddForeignKey
ALTER TABLE "RunTraceEvent" ADD CONSTRAINT "RunTraceEvent_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunTraceEvent" ADD CONSTRAINT "RunTraceEvent_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
