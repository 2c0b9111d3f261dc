import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { type Actor, assertCan } from "@/lib/orgs/roles";
import { heldTaskWhere, shownSpecState } from "@/lib/specs/spec-attention";

export const searchOrgSchema = z.object({
  q: z.string().trim().min(1, "Type something to search for").max(200),
  /** Results per kind (projects, tickets, specs, tasks). */
  limit: z.coerce.number().int().min(1).max(20).default(6),
});
export type SearchOrgInput = z.input<typeof searchOrgSchema>;

export type SearchResultKind = "project" | "ticket" | "spec" | "task";

export interface SearchResult {
  kind: SearchResultKind;
  id: string;
  title: string;
  /** Where it sits, e.g. "#3 · Web" or "1.2 · Running · Export CSV". */
  detail: string;
}

const MAX_WORDS = 6;

/** Words of the query, each of which must appear (case-insensitively) for a row to match. */
function wordsOf(q: string): string[] {
  return [...new Set(q.toLowerCase().split(/\s+/).filter(Boolean))].slice(0, MAX_WORDS);
}

function contains(word: string) {
  // Prisma sends `contains` as ILIKE '%' || value || '%' without escaping the value's own
  // wildcards; escape them (backslash is Postgres's default LIKE escape) so "%" means "%".
  return { contains: word.replace(/[\\%_]/g, "\\$&"), mode: "insensitive" as const };
}

function human(value: string): string {
  const words = value.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The organization's projects, tickets, specs and tasks whose text holds every
 * word of `q` (titles, names, slugs, task keys, "#12" ticket numbers): projects, then tickets,
 * specs and tasks, each kind newest first, at most `limit` of each. Never another
 * organization's rows.
 */
export async function searchOrg(
  db: Db,
  options: { actor: Actor; input: SearchOrgInput },
): Promise<SearchResult[]> {
  const { actor } = options;
  assertCan(actor, "read");
  const { q, limit } = searchOrgSchema.parse(options.input);
  const words = wordsOf(q);
  const orgId = actor.orgId;
  const number = (word: string) =>
    /^#?\d{1,9}$/.test(word) ? Number(word.replace("#", "")) : null;

  const [projects, tickets, specs, tasks] = await Promise.all([
    db.project.findMany({
      where: {
        orgId,
        AND: words.map((w) => ({ OR: [{ name: contains(w) }, { slug: contains(w) }] })),
      },
      orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
      take: limit,
      select: { id: true, name: true, slug: true },
    }),
    db.ticket.findMany({
      where: {
        orgId,
        AND: words.map((w) => {
          const n = number(w);
          return { OR: [{ title: contains(w) }, ...(n !== null ? [{ number: n }] : [])] };
        }),
      },
      orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
      take: limit,
      select: {
        id: true,
        number: true,
        title: true,
        status: true,
        project: { select: { name: true } },
      },
    }),
    db.spec.findMany({
      where: {
        orgId,
        AND: words.map((w) => ({ OR: [{ title: contains(w) }, { slug: contains(w) }] })),
      },
      orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
      take: limit,
      select: {
        id: true,
        title: true,
        state: true,
        project: { select: { name: true } },
        _count: { select: { tasks: { where: heldTaskWhere } } },
      },
    }),
    db.task.findMany({
      where: {
        orgId,
        AND: words.map((w) => ({ OR: [{ title: contains(w) }, { key: { equals: w } }] })),
      },
      orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
      take: limit,
      select: { id: true, key: true, title: true, status: true, spec: { select: { title: true } } },
    }),
  ]);

  // In the palette's order: projects, tickets, specs, tasks.
  return [
    ...projects.map((p) => ({ kind: "project" as const, id: p.id, title: p.name, detail: p.slug })),
    ...tickets.map((t) => ({
      kind: "ticket" as const,
      id: t.id,
      title: t.title,
      detail: `#${t.number} · ${human(t.status)} · ${t.project.name}`,
    })),
    ...specs.map((s) => ({
      kind: "spec" as const,
      id: s.id,
      title: s.title,
      detail: `${human(shownSpecState(s.state, s._count.tasks))} · ${s.project.name}`,
    })),
    ...tasks.map((t) => ({
      kind: "task" as const,
      id: t.id,
      title: t.title,
      detail: `${t.key} · ${human(t.status)} · ${t.spec.title}`,
    })),
  ];
}
