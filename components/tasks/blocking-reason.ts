import { getStatusMeta } from "@/components/ui/status-badge";

/** "Waits for 2 (running), 4 (failed)": the unfinished dependencies a waiting task waits for. */
export function blockingReason(blockedBy: readonly { key: string; status: string }[]): string {
  const parts = blockedBy.map(
    (dep) =>
      `${dep.key} (${dep.status === "PENDING" ? "waiting" : getStatusMeta(dep.status).label.toLowerCase()})`,
  );
  return `Waits for ${parts.join(", ")}`;
}
