import { HeartbeatAge } from "@/components/agents/heartbeat-age";
import { Badge } from "@/components/ui/badge";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import type { AgentActivity } from "@/lib/agents/list-agent-activity";

/** A runner that has not beaten for this long is offline. */
const OFFLINE_AFTER_MS = 90_000;

/**
 * The built-in runner's worker processes and the organization's registered runners,
 * with how many of this organization's tasks each runs now and when it last beat. An idle worker's age is plain (it
 * beats only while it runs something); a busy one turns amber and red as it goes quiet.
 */
export function RunnersTable({
  runners,
  workers,
  renderedAt,
}: {
  runners: AgentActivity["runners"];
  workers: AgentActivity["workers"];
  renderedAt: Date;
}) {
  return (
    <div className="rounded-lg border bg-card">
      <Table aria-label="Runners">
        <TableHeader>
          <TableRow>
            <TableHead>Runner</TableHead>
            <TableHead>Kind</TableHead>
            <TableHead>Host</TableHead>
            <TableHead>Labels</TableHead>
            <TableHead className="text-right">Running</TableHead>
            <TableHead>Last heartbeat</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {workers.length === 0 ? (
            <TableRow>
              <TableCell className="font-medium">Built-in runner</TableCell>
              <TableCell>built-in</TableCell>
              <TableCell className="text-muted-foreground">the worker process</TableCell>
              <TableCell className="text-muted-foreground">—</TableCell>
              <TableCell className="text-right font-mono">0</TableCell>
              <TableCell className="whitespace-normal text-muted-foreground">
                Idle: none of this organization's tasks ran in the last day.
              </TableCell>
            </TableRow>
          ) : (
            workers.map((worker) => (
              <TableRow key={worker.workerId} data-worker={worker.workerId}>
                <TableCell className="font-medium">Built-in runner</TableCell>
                <TableCell>built-in</TableCell>
                <TableCell className="font-mono text-xs">{worker.workerId}</TableCell>
                <TableCell className="text-muted-foreground">—</TableCell>
                <TableCell className="text-right font-mono">{worker.running}</TableCell>
                <TableCell>
                  <HeartbeatAge
                    since={worker.lastHeartbeatAt}
                    renderedAt={renderedAt}
                    warn={worker.running > 0}
                    suffix=" ago"
                  />
                </TableCell>
              </TableRow>
            ))
          )}
          {runners.map((runner) => {
            const offline =
              !runner.lastHeartbeatAt ||
              renderedAt.getTime() - runner.lastHeartbeatAt.getTime() > OFFLINE_AFTER_MS;
            return (
              <TableRow key={runner.id} data-runner={runner.id}>
                <TableCell className="font-medium">
                  {runner.name}{" "}
                  {runner.revokedAt ? (
                    <Badge variant="cancelled">revoked</Badge>
                  ) : offline ? (
                    <Badge variant="muted">offline</Badge>
                  ) : null}
                </TableCell>
                <TableCell>self-hosted{runner.version ? ` · v${runner.version}` : ""}</TableCell>
                <TableCell className="font-mono text-xs">{runner.hostname ?? "—"}</TableCell>
                <TableCell>
                  {runner.labels.length ? (
                    <span className="flex gap-1">
                      {runner.labels.map((label) => (
                        <Badge key={label} variant="outline" className="font-mono">
                          {label}
                        </Badge>
                      ))}
                    </span>
                  ) : (
                    <span className="text-muted-foreground">—</span>
                  )}
                </TableCell>
                <TableCell className="text-right font-mono">{runner.running}</TableCell>
                <TableCell>
                  <HeartbeatAge
                    since={runner.lastHeartbeatAt}
                    renderedAt={renderedAt}
                    warn={!runner.revokedAt}
                    suffix=" ago"
                  />
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
