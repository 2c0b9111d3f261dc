"use client";

import { Check, ChevronsUpDown, LogOut, PanelLeft, Plus } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTransition } from "react";
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

export interface SidebarProps {
  org: ShellOrg;
  orgs: ShellOrg[];
  projects: { id: string; name: string }[];
  user: { name: string | null; email: string };
}

export function Sidebar({ org, orgs, projects, user }: SidebarProps) {
  const pathname = usePathname();
  const collapsed = useShellStore((s) => s.sidebarCollapsed);
  const toggleSidebar = useShellStore((s) => s.toggleSidebar);

  return (
    <aside
      aria-label="Sidebar"
      className="sticky top-0 flex h-dvh flex-col gap-2 border-sidebar-border border-r bg-sidebar p-2 text-sidebar-foreground"
    >
      <div className="flex items-center gap-1">
        {collapsed ? null : <OrgSwitcher org={org} orgs={orgs} />}
        <Button
          variant="ghost"
          size="icon"
          className="ml-auto size-8 shrink-0"
          aria-label={collapsed ? "Expand sidebar" : "Collapse sidebar"}
          onClick={toggleSidebar}
        >
          <PanelLeft />
        </Button>
      </div>
      <nav aria-label="Main" className="flex flex-col gap-0.5">
        {navItems.map((item) => {
          const href = `/${org.slug}/${item.segment}`;
          const active = pathname === href || pathname.startsWith(`${href}/`);
          return (
            <div key={item.segment}>
              <IntentLink
                href={href}
                aria-current={active ? "page" : undefined}
                title={collapsed ? item.label : undefined}
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
                    return (
                      <li key={p.id}>
                        <IntentLink
                          href={projectHref}
                          aria-current={pathname.startsWith(projectHref) ? "page" : undefined}
                          className={cn(
                            "block truncate rounded-md px-2 py-1 text-sidebar-muted-foreground text-xs hover:bg-sidebar-accent hover:text-sidebar-foreground",
                            pathname.startsWith(projectHref) &&
                              "bg-sidebar-accent text-sidebar-foreground",
                          )}
                        >
                          {p.name}
                        </IntentLink>
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
            onClick={() => useShellStore.getState().setPaletteOpen(true)}
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
