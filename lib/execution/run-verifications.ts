import type { Prisma } from "@/lib/generated/prisma/client";

/** A run's verification steps as every view shows them: in the order they ran, with output. */
export const runVerifications = {
  orderBy: { createdAt: "asc" },
  select: {
    id: true,
    kind: true,
    command: true,
    exitCode: true,
    passed: true,
    output: true,
    durationMs: true,
  },
} satisfies Prisma.Run$verificationsArgs;
