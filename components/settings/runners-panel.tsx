"use client";

import { Server } from "lucide-react";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { useOrgAction } from "@/components/forms/use-org-action";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";

export interface RunnerRow {
  id: string;
  name: string;
  labels: string[];
  tokenPrefix: string;
  /** "Never" or a server-formatted time. */
  lastSeenLabel: string;
}

/**
 * Self-hosted runners: register one (its token and start command are shown once), see when
 * each was last heard from, revoke. Controls only for admins and owners.
 */
export function RunnersPanel({
  appUrl,
  canManage,
  runners,
}: {
  appUrl: string;
  canManage: boolean;
  runners: RunnerRow[];
}) {
  const router = useRouter();
  const create = useOrgAction("createRunner");
  const revoke = useOrgAction("revokeRunner");
  const [name, setName] = useState("");
  const [labels, setLabels] = useState("");
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const list = labels
      .split(",")
      .map((l) => l.trim())
      .filter(Boolean);
    create.run({ name, labels: list }, (r) => {
      setCreated({ name: r.name, token: r.token });
      setName("");
      setLabels("");
      router.refresh();
    });
  };

  return (
    <div className="grid gap-4">
      {canManage ? (
        <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
          <FormField id="runner-name" label="Runner name" error={create.fieldErrors.name}>
            <Input
              {...fieldControlProps("runner-name", { error: create.fieldErrors.name })}
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="build-box-1"
              required
            />
          </FormField>
          <FormField
            id="runner-labels"
            label="Labels"
            hint="Comma-separated; projects pinned to these labels run here."
            error={create.fieldErrors.labels ?? create.fieldErrors["labels.0"]}
          >
            <Input
              {...fieldControlProps("runner-labels", {
                error: create.fieldErrors.labels,
                hint: "Comma-separated; projects pinned to these labels run here.",
              })}
              value={labels}
              onChange={(e) => setLabels(e.target.value)}
              placeholder="linux, gpu"
            />
          </FormField>
          <Button type="submit" disabled={create.pending}>
            <Server aria-hidden="true" /> Register runner
          </Button>
        </form>
      ) : null}
      {created ? (
        <div
          role="status"
          className="grid gap-2 rounded-lg border border-status-done/50 p-3 text-sm"
        >
          <p>
            Runner <strong>{created.name}</strong> registered. Its token is shown only now; start it
            on your machine with:
          </p>
          <code className="block overflow-x-auto whitespace-pre rounded bg-muted p-2 font-mono text-xs">
            npx trellis-runner --url {appUrl} --token {created.token}
          </code>
          <div>
            <Button
              size="sm"
              variant="outline"
              onClick={() =>
                navigator.clipboard
                  .writeText(created.token)
                  .then(() => toast.success("Token copied"))
              }
            >
              Copy token
            </Button>
          </div>
        </div>
      ) : null}
      {runners.length === 0 ? (
        <p className="text-muted-foreground text-sm">
          No self-hosted runners. Tasks run on the built-in runner unless their project is pinned to
          runner labels.
        </p>
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Labels</TableHead>
              <TableHead>Token</TableHead>
              <TableHead>Last seen</TableHead>
              {canManage ? (
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              ) : null}
            </TableRow>
          </TableHeader>
          <TableBody>
            {runners.map((r) => (
              <TableRow key={r.id}>
                <TableCell>{r.name}</TableCell>
                <TableCell className="flex flex-wrap gap-1">
                  {r.labels.length ? (
                    r.labels.map((l) => (
                      <Badge key={l} variant="outline">
                        {l}
                      </Badge>
                    ))
                  ) : (
                    <span className="text-muted-foreground">none</span>
                  )}
                </TableCell>
                <TableCell className="font-mono text-xs">{r.tokenPrefix}…</TableCell>
                <TableCell>{r.lastSeenLabel}</TableCell>
                {canManage ? (
                  <TableCell className="text-right">
                    <Button
                      size="sm"
                      variant="ghost"
                      disabled={revoke.pending}
                      aria-label={`Revoke runner ${r.name}`}
                      onClick={() =>
                        revoke.run({ runnerId: r.id }, () => {
                          toast.success(`Runner ${r.name} revoked`);
                          router.refresh();
                        })
                      }
                    >
                      Revoke
                    </Button>
                  </TableCell>
                ) : null}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
