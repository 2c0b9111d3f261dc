"use client";

import type * as React from "react";
import { cn } from "@/lib/utils/cn";
import { CommandPalette } from "./command-palette";
import { MobileNav } from "./mobile-nav";
import { Sidebar, type SidebarProps } from "./sidebar";
import { useShellStore } from "./ui-store";
import { useGlobalShortcuts } from "./use-global-shortcuts";

export type AppShellProps = SidebarProps & { children: React.ReactNode };

/**
 * Sidebar, main area and the command palette for every page inside an organization. From `md`
 * up the sidebar sits beside the page; below, it opens as a sheet from the page's top bar.
 */
export function AppShell({ children, ...sidebar }: AppShellProps) {
  const collapsed = useShellStore((s) => s.sidebarCollapsed);
  useGlobalShortcuts(sidebar.org.slug);
  return (
    <div
      className={cn(
        "min-h-dvh md:grid",
        collapsed ? "md:grid-cols-[52px_minmax(0,1fr)]" : "md:grid-cols-[232px_minmax(0,1fr)]",
      )}
    >
      <Sidebar {...sidebar} className="hidden md:flex" />
      <MobileNav sidebar={sidebar}>
        {/* A column as tall as the window at least: full-height views (board, graph) take
            what the banner and top bar leave with flex-1 (see `data-fill-viewport`). */}
        <div className="flex min-h-dvh min-w-0 flex-col has-[[data-fill-viewport]]:h-dvh">
          {children}
        </div>
      </MobileNav>
      <CommandPalette org={sidebar.org} orgs={sidebar.orgs} projects={sidebar.projects} />
    </div>
  );
}
