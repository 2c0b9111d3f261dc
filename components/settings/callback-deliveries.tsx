"use client";

import { Send } from "lucide-react";
import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { useOrgAction } from "@/components/forms/use-org-action";
import { Button } from "@/components/ui/button";
import { StatusBadge } from "@/components/ui/status-badge";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { cn } from "@/lib/utils/cn";

export interface CallbackDeliveryRow {
  id: string;
  ticket: { id: string; number: number; title: string };
  url: string;
  status: "PENDING" | "DELIVERED" | "FAILED";
  attempts: number;
  lastError: string | null;
  /** Formatted on the server (no hydration drift): when it was delivered, else when it was queued. */
  whenLabel: string;
  whenIso: string;
  /** For a pending delivery: when the worker tries next. */
  nextAttemptLabel: string | null;
}

/** The organization's latest callback deliveries (admins and owners), each one sendable again. */
export function CallbackDeliveries({ deliveries }: { deliveries: CallbackDeliveryRow[] }) {
  const { org } = useParams<{ org: string }>();
  if (deliveries.length === 0) {
    return (
      <p className="text-muted-foreground text-sm">
        No callbacks sent yet. Enqueue work through the REST API with a callback_url; each signed
        POST shows here with its outcome.
      </p>
    );
  }
  return (
    <div className="rounded-lg border">
      <Table aria-labelledby="callback-deliveries">
        <TableHeader>
          <TableRow>
            <TableHead scope="col">Ticket</TableHead>
            <TableHead scope="col">URL</TableHead>
            <TableHead scope="col">Status</TableHead>
            <TableHead scope="col" className="text-right">
              Attempts
            </TableHead>
            <TableHead scope="col">Last error</TableHead>
            <TableHead scope="col">When</TableHead>
            <TableHead scope="col">
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {deliveries.map((d) => (
            <TableRow key={d.id} data-delivery={d.id}>
              <TableCell className="max-w-48">
                <Link
                  href={`/${org}/tickets/${d.ticket.id}`}
                  className="block truncate underline-offset-4 hover:underline"
                  title={d.ticket.title}
                >
                  <span className="font-mono text-xs">#{d.ticket.number}</span> {d.ticket.title}
                </Link>
              </TableCell>
              <TableCell className="max-w-56">
                <span className="block truncate font-mono text-xs" title={d.url}>
                  {d.url}
                </span>
              </TableCell>
              <TableCell>
                <StatusBadge status={d.status} />
              </TableCell>
              <TableCell className="text-right tabular-nums">{d.attempts}</TableCell>
              <TableCell className="max-w-64">
                {d.lastError ? <LastError error={d.lastError} /> : null}
              </TableCell>
              <TableCell className="whitespace-nowrap text-muted-foreground">
                <time dateTime={d.whenIso}>{d.whenLabel}</time>
                {d.nextAttemptLabel ? (
                  <div className="text-xs">Next try {d.nextAttemptLabel}</div>
                ) : null}
              </TableCell>
              <TableCell className="text-right">
                {d.status === "PENDING" ? null : <SendAgain delivery={d} />}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

/** Long errors show one line; the button expands them (hover shows them too). */
function LastError({ error }: { error: string }) {
  const [open, setOpen] = useState(false);
  if (error.length <= 48) return <span className="font-mono text-xs">{error}</span>;
  return (
    <button
      type="button"
      aria-expanded={open}
      title={open ? undefined : error}
      onClick={() => setOpen((o) => !o)}
      className={cn(
        "max-w-full rounded-sm text-left font-mono text-xs outline-none focus-visible:ring-2 focus-visible:ring-ring",
        open ? "whitespace-pre-wrap break-all" : "block truncate",
      )}
    >
      {error}
    </button>
  );
}

function SendAgain({ delivery }: { delivery: CallbackDeliveryRow }) {
  const router = useRouter();
  const resend = useOrgAction("resendCallbackDelivery");
  return (
    <Button
      variant="outline"
      size="sm"
      disabled={resend.pending}
      aria-label={`Send again: the callback for ticket #${delivery.ticket.number}`}
      onClick={() =>
        resend.run({ deliveryId: delivery.id }, () => {
          toast.success(`Callback for ticket #${delivery.ticket.number} queued to send again`);
          router.refresh();
        })
      }
    >
      <Send aria-hidden="true" /> {resend.pending ? "Queuing…" : "Send again"}
    </Button>
  );
}
