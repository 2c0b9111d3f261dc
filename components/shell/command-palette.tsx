"use client";

import { useQuery } from "@tanstack/react-query";
import { defaultFilter } from "cmdk";
import {
  Building2,
  Check,
  FileText,
  FolderGit2,
  KanbanSquare,
  ListChecks,
  LogOut,
  Moon,
  Network,
  PanelLeft,
  Plus,
  Ticket,
} from "lucide-react";
import { useRouter } from "next/navigation";
import { useTheme } from "next-themes";
import { useEffect, useState, useTransition } from "react";
import { toast } from "sonner";
import { orgAction } from "@/app/(app)/[org]/_actions/org-action";
import { signOutAction } from "@/app/(auth)/actions";
import {
  CommandDialog,
  CommandEmpty,
  CommandGroup,
  CommandInput,
  CommandItem,
  CommandList,
  CommandSeparator,
  CommandShortcut,
} from "@/components/ui/command";
import type { SearchResult, SearchResultKind } from "@/lib/search/search-org";
import { navItems } from "./nav-items";
import { usePaletteContext } from "./palette-context";
import type { ShellOrg } from "./sidebar";
import { useShellStore } from "./ui-store";

interface CommandPaletteProps {
  org: ShellOrg;
  orgs: ShellOrg[];
  projects: { id: string; name: string }[];
}

const SEARCH_MIN_LENGTH = 2;
const SEARCH_DEBOUNCE_MS = 200;
const RESULT_PREFIX = "result:";

/** Search results by kind, in the order their groups show; `rank` orders the groups (see below). */
const resultMeta: Record<
  SearchResultKind,
  { icon: typeof Ticket; segment: string; noun: string; heading: string; rank: number }
> = {
  project: {
    icon: FolderGit2,
    segment: "projects",
    noun: "Project",
    heading: "Projects",
    rank: 0.4,
  },
  ticket: { icon: Ticket, segment: "tickets", noun: "Ticket", heading: "Tickets", rank: 0.3 },
  spec: { icon: FileText, segment: "specs", noun: "Spec", heading: "Specs", rank: 0.2 },
  task: { icon: ListChecks, segment: "tasks", noun: "Task", heading: "Tasks", rank: 0.1 },
};
const resultKinds = Object.keys(resultMeta) as SearchResultKind[];

/**
 * cmdk orders items and groups by this score. Server results are already filtered by the query;
 * they rank by kind (projects, tickets, specs, tasks), below the pages and actions the query
 * clearly names (cmdk's fuzzy score of 0.5 and up) and above ones it barely matches.
 */
function paletteFilter(value: string, search: string, keywords?: string[]): number {
  if (value.startsWith(RESULT_PREFIX)) {
    const kind = value.slice(RESULT_PREFIX.length).split(":")[0] as SearchResultKind;
    return resultMeta[kind]?.rank ?? 0.05;
  }
  const score = defaultFilter(value, search, keywords);
  return score >= 0.5 ? score : score * 0.1;
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

async function fetchResults(
  orgSlug: string,
  q: string,
  signal: AbortSignal,
): Promise<SearchResult[]> {
  const response = await fetch(`/${orgSlug}/search?${new URLSearchParams({ q })}`, { signal });
  const body = (await response.json().catch(() => null)) as {
    results?: SearchResult[];
    error?: { message?: string };
  } | null;
  if (!response.ok || !body?.results)
    throw new Error(body?.error?.message ?? "Search failed. Try again.");
  return body.results;
}

/**
 * ⌘K: search the organization's projects, tickets, specs and tasks (on the
 * server, as you type), go to any page, switch organization, and run the
 * actions: new ticket, approve the phase in review, open the board or graph,
 * toggle the theme. Everything by keyboard: type, arrows, Enter.
 */
export function CommandPalette({ org, orgs, projects }: CommandPaletteProps) {
  const router = useRouter();
  const open = useShellStore((s) => s.paletteOpen);
  const setOpen = useShellStore((s) => s.setPaletteOpen);
  const approval = usePaletteContext((s) => s.approval);
  const { resolvedTheme, setTheme } = useTheme();
  const [, startTransition] = useTransition();
  const [search, setSearch] = useState("");
  const query = useDebounced(search.trim(), SEARCH_DEBOUNCE_MS);
  const searching = open && query.length >= SEARCH_MIN_LENGTH;
  const results = useQuery({
    queryKey: ["palette-search", org.slug, query],
    queryFn: ({ signal }) => fetchResults(org.slug, query, signal),
    enabled: searching,
    staleTime: 10_000,
    retry: false,
  });
  const typedAhead = search.trim() !== query && search.trim().length >= SEARCH_MIN_LENGTH;
  const pending = searching && (results.isFetching || typedAhead);

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) setSearch("");
  }
  function run(action: () => void) {
    onOpenChange(false);
    action();
  }
  const go = (href: string) => run(() => router.push(href));

  function approve() {
    if (!approval) return;
    const { specId, phase, label } = approval;
    run(() =>
      startTransition(async () => {
        const result = await orgAction(org.slug, "approvePhase", { specId, phase });
        if (result.ok) {
          toast.success(`Approved ${label}`);
          router.refresh();
        } else {
          toast.error(result.error.message);
        }
      }),
    );
  }

  const hits = searching && !typedAhead ? (results.data ?? []) : [];
  const otherOrgs = orgs.filter((o) => o.slug !== org.slug);
  const pages = navItems.filter((item) => item.segment !== "board" && item.segment !== "graph");

  return (
    <CommandDialog
      open={open}
      onOpenChange={onOpenChange}
      title="Command palette"
      description="Search projects, tickets, specs and tasks, go to a page, or run an action."
      commandProps={{ filter: paletteFilter }}
    >
      <CommandInput
        placeholder="Search or type a command…"
        aria-label="Search commands"
        value={search}
        onValueChange={setSearch}
      />
      {/* Outside the listbox: only options and groups belong in it. */}
      {searching && results.isError && !typedAhead ? (
        <p role="alert" className="border-b px-3 py-2 text-destructive text-xs">
          {results.error.message}
        </p>
      ) : null}
      <CommandList>
        <CommandEmpty>{pending ? "Searching…" : "Nothing matches."}</CommandEmpty>
        <CommandGroup heading="Actions">
          {approval ? (
            <CommandItem value={`Approve ${approval.label}`} onSelect={approve}>
              <Check aria-hidden="true" /> Approve {approval.label}
              <CommandShortcut>A</CommandShortcut>
            </CommandItem>
          ) : null}
          <CommandItem onSelect={() => go(`/${org.slug}/tickets/new`)}>
            <Ticket aria-hidden="true" /> New ticket
            <CommandShortcut>C</CommandShortcut>
          </CommandItem>
          <CommandItem onSelect={() => go(`/${org.slug}/board`)}>
            <KanbanSquare aria-hidden="true" /> Open board
            <CommandShortcut>G B</CommandShortcut>
          </CommandItem>
          <CommandItem onSelect={() => go(`/${org.slug}/graph`)}>
            <Network aria-hidden="true" /> Open graph
            <CommandShortcut>G G</CommandShortcut>
          </CommandItem>
          <CommandItem onSelect={() => go(`/${org.slug}/projects/new`)}>
            <Plus aria-hidden="true" /> New project
          </CommandItem>
          <CommandItem
            onSelect={() => run(() => setTheme(resolvedTheme === "dark" ? "light" : "dark"))}
          >
            <Moon aria-hidden="true" /> Toggle theme
          </CommandItem>
          <CommandItem onSelect={() => run(() => useShellStore.getState().toggleSidebar())}>
            <PanelLeft aria-hidden="true" /> Toggle sidebar
          </CommandItem>
          <CommandItem onSelect={() => run(() => startTransition(() => signOutAction()))}>
            <LogOut aria-hidden="true" /> Sign out
          </CommandItem>
        </CommandGroup>
        <CommandSeparator />
        <CommandGroup heading="Go to">
          {pages.map((item) => (
            <CommandItem
              key={item.segment}
              value={`Go to ${item.label}`}
              onSelect={() => go(`/${org.slug}/${item.segment}`)}
            >
              <item.icon aria-hidden="true" /> {item.label}
              <CommandShortcut>G {item.goKey.toUpperCase()}</CommandShortcut>
            </CommandItem>
          ))}
        </CommandGroup>
        {resultKinds.map((kind) => {
          const meta = resultMeta[kind];
          const ofKind = hits.filter((hit) => hit.kind === kind);
          return ofKind.length > 0 ? (
            <CommandGroup key={kind} heading={meta.heading}>
              {ofKind.map((hit) => (
                <CommandItem
                  key={`${hit.kind}:${hit.id}`}
                  value={`${RESULT_PREFIX}${hit.kind}:${hit.id}`}
                  onSelect={() => go(`/${org.slug}/${meta.segment}/${hit.id}`)}
                >
                  <meta.icon aria-hidden="true" />
                  <span className="sr-only">{meta.noun}: </span>
                  <span className="truncate">{hit.title}</span>
                  <span className="ml-auto max-w-[45%] shrink-0 truncate text-muted-foreground text-xs">
                    {hit.detail}
                  </span>
                </CommandItem>
              ))}
            </CommandGroup>
          ) : null;
        })}
        {/* While a search runs, its results list projects; the sidebar's list would repeat them. */}
        {projects.length > 0 && !searching ? (
          <>
            <CommandSeparator />
            <CommandGroup heading="Projects">
              {projects.map((p) => (
                <CommandItem
                  key={p.id}
                  value={`Project ${p.name} ${p.id}`}
                  onSelect={() => go(`/${org.slug}/projects/${p.id}`)}
                >
                  <FolderGit2 aria-hidden="true" /> {p.name}
                </CommandItem>
              ))}
            </CommandGroup>
          </>
        ) : null}
        <CommandSeparator />
        <CommandGroup heading="Switch organization">
          {otherOrgs.map((o) => (
            <CommandItem
              key={o.slug}
              value={`Switch to ${o.name}`}
              onSelect={() => go(`/${o.slug}/projects`)}
            >
              <Building2 aria-hidden="true" /> Switch to {o.name}
            </CommandItem>
          ))}
          <CommandItem value="New organization" onSelect={() => go("/orgs/new")}>
            <Plus aria-hidden="true" /> New organization
          </CommandItem>
        </CommandGroup>
      </CommandList>
    </CommandDialog>
  );
}
