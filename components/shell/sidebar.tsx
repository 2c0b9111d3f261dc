"use client";

import { Check, ChevronsUpDown, LogOut, PanelLeft, Plus } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useTransition } from "react";
import { signOutAction } from "@/app/(auth)/actions";
import { RealtimeStatus } from "@/components/realtime/realtime-status";
import { ThemeToggle } from "@/components/theme-toggle";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { IntentLink } from "@/components/ui/intent-link";
import { cn } from "@/lib/utils/cn";
import { Logo } from "./logo";
import { navItems } from "./nav-items";
import { useShellStore } from "./ui-store";

export interface ShellOrg {
  slug: string;
  name: string;
  role: string;
}

export interface SidebarSpec {
  id: string;
  title: string;
  state: string;
}

export interface SidebarProps {
  org: ShellOrg;
  orgs: ShellOrg[];
  projects: { id: string; name: string }[];
  /** The latest specs of each listed project (the first 8), and how many it has. */
  specs: Record<string, { specs: SidebarSpec[]; total: number }>;
  user: { name: string | null; email: string };
}

/** A spec's state as the one status colour it means (DESIGN.md). */
const specDot: Record<string, string> = {
  DRAFT: "bg-status-queued",
  REQUIREMENTS_RUNNING: "bg-status-running",
  DESIGN_RUNNING: "bg-status-running",
  TASKS_RUNNING: "bg-status-running",
  EXECUTING: "bg-status-running",
  REQUIREMENTS_REVIEW: "bg-status-attention",
  DESIGN_REVIEW: "bg-status-attention",
  TASKS_REVIEW: "bg-status-attention",
  VERIFYING: "bg-status-verifying",
  DONE: "bg-status-done",
  FAILED: "bg-status-failed",
  CANCELLED: "bg-status-cancelled",
};

/**
 * The project the page belongs to: the one in the URL, the one whose spec is open, else the last
 * one visited (board, graph… belong to no project), else the only one.
 */
function useCurrentProject(
  pathname: string,
  projects: SidebarProps["projects"],
  specs: SidebarProps["specs"],
): string | null {
  const [, , section, id] = pathname.split("/");
  const fromUrl =
    section === "projects" && projects.some((p) => p.id === id)
      ? id
      : section === "specs"
        ? Object.entries(specs).find(([, s]) => s.specs.some((spec) => spec.id === id))?.[0]
        : undefined;
  const last = useShellStore((s) => s.lastProjectId);
  const setLast = useShellStore((s) => s.setLastProjectId);
  useEffect(() => {
    if (fromUrl) setLast(fromUrl);
  }, [fromUrl, setLast]);
  if (fromUrl) return fromUrl;
  if (last && projects.some((p) => p.id === last)) return last;
  return projects.length === 1 ? (projects[0]?.id ?? null) : null;
}

export function Sidebar({
  org,
  orgs,
  projects,
  specs,
  user,
  variant = "docked",
  className,
  onNavigate,
}: SidebarProps & {
  /** Docked beside the page (collapsible), or inside the phone-width sheet (always expanded). */
  variant?: "docked" | "sheet";
  className?: string;
  /** Called when a link is followed, so the sheet can close even on the current page's link. */
  onNavigate?: () => void;
}) {
  const pathname = usePathname();
  const sheet = variant === "sheet";
  const collapsed = useShellStore((s) => s.sidebarCollapsed) && !sheet;
  const toggleSidebar = useShellStore((s) => s.toggleSidebar);
  const currentProject = useCurrentProject(pathname, projects, specs);

  return (
    <aside
      aria-label="Sidebar"
      className={cn(
        "flex flex-col gap-2 bg-sidebar p-2 text-sidebar-foreground",
        sheet ? "h-full min-h-0" : "sticky top-0 h-dvh border-sidebar-border border-r",
        className,
      )}
    >
      {/* In the sheet, its close button sits where the collapse button would. */}
      <div className={cn("flex items-center gap-1", sheet && "pr-9")}>
        {collapsed ? null : <OrgSwitcher org={org} orgs={orgs} />}
        {sheet ? null : (
          <Button
            variant="ghost"
            size="icon"
            className="ml-auto size-8 shrink-0"
            aria-label={collapsed ? "Expand sidebar" : "Collapse sidebar"}
            onClick={toggleSidebar}
          >
            <PanelLeft />
          </Button>
        )}
      </div>
      <nav aria-label="Main" className="-mx-2 flex min-h-0 flex-col gap-0.5 overflow-y-auto px-2">
        {navItems.map((item) => {
          const href = `/${org.slug}/${item.segment}`;
          const active = pathname === href || pathname.startsWith(`${href}/`);
          return (
            <div key={item.segment}>
              <IntentLink
                href={href}
                aria-current={active ? "page" : undefined}
                title={collapsed ? item.label : undefined}
                onClick={onNavigate}
                className={cn(
                  "flex h-8 items-center gap-2 rounded-md px-2 text-sm hover:bg-sidebar-accent",
                  active && "bg-sidebar-accent font-medium text-sidebar-accent-foreground",
                )}
              >
                <item.icon className="size-4 shrink-0" aria-hidden="true" />
                {collapsed ? <span className="sr-only">{item.label}</span> : item.label}
              </IntentLink>
              {item.segment === "projects" && !collapsed && projects.length > 0 ? (
                <ul
                  aria-label="Projects"
                  className="my-0.5 ml-6 flex flex-col gap-0.5 border-sidebar-border border-l pl-2"
                >
                  {projects.slice(0, 8).map((p) => {
                    const projectHref = `/${org.slug}/projects/${p.id}`;
                    const here = pathname === projectHref;
                    const projectSpecs = p.id === currentProject ? specs[p.id] : undefined;
                    return (
                      <li key={p.id}>
                        <IntentLink
                          href={projectHref}
                          aria-current={here ? "page" : undefined}
                          onClick={onNavigate}
                          className={cn(
                            subLinkClass,
                            (here || p.id === currentProject) && "text-sidebar-foreground",
                            here && "bg-sidebar-accent",
                          )}
                        >
                          {p.name}
                        </IntentLink>
                        {projectSpecs && projectSpecs.total > 0 ? (
                          <ProjectSpecs
                            orgSlug={org.slug}
                            project={p}
                            specs={projectSpecs}
                            pathname={pathname}
                            onNavigate={onNavigate}
                          />
                        ) : null}
                      </li>
                    );
                  })}
                </ul>
              ) : null}
            </div>
          );
        })}
      </nav>
      <div className="mt-auto flex flex-col gap-1">
        {collapsed ? null : (
          <button
            type="button"
            onClick={() => {
              onNavigate?.();
              useShellStore.getState().setPaletteOpen(true);
            }}
            className="flex h-8 items-center justify-between rounded-md border border-sidebar-border px-2 text-sidebar-muted-foreground text-xs hover:bg-sidebar-accent"
          >
            Search or run a command
            <kbd className="font-mono text-[11px]">⌘K</kbd>
          </button>
        )}
        <div className="flex items-center gap-1">
          {collapsed ? null : <UserMenu user={user} />}
          <RealtimeStatus compact={collapsed} />
          <ThemeToggle className="ml-auto size-8 shrink-0" />
        </div>
      </div>
    </aside>
  );
}

const subLinkClass =
  "block truncate rounded-md px-2 py-1 text-sidebar-muted-foreground text-xs hover:bg-sidebar-accent hover:text-sidebar-foreground";

/** The current project's latest specs, each with its state's colour, and the way to all of them. */
function ProjectSpecs({
  orgSlug,
  project,
  specs,
  pathname,
  onNavigate,
}: {
  orgSlug: string;
  project: { id: string; name: string };
  specs: { specs: SidebarSpec[]; total: number };
  pathname: string;
  onNavigate?: () => void;
}) {
  return (
    <ul aria-label={`Specs of ${project.name}`} className="ml-2 flex flex-col gap-0.5 py-0.5">
      {specs.specs.map((spec) => {
        const href = `/${orgSlug}/specs/${spec.id}`;
        const here = pathname === href;
        return (
          <li key={spec.id}>
            <IntentLink
              href={href}
              aria-current={here ? "page" : undefined}
              onClick={onNavigate}
              className={cn(
                subLinkClass,
                "flex items-center gap-1.5",
                here && "bg-sidebar-accent text-sidebar-foreground",
              )}
            >
              <span
                aria-hidden="true"
                className={cn("size-1.5 shrink-0 rounded-full", specDot[spec.state] ?? "bg-border")}
              />
              <span className="truncate">{spec.title}</span>
              <span className="sr-only">, {spec.state.toLowerCase().replace(/_/g, " ")}</span>
            </IntentLink>
          </li>
        );
      })}
      <li>
        <IntentLink
          href={`/${orgSlug}/projects/${project.id}#specs`}
          onClick={onNavigate}
          className={subLinkClass}
        >
          All specs{specs.total > specs.specs.length ? ` (${specs.total})` : ""}
        </IntentLink>
      </li>
    </ul>
  );
}

function OrgSwitcher({ org, orgs }: { org: ShellOrg; orgs: ShellOrg[] }) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button
          variant="ghost"
          className="h-9 min-w-0 flex-1 justify-start gap-2 px-2"
          aria-label={`Organization: ${org.name}. Switch organization`}
        >
          <Logo compact />
          <span className="truncate font-medium text-sm">{org.name}</span>
          <ChevronsUpDown className="ml-auto size-3.5 shrink-0 opacity-60" aria-hidden="true" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-60">
        <DropdownMenuLabel>Organizations</DropdownMenuLabel>
        {orgs.map((o) => (
          <DropdownMenuItem key={o.slug} asChild>
            <Link href={`/${o.slug}/projects`}>
              <span className="truncate">{o.name}</span>
              <span className="ml-auto text-muted-foreground text-xs">{o.role.toLowerCase()}</span>
              {o.slug === org.slug ? <Check className="size-3.5" aria-label="current" /> : null}
            </Link>
          </DropdownMenuItem>
        ))}
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/orgs/new">
            <Plus aria-hidden="true" /> New organization
          </Link>
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

function UserMenu({ user }: { user: SidebarProps["user"] }) {
  const [, startTransition] = useTransition();
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button
          variant="ghost"
          className="h-8 min-w-0 flex-1 justify-start gap-2 px-2"
          aria-label={`Account: ${user.email}`}
        >
          <span
            aria-hidden="true"
            className="flex size-5 shrink-0 items-center justify-center rounded-full bg-muted font-medium text-[10px] uppercase"
          >
            {(user.name || user.email).slice(0, 1)}
          </span>
          <span className="truncate text-xs">{user.name || user.email}</span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" side="top" className="w-56">
        <DropdownMenuLabel className="truncate font-normal text-muted-foreground text-xs">
          {user.email}
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        {/* Not a <form>: the menu unmounts on select, before a form could submit. */}
        <DropdownMenuItem onSelect={() => startTransition(() => signOutAction())}>
          <LogOut aria-hidden="true" /> Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
