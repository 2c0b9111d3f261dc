"use client";

import { Building2, FolderGit2, LogOut, Moon, PanelLeft, Plus, Ticket } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTheme } from "next-themes";
import { useTransition } from "react";
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
import { navItems } from "./nav-items";
import type { ShellOrg } from "./sidebar";
import { useShellStore } from "./ui-store";

interface CommandPaletteProps {
  org: ShellOrg;
  orgs: ShellOrg[];
  projects: { id: string; name: string }[];
}

/** ⌘K: go to any page or project, switch organization, and run the shell's actions. */
export function CommandPalette({ org, orgs, projects }: CommandPaletteProps) {
  const router = useRouter();
  const open = useShellStore((s) => s.paletteOpen);
  const setOpen = useShellStore((s) => s.setPaletteOpen);
  const { resolvedTheme, setTheme } = useTheme();
  const [, startTransition] = useTransition();

  function run(action: () => void) {
    setOpen(false);
    action();
  }
  const go = (href: string) => run(() => router.push(href));

  return (
    <CommandDialog
      open={open}
      onOpenChange={setOpen}
      title="Command palette"
      description="Go to a page or project, or run an action."
    >
      <CommandInput placeholder="Type a command or search…" aria-label="Search commands" />
      <CommandList>
        <CommandEmpty>Nothing matches.</CommandEmpty>
        <CommandGroup heading="Actions">
          <CommandItem onSelect={() => go(`/${org.slug}/tickets/new`)}>
            <Ticket aria-hidden="true" /> New ticket
            <CommandShortcut>C</CommandShortcut>
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
          {navItems.map((item) => (
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
        {projects.length > 0 ? (
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
        {orgs.length > 1 ? (
          <>
            <CommandSeparator />
            <CommandGroup heading="Switch organization">
              {orgs
                .filter((o) => o.slug !== org.slug)
                .map((o) => (
                  <CommandItem
                    key={o.slug}
                    value={`Switch to ${o.name}`}
                    onSelect={() => go(`/${o.slug}/projects`)}
                  >
                    <Building2 aria-hidden="true" /> {o.name}
                  </CommandItem>
                ))}
            </CommandGroup>
          </>
        ) : null}
      </CommandList>
    </CommandDialog>
  );
}
