import { IntentLink } from "@/components/ui/intent-link";
import { StatusBadge } from "@/components/ui/status-badge";
import { formatRelative } from "@/lib/utils/format-relative";

export interface TicketRow {
  id: string;
  number: number;
  title: string;
  status: string;
  priority: string;
  labels: string[];
  createdAt: Date;
  project: { id: string; name: string };
}

/** Dense ticket list; each row opens the ticket. */
export function TicketTable({
  orgSlug,
  tickets,
  showProject = true,
}: {
  orgSlug: string;
  tickets: TicketRow[];
  showProject?: boolean;
}) {
  return (
    <ul aria-label="Tickets" className="divide-y rounded-lg border bg-card">
      {tickets.map((t) => (
        <li key={t.id}>
          <IntentLink
            href={`/${orgSlug}/tickets/${t.id}`}
            className="flex items-center gap-3 px-3 py-2 text-dense hover:bg-accent/50 focus-visible:bg-accent/50"
          >
            <span className="w-10 shrink-0 font-mono text-muted-foreground text-xs">
              #{t.number}
            </span>
            <span className="min-w-0 flex-1 truncate font-medium">{t.title}</span>
            {t.labels.slice(0, 3).map((l) => (
              <span
                key={l}
                className="hidden shrink-0 rounded border px-1.5 py-0.5 text-muted-foreground text-xs md:inline"
              >
                {l}
              </span>
            ))}
            {showProject ? (
              <span className="hidden w-32 shrink-0 truncate text-muted-foreground text-xs lg:inline">
                {t.project.name}
              </span>
            ) : null}
            <StatusBadge status={t.priority} className="shrink-0" showDot={false} />
            <StatusBadge status={t.status} className="w-24 shrink-0 justify-center" />
            <time
              dateTime={t.createdAt.toISOString()}
              className="w-16 shrink-0 text-right text-muted-foreground text-xs"
            >
              {formatRelative(t.createdAt)}
            </time>
          </IntentLink>
        </li>
      ))}
    </ul>
  );
}
