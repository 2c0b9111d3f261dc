"use client";

import type * as React from "react";
import { cn } from "@/lib/utils/cn";
import { CommandPalette } from "./command-palette";
import { Sidebar, type SidebarProps } from "./sidebar";
import { useShellStore } from "./ui-store";
import { useGlobalShortcuts } from "./use-global-shortcuts";

export type AppShellProps = SidebarProps & { children: React.ReactNode };

/** Sidebar, main area and the command palette for every page inside an organization. */
export function AppShell({ children, ...sidebar }: AppShellProps) {
  const collapsed = useShellStore((s) => s.sidebarCollapsed);
  useGlobalShortcuts(sidebar.org.slug);
  return (
    <div
      className={cn("grid min-h-dvh", collapsed ? "grid-cols-[52px_1fr]" : "grid-cols-[232px_1fr]")}
    >
      <Sidebar {...sidebar} />
      <div className="flex min-w-0 flex-col">{children}</div>
      <CommandPalette org={sidebar.org} orgs={sidebar.orgs} projects={sidebar.projects} />
    </div>
  );
}
